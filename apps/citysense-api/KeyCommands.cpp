#include "KeyCommands.h"

#include "KeyFile.h"

#include <citysense/Options.h>

#include <Poco/NumberParser.h>
#include <Poco/Util/Application.h>

#include <algorithm>
#include <iomanip>
#include <memory>
#include <stdexcept>

namespace citysense::api {

namespace {

using App = Poco::Util::Application;

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items)
        text += (text.empty() ? "" : ",") + item;
    return text;
}

/// "2027-01-01T00:00:00Z", or a duration from now ("90d").
Micros expiryOf(const std::string& text, Micros now) {
    if (const auto time = parseIsoTime(text))
        return *time;
    return now + parseDuration(text);
}

/// The key `options` describe, named `name`, hashed from `key`.
ApiKey keyFrom(const std::string& name, const std::string& key,
               const std::map<std::string, std::string>& options) {
    const auto option = [&](const char* option) {
        const auto found = options.find(option);
        return found == options.end() ? std::string() : found->second;
    };
    ApiKey made;
    made.name = name;
    made.hash = hashKey(key);
    made.created = nowMicros();
    made.scopes = parseScopes(option("scopes"));
    made.stations = splitList(option("stations"));
    for (const std::string& pattern : made.stations) {
        if (!isStationPattern(pattern))
            throw std::invalid_argument("--stations: '" + pattern +
                                        "' is not a station pattern (system/city/street, * and ? in a part)");
    }
    if (!option("expires").empty()) {
        try {
            made.expires = expiryOf(option("expires"), made.created);
        } catch (const std::invalid_argument& error) {
            throw std::invalid_argument("--expires: not an ISO 8601 time nor a duration: " +
                                        std::string(error.what()));
        }
    }
    if (!option("rate").empty())
        made.rate = parseRateLimit(option("rate"));
    if (!option("max-streams").empty()) {
        Poco::UInt64 most = 0;
        if (!Poco::NumberParser::tryParseUnsigned64(option("max-streams"), most) || most < 1 || most > 100000)
            throw std::invalid_argument("--max-streams: '" + option("max-streams") +
                                        "' is not a number of streams (1 to 100000)");
        made.maxStreams = static_cast<int>(most);
    }
    return made;
}

void list(const std::vector<ApiKey>& keys, std::ostream& out) {
    const Micros now = nowMicros();
    out << std::left << std::setw(20) << "NAME" << std::setw(26) << "SCOPES" << std::setw(28) << "STATIONS"
        << std::setw(30) << "EXPIRES" << std::setw(18) << "RATE"
        << "CREATED\n";
    for (const ApiKey& key : keys) {
        const std::string expires =
            key.expires ? formatIsoTime(*key.expires) + (key.expiredAt(now) ? " (expired)" : "") : "never";
        out << std::setw(20) << key.name << std::setw(26) << joined(scopeNames(key.scopes)) << std::setw(28)
            << (key.stations.empty() ? "all" : joined(key.stations)) << std::setw(30) << expires
            << std::setw(18) << (key.rate ? formatRateLimit(*key.rate) : "default")
            << formatIsoTime(key.created) << "\n";
    }
}

}  // namespace

int runKeyCommand(const std::vector<std::string>& arguments,
                  const std::map<std::string, std::string>& options, const std::string& path,
                  std::ostream& out, std::ostream& err) {
    const std::string command = arguments.size() > 1 ? arguments[1] : "";
    const bool named = command == "add" || command == "revoke";
    if ((command != "list" && !named) || arguments.size() != (named ? 3u : 2u)) {
        err << "citysense-api: use keys add NAME --scopes LIST [--stations LIST] [--expires TIME] [--rate "
               "LIMIT] [--max-streams N], "
               "keys list, or keys revoke NAME\n";
        return App::EXIT_USAGE;
    }
    if (path.empty()) {
        err << "citysense-api: the configuration names no keys_file in [api]\n";
        return App::EXIT_CONFIG;
    }
    std::unique_ptr<KeyFileLock> lock;
    std::vector<ApiKey> keys;
    try {
        lock = std::make_unique<KeyFileLock>(path);
        keys = readKeyFile(path);
    } catch (const std::runtime_error& error) {
        err << "citysense-api: " << error.what() << "\n";
        return App::EXIT_CONFIG;
    }
    if (command == "list") {
        list(keys, out);
        return App::EXIT_OK;
    }
    const std::string& name = arguments[2];
    const auto existing =
        std::find_if(keys.begin(), keys.end(), [&](const ApiKey& key) { return key.name == name; });
    std::string key;
    if (command == "revoke") {
        if (existing == keys.end()) {
            err << "citysense-api: no key named '" << name << "' in " << path << "\n";
            return App::EXIT_USAGE;
        }
        keys.erase(existing);
    } else {
        if (!isKeyName(name)) {
            err << "citysense-api: '" << name
                << "' cannot name a key (1 to 64 letters, digits, '.', '_', '-')\n";
            return App::EXIT_USAGE;
        }
        if (existing != keys.end()) {
            err << "citysense-api: there is a key named '" << name << "' already (revoke it first)\n";
            return App::EXIT_USAGE;
        }
        key = newKey();
        try {
            keys.push_back(keyFrom(name, key, options));
        } catch (const std::invalid_argument& error) {
            err << "citysense-api: " << error.what() << "\n";
            return App::EXIT_USAGE;
        }
    }
    try {
        writeKeyFile(path, keys);
    } catch (const std::runtime_error& error) {
        err << "citysense-api: " << error.what() << "\n";
        return App::EXIT_CANTCREAT;
    }
    if (command == "add") {
        err << "citysense-api: added '" << name << "'; its key, shown this once:\n";
        out << key << "\n";
    } else
        out << "revoked '" << name << "': refused from the service's next request on\n";
    return App::EXIT_OK;
}

}  // namespace citysense::api
