// The JSON of the gateway configuration routes (GatewayConfigService.h): a gateway's documents and
// state as `citysense-ctl config show` gives them, and the changes a request body asks for,
//   {"driver.no2": {"interval": "5s"}, "driver.so2": {"enabled": false}, "filter.calm": {"absolute": null}}
// where a value is a string, number or boolean as the configuration file would have it, and null or ""
// drops the key (as `KEY=` does for citysense-ctl).
#pragma once

#include <remote-config-client/ConfigDocuments.h>

#include <engine/SignedDocument.h>

#include <Poco/JSON/Object.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace citysense::api {

/// A request body that is not a set of changes; the message says what is wrong.
class ChangesError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One change asked for: section, key, value ("" drops the key).
struct RequestedChange {
    std::string section;
    std::string key;
    std::string value;
};

/// The changes of a request body, in the body's order. Throws ChangesError: not a JSON object, no
/// change, a section that is not KIND.NAME, a key that is empty or not of one line, a value that is an
/// object or an array.
std::vector<RequestedChange> readChanges(const std::string& body);

/// {"gateway": ..., "state": "applied", "desired": {"version", "request", "expires", "changes"} or
/// {"unreadable": why} or null, "reported": {"version", "request", "status", "time", "applied_version",
/// "errors": [{"section", "key", "message"}]} or null}
Poco::JSON::Object::Ptr documentsJson(const std::string& gateway, const GatewayDocuments& documents);

/// The object's text.
std::string jsonText(const Poco::JSON::Object::Ptr& object);

}  // namespace citysense::api
