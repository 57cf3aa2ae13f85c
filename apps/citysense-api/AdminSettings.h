// The [admin] section of citysense-api's configuration: whether the admin routes configure gateways
// (GatewayConfigService.h), the operator identity's broker connection, and the operator's signing key.
// Off by default; the section is read whole, every problem named by section and key.
#pragma once

#include <engine/Config.h>
#include <mqtt-client/Connection.h>

#include <citysense/Options.h>

#include <string>
#include <vector>

namespace citysense::api {

struct AdminSettings {
    bool remoteConfig = false;            ///< the gateway configuration routes answer; else 404
    mqtt::ConnectionSettings connection;  ///< the operator identity's, MQTT 5
    std::string signingKey;               ///< the operator's Ed25519 private key (PEM)
};

/// The option table of [admin].
const OptionTable& adminOptions();

/// Reads [admin] of `document` (none: off); every problem goes to `issues`. With remote_config on it
/// checks what it can without the broker: a user name, a password, the key readable, private, Ed25519
/// and not readable by every user, the CA file there.
AdminSettings readAdminSettings(const ConfigDocument& document, std::vector<ConfigIssue>& issues);

}  // namespace citysense::api
