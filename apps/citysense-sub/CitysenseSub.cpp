// citysense-sub: the console subscriber for debugging, with mosquitto_sub's habits. Prints every
// reading it receives in the console sink's seed format (or JSON), one line each.
//   citysense-sub -h broker -p 8883 --cafile ca.crt -u operator --pw-file pw -t 'hypo_city/#' -C 10
#include <citysense/Format.h>
#include <citysense/Secret.h>
#include <mqtt-client/Connection.h>
#include <mqtt-client/Decoder.h>

#include <getopt.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <iostream>

using namespace citysense;
using namespace citysense::mqtt;

namespace {

const char* const kUsage = R"(usage: citysense-sub [options] -t TOPIC [-t TOPIC ...]
  -h, --host HOST        broker host (default localhost)
  -p, --port PORT        broker port (default 8883 with TLS, 1883 without)
  -t, --topic FILTER     topic filter to subscribe to; repeatable
  -u, --username NAME    user name at the broker
  -P, --pw PASSWORD      password (visible to other users: prefer --pw-file)
      --pw-file FILE     file whose first line is the password
      --cafile FILE      CA certificate of the broker: connects with TLS (1.2 or newer)
      --cert FILE        client certificate (with --key)
      --key FILE         private key of --cert
      --insecure         do not verify the broker's certificate and host name
  -q, --qos N            quality of service of the subscriptions (default 0)
  -i, --id ID            client id (default: the user name, which a broker binding client ids to
                         user names uses anyway; without -u, citysense-sub-<pid>)
  -V, --mqtt-version V   3.1.1 (default) or 5
  -C, --count COUNT      exit after COUNT messages
  -W, --timeout SECONDS  exit after SECONDS (status 1 if -C was not reached)
      --format F         seed (default) or json
      --precision N      decimals of SensorData in the seed format (default 2)
      --topic-template T the publishers' topic template (default {system}/{city}/{street}/{category}/{measurement})
      --help             this text
Malformed messages are reported on stderr and skipped.)";

struct Arguments {
    ConnectionSettings connection;
    std::string host = "localhost";
    int port = 0;
    std::vector<std::string> topics;
    int qos = 0;
    long count = 0;
    double timeout = 0;
    bool json = false;
    int precision = 2;
    std::string topicTemplate = TopicTemplate::kDefault;
};

[[noreturn]] void usageError(const std::string& message) {
    std::cerr << "citysense-sub: " << message << "\n(citysense-sub --help lists the options)\n";
    std::exit(2);
}

long number(const char* text, const char* option, long minimum, long maximum) {
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || value < minimum || value > maximum)
        usageError(std::string(option) + ": '" + text + "' is not a number from " + std::to_string(minimum) +
                   " to " + std::to_string(maximum));
    return value;
}

Arguments parseArguments(int argc, char** argv) {
    enum { PwFile = 1000, CaFile, Cert, Key, Insecure, Format, Precision, TopicTemplateOption, Help };
    static const option longOptions[] = {
        {"host", required_argument, nullptr, 'h'},
        {"port", required_argument, nullptr, 'p'},
        {"topic", required_argument, nullptr, 't'},
        {"username", required_argument, nullptr, 'u'},
        {"pw", required_argument, nullptr, 'P'},
        {"pw-file", required_argument, nullptr, PwFile},
        {"cafile", required_argument, nullptr, CaFile},
        {"cert", required_argument, nullptr, Cert},
        {"key", required_argument, nullptr, Key},
        {"insecure", no_argument, nullptr, Insecure},
        {"qos", required_argument, nullptr, 'q'},
        {"id", required_argument, nullptr, 'i'},
        {"mqtt-version", required_argument, nullptr, 'V'},
        {"count", required_argument, nullptr, 'C'},
        {"timeout", required_argument, nullptr, 'W'},
        {"format", required_argument, nullptr, Format},
        {"precision", required_argument, nullptr, Precision},
        {"topic-template", required_argument, nullptr, TopicTemplateOption},
        {"help", no_argument, nullptr, Help},
        {nullptr, 0, nullptr, 0},
    };
    Arguments arguments;
    ConnectionSettings& connection = arguments.connection;
    bool tls = false;
    opterr = 0;
    for (int choice;
         (choice = getopt_long(argc, argv, ":h:p:t:u:P:q:i:V:C:W:", longOptions, nullptr)) != -1;) {
        switch (choice) {
            case 'h':
                arguments.host = optarg;
                break;
            case 'p':
                arguments.port = static_cast<int>(number(optarg, "-p", 1, 65535));
                break;
            case 't':
                arguments.topics.push_back(optarg);
                break;
            case 'u':
                connection.username = optarg;
                break;
            case 'P':
                connection.password = optarg;
                break;
            case PwFile:
                try {
                    connection.password = readSecretFile(optarg);
                } catch (const std::exception& error) {
                    usageError(std::string("--pw-file: ") + error.what());
                }
                break;
            case CaFile:
                connection.caFile = optarg;
                tls = true;
                break;
            case Cert:
                connection.certFile = optarg;
                tls = true;
                break;
            case Key:
                connection.keyFile = optarg;
                break;
            case Insecure:
                connection.verify = false;
                break;
            case 'q':
                arguments.qos = static_cast<int>(number(optarg, "-q", 0, 2));
                break;
            case 'i':
                connection.clientId = optarg;
                break;
            case 'V':
                if (std::string(optarg) == "5" || std::string(optarg) == "mqttv5")
                    connection.mqttVersion = MQTTVERSION_5;
                else if (std::string(optarg) != "3.1.1" && std::string(optarg) != "mqttv311")
                    usageError(std::string("-V: '") + optarg + "' is not 3.1.1 or 5");
                break;
            case 'C':
                arguments.count = number(optarg, "-C", 1, 1000000000);
                break;
            case 'W':
                arguments.timeout = static_cast<double>(number(optarg, "-W", 1, 86400));
                break;
            case Format:
                if (std::string(optarg) != "seed" && std::string(optarg) != "json")
                    usageError(std::string("--format: '") + optarg + "' is not seed or json");
                arguments.json = std::string(optarg) == "json";
                break;
            case Precision:
                arguments.precision = static_cast<int>(number(optarg, "--precision", 0, 17));
                break;
            case TopicTemplateOption:
                arguments.topicTemplate = optarg;
                break;
            case Help:
                std::cout << kUsage << '\n';
                std::exit(0);
            case ':':
                usageError(std::string(argv[optind - 1]) + " needs a value");
            default:
                usageError(std::string("unknown option ") + argv[optind - 1]);
        }
    }
    if (optind < argc)
        usageError(std::string("unexpected argument '") + argv[optind] + "'");
    if (arguments.topics.empty())
        usageError("give at least one topic filter with -t");
    if (connection.certFile.empty() != connection.keyFile.empty())
        usageError("--cert and --key go together");
    if (!connection.password.empty() && connection.username.empty())
        usageError("a password needs a user name (-u)");
    if (connection.clientId.empty())
        connection.clientId =
            connection.username.empty() ? "citysense-sub-" + std::to_string(::getpid()) : connection.username;
    if (const std::string warning = clientIdWarning(connection); !warning.empty())
        std::cerr << "citysense-sub: warning: " << warning << '\n';
    if (arguments.port == 0)
        arguments.port = tls ? 8883 : 1883;
    connection.uri =
        std::string(tls ? "ssl://" : "tcp://") + arguments.host + ":" + std::to_string(arguments.port);
    return arguments;
}

volatile std::sig_atomic_t interrupted = 0;

}  // namespace

int main(int argc, char** argv) {
    const Arguments arguments = parseArguments(argc, argv);
    std::optional<Decoder> decoder;
    try {
        decoder.emplace(TopicTemplate(arguments.topicTemplate), PayloadFormat::Auto, Station{},
                        "citysense-sub");
    } catch (const std::invalid_argument& error) {
        usageError(std::string("--topic-template: ") + error.what());
    }
    std::signal(SIGINT, [](int) { interrupted = 1; });
    std::signal(SIGTERM, [](int) { interrupted = 1; });

    Client client(arguments.connection);
    client.paho().start_consuming();
    try {
        client.connect();
        for (const std::string& topic : arguments.topics) {
            ::mqtt::token_ptr token = client.paho().subscribe(topic, arguments.qos);
            token->wait_for(arguments.connection.connectTimeout);
            const std::vector<::mqtt::ReasonCode> codes = token->get_subscribe_response().get_reason_codes();
            if (!codes.empty() && codes.front() >= 0x80)
                throw std::runtime_error("subscription to " + topic + " refused");
        }
    } catch (const ::mqtt::exception& error) {
        std::cerr << "citysense-sub: " << client.explain(error) << '\n';
        return 1;
    } catch (const std::exception& error) {
        std::cerr << "citysense-sub: " << error.what() << '\n';
        return 1;
    }

    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<long>(arguments.timeout * 1000));
    long received = 0;
    SampleBatch samples;
    while (!interrupted && (arguments.count == 0 || received < arguments.count)) {
        if (arguments.timeout > 0 && std::chrono::steady_clock::now() >= deadline) {
            client.disconnect(std::chrono::seconds(1));
            if (arguments.count == 0)
                return 0;
            std::cerr << "citysense-sub: timed out after " << arguments.timeout << " s with " << received
                      << " of " << arguments.count << " messages\n";
            return 1;
        }
        ::mqtt::const_message_ptr message;
        if (!client.paho().try_consume_message_for(&message, std::chrono::milliseconds(100)))
            continue;
        if (!message) {
            std::cerr << "citysense-sub: connection to " << client.describe() << " lost\n";
            return 1;
        }
        ++received;
        samples.clear();
        const ::mqtt::binary_ref& payload = message->get_payload_ref();
        const std::string_view text(payload.data(), payload.size());
        if (Decoder::isStatus(message->get_topic(), text)) {
            std::cout << "Status: " << message->get_topic() << " " << text << std::endl;
            continue;
        }
        try {
            decoder->decode(message->get_topic(), text, samples);
        } catch (const PayloadError& error) {
            std::cerr << "citysense-sub: malformed message on " << quoteText(message->get_topic()) << ": "
                      << error.what() << '\n';
            continue;
        }
        for (const Sample& sample : samples)
            std::cout << (arguments.json ? formatJsonLine(sample)
                                         : formatSeedLine(sample, arguments.precision))
                      << '\n';
        std::cout.flush();
    }
    client.disconnect(std::chrono::seconds(1));
    return 0;
}
