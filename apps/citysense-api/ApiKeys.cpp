#include "ApiKeys.h"

#include <citysense/Options.h>

#include <Poco/Base64Encoder.h>
#include <Poco/Glob.h>
#include <Poco/StringTokenizer.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace citysense::api {

namespace {

constexpr std::array<std::pair<Scope, const char*>, 3> kScopeNames = {{
    {kLiveRead, "live:read"},
    {kHistoryRead, "history:read"},
    {kAdmin, "admin"},
}};

constexpr const char* kKeyPrefix = "csk_";
constexpr std::size_t kKeyBytes = 32;

std::vector<std::string> parts(const std::string& path) {
    Poco::StringTokenizer tokens(path, "/", Poco::StringTokenizer::TOK_TRIM);
    return {tokens.begin(), tokens.end()};
}

}  // namespace

Scopes parseScopes(const std::string& text) {
    Scopes scopes = 0;
    for (const std::string& name : splitList(text)) {
        Scopes found = 0;
        for (const auto& [scope, known] : kScopeNames) {
            if (name == known)
                found = scope;
        }
        if (found == 0)
            throw std::invalid_argument("unknown scope '" + name + "' (live:read, history:read, admin)");
        scopes |= found;
    }
    if (scopes == 0)
        throw std::invalid_argument("no scope given (live:read, history:read, admin)");
    return scopes;
}

std::vector<std::string> scopeNames(Scopes scopes) {
    std::vector<std::string> names;
    for (const auto& [scope, name] : kScopeNames) {
        if (scopes & scope)
            names.emplace_back(name);
    }
    return names;
}

bool isKeyName(const std::string& name) {
    return !name.empty() && name.size() <= 64 &&
           name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
               std::string::npos;
}

bool isStationPattern(const std::string& pattern) {
    const std::vector<std::string> split = parts(pattern);
    if (split.empty() || split.size() > 3 || pattern.front() == '/' || pattern.back() == '/')
        return false;
    for (const std::string& part : split) {
        if (part.empty())
            return false;
    }
    return true;
}

bool matchesStation(const std::string& pattern, const std::string& system, const std::string& city,
                    const std::string& street) {
    const std::vector<std::string> split = parts(pattern);
    const std::array<const std::string*, 3> station = {&system, &city, &street};
    for (std::size_t at = 0; at < split.size() && at < station.size(); ++at) {
        if (!Poco::Glob(split[at]).match(*station[at]))
            return false;
    }
    return !split.empty();
}

std::string newKey() {
    std::array<unsigned char, kKeyBytes> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (got < 0 && errno != EINTR)
            throw std::system_error(errno, std::generic_category(), "getrandom");
        if (got > 0)
            filled += static_cast<std::size_t>(got);
    }
    std::ostringstream text;
    {
        Poco::Base64Encoder encoder(text, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
        encoder.rdbuf()->setLineLength(0);
        encoder.write(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<std::streamsize>(bytes.size()));
        encoder.close();
    }
    return kKeyPrefix + text.str();
}

std::string hashKey(const std::string& key) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned length = 0;
    if (EVP_Digest(key.data(), key.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    static const char* kHex = "0123456789abcdef";
    std::string hex;
    for (unsigned at = 0; at < length; ++at) {
        hex += kHex[digest[at] >> 4];
        hex += kHex[digest[at] & 0xf];
    }
    return hex;
}

const ApiKey* findKey(const std::vector<ApiKey>& keys, const std::string& presented) {
    const std::string hash = hashKey(presented);
    const ApiKey* found = nullptr;
    for (const ApiKey& key : keys) {
        if (key.hash.size() == hash.size() && CRYPTO_memcmp(key.hash.data(), hash.data(), hash.size()) == 0)
            found = &key;
    }
    return found;
}

}  // namespace citysense::api
