#include "AdminSettings.h"

#include <engine/Ed25519Key.h>

#include <sys/stat.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace citysense::api {

namespace {

constexpr const char* kSection = "[admin]";

/// A string or path option whose default is empty, which then has no value.
std::string optional(const Options& options, const std::string& key) {
    return options.has(key) ? options.getString(key) : std::string();
}

/// Adds a problem when the key file is missing or readable by every user, as a password file would be.
void checkKeyFile(const std::string& path, std::vector<ConfigIssue>& issues) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) {
        issues.push_back({kSection, "signing_key", "cannot read '" + path + "': " + std::strerror(errno)});
        return;
    }
    if (status.st_mode & S_IROTH) {
        issues.push_back(
            {kSection, "signing_key", "'" + path + "' is readable by every user (chmod o-r it)"});
        return;
    }
    try {
        Ed25519Key::readPrivate(path);
    } catch (const KeyError& error) {
        issues.push_back({kSection, "signing_key", error.what()});
    }
}

}  // namespace

const OptionTable& adminOptions() {
    static const OptionTable table = {
        Option::boolean("remote_config", "false",
                        "Serve /v1.1/admin/gateways/SYSTEM/CITY/STREET/config to keys with the admin "
                        "scope: gateways' remote configuration, as citysense-ctl config show/set"),
        Option::string("uri", "mqtts://localhost:8883",
                       "The broker of the gateways' documents: ssl:// or mqtts:// (TLS), tcp:// or mqtt://"),
        Option::string("username", "", "The operator identity at the broker (tools/add-operator)"),
        Option::secret("password", "The operator identity's password"),
        Option::path("ca_file", "", "CA certificate(s) that signed the broker's; empty: the system's CAs"),
        Option::path("signing_key", "",
                     "The operator's Ed25519 private key (citysense-ctl config sign-key): mode 0600 or "
                     "0640, readable by the service's user"),
        Option::duration("connect_timeout", "5s", "Longest wait for the broker to accept a connection")
            .range(0.1, 60),
    };
    return table;
}

AdminSettings readAdminSettings(const ConfigDocument& document, std::vector<ConfigIssue>& issues) {
    static const std::map<std::string, std::string> empty;
    const ConfigSection* section = document.find("admin", "");
    std::vector<OptionIssue> found;
    const Options options = Options::parse(adminOptions(), section ? section->values : empty, found,
                                           std::filesystem::path(document.path).parent_path().string());
    for (const auto& issue : found)
        issues.push_back({kSection, issue.key, issue.message});
    AdminSettings settings;
    if (!found.empty() || !options.getBool("remote_config"))
        return settings;
    settings.remoteConfig = true;
    mqtt::ConnectionSettings& connection = settings.connection;
    try {
        connection.uri = mqtt::normalizeUri(options.getString("uri"));
    } catch (const std::invalid_argument& error) {
        issues.push_back({kSection, "uri", error.what()});
    }
    connection.username = optional(options, "username");
    if (connection.username.empty())
        issues.push_back({kSection, "username", "remote_config needs the operator identity's user name"});
    connection.clientId = connection.username;  // the broker binds client ids to user names
    try {
        connection.password = options.getSecret("password");
        if (connection.password.empty())
            issues.push_back(
                {kSection, "password_file", "remote_config needs the operator identity's password"});
    } catch (const OptionError& error) {
        issues.push_back({kSection, error.key(), error.what()});
    }
    connection.caFile = optional(options, "ca_file");
    std::error_code error;
    if (!connection.caFile.empty() && !std::filesystem::is_regular_file(connection.caFile, error))
        issues.push_back({kSection, "ca_file", "no such file: " + connection.caFile});
    if (!connection.caFile.empty() && !connection.uri.empty() && !connection.tls())
        issues.push_back({kSection, "uri", "a ca_file is given but the uri is plain TCP (use mqtts://)"});
    connection.mqttVersion = MQTTVERSION_5;  // so that a publish the broker refuses says so
    connection.connectTimeout = std::chrono::milliseconds(options.getDuration("connect_timeout") / 1000);
    settings.signingKey = optional(options, "signing_key");
    if (settings.signingKey.empty())
        issues.push_back({kSection, "signing_key", "remote_config needs the operator's private key"});
    else
        checkKeyFile(settings.signingKey, issues);
    return settings;
}

}  // namespace citysense::api
