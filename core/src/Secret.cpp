#include <citysense/Secret.h>

#include <sys/stat.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace citysense {

std::string readSecretFile(const std::string& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0)
        throw std::runtime_error("cannot read '" + path + "': " + std::strerror(errno));
    if (status.st_mode & S_IROTH)
        throw std::runtime_error("'" + path + "' is readable by every user (chmod o-r it)");
    std::ifstream file(path);
    if (!file)
        throw std::runtime_error("cannot read '" + path + "': " + std::strerror(errno));
    std::string secret;
    std::getline(file, secret);
    if (!secret.empty() && secret.back() == '\r')
        secret.pop_back();
    if (secret.empty())
        throw std::runtime_error("'" + path + "' is empty (the secret is its first line)");
    return secret;
}

std::string readSecretVariable(const std::string& variable) {
    const char* value = std::getenv(variable.c_str());
    if (!value || !*value)
        throw std::runtime_error("environment variable " + variable + " is not set");
    return value;
}

}  // namespace citysense
