#include "Broker.h"

#include "Programs.h"
#include "ServiceProcess.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace citysense::test {
namespace {

const std::string toolsDirectory = CITYSENSE_SOURCE_DIR "/tools/";

/// The most a provisioning command or a broker start may take before it counts as a hang.
constexpr std::chrono::seconds hangLimit{60};

bool accepts(unsigned port) {
    const int socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (socket < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool connected = ::connect(socket, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(socket);
    return connected;
}

}  // namespace

struct Broker::State {
    Settings settings;
    std::string directory;
    unsigned tlsPort = 0;
    unsigned plainPort = 0;
    pid_t pid = -1;  ///< tools/broker in the foreground, which became mosquitto

    std::string outputPath() const { return directory + "/broker.out"; }
    std::string logPath() const { return directory + "/mosquitto.log"; }

    /// Whether the broker process still runs; reaps it when it has ended.
    bool alive() {
        if (pid < 0)
            return false;
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == 0)
            return true;
        pid = -1;
        return false;
    }

    /// Starts tools/broker on the current ports. False when a port was taken; throws on other failures.
    bool launch() {
        std::vector<std::string> arguments = {toolsDirectory + "broker", "--dir", directory, "--port",
                                              std::to_string(tlsPort)};
        if (settings.plainListener)
            arguments.insert(arguments.end(), {"--plain-port", std::to_string(plainPort)});
        if (!settings.persistence)
            arguments.push_back("--no-persistence");
        arguments.push_back("--foreground");
        std::vector<char*> argv;
        for (std::string& argument : arguments)
            argv.push_back(argument.data());
        argv.push_back(nullptr);

        const std::uintmax_t logStart = fileSize(logPath());
        const std::uintmax_t outputStart = fileSize(outputPath());
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputPath().c_str(),
                                         O_WRONLY | O_CREAT | O_APPEND, 0600);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        const int result = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (result != 0) {
            pid = -1;
            throw std::runtime_error("cannot run " + commandLine(arguments) + ": " + std::strerror(result));
        }

        // Mosquitto logs "running" once every listener is open; only what this start logged counts.
        const auto sinceStart = [](const std::string& path, std::uintmax_t start) {
            const std::string text = readFile(path);
            return start < text.size() ? text.substr(start) : std::string();
        };
        const auto deadline = std::chrono::steady_clock::now() + hangLimit;
        while (std::chrono::steady_clock::now() < deadline) {
            if (!alive()) {
                const std::string output =
                    sinceStart(outputPath(), outputStart) + sinceStart(logPath(), logStart);
                if (output.find("Address already in use") != std::string::npos)
                    return false;
                throw std::runtime_error(commandLine(arguments) + " ended:\n" + output);
            }
            if (sinceStart(logPath(), logStart).find(" running\n") != std::string::npos && accepts(tlsPort) &&
                (!settings.plainListener || accepts(plainPort)))
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        stop();
        throw std::runtime_error(commandLine(arguments) + " did not accept connections within " +
                                 std::to_string(hangLimit.count()) + " s:\n" +
                                 sinceStart(outputPath(), outputStart) + sinceStart(logPath(), logStart));
    }

    /// SIGTERM (Mosquitto saves its state), SIGKILL when it has not ended after a few seconds.
    void stop() {
        if (!alive())
            return;
        ::kill(pid, SIGTERM);
        for (int i = 0; i < 1000 && alive(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (alive()) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            pid = -1;
        }
    }

    /// Waits until the broker lets `credentials` connect: provisioning reloads it with SIGHUP, which
    /// it handles in its own time.
    void waitForLogin(const BrokerCredentials& credentials, const std::string& filter) const {
        std::string output;
        const bool accepted = eventually([&] {
            output = runProgram({"mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(tlsPort),
                                 "--cafile", directory + "/certs/ca.crt", "-u", credentials.username, "-P",
                                 credentials.password, "-t", filter, "-E", "-d", "-W", "10"})
                         .output;
            return output.find("CONNACK (0)") != std::string::npos;
        });
        if (!accepted)
            throw std::runtime_error("the broker did not accept the new user " + credentials.username +
                                     " after its reload:\n" + output);
    }

    BrokerCredentials provision(std::vector<std::string> arguments, const std::string& user,
                                const std::string& filter) {
        arguments.insert(arguments.begin() + 1, {"--dir", directory});
        runChecked(arguments);
        BrokerCredentials credentials;
        credentials.username = user;
        const std::string clients = directory + "/certs/clients/" + user;
        credentials.passwordFile = clients + ".password";
        credentials.certFile = clients + ".crt";
        credentials.keyFile = clients + ".key";
        std::ifstream in(credentials.passwordFile);
        std::getline(in, credentials.password);
        if (credentials.password.empty())
            throw std::runtime_error(commandLine(arguments) + " left no password in " +
                                     credentials.passwordFile);
        if (alive())
            waitForLogin(credentials, filter);
        return credentials;
    }
};

Broker::Broker() : Broker(Settings{}) {}

Broker::Broker(Settings settings) : _state(new State) {
    _state->settings = settings;
    std::string pattern = (std::filesystem::temp_directory_path() / "citysense-broker-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        delete _state;
        throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
    }
    _state->directory = pattern;
    try {
        runChecked({toolsDirectory + "make-certs", _state->directory + "/certs"});
        for (int attempt = 0;; ++attempt) {
            const std::vector<unsigned> ports = freePorts(2);
            _state->tlsPort = ports[0];
            _state->plainPort = settings.plainListener ? ports[1] : 0;
            if (_state->launch())
                break;
            if (attempt == 9)
                throw std::runtime_error("no free loopback ports for the broker after 10 attempts:\n" +
                                         log());
        }
    } catch (...) {
        _state->stop();
        std::error_code ignored;
        std::filesystem::remove_all(_state->directory, ignored);
        delete _state;
        throw;
    }
}

Broker::~Broker() {
    _state->stop();
    std::error_code ignored;
    std::filesystem::remove_all(_state->directory, ignored);
    delete _state;
}

unsigned Broker::tlsPort() const {
    return _state->tlsPort;
}

unsigned Broker::plainPort() const {
    return _state->plainPort;
}

std::string Broker::tlsUri() const {
    return "ssl://127.0.0.1:" + std::to_string(_state->tlsPort);
}

std::string Broker::plainUri() const {
    return "tcp://127.0.0.1:" + std::to_string(_state->plainPort);
}

std::string Broker::caFile() const {
    return _state->directory + "/certs/ca.crt";
}

const std::string& Broker::directory() const {
    return _state->directory;
}

BrokerCredentials Broker::addGateway(const std::string& system, const std::string& city,
                                     const std::string& street) {
    const std::string user = city + "_" + street;
    const std::string prefix = system + "/" + city + "/" + street;
    return _state->provision({toolsDirectory + "add-gateway", prefix, "--user", user}, user, prefix + "/#");
}

BrokerCredentials Broker::addSubscriber(const std::string& name, const std::string& filter) {
    return _state->provision({toolsDirectory + "add-subscriber", name, filter}, name, filter);
}

void Broker::stop() {
    _state->stop();
}

void Broker::start() {
    if (_state->alive())
        return;
    // The same ports: a client reconnecting meanwhile may hold one for a moment, so try for a while.
    for (int attempt = 0; !_state->launch(); ++attempt) {
        if (attempt == 50)
            throw std::runtime_error("the broker's ports " + std::to_string(_state->tlsPort) + " and " +
                                     std::to_string(_state->plainPort) + " stay taken:\n" + log());
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

bool Broker::running() const {
    return _state->alive();
}

std::string Broker::log() const {
    return readFile(_state->logPath());
}

}  // namespace citysense::test
