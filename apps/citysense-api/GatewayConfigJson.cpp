#include "GatewayConfigJson.h"

#include "JsonObjects.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace citysense::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

bool isSection(const std::string& section) {
    const auto dot = section.find('.');
    return dot != std::string::npos && dot > 0 && dot + 1 < section.size() &&
           section.find('.', dot + 1) == std::string::npos &&
           section.find_first_of(" \t\r\n[]=") == std::string::npos;
}

/// The value as the configuration file would have it; throws ChangesError for an object or an array.
std::string valueText(const Poco::Dynamic::Var& value, const std::string& where) {
    if (value.isEmpty())
        return "";
    if (value.type() == typeid(Object::Ptr) || value.type() == typeid(Array::Ptr))
        throw ChangesError(where + ": a value is a string, a number, true, false or null (drops the key)");
    return value.convert<std::string>();
}

Object::Ptr desiredJson(const std::string& envelope) {
    auto result = orderedObject();
    DesiredDocument desired;
    try {
        desired = readUnverifiedDocument(envelope);
    } catch (const DocumentError& error) {
        result->set("unreadable", std::string(error.what()));
        return result;
    }
    result->set("version", desired.version);
    result->set("request", desired.request);
    result->set("expires", formatIsoTime(desired.expires));
    auto changes = orderedObject();
    for (const auto& [section, keys] : desired.changes) {
        auto values = orderedObject();
        for (const auto& [key, value] : keys)
            values->set(key, value);
        changes->set(section, values);
    }
    result->set("changes", changes);
    return result;
}

Object::Ptr reportedJson(const ReportedDocument& reported) {
    auto result = orderedObject();
    result->set("version", reported.version);
    result->set("request", reported.request);
    result->set("status", std::string(reportStatusName(reported.status)));
    result->set("time", formatIsoTime(reported.time));
    result->set("applied_version", reported.appliedVersion);
    Array::Ptr errors = new Array;
    for (const ReportError& error : reported.errors) {
        auto each = orderedObject();
        each->set("section", error.section);
        each->set("key", error.key);
        each->set("message", error.message);
        errors->add(each);
    }
    result->set("errors", errors);
    return result;
}

}  // namespace

std::vector<RequestedChange> readChanges(const std::string& body) {
    Poco::Dynamic::Var parsed;
    try {
        parsed = Poco::JSON::Parser().parse(body);
    } catch (const Poco::Exception& error) {
        throw ChangesError("the body is not JSON: " + error.message());
    }
    if (parsed.type() != typeid(Object::Ptr))
        throw ChangesError(
            "the body is a JSON object of sections and their keys: {\"driver.no2\": {\"interval\": \"5s\"}}");
    std::vector<RequestedChange> changes;
    for (const auto& [section, keys] : *parsed.extract<Object::Ptr>()) {
        if (!isSection(section))
            throw ChangesError("'" + section + "' is not a section KIND.NAME, e.g. driver.no2");
        if (keys.type() != typeid(Object::Ptr))
            throw ChangesError(section + ": the keys of a section are a JSON object, {\"interval\": \"5s\"}");
        for (const auto& [key, value] : *keys.extract<Object::Ptr>()) {
            if (key.empty() || key.find_first_of(" \t\r\n=[]") != std::string::npos)
                throw ChangesError(section + ": '" + key + "' is not a key");
            changes.push_back({section, key, valueText(value, section + "." + key)});
            if (changes.back().value.find_first_of("\r\n") != std::string::npos)
                throw ChangesError(section + "." + key + ": a value is one line");
        }
    }
    if (changes.empty())
        throw ChangesError("no change: the body names no section and key");
    return changes;
}

Object::Ptr documentsJson(const std::string& gateway, const GatewayDocuments& documents) {
    auto result = orderedObject();
    result->set("gateway", gateway);
    result->set("state", stateOf(documents));
    if (documents.desired)
        result->set("desired", desiredJson(*documents.desired));
    else
        result->set("desired", Poco::Dynamic::Var());
    if (documents.reported)
        result->set("reported", reportedJson(*documents.reported));
    else
        result->set("reported", Poco::Dynamic::Var());
    return result;
}

std::string jsonText(const Object::Ptr& object) {
    std::ostringstream text;
    object->stringify(text);
    return text.str();
}

}  // namespace citysense::api
