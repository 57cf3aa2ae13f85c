// Readiness and reload notifications to systemd (Type=notify), without linking libsystemd: one
// datagram to the socket systemd names in $NOTIFY_SOCKET.
#pragma once

#include <string>

namespace citysense {

/// Sends `state` (e.g. "READY=1", "RELOADING=1", "STOPPING=1"); does nothing outside systemd.
void notifySystemd(const std::string& state);

}  // namespace citysense
