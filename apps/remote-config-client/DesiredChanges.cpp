#include "DesiredChanges.h"

#include <openssl/rand.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace citysense {

namespace {

std::string randomRequestId() {
    unsigned char bytes[12];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("no random bytes for a request id");
    static const char digits[] = "0123456789abcdef";
    std::string id;
    for (const unsigned char byte : bytes) {
        id += digits[byte >> 4];
        id += digits[byte & 15];
    }
    return id;
}

}  // namespace

DesiredDocument currentDesired(const GatewayDocuments& current, const Ed25519Key& key, bool replace) {
    if (!current.desired || replace)
        return {};
    try {
        return openSignedDocument(*current.desired, key);
    } catch (const DocumentError& error) {
        throw std::runtime_error("the current desired document cannot be built on (" +
                                 std::string(error.what()) +
                                 "): check how it got there, then start from nothing (citysense-ctl "
                                 "--replace, ?replace=true in citysense-api)");
    }
}

void setChange(RemoteChanges& changes, const std::string& section, const std::string& key,
               const std::string& value) {
    if (!value.empty()) {
        changes[section][key] = value;
        return;
    }
    const auto found = changes.find(section);
    if (found == changes.end())
        return;
    found->second.erase(key);
    if (found->second.empty())
        changes.erase(found);
}

void stampDesired(DesiredDocument& document, const GatewayDocuments& current, const std::string& gateway,
                  std::int64_t version, Micros lifetime) {
    if (current.reported)
        document.version =
            std::max({document.version, current.reported->version, current.reported->appliedVersion});
    if (version == 0 && document.version >= std::numeric_limits<std::int64_t>::max() / 2)
        throw std::runtime_error("version " + std::to_string(document.version) +
                                 " seen: too large to count on from (give --version)");
    document.version = version > 0 ? version : document.version + 1;
    document.gateway = gateway;
    document.request = randomRequestId();
    document.expires = nowMicros() + lifetime;
}

GatewayDocuments awaitReport(mqtt::Client& client, const std::string& gateway,
                             std::chrono::milliseconds patience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    GatewayDocuments documents;
    do {
        documents = readGatewayDocuments(client, gateway, std::chrono::milliseconds(500));
    } while (stateOf(documents) == "pending" && std::chrono::steady_clock::now() < deadline);
    return documents;
}

}  // namespace citysense
