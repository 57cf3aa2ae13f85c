// A real Mosquitto for tests, configured as tools/broker configures it for development (TLS on a
// loopback port with the project's certificates, passwords, the ACL and client ids bound to user names
// from etc/mosquitto), in a temporary directory of its own; the destructor stops it and removes the
// directory. stop() saves the broker's persistence file (SIGTERM); start() starts it again on the same
// ports with that state.
#pragma once

#include "BackgroundServer.h"

#include <string>
#include <vector>

namespace citysense::test {

/// What a client needs to connect as one provisioned identity.
struct BrokerCredentials {
    std::string username;
    std::string password;
    std::string passwordFile;  ///< holds the password alone (mode 0600)
    std::string certFile;      ///< the identity's client certificate, signed by the test CA
    std::string keyFile;
};

class Broker : public BackgroundServer {
public:
    struct Settings {
        bool plainListener = false;  ///< also a plain-TCP listener (same passwords and ACL) on plainPort()
        bool persistence = true;     ///< sessions and queued QoS 1/2 messages survive stop() + start()
    };

    /// Makes the certificates (tools/make-certs) and starts the broker (tools/broker) on free ports.
    Broker();
    explicit Broker(Settings settings);

    unsigned tlsPort() const;
    unsigned plainPort() const;    ///< 0 without a plain listener
    std::string tlsUri() const;    ///< "ssl://127.0.0.1:<tlsPort>"
    std::string plainUri() const;  ///< "tcp://127.0.0.1:<plainPort>"
    std::string caFile() const;
    /// The keys with which a citysense MQTT client (an mqtt sink, mqtt_source, citysense-api's [live] or
    /// [admin]) logs in over TLS as `identity`: uri, username, password_file and ca_file, a line each.
    std::string clientKeys(const BrokerCredentials& identity) const;

    /// Provisions a gateway with the project's provisioning command, as gw_<city>_<street>: may publish
    /// under `system/city/street/#` only. Reloads a running broker.
    BrokerCredentials addGateway(const std::string& system, const std::string& city,
                                 const std::string& street);
    /// The same with a given password, e.g. the one another broker gave the gateway: one identity on
    /// two brokers, as a gateway that fails over between them needs.
    BrokerCredentials addGateway(const std::string& system, const std::string& city,
                                 const std::string& street, const std::string& password);

    /// Provisions a reader allowed to subscribe to `filter` (e.g. "hypo_city/#"). Reloads a running broker.
    BrokerCredentials addSubscriber(const std::string& name, const std::string& filter);

    /// Provisions the operator (tools/add-operator): may write every gateway's desired configuration
    /// and read every gateway's documents under config/. Reloads a running broker.
    BrokerCredentials addOperator(const std::string& name);

private:
    /// Runs the provisioning `command` for `user`; once a running broker lets the user in on `filter`,
    /// the user's credentials.
    BrokerCredentials provision(std::vector<std::string> command, const std::string& user,
                                const std::string& filter);
    /// Waits until the broker lets `credentials` connect: provisioning reloads it with SIGHUP, which it
    /// handles in its own time.
    void waitForLogin(const BrokerCredentials& credentials, const std::string& filter) const;

    Settings _settings;
    unsigned _tlsPort = 0;
    unsigned _plainPort = 0;
};

}  // namespace citysense::test
