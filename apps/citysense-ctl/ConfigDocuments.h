// The operator's view of a gateway's remote configuration at the broker: the retained desired and
// reported documents (engine/RemoteConfig.h), read and written as the operator's MQTT identity.
#pragma once

#include <engine/SignedDocument.h>
#include <mqtt-client/Connection.h>

#include <optional>
#include <string>

namespace citysense {

struct GatewayDocuments {
    std::optional<std::string> desired;  ///< the envelope as retained
    std::optional<ReportedDocument> reported;
};

/// Reads the retained documents of `gateway` ("system/city/street"), waiting at most `patience` for
/// them (a retained message arrives at once, or there is none). Throws std::runtime_error.
GatewayDocuments readGatewayDocuments(mqtt::Client& client, const std::string& gateway,
                                      std::chrono::milliseconds patience);

/// Publishes `envelope` as the retained desired document of `gateway` at QoS 1 and waits for the
/// broker's acknowledgement. Throws std::runtime_error, saying so when the broker refuses it.
void publishDesired(mqtt::Client& client, const std::string& gateway, const std::string& envelope);

/// "pending", "applied", "rejected", "expired", "ignored-stale" or "none": where the gateway is with
/// the desired document.
std::string stateOf(const GatewayDocuments& documents);

}  // namespace citysense
