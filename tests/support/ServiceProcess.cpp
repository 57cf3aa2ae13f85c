#include "ServiceProcess.h"

#include "Programs.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

namespace citysense::test {

ServiceProcess::ServiceProcess(const std::vector<std::string>& arguments,
                               const std::map<std::string, std::string>& environment,
                               const std::string& program) {
    static int count = 0;
    _logPath = (std::filesystem::temp_directory_path() /
                (program + "-" + std::to_string(::getpid()) + "-" + std::to_string(++count) + ".log"))
                   .string();
    std::filesystem::remove(_logPath);  // one a crashed run with the same process id left
    std::vector<std::string> command = {CITYSENSE_BINARY_DIR "/bin/" + program};
    command.insert(command.end(), arguments.begin(), arguments.end());
    _pid = startProgram(command, _logPath, environment);
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
    _exitCode = waitForExit(_pid);
    _ended = true;
    return _exitCode;
}

int ServiceProcess::waitAtMost(std::chrono::seconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!_ended && std::chrono::steady_clock::now() < end) {
        int status = 0;
        const pid_t ended = ::waitpid(_pid, &status, WNOHANG);
        if (ended == _pid) {
            _ended = true;
            _exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    return _ended ? _exitCode : -1;
}

std::string ServiceProcess::log() const {
    return readFile(_logPath);
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
