// What a gateway reads from the broker for remote configuration, where anyone who can publish there
// (a compromised broker) may write anything: the desired document's envelope, opened with a key that
// did not sign it (so only the parsing before the signature check runs, as for a forgery), read again
// unverified (as citysense-ctl shows it), and a reported document. Each either parses or throws
// DocumentError; nothing else may come out.
#include <engine/Ed25519Key.h>
#include <engine/SignedDocument.h>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const citysense::Ed25519Key key = citysense::Ed25519Key::generate();
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        citysense::openSignedDocument(text, key);
    } catch (const citysense::DocumentError&) {
    }
    try {
        citysense::readUnverifiedDocument(text);
    } catch (const citysense::DocumentError&) {
    }
    try {
        citysense::ReportedDocument::fromJson(text);
    } catch (const citysense::DocumentError&) {
    }
    return 0;
}
