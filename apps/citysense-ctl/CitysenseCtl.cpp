// citysense-ctl: the operator's commands. `config` manages gateways' remote configuration (DESIGN.md,
// Remote configuration): the operator's signing key, the signed desired document of a gateway, and
// where the gateway is with it.
#include "ConfigDocuments.h"

#include <engine/Ed25519Key.h>

#include <citysense/Options.h>

#include <getopt.h>
#include <openssl/rand.h>
#include <unistd.h>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <thread>

using namespace citysense;

namespace {

const char* const kUsage = R"(usage: citysense-ctl config sign-key --key FILE
       citysense-ctl config set GATEWAY KIND.NAME.KEY=VALUE ... --key FILE [connection] [--expires D]
                                [--replace] [--version N] [--wait SECONDS]
       citysense-ctl config show GATEWAY [connection]
  GATEWAY              the station, SYSTEM/CITY/STREET
  sign-key             makes the operator's Ed25519 key pair: FILE (private, mode 0600) and FILE.pub,
                       the public key every gateway names in [host] remote_config_key
  set                  signs with FILE and publishes, retained, the gateway's desired document: the
                       changes of the current desired document with these on top (KEY= drops a key;
                       --replace starts from none), one version newer than any the gateway has seen
  show                 the desired and reported documents and the state: pending, applied, rejected,
                       expired, ignored-stale (or none)
  --key FILE           the operator's private key
  --expires D          how long the document may still be applied, e.g. 30m, 1d (default 1d)
  --version N          this version instead of the next one (a gateway ignores one it has seen or passed)
  --wait SECONDS       after set, wait this long for the gateway's report and show it (exit 1 unless applied)
connection (the operator's MQTT identity, which alone may write desired documents):
  --uri URI            the broker (default ssl://localhost:8883)
  -u, --username NAME  --pw-file FILE  --cafile FILE  --insecure)";

[[noreturn]] void usageError(const std::string& message) {
    std::cerr << "citysense-ctl: " << message << "\n" << kUsage << "\n";
    std::exit(2);
}

struct Arguments {
    std::vector<std::string> words;
    std::string keyFile;
    Micros expires = 24 * 3600 * kMicrosPerSecond;
    bool replace = false;
    std::int64_t version = 0;  ///< 0: the next one
    double wait = 0;
    citysense::mqtt::ConnectionSettings connection;
};

Arguments parseArguments(int argc, char** argv) {
    Arguments arguments;
    arguments.connection.uri = "ssl://localhost:8883";
    arguments.connection.mqttVersion = MQTTVERSION_5;  // so that a refused publish says so
    arguments.connection.connectTimeout = std::chrono::seconds(5);
    static const option longOptions[] = {
        {"key", required_argument, nullptr, 'k'},      {"expires", required_argument, nullptr, 'e'},
        {"replace", no_argument, nullptr, 'r'},        {"wait", required_argument, nullptr, 'w'},
        {"version", required_argument, nullptr, 'v'},  {"uri", required_argument, nullptr, 'U'},
        {"username", required_argument, nullptr, 'u'}, {"pw-file", required_argument, nullptr, 'P'},
        {"cafile", required_argument, nullptr, 'c'},   {"insecure", no_argument, nullptr, 'I'},
        {"help", no_argument, nullptr, 'h'},           {nullptr, 0, nullptr, 0}};
    std::string passwordFile;
    for (int choice; (choice = getopt_long(argc, argv, ":u:", longOptions, nullptr)) != -1;) {
        try {
            switch (choice) {
                case 'k':
                    arguments.keyFile = optarg;
                    break;
                case 'e':
                    arguments.expires = parseDuration(optarg);
                    break;
                case 'r':
                    arguments.replace = true;
                    break;
                case 'w':
                    arguments.wait = std::stod(optarg);
                    break;
                case 'v':
                    arguments.version = std::stoll(optarg);
                    if (arguments.version <= 0)
                        throw std::invalid_argument("a version is a positive integer");
                    break;
                case 'U':
                    arguments.connection.uri = citysense::mqtt::normalizeUri(optarg);
                    break;
                case 'u':
                    arguments.connection.username = optarg;
                    break;
                case 'P':
                    passwordFile = optarg;
                    break;
                case 'c':
                    arguments.connection.caFile = optarg;
                    break;
                case 'I':
                    arguments.connection.verify = false;
                    break;
                case 'h':
                    std::cout << kUsage << "\n";
                    std::exit(0);
                default:
                    usageError(std::string(argv[optind - 1]) + ": unknown option or missing value");
            }
        } catch (const std::exception& error) {
            usageError(std::string(argv[optind - 1]) + ": " + error.what());
        }
    }
    for (int i = optind; i < argc; ++i)
        arguments.words.emplace_back(argv[i]);
    if (!passwordFile.empty()) {
        std::ifstream file(passwordFile);
        if (!std::getline(file, arguments.connection.password) || arguments.connection.password.empty())
            usageError("--pw-file: " + passwordFile + " holds no password on its first line");
    }
    arguments.connection.clientId = arguments.connection.username.empty()
                                        ? "citysense-ctl-" + std::to_string(::getpid())
                                        : arguments.connection.username;
    return arguments;
}

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

void printDocuments(const std::string& gateway, const GatewayDocuments& documents) {
    std::cout << "gateway   " << gateway << "\n";
    if (!documents.desired) {
        std::cout << "desired   none\n";
    } else {
        try {
            const DesiredDocument desired = readUnverifiedDocument(*documents.desired);
            std::cout << "desired   version " << desired.version << ", request " << desired.request
                      << ", expires " << formatIsoTime(desired.expires) << "\n";
            for (const auto& [section, keys] : desired.changes)
                for (const auto& [key, value] : keys)
                    std::cout << "          " << section << "." << key << " = " << value << "\n";
        } catch (const DocumentError& error) {
            std::cout << "desired   unreadable: " << error.what() << "\n";
        }
    }
    if (!documents.reported) {
        std::cout << "reported  none\n";
    } else {
        const ReportedDocument& reported = *documents.reported;
        std::cout << "reported  version " << reported.version << " (request " << reported.request
                  << "): " << reportStatusName(reported.status) << " at " << formatIsoTime(reported.time)
                  << "; the gateway runs version " << reported.appliedVersion << "\n";
        for (const auto& error : reported.errors)
            std::cout << "          " << (error.section.empty() ? "" : error.section + " ")
                      << (error.key.empty() ? "" : error.key + ": ") << error.message << "\n";
    }
    std::cout << "state     " << stateOf(documents) << "\n";
}

int signKey(const Arguments& arguments) {
    if (arguments.keyFile.empty())
        usageError("sign-key needs --key FILE");
    const Ed25519Key key = Ed25519Key::generate();
    key.writePrivate(arguments.keyFile);
    key.writePublic(arguments.keyFile + ".pub");
    std::cout << "citysense-ctl: private key " << arguments.keyFile << " (mode 0600; keep it to yourself)\n"
              << "  public key " << arguments.keyFile << ".pub: copy it to every gateway and name it in "
              << "[host] remote_config_key\n";
    return 0;
}

/// Applies "KIND.NAME.KEY=VALUE" to `changes`; an empty VALUE drops the key.
void assign(RemoteChanges& changes, const std::string& assignment) {
    const auto equals = assignment.find('=');
    const std::string path = assignment.substr(0, equals);
    const auto first = path.find('.');
    const auto second = first == std::string::npos ? first : path.find('.', first + 1);
    if (equals == std::string::npos || second == std::string::npos || second + 1 >= path.size())
        usageError("'" + assignment + "' is not KIND.NAME.KEY=VALUE");
    const std::string section = path.substr(0, second);
    const std::string key = path.substr(second + 1);
    const std::string value = assignment.substr(equals + 1);
    if (!value.empty()) {
        changes[section][key] = value;
        return;
    }
    changes[section].erase(key);
    if (changes[section].empty())
        changes.erase(section);
}

int set(const Arguments& arguments, citysense::mqtt::Client& client) {
    const std::string& gateway = arguments.words[2];
    if (arguments.keyFile.empty())
        usageError("set needs --key FILE, the operator's private key");
    const Ed25519Key key = Ed25519Key::readPrivate(arguments.keyFile);
    const GatewayDocuments current = readGatewayDocuments(client, gateway, std::chrono::seconds(1));
    // The current changes are signed again, so they are taken only from a document this key signed:
    // otherwise whoever could write at the broker would have the operator sign their changes.
    DesiredDocument document;
    if (current.desired && !arguments.replace) {
        try {
            document = openSignedDocument(*current.desired, key);
        } catch (const DocumentError& error) {
            throw std::runtime_error("the current desired document cannot be built on (" +
                                     std::string(error.what()) +
                                     "): check how it got there, then start from nothing with --replace");
        }
    }
    for (std::size_t i = 3; i < arguments.words.size(); ++i)
        assign(document.changes, arguments.words[i]);
    if (current.reported)
        document.version =
            std::max({document.version, current.reported->version, current.reported->appliedVersion});
    if (arguments.version == 0 && document.version >= std::numeric_limits<std::int64_t>::max() / 2)
        throw std::runtime_error("version " + std::to_string(document.version) +
                                 " seen: too large to count on from (give --version)");
    document.version = arguments.version > 0 ? arguments.version : document.version + 1;
    document.gateway = gateway;
    document.request = randomRequestId();
    document.expires = nowMicros() + arguments.expires;
    publishDesired(client, gateway, signDocument(document, key));
    std::cout << "citysense-ctl: published version " << document.version << " (request " << document.request
              << ") for " << gateway << "\n";
    if (arguments.wait <= 0)
        return 0;
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<long>(arguments.wait * 1000));
    GatewayDocuments documents;
    do {
        documents = readGatewayDocuments(client, gateway, std::chrono::milliseconds(500));
    } while (stateOf(documents) == "pending" && std::chrono::steady_clock::now() < deadline);
    printDocuments(gateway, documents);
    return stateOf(documents) == "applied" ? 0 : 1;
}

/// Runs `command` over a connection to the broker; its status, or 1 after saying what failed.
/// paho.mqtt.c's network threads report that they stopped a moment before they end, and OpenSSL frees
/// what it keeps for a thread (its error queue, its random generators) only as the thread ends: the
/// process waits that moment once the client is gone, so that it does not end before them (LeakSanitizer
/// reports what they still hold then).
int withBroker(const Arguments& arguments, const std::function<int(citysense::mqtt::Client&)>& command) {
    int status = 1;
    try {
        citysense::mqtt::Client client(arguments.connection);
        client.connect();
        status = command(client);
        client.disconnect(std::chrono::seconds(2));
    } catch (const std::exception& error) {
        std::cerr << "citysense-ctl: " << error.what() << "\n";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    const Arguments arguments = parseArguments(argc, argv);
    const auto& words = arguments.words;
    if (words.size() < 2 || words[0] != "config")
        usageError(words.empty() ? "no command" : "unknown command '" + words[0] + "'");
    if (words[1] == "sign-key" && words.size() == 2) {
        try {
            return signKey(arguments);
        } catch (const std::exception& error) {
            std::cerr << "citysense-ctl: " << error.what() << "\n";
            return 1;
        }
    }
    if (words[1] == "set" && words.size() >= 4)
        return withBroker(arguments, [&](citysense::mqtt::Client& client) { return set(arguments, client); });
    if (words[1] == "show" && words.size() == 3)
        return withBroker(arguments, [&](citysense::mqtt::Client& client) {
            printDocuments(words[2], readGatewayDocuments(client, words[2], std::chrono::seconds(1)));
            return 0;
        });
    usageError("'config " + words[1] + "' with these arguments is not a command");
}
