#include "BackgroundServer.h"

#include "Programs.h"

#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace citysense::test {
namespace {

/// The most a server's start or stop may take before it counts as a hang.
constexpr std::chrono::seconds hangLimit{60};

/// How long start() tries a port that stays taken.
constexpr int restartAttempts = 50;
constexpr std::chrono::milliseconds restartPause{200};

/// What the file `path` gained beyond its first `start` bytes.
std::string since(const std::string& path, std::uintmax_t start) {
    const std::string text = readFile(path);
    return start < text.size() ? text.substr(start) : std::string();
}

}  // namespace

BackgroundServer::BackgroundServer(const std::string& name) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("citysense-" + name + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
    _directory = pattern;
}

BackgroundServer::~BackgroundServer() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(_directory, ignored);
}

const std::string& BackgroundServer::directory() const {
    return _directory;
}

bool BackgroundServer::running() const {
    if (_pid < 0)
        return false;
    if (::waitpid(_pid, nullptr, WNOHANG) == 0)
        return true;
    _pid = -1;
    return false;
}

void BackgroundServer::stop() {
    if (!running())
        return;
    ::kill(_pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + hangLimit;
    while (running() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    kill();
}

void BackgroundServer::kill() {
    if (!running())
        return;
    ::kill(_pid, SIGKILL);
    waitForExit(_pid);
    _pid = -1;
}

void BackgroundServer::start() {
    if (running())
        return;
    for (int attempt = 0; !launch(); ++attempt) {
        if (attempt == restartAttempts)
            throw std::runtime_error(commandLine(_launch.command) + ": its ports stay taken:\n" + log());
        std::this_thread::sleep_for(restartPause);
    }
}

std::string BackgroundServer::log() const {
    return _launch.log.empty() ? std::string() : readFile(_launch.log);
}

void BackgroundServer::startOnFreePorts(
    std::size_t count, const std::function<Launch(const std::vector<unsigned>& ports)>& launchOn) {
    for (int attempt = 0;; ++attempt) {
        _launch = launchOn(freePorts(count));
        if (launch())
            return;
        if (attempt == 9)
            throw std::runtime_error("no free loopback ports for " + commandLine(_launch.command) +
                                     " after 10 attempts:\n" + log());
    }
}

void BackgroundServer::changeCommand(std::vector<std::string> command) {
    _launch.command = std::move(command);
}

const std::vector<std::string>& BackgroundServer::launchedCommand() const {
    return _launch.command;
}

bool BackgroundServer::launch() {
    const std::uintmax_t outputStart = fileSize(_launch.output);
    const std::uintmax_t logStart = fileSize(_launch.log);
    const auto logged = [&] {
        return since(_launch.output, outputStart) +
               (_launch.log == _launch.output ? std::string() : since(_launch.log, logStart));
    };
    _pid = startProgram(_launch.command, _launch.output);
    const auto deadline = std::chrono::steady_clock::now() + hangLimit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!running()) {
            const std::string output = logged();
            if (output.find("Address already in use") != std::string::npos)
                return false;
            throw std::runtime_error(commandLine(_launch.command) + " ended:\n" + output);
        }
        if (_launch.ready(logged()))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    stop();
    throw std::runtime_error(commandLine(_launch.command) + " was not ready within " +
                             std::to_string(hangLimit.count()) + " s:\n" + logged());
}

}  // namespace citysense::test
