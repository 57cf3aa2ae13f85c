// `citysense-api -c FILE keys ...`: the operator's commands on the keys file the configuration names.
//   keys add NAME --scopes LIST [--stations LIST] [--expires TIME|DURATION] [--rate LIMIT]
//                [--max-streams N]
//                 makes a key and prints it, the only time it is ever shown
//   keys list     every key's name, scopes, stations, expiry and rate (never a key: none is kept)
//   keys revoke NAME
// A running service sees the change on its next request.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace citysense::api {

/// Runs `arguments` ("keys", "add", "NAME") on the keys file `path`, with the options given by name
/// ("scopes", "stations", "expires", "rate", "max-streams"); prints to `out`, problems to `err`. The exit
/// code (0 when it succeeded, 64 for a usage error, 73 when the file cannot be written, 78 when it cannot be
/// read).
int runKeyCommand(const std::vector<std::string>& arguments,
                  const std::map<std::string, std::string>& options, const std::string& path,
                  std::ostream& out, std::ostream& err);

}  // namespace citysense::api
