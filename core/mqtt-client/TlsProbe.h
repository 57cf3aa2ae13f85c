// Why a connection to a broker fails below MQTT. The MQTT libraries report only "TCP/TLS connect
// failure" or "connection lost", so after a failed connect the client connects again itself: a plain
// connect tells a closed port from a broker that hung up, and for TLS it repeats the handshake with the
// same CA, certificate and checks, and reports OpenSSL's reason ("certificate verify failed: unable to
// get local issuer certificate").
#pragma once

#include "ConnectionSettings.h"

#include <string>

namespace citysense::mqtt {

/// Shakes hands with `host:port` as the settings say; the reason it fails, or a note that it worked.
std::string tlsHandshakeProblem(const std::string& address, const ConnectionSettings& settings);

/// Why a connection to `uri` (tcp://host:port or ssl://host:port) failed before the broker answered:
/// "cannot reach 127.0.0.1:1883: ...", "TLS: certificate verify failed: ...", or that the broker
/// closed a plain connection (a TLS port?).
std::string transportProblem(const std::string& uri, const ConnectionSettings& settings);

}  // namespace citysense::mqtt
