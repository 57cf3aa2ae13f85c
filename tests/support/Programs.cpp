#include "Programs.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace citysense::test {

namespace {

/// The most a command may take before it counts as a hang.
constexpr std::chrono::seconds hangLimit{60};

/// `words` as the null-terminated array of pointers posix_spawn takes; valid while `words` lives.
std::vector<char*> pointersTo(std::vector<std::string>& words) {
    std::vector<char*> pointers;
    for (std::string& word : words)
        pointers.push_back(word.data());
    pointers.push_back(nullptr);
    return pointers;
}

/// Spawns `command` with `actions`, which it destroys, and this process's environment plus `environment`.
pid_t spawn(const std::vector<std::string>& command, const std::map<std::string, std::string>& environment,
            posix_spawn_file_actions_t& actions) {
    std::vector<std::string> arguments = command;
    std::vector<std::string> variables;
    for (char** entry = environ; *entry; ++entry) {
        const std::string variable(*entry);
        if (environment.count(variable.substr(0, variable.find('='))) == 0)
            variables.push_back(variable);
    }
    for (const auto& [name, value] : environment)
        variables.push_back(name + "=" + value);
    const std::vector<char*> argv = pointersTo(arguments);
    const std::vector<char*> envp = pointersTo(variables);
    pid_t pid = -1;
    const int result = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (result != 0)
        throw std::runtime_error("cannot run " + commandLine(command) + ": " + std::strerror(result));
    return pid;
}

}  // namespace

std::string commandLine(const std::vector<std::string>& arguments) {
    std::string text;
    for (const std::string& argument : arguments)
        text += (text.empty() ? "" : " ") + argument;
    return text;
}

pid_t startProgram(const std::vector<std::string>& command, const std::string& outputPath,
                   const std::map<std::string, std::string>& environment) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputPath.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    return spawn(command, environment, actions);
}

int waitForExit(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

CommandResult runProgram(const std::vector<std::string>& arguments,
                         const std::map<std::string, std::string>& environment) {
    int pipeEnds[2];
    if (::pipe2(pipeEnds, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe: " + std::string(std::strerror(errno)));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], STDERR_FILENO);
    pid_t pid = -1;
    try {
        pid = spawn(arguments, environment, actions);
    } catch (...) {
        ::close(pipeEnds[0]);
        ::close(pipeEnds[1]);
        throw;
    }
    ::close(pipeEnds[1]);
    CommandResult finished;
    const auto deadline = std::chrono::steady_clock::now() + hangLimit;
    bool hung = false;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            hung = true;
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd ready{pipeEnds[0], POLLIN, 0};
        if (::poll(&ready, 1, static_cast<int>(left.count())) < 0 && errno != EINTR)
            break;
        char buffer[4096];
        const ssize_t count = ::read(pipeEnds[0], buffer, sizeof buffer);
        if (count == 0 || (count < 0 && errno != EINTR && errno != EAGAIN))
            break;
        if (count > 0)
            finished.output.append(buffer, static_cast<std::size_t>(count));
    }
    ::close(pipeEnds[0]);
    finished.status = waitForExit(pid);
    if (hung)
        finished.output += "\n(killed after " + std::to_string(hangLimit.count()) + " s)";
    return finished;
}

CommandResult runCitysensed(const std::vector<std::string>& arguments,
                            const std::map<std::string, std::string>& environment) {
    std::vector<std::string> command = {CITYSENSE_BINARY_DIR "/bin/citysensed"};
    command.insert(command.end(), arguments.begin(), arguments.end());
    return runProgram(command, environment);
}

std::string runChecked(const std::vector<std::string>& arguments) {
    const CommandResult finished = runProgram(arguments);
    if (finished.status != 0)
        throw std::runtime_error(commandLine(arguments) + " failed (exit " + std::to_string(finished.status) +
                                 "):\n" + finished.output);
    return finished.output;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::uintmax_t fileSize(const std::string& path) {
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    return error ? 0 : size;
}

std::vector<unsigned> freePorts(std::size_t count) {
    std::vector<int> sockets;
    std::vector<unsigned> ports;
    for (std::size_t i = 0; i < count; ++i) {
        const int socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (socket < 0 || ::bind(socket, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            throw std::runtime_error("cannot find a free loopback port: " +
                                     std::string(std::strerror(errno)));
        sockets.push_back(socket);
        ports.push_back(ntohs(address.sin_port));
    }
    for (const int socket : sockets)
        ::close(socket);
    return ports;
}

}  // namespace citysense::test
