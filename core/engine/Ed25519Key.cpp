#include "Ed25519Key.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>

namespace citysense {

namespace {

/// OpenSSL's reason for the last failure, for messages.
std::string openSslError() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return "unknown OpenSSL error";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

struct CloseFile {
    void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, CloseFile>;

struct FreeContext {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, FreeContext>;

File openForReading(const std::string& path) {
    File file(std::fopen(path.c_str(), "r"));
    if (!file)
        throw KeyError(path + ": cannot be read");
    return file;
}

/// Creates `path` with `mode`, failing if it exists (`exclusive`) so a key is never overwritten.
File createFile(const std::string& path, mode_t mode, bool exclusive) {
    const int descriptor =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), mode);
    if (descriptor < 0)
        throw KeyError(
            path + (exclusive && errno == EEXIST ? ": exists already; not replaced" : ": cannot be created"));
    ::fchmod(descriptor, mode);
    File file(::fdopen(descriptor, "w"));
    if (!file) {
        ::close(descriptor);
        throw KeyError(path + ": cannot be written");
    }
    return file;
}

}  // namespace

void Ed25519Key::Free::operator()(EVP_PKEY* key) const {
    EVP_PKEY_free(key);
}

Ed25519Key::Ed25519Key(EVP_PKEY* key, bool isPrivate) : _key(key), _private(isPrivate) {}

Ed25519Key Ed25519Key::generate() {
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!key)
        throw KeyError("cannot make an Ed25519 key: " + openSslError());
    return Ed25519Key(key, true);
}

Ed25519Key Ed25519Key::readPrivate(const std::string& path) {
    const File file = openForReading(path);
    EVP_PKEY* key = PEM_read_PrivateKey(file.get(), nullptr, nullptr, nullptr);
    if (!key)
        throw KeyError(path + ": not a PEM private key: " + openSslError());
    Ed25519Key result(key, true);
    if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519)
        throw KeyError(path + ": not an Ed25519 key");
    return result;
}

Ed25519Key Ed25519Key::readPublic(const std::string& path) {
    const File file = openForReading(path);
    EVP_PKEY* key = PEM_read_PUBKEY(file.get(), nullptr, nullptr, nullptr);
    if (!key)
        throw KeyError(path + ": not a PEM public key: " + openSslError());
    Ed25519Key result(key, false);
    if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519)
        throw KeyError(path + ": not an Ed25519 key");
    return result;
}

void Ed25519Key::writePrivate(const std::string& path) const {
    if (!_private)
        throw KeyError(path + ": this is a public key; there is no private key to write");
    const File file = createFile(path, 0600, true);
    if (!PEM_write_PrivateKey(file.get(), _key.get(), nullptr, nullptr, 0, nullptr, nullptr) ||
        std::fflush(file.get()) != 0)
        throw KeyError(path + ": cannot be written: " + openSslError());
}

void Ed25519Key::writePublic(const std::string& path) const {
    const File file = createFile(path, 0644, false);
    if (!PEM_write_PUBKEY(file.get(), _key.get()) || std::fflush(file.get()) != 0)
        throw KeyError(path + ": cannot be written: " + openSslError());
}

std::string Ed25519Key::sign(const std::string& message) const {
    if (!_private)
        throw KeyError("a public key cannot sign");
    const DigestContext context(EVP_MD_CTX_new());
    std::string signature(64, '\0');
    std::size_t length = signature.size();
    if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, _key.get()) != 1 ||
        EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
        throw KeyError("cannot sign: " + openSslError());
    signature.resize(length);
    return signature;
}

bool Ed25519Key::verify(const std::string& message, const std::string& signature) const {
    const DigestContext context(EVP_MD_CTX_new());
    const bool valid =
        context && EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, _key.get()) == 1 &&
        EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                         signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                         message.size()) == 1;
    ERR_clear_error();
    return valid;
}

}  // namespace citysense
