#include "SignedDocument.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

namespace citysense {

namespace {

using Poco::JSON::Object;

std::string toText(const Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

Object::Ptr parseObject(const std::string& text, const std::string& what) {
    try {
        const Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(text);
        if (parsed.type() == typeid(Object::Ptr))
            return parsed.extract<Object::Ptr>();
    } catch (const Poco::Exception& error) {
        throw DocumentError(what + " is not JSON: " + error.message());
    }
    throw DocumentError(what + " is not a JSON object");
}

std::string stringField(const Object& object, const std::string& name, const std::string& what) {
    if (!object.has(name) || !object.get(name).isString())
        throw DocumentError(what + " has no text field \"" + name + "\"");
    return object.getValue<std::string>(name);
}

std::int64_t integerField(const Object& object, const std::string& name, const std::string& what) {
    if (!object.has(name) || !object.get(name).isInteger())
        throw DocumentError(what + " has no integer field \"" + name + "\"");
    return object.getValue<std::int64_t>(name);
}

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

/// Read through istream::read(), which turns the decoder's exception for a bad character into badbit:
/// a string built from istreambuf_iterators would leak what it had read when the exception came.
std::string unbase64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::string bytes;
    char buffer[256];
    while (decoder.read(buffer, sizeof buffer) || decoder.gcount() > 0)
        bytes.append(buffer, static_cast<std::size_t>(decoder.gcount()));
    if (decoder.bad())
        throw DocumentError("the signature is not base64");
    return bytes;
}

/// The envelope's document text and signature.
std::pair<std::string, std::string> readEnvelope(const std::string& envelope) {
    if (envelope.size() > kMaxSignedDocumentBytes)
        throw DocumentError("the document has " + std::to_string(envelope.size()) + " bytes; at most " +
                            std::to_string(kMaxSignedDocumentBytes) + " are read");
    const Object::Ptr object = parseObject(envelope, "the envelope");
    const std::string signature = unbase64(stringField(*object, "signature", "the envelope"));
    return {stringField(*object, "document", "the envelope"), signature};
}

DesiredDocument readDocument(const std::string& text) {
    const Object::Ptr object = parseObject(text, "the document");
    const std::string what = "the document";
    DesiredDocument document;
    document.gateway = stringField(*object, "gateway", what);
    document.version = integerField(*object, "version", what);
    if (document.version <= 0)
        throw DocumentError("the document's version must be a positive integer");
    document.request = stringField(*object, "request", what);
    if (document.request.empty() || document.request.size() > 128 ||
        std::any_of(document.request.begin(), document.request.end(),
                    [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        throw DocumentError("the document's request id must be 1 to 128 printable characters");
    const std::string expires = stringField(*object, "expires", what);
    const auto time = parseIsoTime(expires);
    if (!time)
        throw DocumentError("the document's expiry '" + expires + "' is not an ISO 8601 time");
    document.expires = *time;
    const Object::Ptr changes = object->getObject("changes");
    if (!changes)
        throw DocumentError("the document has no object \"changes\"");
    for (const auto& [section, keys] : *changes) {
        if (keys.type() != typeid(Object::Ptr))
            throw DocumentError("the document's changes of [" + section + "] are not an object");
        auto& values = document.changes[section];
        for (const auto& [key, value] : *keys.extract<Object::Ptr>()) {
            if (value.isEmpty() || value.type() == typeid(Object::Ptr) ||
                value.type() == typeid(Poco::JSON::Array::Ptr))
                throw DocumentError("[" + section + "] " + key + ": a value is text, a number or a boolean");
            values[key] = value.convert<std::string>();
        }
    }
    return document;
}

}  // namespace

std::string DesiredDocument::toJson() const {
    Object object(Poco::JSON_PRESERVE_KEY_ORDER);
    object.set("gateway", gateway);
    object.set("version", version);
    object.set("request", request);
    object.set("expires", formatIsoTime(expires));
    Object::Ptr sections = new Object;
    for (const auto& [section, keys] : changes) {
        Object::Ptr values = new Object;
        for (const auto& [key, value] : keys)
            values->set(key, value);
        sections->set(section, values);
    }
    object.set("changes", sections);
    return toText(object);
}

std::string signDocument(const DesiredDocument& document, const Ed25519Key& key) {
    const std::string text = document.toJson();
    Object envelope(Poco::JSON_PRESERVE_KEY_ORDER);
    envelope.set("document", text);
    envelope.set("signature", base64(key.sign(text)));
    return toText(envelope);
}

DesiredDocument openSignedDocument(const std::string& envelope, const Ed25519Key& key) {
    const auto [text, signature] = readEnvelope(envelope);
    if (!key.verify(text, signature))
        throw DocumentError("the signature does not verify with the operator's key (remote_config_key)");
    return readDocument(text);
}

DesiredDocument readUnverifiedDocument(const std::string& envelope) {
    return readDocument(readEnvelope(envelope).first);
}

const char* reportStatusName(ReportStatus status) {
    switch (status) {
        case ReportStatus::Applied:
            return "applied";
        case ReportStatus::Rejected:
            return "rejected";
        case ReportStatus::Expired:
            return "expired";
        case ReportStatus::IgnoredStale:
            return "ignored-stale";
    }
    return "rejected";
}

std::string ReportedDocument::toJson() const {
    Object object(Poco::JSON_PRESERVE_KEY_ORDER);
    object.set("gateway", gateway);
    object.set("version", version);
    object.set("request", request);
    object.set("status", std::string(reportStatusName(status)));
    object.set("applied_version", appliedVersion);
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& error : errors) {
        Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        item->set("section", error.section);
        item->set("key", error.key);
        item->set("message", error.message);
        list->add(item);
    }
    object.set("errors", list);
    object.set("time", formatIsoTime(time));
    return toText(object);
}

ReportedDocument ReportedDocument::fromJson(const std::string& text) {
    const Object::Ptr object = parseObject(text, "the report");
    ReportedDocument report;
    report.gateway = stringField(*object, "gateway", "the report");
    report.version = integerField(*object, "version", "the report");
    report.request = stringField(*object, "request", "the report");
    const std::string status = stringField(*object, "status", "the report");
    bool known = false;
    for (const ReportStatus candidate :
         {ReportStatus::Applied, ReportStatus::Rejected, ReportStatus::Expired, ReportStatus::IgnoredStale}) {
        if (status == reportStatusName(candidate)) {
            report.status = candidate;
            known = true;
        }
    }
    if (!known)
        throw DocumentError("the report's status '" + status + "' is not one a gateway sends");
    report.appliedVersion = integerField(*object, "applied_version", "the report");
    if (const auto errors = object->getArray("errors")) {
        for (std::size_t i = 0; i < errors->size(); ++i) {
            const Object::Ptr error = errors->getObject(static_cast<unsigned>(i));
            if (error)
                report.errors.push_back({error->optValue<std::string>("section", ""),
                                         error->optValue<std::string>("key", ""),
                                         error->optValue<std::string>("message", "")});
        }
    }
    if (const auto time = parseIsoTime(object->optValue<std::string>("time", "")))
        report.time = *time;
    return report;
}

}  // namespace citysense
