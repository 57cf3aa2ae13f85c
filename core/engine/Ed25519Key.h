// An Ed25519 key (OpenSSL 3): the operator's, which signs remote configuration documents
// (citysense-ctl config sign-key / set), or its public half, which a gateway verifies them with
// ([host] remote_config_key). Keys are PEM files: PKCS#8 for the private key, SubjectPublicKeyInfo
// for the public one, as `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout` write them.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

typedef struct evp_pkey_st EVP_PKEY;

namespace citysense {

/// A key cannot be made, read, written or used; the message says which file and why.
class KeyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Ed25519Key {
public:
    /// A new key pair.
    static Ed25519Key generate();
    /// The private key in the PEM file at `path`.
    static Ed25519Key readPrivate(const std::string& path);
    /// The public key in the PEM file at `path`: it can verify, not sign.
    static Ed25519Key readPublic(const std::string& path);

    /// Writes the private key to `path`, mode 0600, refusing to replace a file there.
    void writePrivate(const std::string& path) const;
    /// Writes the public key to `path`, mode 0644.
    void writePublic(const std::string& path) const;

    /// The 64-byte signature of `message`. Throws KeyError for a public key.
    std::string sign(const std::string& message) const;
    /// True if `signature` is this key's signature of `message`.
    bool verify(const std::string& message, const std::string& signature) const;

private:
    Ed25519Key(EVP_PKEY* key, bool isPrivate);

    struct Free {
        void operator()(EVP_PKEY* key) const;
    };
    std::unique_ptr<EVP_PKEY, Free> _key;
    bool _private;
};

}  // namespace citysense
