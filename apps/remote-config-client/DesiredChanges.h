// The operator's next desired document for a gateway, as `citysense-ctl config set` and citysense-api's
// POST /v1.1/admin/gateways/.../config build it: the changes of the current desired document (taken only
// from a document the operator's key signed) with the new ones on top, one version newer than any the
// gateway has seen, a fresh request id, an expiry; and the wait for the gateway's report on it.
#pragma once

#include "ConfigDocuments.h"

#include <engine/Ed25519Key.h>
#include <engine/SignedDocument.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace citysense {

/// The document the changes go on: with `replace`, or without a current desired document, none;
/// otherwise the current one, which must verify with `key` (else whoever could write at the broker
/// would have the operator sign their changes). Throws std::runtime_error saying it cannot be built on.
DesiredDocument currentDesired(const GatewayDocuments& current, const Ed25519Key& key, bool replace);

/// Sets `key` of `section` ("driver.no2") to `value`; an empty value drops the key (and a section left
/// without keys).
void setChange(RemoteChanges& changes, const std::string& section, const std::string& key,
               const std::string& value);

/// Makes `document` (from currentDesired(), changed) the one to publish for `gateway`: `version`, or
/// when it is 0 one newer than the current document and every version the gateway reported; a new
/// random request id; an expiry `lifetime` from now. Throws std::runtime_error when the next version
/// would come too close to the largest.
void stampDesired(DesiredDocument& document, const GatewayDocuments& current, const std::string& gateway,
                  std::int64_t version, Micros lifetime);

/// The documents once the gateway has decided on the desired one (stateOf() is not "pending"), or as
/// they are when `patience` has passed. Throws std::runtime_error, as readGatewayDocuments does.
GatewayDocuments awaitReport(mqtt::Client& client, const std::string& gateway,
                             std::chrono::milliseconds patience);

}  // namespace citysense
