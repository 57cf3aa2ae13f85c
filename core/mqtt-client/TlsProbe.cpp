#include "TlsProbe.h"

#include <net/TcpAddress.h>
#include <net/TcpConnection.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <memory>

namespace citysense::mqtt {

namespace {

struct ContextFree {
    void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
struct SslFree {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
};

std::string lastOpenSslError() {
    unsigned long code = 0;
    for (unsigned long next; (next = ERR_get_error()) != 0;)
        code = next;
    if (code == 0)
        return "the broker closed the connection during the handshake (is it a TLS port?)";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

}  // namespace

std::string tlsHandshakeProblem(const std::string& address, const ConnectionSettings& settings) {
    ERR_clear_error();
    std::unique_ptr<SSL_CTX, ContextFree> context(SSL_CTX_new(TLS_client_method()));
    if (!context)
        return lastOpenSslError();
    SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(context.get(), kTls12Ciphers);
    const bool loaded = settings.caFile.empty() ? SSL_CTX_set_default_verify_paths(context.get()) == 1
                                                : SSL_CTX_load_verify_locations(
                                                      context.get(), settings.caFile.c_str(), nullptr) == 1;
    if (!loaded)
        return "cannot load CA file '" + settings.caFile + "': " + lastOpenSslError();
    if (!settings.certFile.empty() &&
        (SSL_CTX_use_certificate_chain_file(context.get(), settings.certFile.c_str()) != 1 ||
         SSL_CTX_use_PrivateKey_file(context.get(), settings.keyFile.c_str(), SSL_FILETYPE_PEM) != 1))
        return "cannot load client certificate '" + settings.certFile + "' or key '" + settings.keyFile +
               "': " + lastOpenSslError();
    SSL_CTX_set_verify(context.get(), settings.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);

    std::unique_ptr<net::TcpConnection> connection;
    try {
        connection = std::make_unique<net::TcpConnection>(address, std::chrono::seconds(5));
        connection->setTimeouts(std::chrono::seconds(5));
    } catch (const std::exception& error) {
        return "cannot reach " + address + ": " + error.what();
    }
    std::unique_ptr<SSL, SslFree> ssl(SSL_new(context.get()));
    SSL_set_fd(ssl.get(), connection->fd());
    const std::string host = net::splitHostPort(address, net::AddressUse::Connect).host;  // it connected
    if (settings.verify) {
        X509_VERIFY_PARAM* checks = SSL_get0_param(ssl.get());
        // An address is checked against the certificate's IP entries, a name against its DNS entries.
        if (X509_VERIFY_PARAM_set1_ip_asc(checks, host.c_str()) != 1)
            X509_VERIFY_PARAM_set1_host(checks, host.c_str(), 0);
    }
    SSL_set_tlsext_host_name(ssl.get(), host.c_str());
    if (SSL_connect(ssl.get()) == 1)
        return "the handshake succeeds when tried again (the broker may have been busy)";
    const long verification = SSL_get_verify_result(ssl.get());
    if (verification != X509_V_OK)
        return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verification);
    return lastOpenSslError();
}

std::string transportProblem(const std::string& uri, const ConnectionSettings& settings) {
    const std::string address = uri.substr(uri.find("://") + 3);
    try {
        const net::TcpConnection probe(address, std::chrono::seconds(2));
    } catch (const std::exception& error) {
        return "cannot reach " + address + ": " + error.what();
    }
    if (settings.tls())
        return "TLS: " + tlsHandshakeProblem(address, settings);
    return "the broker at " + address + " closed the connection (a TLS port? then use ssl:// or mqtts://)";
}

}  // namespace citysense::mqtt
