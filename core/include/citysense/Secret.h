// Reading a secret (a password) from a file or from the environment, the one way every citysense
// program does: Secret options (Options::getSecret) and citysense-sub's --pw-file. Messages name the
// file or the variable, never the secret.
#pragma once

#include <string>

namespace citysense {

/// The first line of the file at `path`, without its line end ("\n" or "\r\n"). Throws
/// std::runtime_error naming the file when it cannot be read, is readable by every user (a secret
/// belongs to its owner and the service's group), or its first line is empty.
std::string readSecretFile(const std::string& path);

/// The value of the environment variable `variable`. Throws std::runtime_error naming the variable
/// when it is unset or empty.
std::string readSecretVariable(const std::string& variable);

}  // namespace citysense
