#include "ConnectionSettings.h"

#include <net/TcpAddress.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace citysense::mqtt {

OptionTable connectionOptions(const std::string& clientIdDescription) {
    return {
        Option::string("uri", "mqtts://localhost:8883",
                       "Broker address: tcp://, mqtt:// (plain) or ssl://, mqtts:// (TLS) host[:port] "
                       "([IPv6]:port); "
                       "several, comma-separated, are tried in turn when the one in use cannot be reached"),
        Option::string("client_id", "", clientIdDescription),
        Option::string("username", "", "User name at the broker (the gateway's identity)"),
        Option::secret("password", "Password at the broker"),
        Option::path("ca_file", "", "CA certificate(s) that signed the broker's; empty: the system's CAs"),
        Option::path("cert_file", "", "Client certificate (PEM), for brokers that ask for one"),
        Option::path("key_file", "", "Private key of cert_file (PEM)"),
        Option::string("tls_min_version", "1.2",
                       "Oldest TLS version accepted: only 1.2 (1.0 and 1.1 are refused); 1.3 is used when "
                       "the broker offers it"),
        Option::boolean("verify", "true", "Verify the broker's certificate and host name"),
        Option::choice("mqtt_version", {"3.1.1", "5"}, "3.1.1", "MQTT protocol version"),
        Option::duration("keepalive", "30s", "Keep-alive interval").range(1, 65535),
        Option::duration("connect_timeout", "10s", "Longest wait for the broker to accept a connection")
            .range(0.1, 600),
    };
}

std::string normalizeUri(const std::string& uri) {
    const std::size_t schemeEnd = uri.find("://");
    if (schemeEnd == std::string::npos)
        throw std::invalid_argument("'" + uri + "' has no scheme (tcp://, ssl://, mqtt:// or mqtts://)");
    const std::string scheme = uri.substr(0, schemeEnd);
    std::string address = uri.substr(schemeEnd + 3);
    bool tls = false;
    if (scheme == "ssl" || scheme == "mqtts")
        tls = true;
    else if (scheme != "tcp" && scheme != "mqtt")
        throw std::invalid_argument("unknown scheme '" + scheme + "' (tcp, ssl, mqtt or mqtts)");
    if (!address.empty() && address.back() == '/')
        address.pop_back();
    if (address.empty() || address.find_first_of("/ ") != std::string::npos)
        throw std::invalid_argument("'" + uri + "' is not scheme://host[:port]");
    try {
        const net::HostPort broker = net::splitHostPort(address, net::AddressUse::Connect, tls ? 8883 : 1883);
        return (tls ? "ssl://" : "tcp://") + net::joinHostPort(broker.host, broker.port);
    } catch (const std::invalid_argument& error) {
        throw std::invalid_argument("in '" + uri + "': " + error.what());
    }
}

namespace {

/// A string option that may have no value (its default is empty).
std::string optional(const Options& options, const std::string& key) {
    return options.has(key) ? options.getString(key) : std::string();
}

void checkReadable(const Options& options, const std::string& key) {
    const std::string path = optional(options, key);
    if (!path.empty() && !std::ifstream(path))
        throw OptionError(key, "cannot read '" + path + "'");
}

}  // namespace

ConnectionSettings readConnectionSettings(const Options& options, const std::string& anonymousClientId) {
    ConnectionSettings settings;
    try {
        std::vector<std::string> uris;
        std::istringstream list(options.getString("uri"));
        for (std::string uri; std::getline(list, uri, ',');) {
            uri.erase(0, uri.find_first_not_of(" \t"));
            uri.erase(uri.find_last_not_of(" \t") + 1);
            uris.push_back(normalizeUri(uri));
        }
        if (uris.empty())
            throw std::invalid_argument("no broker address");
        settings.uri = uris.front();
        settings.fallbackUris.assign(uris.begin() + 1, uris.end());
    } catch (const std::invalid_argument& error) {
        throw OptionError("uri", error.what());
    }
    for (const std::string& fallback : settings.fallbackUris)
        if (fallback.substr(0, 6) != settings.uri.substr(0, 6))
            throw OptionError("uri", "'" + options.getString("uri") +
                                         "' mixes plain and TLS brokers: give all ssl:// or all tcp://");
    settings.username = optional(options, "username");
    settings.clientId = optional(options, "client_id");
    if (settings.clientId.empty())
        settings.clientId = settings.username.empty() ? anonymousClientId : settings.username;
    settings.password = options.getSecret("password");
    if (!settings.password.empty() && settings.username.empty())
        throw OptionError("username", "a password is given but no username");
    const std::string& tlsVersion = options.getString("tls_min_version");
    if (tlsVersion == "1.0" || tlsVersion == "1.1")
        throw OptionError("tls_min_version", "TLS " + tlsVersion + " is refused: 1.2 is the oldest allowed");
    if (tlsVersion != "1.2")
        throw OptionError("tls_min_version", "'" + tlsVersion +
                                                 "' is not a TLS version this client sets: 1.2 "
                                                 "is the only one (1.3 is used when the broker offers it)");
    for (const char* key : {"ca_file", "cert_file", "key_file"})
        checkReadable(options, key);
    settings.caFile = optional(options, "ca_file");
    settings.certFile = optional(options, "cert_file");
    settings.keyFile = optional(options, "key_file");
    if (settings.certFile.empty() != settings.keyFile.empty())
        throw OptionError(settings.certFile.empty() ? "cert_file" : "key_file",
                          "cert_file and key_file go together");
    settings.verify = options.getBool("verify");
    settings.mqttVersion = options.getString("mqtt_version") == "5" ? kMqttV5 : kMqttV311;
    settings.keepAlive = std::chrono::seconds(options.getDuration("keepalive") / kMicrosPerSecond);
    settings.connectTimeout = std::chrono::milliseconds(options.getDuration("connect_timeout") / 1000);
    const bool tlsKeys = !settings.caFile.empty() || !settings.certFile.empty();
    if (!settings.tls() && tlsKeys)
        throw OptionError("uri", "TLS files are configured but '" + options.getString("uri") +
                                     "' is plain TCP (use ssl:// or mqtts://)");
    return settings;
}

std::string clientIdWarning(const ConnectionSettings& settings) {
    if (settings.username.empty() || settings.clientId == settings.username)
        return "";
    return "the client id '" + settings.clientId + "' is not the user name '" + settings.username +
           "': a broker that binds client ids to user names (use_username_as_clientid, as "
           "etc/mosquitto/mosquitto.conf does) uses '" +
           settings.username + "' instead";
}

}  // namespace citysense::mqtt
