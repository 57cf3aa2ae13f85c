// Why a TLS handshake fails. paho reports only "TCP/TLS connect failure", so after a failed connect
// the client repeats the handshake itself with the same CA, certificate and checks, and reports
// OpenSSL's reason ("certificate verify failed: unable to get local issuer certificate").
#pragma once

#include "Connection.h"

#include <string>

namespace citysense::mqtt {

/// Shakes hands with `host:port` as the settings say; the reason it fails, or a note that it worked.
std::string tlsHandshakeProblem(const std::string& address, const ConnectionSettings& settings);

}  // namespace citysense::mqtt
