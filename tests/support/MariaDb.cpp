#include "MariaDb.h"

#include "Programs.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace citysense::test {
namespace {

/// Debian's server binary, outside the PATH of users other than root.
const std::string serverProgram = "/usr/sbin/mariadbd";

/// The most a server start or stop may take before it counts as a hang.
constexpr std::chrono::seconds hangLimit{60};

std::string randomPassword() {
    std::random_device random;
    std::uniform_int_distribution<int> digit(0, 15);
    std::string password;
    for (int i = 0; i < 24; ++i)
        password += "0123456789abcdef"[digit(random)];
    return password;
}

/// The name of the user this test runs as: the server and its files belong to it.
std::string currentUser() {
    const passwd* entry = ::getpwuid(::geteuid());
    if (!entry)
        throw std::runtime_error("cannot find the name of user " + std::to_string(::geteuid()));
    return entry->pw_name;
}

void requirePlainName(const std::string& name) {
    if (!std::regex_match(name, std::regex("[A-Za-z0-9_]{1,64}")))
        throw std::invalid_argument("not a plain database name: " + name);
}

}  // namespace

struct MariaDb::State {
    std::string directory;
    std::string socket;
    unsigned port = 0;
    std::string database = "citysense";
    std::string user = "ingest";
    std::string password = randomPassword();
    std::string passwordFile;
    std::string systemUser = currentUser();
    pid_t pid = -1;

    std::string logPath() const { return directory + "/mariadbd.log"; }

    /// The server's own temporary directory: at start-up it removes what looks like its temporary
    /// tables there, which would be another server's in a shared /tmp.
    std::string temporaryDirectory() const {
        const std::string path = directory + "/tmp";
        std::filesystem::create_directories(path);
        return path;
    }

    bool alive() {
        if (pid < 0)
            return false;
        if (::waitpid(pid, nullptr, WNOHANG) == 0)
            return true;
        pid = -1;
        return false;
    }

    /// Starts mariadbd on `port`. False when the port was taken; throws on other failures.
    bool launch() {
        std::vector<std::string> arguments = {serverProgram,
                                              "--no-defaults",
                                              "--datadir=" + directory + "/data",
                                              "--socket=" + socket,
                                              "--pid-file=" + directory + "/mariadbd.pid",
                                              "--port=" + std::to_string(port),
                                              "--bind-address=127.0.0.1",
                                              "--user=" + systemUser,
                                              "--tmpdir=" + temporaryDirectory(),
                                              "--skip-log-bin",
                                              "--skip-name-resolve",
                                              "--innodb-log-file-size=16M"};
        std::vector<char*> argv;
        for (std::string& argument : arguments)
            argv.push_back(argument.data());
        argv.push_back(nullptr);
        const std::uintmax_t logStart = fileSize(logPath());
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, logPath().c_str(),
                                         O_WRONLY | O_CREAT | O_APPEND, 0600);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        const int result = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (result != 0) {
            pid = -1;
            throw std::runtime_error("cannot run " + commandLine(arguments) + ": " + std::strerror(result));
        }
        // mariadbd logs "ready for connections" once both listeners accept; only this start's log counts.
        const auto sinceStart = [&] {
            const std::string text = readFile(logPath());
            return logStart < text.size() ? text.substr(logStart) : std::string();
        };
        const auto deadline = std::chrono::steady_clock::now() + hangLimit;
        while (std::chrono::steady_clock::now() < deadline) {
            const bool running = alive();
            const std::string output = sinceStart();
            if (output.find("ready for connections") != std::string::npos && running)
                return true;
            if (!running) {
                if (output.find("Address already in use") != std::string::npos)
                    return false;
                throw std::runtime_error(commandLine(arguments) + " ended:\n" + output);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        stop();
        throw std::runtime_error(commandLine(arguments) + " did not accept connections within " +
                                 std::to_string(hangLimit.count()) + " s:\n" + sinceStart());
    }

    /// SIGTERM (a clean shutdown), SIGKILL when it has not ended within hangLimit.
    void stop() {
        if (!alive())
            return;
        ::kill(pid, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + hangLimit;
        while (alive() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (alive()) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            pid = -1;
        }
    }

    std::string query(const std::string& sql, const std::string& inDatabase) const {
        std::vector<std::string> command = {"mariadb",
                                            "--no-defaults",
                                            "--socket=" + socket,
                                            "--user=root",
                                            "--default-character-set=utf8mb4",
                                            "--batch",
                                            "--raw",
                                            "--skip-column-names",
                                            "--execute=" + sql};
        if (!inDatabase.empty())
            command.push_back("--database=" + inDatabase);
        const CommandResult result = runProgram(command);
        if (result.status != 0)
            throw std::runtime_error("mariadb failed (exit " + std::to_string(result.status) + ") on\n" +
                                     sql + "\n" + result.output);
        return result.output;
    }

    /// The data directory of a fresh installation. mariadb-install-db takes most of a start (0.5 to 1.5 s),
    /// so its result is kept in the build directory, one per mariadbd binary, and copied (some 30 ms).
    void makeDataDirectory() {
        struct stat status {};
        if (::stat(serverProgram.c_str(), &status) != 0)
            throw std::runtime_error("cannot find " + serverProgram + ": " + std::strerror(errno));
        const std::string pristine = CITYSENSE_BINARY_DIR "/mariadb-datadir-" +
                                     std::to_string(status.st_size) + "-" + std::to_string(status.st_mtime);
        const std::string data = directory + "/data";
        if (std::filesystem::is_directory(pristine)) {
            std::filesystem::copy(pristine, data, std::filesystem::copy_options::recursive);
            return;
        }
        const std::vector<std::string> install = {"mariadb-install-db",
                                                  "--no-defaults",
                                                  "--datadir=" + data,
                                                  "--user=" + systemUser,
                                                  "--auth-root-authentication-method=normal",
                                                  "--tmpdir=" + temporaryDirectory(),
                                                  "--skip-test-db",
                                                  "--skip-name-resolve",
                                                  "--innodb-log-file-size=16M"};
        const CommandResult installed = runProgram(install);
        if (installed.status != 0)
            throw std::runtime_error(commandLine(install) + " failed (exit " +
                                     std::to_string(installed.status) + "):\n" + installed.output);
        // Tests starting together may all install: the first rename wins, the others' copies go.
        const std::string copy = pristine + ".new-" + std::to_string(::getpid());
        std::filesystem::copy(data, copy, std::filesystem::copy_options::recursive);
        std::error_code taken;
        std::filesystem::rename(copy, pristine, taken);
        if (taken)
            std::filesystem::remove_all(copy, taken);
    }

    void createDatabase(const std::string& name) {
        requirePlainName(name);
        std::string sql = "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;\n";
        for (const char* host : {"localhost", "127.0.0.1"})
            sql += "GRANT ALL ON `" + name + "`.* TO '" + user + "'@'" + host + "';\n";
        query(sql, "");
    }
};

MariaDb::MariaDb() : _state(new State) {
    std::string pattern = (std::filesystem::temp_directory_path() / "citysense-mariadb-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        delete _state;
        throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
    }
    _state->directory = pattern;
    _state->socket = pattern + "/mariadbd.sock";
    _state->passwordFile = pattern + "/" + _state->user + ".password";
    try {
        _state->makeDataDirectory();
        for (int attempt = 0;; ++attempt) {
            _state->port = freePorts(1).front();
            if (_state->launch())
                break;
            if (attempt == 9)
                throw std::runtime_error("no free loopback port for MariaDB after 10 attempts:\n" + log());
        }
        std::string sql;
        for (const char* host : {"localhost", "127.0.0.1"})
            sql += "CREATE USER '" + _state->user + "'@'" + host + "' IDENTIFIED BY '" + _state->password +
                   "';\n";
        _state->query(sql, "");
        _state->createDatabase(_state->database);
        {
            std::ofstream out(_state->passwordFile);
            out << _state->password << '\n';
        }
        std::filesystem::permissions(
            _state->passwordFile, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    } catch (...) {
        _state->stop();
        std::error_code ignored;
        std::filesystem::remove_all(_state->directory, ignored);
        delete _state;
        throw;
    }
}

MariaDb::~MariaDb() {
    _state->stop();
    std::error_code ignored;
    std::filesystem::remove_all(_state->directory, ignored);
    delete _state;
}

const std::string& MariaDb::socket() const {
    return _state->socket;
}

unsigned MariaDb::port() const {
    return _state->port;
}

const std::string& MariaDb::directory() const {
    return _state->directory;
}

const std::string& MariaDb::database() const {
    return _state->database;
}

const std::string& MariaDb::user() const {
    return _state->user;
}

const std::string& MariaDb::password() const {
    return _state->password;
}

const std::string& MariaDb::passwordFile() const {
    return _state->passwordFile;
}

void MariaDb::createDatabase(const std::string& name) {
    _state->createDatabase(name);
}

std::string MariaDb::query(const std::string& sql, const std::string& database) const {
    return _state->query(sql, database);
}

void MariaDb::stop() {
    _state->stop();
}

void MariaDb::start() {
    if (_state->alive())
        return;
    // The same port: a client's connection closing meanwhile may hold it for a moment, so try for a while.
    for (int attempt = 0; !_state->launch(); ++attempt) {
        if (attempt == 50)
            throw std::runtime_error("MariaDB's port " + std::to_string(_state->port) + " stays taken:\n" +
                                     log());
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

bool MariaDb::running() const {
    return _state->alive();
}

std::string MariaDb::log() const {
    return readFile(_state->logPath());
}

}  // namespace citysense::test
