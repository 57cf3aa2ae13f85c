// The remote configuration documents (DESIGN.md, Remote configuration): the operator's desired
// document, signed with the operator's Ed25519 key, and the gateway's reported answer. On the wire a
// desired document is an envelope, {"document": TEXT, "signature": BASE64}: the signature is over the
// exact bytes of TEXT, so nothing has to be made canonical, and TEXT is read only once it verifies:
//   {"gateway": "hypo_city/city_01/street_01", "version": 7, "request": "5f0c...",
//    "expires": "2026-12-07T10:00:00Z",
//    "changes": {"driver.no2": {"interval": "5s"}, "driver.so2": {"enabled": "false"}}}
// `changes` is the whole of what the operator sets remotely, as sections and keys of the ordinary
// configuration; a later version replaces it, it does not add to it.
#pragma once

#include "Ed25519Key.h"

#include <citysense/Time.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense {

/// The largest envelope a gateway reads: far more than any real set of changes.
constexpr std::size_t kMaxSignedDocumentBytes = 64 * 1024;

/// An envelope is malformed, too large, unsigned or wrongly signed, or its document lacks a field.
class DocumentError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Sections ("driver.no2") to keys ("interval", "no2.absolute") to values, as written in an INI file.
using RemoteChanges = std::map<std::string, std::map<std::string, std::string>>;

struct DesiredDocument {
    std::string gateway;  ///< the station, "system/city/street": a document for one gateway only
    std::int64_t version = 0;
    std::string request;  ///< the operator's id for this request, echoed in the report
    Micros expires = 0;
    RemoteChanges changes;

    /// The document's JSON text, as signDocument() signs it.
    std::string toJson() const;
};

/// The envelope of `document`, signed with the operator's private `key`.
std::string signDocument(const DesiredDocument& document, const Ed25519Key& key);

/// The document of `envelope` once its signature verifies with `key`. Throws DocumentError.
DesiredDocument openSignedDocument(const std::string& envelope, const Ed25519Key& key);

/// The document of `envelope` without checking its signature: for showing it, never for applying it.
DesiredDocument readUnverifiedDocument(const std::string& envelope);

/// What a gateway did with a desired document.
enum class ReportStatus { Applied, Rejected, Expired, IgnoredStale };

/// "applied", "rejected", "expired", "ignored-stale".
const char* reportStatusName(ReportStatus status);

/// One problem with a document, by section and key when it concerns one.
struct ReportError {
    std::string section;  ///< "[driver.no2]"; empty for the document as a whole
    std::string key;
    std::string message;
};

/// The gateway's answer, published retained on its reported topic.
struct ReportedDocument {
    std::string gateway;
    std::int64_t version = 0;  ///< of the desired document this answers; 0 when it could not be read
    std::string request;
    ReportStatus status = ReportStatus::Rejected;
    std::int64_t appliedVersion = 0;  ///< the version the gateway runs; 0: none applied
    std::vector<ReportError> errors;
    Micros time = 0;

    std::string toJson() const;
    /// Throws DocumentError.
    static ReportedDocument fromJson(const std::string& text);
};

}  // namespace citysense
