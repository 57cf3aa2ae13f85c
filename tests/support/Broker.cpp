#include "Broker.h"

#include "Programs.h"
#include "ServiceProcess.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace citysense::test {
namespace {

const std::string toolsDirectory = CITYSENSE_SOURCE_DIR "/tools/";

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

Broker::Broker() : Broker(Settings{}) {}

Broker::Broker(Settings settings) : BackgroundServer("broker"), _settings(settings) {
    runChecked({toolsDirectory + "make-certs", directory() + "/certs"});
    startOnFreePorts(2, [this](const std::vector<unsigned>& ports) {
        _tlsPort = ports[0];
        _plainPort = _settings.plainListener ? ports[1] : 0;
        Launch launch;
        launch.command = {toolsDirectory + "broker", "--dir", directory(), "--port",
                          std::to_string(_tlsPort)};
        if (_settings.plainListener)
            launch.command.insert(launch.command.end(), {"--plain-port", std::to_string(_plainPort)});
        if (!_settings.persistence)
            launch.command.push_back("--no-persistence");
        // tools/broker in the foreground becomes mosquitto.
        launch.command.push_back("--foreground");
        launch.output = directory() + "/broker.out";
        launch.log = directory() + "/mosquitto.log";
        // Mosquitto logs "running" once every listener is open.
        launch.ready = [this](const std::string& logged) {
            return logged.find(" running\n") != std::string::npos && accepts(_tlsPort) &&
                   (!_settings.plainListener || accepts(_plainPort));
        };
        return launch;
    });
}

unsigned Broker::tlsPort() const {
    return _tlsPort;
}

unsigned Broker::plainPort() const {
    return _plainPort;
}

std::string Broker::tlsUri() const {
    return "ssl://127.0.0.1:" + std::to_string(_tlsPort);
}

std::string Broker::plainUri() const {
    return "tcp://127.0.0.1:" + std::to_string(_plainPort);
}

std::string Broker::caFile() const {
    return directory() + "/certs/ca.crt";
}

std::string Broker::clientKeys(const BrokerCredentials& identity) const {
    return "uri = " + tlsUri() + "\nusername = " + identity.username +
           "\npassword_file = " + identity.passwordFile + "\nca_file = " + caFile() + "\n";
}

BrokerCredentials Broker::addGateway(const std::string& system, const std::string& city,
                                     const std::string& street) {
    // The user name tools/add-gateway gives the gateway by default.
    const std::string user = "gw_" + city + "_" + street;
    const std::string prefix = system + "/" + city + "/" + street;
    return provision({toolsDirectory + "add-gateway", prefix}, user, prefix + "/#");
}

BrokerCredentials Broker::addGateway(const std::string& system, const std::string& city,
                                     const std::string& street, const std::string& password) {
    // tools/add-gateway takes the password it finds in the identity's password file.
    const std::string clients = directory() + "/certs/clients";
    std::filesystem::create_directories(clients);
    const std::string file = clients + "/gw_" + city + "_" + street + ".password";
    std::ofstream(file) << password << '\n';
    std::filesystem::permissions(file,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return addGateway(system, city, street);
}

BrokerCredentials Broker::addSubscriber(const std::string& name, const std::string& filter) {
    return provision({toolsDirectory + "add-subscriber", name, filter}, name, filter);
}

BrokerCredentials Broker::addOperator(const std::string& name) {
    return provision({toolsDirectory + "add-operator", name}, name, "config/#");
}

BrokerCredentials Broker::provision(std::vector<std::string> command, const std::string& user,
                                    const std::string& filter) {
    command.insert(command.begin() + 1, {"--dir", directory()});
    runChecked(command);
    BrokerCredentials credentials;
    credentials.username = user;
    const std::string clients = directory() + "/certs/clients/" + user;
    credentials.passwordFile = clients + ".password";
    credentials.certFile = clients + ".crt";
    credentials.keyFile = clients + ".key";
    std::ifstream in(credentials.passwordFile);
    std::getline(in, credentials.password);
    if (credentials.password.empty())
        throw std::runtime_error(commandLine(command) + " left no password in " + credentials.passwordFile);
    if (running())
        waitForLogin(credentials, filter);
    return credentials;
}

void Broker::waitForLogin(const BrokerCredentials& credentials, const std::string& filter) const {
    std::string output;
    const bool accepted = eventually([&] {
        output = runProgram({"mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(_tlsPort), "--cafile",
                             caFile(), "-u", credentials.username, "-P", credentials.password, "-t", filter,
                             "-E", "-d", "-W", "10"})
                     .output;
        return output.find("CONNACK (0)") != std::string::npos;
    });
    if (!accepted)
        throw std::runtime_error("the broker did not accept the new user " + credentials.username +
                                 " after its reload:\n" + output);
}

}  // namespace citysense::test
