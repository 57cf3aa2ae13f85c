#include "ServiceProcess.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace citysense::test {

ServiceProcess::ServiceProcess(const std::vector<std::string>& arguments,
                               const std::map<std::string, std::string>& environment) {
    static int count = 0;
    _logPath = (std::filesystem::temp_directory_path() /
                ("citysensed-" + std::to_string(::getpid()) + "-" + std::to_string(++count) + ".log"))
                   .string();
    std::vector<std::string> argumentText = {CITYSENSE_BINARY_DIR "/bin/citysensed"};
    argumentText.insert(argumentText.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& argument : argumentText)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    std::vector<std::string> environmentText;
    for (char** entry = environ; *entry; ++entry) {
        const std::string text = *entry;
        if (!environment.count(text.substr(0, text.find('='))))
            environmentText.push_back(text);
    }
    for (const auto& [name, value] : environment)
        environmentText.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& entry : environmentText)
        envp.push_back(entry.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, _logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int result = posix_spawn(&_pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (result != 0)
        throw std::runtime_error("cannot start citysensed: " + std::string(std::strerror(result)));
}

ServiceProcess::~ServiceProcess() {
    if (!_ended) {
        ::kill(_pid, SIGKILL);
        wait();
    }
    std::filesystem::remove(_logPath);
}

void ServiceProcess::signal(int number) {
    ::kill(_pid, number);
}

int ServiceProcess::wait() {
    if (_ended)
        return _exitCode;
    int status = 0;
    ::waitpid(_pid, &status, 0);
    _ended = true;
    _exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return _exitCode;
}

std::string ServiceProcess::log() const {
    std::ifstream in(_logPath);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool ServiceProcess::waitForLog(const std::string& text) const {
    return eventually([&] { return log().find(text) != std::string::npos; });
}

unsigned ServiceProcess::healthPort() const {
    const std::string text = log();
    const std::string announcement = "health endpoint on http://127.0.0.1:";
    const auto found = text.find(announcement);
    return found == std::string::npos
               ? 0
               : static_cast<unsigned>(std::stoul(text.substr(found + announcement.size())));
}

std::string httpGet(unsigned port, const std::string& path, int& status) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    status = response.getStatus();
    std::string text;
    Poco::StreamCopier::copyToString(body, text);
    return text;
}

bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 3000; ++i) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

}  // namespace citysense::test
