#include "MariaDb.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <stdexcept>

namespace citysense::test {
namespace {

/// Debian's server binary, outside the PATH of users other than root.
const std::string serverProgram = "/usr/sbin/mariadbd";
/// Debian's galera-4.
const std::string galeraProvider = "/usr/lib/galera/libgalera_smm.so";

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

MariaDb::MariaDb()
    : BackgroundServer("mariadb"),
      _socket(directory() + "/mariadbd.sock"),
      _password(randomPassword()),
      _passwordFile(directory() + "/" + _user + ".password"),
      _systemUser(currentUser()) {
    makeDataDirectory();
    startServer(nullptr);
    createUserAndDatabase();
    writePasswordFile();
}

MariaDb::MariaDb(const GaleraMembership& membership)
    : BackgroundServer("galera"),
      _socket(directory() + "/mariadbd.sock"),
      _password(membership.founder ? membership.founder->password() : randomPassword()),
      _passwordFile(directory() + "/" + _user + ".password"),
      _systemUser(::geteuid() == 0 ? "nobody" : currentUser()) {
    makeDataDirectory();
    temporaryDirectory();
    if (::geteuid() == 0) {
        const CommandResult owned = runProgram({"chown", "-R", _systemUser, directory()});
        if (owned.status != 0)
            throw std::runtime_error("cannot give " + directory() + " to " + _systemUser + ":\n" +
                                     owned.output);
    }
    startServer(&membership);
    if (!membership.founder)
        createUserAndDatabase();
    writePasswordFile();
}

void MariaDb::createUserAndDatabase() {
    std::string sql;
    for (const char* host : {"localhost", "127.0.0.1"})
        sql += "CREATE USER '" + _user + "'@'" + host + "' IDENTIFIED BY '" + _password + "';\n";
    query(sql, "");
    createDatabase(_database);
}

void MariaDb::startServer(const GaleraMembership* membership) {
    startOnFreePorts(membership ? 4 : 1, [this, membership](const std::vector<unsigned>& ports) {
        _port = ports[0];
        Launch launch;
        launch.command = {serverProgram,
                          "--no-defaults",
                          "--datadir=" + directory() + "/data",
                          "--socket=" + _socket,
                          "--pid-file=" + directory() + "/mariadbd.pid",
                          "--port=" + std::to_string(_port),
                          "--bind-address=127.0.0.1",
                          "--user=" + _systemUser,
                          "--tmpdir=" + temporaryDirectory(),
                          "--skip-log-bin",
                          "--skip-name-resolve",
                          "--innodb-log-file-size=16M"};
        launch.output = directory() + "/mariadbd.log";
        launch.log = launch.output;
        // mariadbd logs "ready for connections" once both listeners accept.
        launch.ready = [](const std::string& logged) {
            return logged.find("ready for connections") != std::string::npos;
        };
        if (!membership)
            return launch;
        // A Galera node: replication (gcomm), incremental state transfer and rsync snapshot ports.
        _replicationPort = ports[1];
        const std::string address = "127.0.0.1:" + std::to_string(_replicationPort);
        const std::vector<std::string> galera = {
            "--wsrep-on=ON",
            "--wsrep-provider=" + galeraProvider,
            "--wsrep-cluster-address=gcomm://" + membership->join,
            "--wsrep-node-address=" + address,
            "--wsrep-provider-options=gmcast.listen_addr=tcp://" + address +
                ";ist.recv_addr=127.0.0.1:" + std::to_string(ports[2]) + ";gcache.size=64M",
            "--wsrep-sst-receive-address=127.0.0.1:" + std::to_string(ports[3]),
            "--wsrep-sst-method=rsync",
            "--binlog-format=ROW",
            "--innodb-autoinc-lock-mode=2"};
        launch.command.insert(launch.command.end(), galera.begin(), galera.end());
        // Ready once it has the cluster's state, not when it first accepts connections.
        launch.ready = [](const std::string& logged) {
            return logged.find("Synchronized with group") != std::string::npos;
        };
        return launch;
    });
}

void MariaDb::writePasswordFile() const {
    {
        std::ofstream out(_passwordFile);
        out << _password << '\n';
    }
    std::filesystem::permissions(_passwordFile,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

const std::string& MariaDb::socket() const {
    return _socket;
}

unsigned MariaDb::port() const {
    return _port;
}

const std::string& MariaDb::database() const {
    return _database;
}

const std::string& MariaDb::user() const {
    return _user;
}

const std::string& MariaDb::password() const {
    return _password;
}

const std::string& MariaDb::passwordFile() const {
    return _passwordFile;
}

void MariaDb::createDatabase(const std::string& name) {
    requirePlainName(name);
    std::string sql = "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;\n";
    for (const char* host : {"localhost", "127.0.0.1"})
        sql += "GRANT ALL ON `" + name + "`.* TO '" + _user + "'@'" + host + "';\n";
    query(sql, "");
}

std::string MariaDb::query(const std::string& sql, const std::string& database) const {
    std::vector<std::string> command = {"mariadb",
                                        "--no-defaults",
                                        "--socket=" + _socket,
                                        "--user=root",
                                        "--default-character-set=utf8mb4",
                                        "--batch",
                                        "--raw",
                                        "--skip-column-names",
                                        "--execute=" + sql};
    if (!database.empty())
        command.push_back("--database=" + database);
    const CommandResult result = runProgram(command);
    if (result.status != 0)
        throw std::runtime_error("mariadb failed (exit " + std::to_string(result.status) + ") on\n" + sql +
                                 "\n" + result.output);
    return result.output;
}

std::string MariaDb::replicationAddress() const {
    return "127.0.0.1:" + std::to_string(_replicationPort);
}

void MariaDb::rejoinThrough(const std::string& addresses) {
    // What launch() gave it, with the cluster's address changed.
    std::vector<std::string> command;
    const std::string option = "--wsrep-cluster-address=";
    for (const std::string& argument : launchedCommand())
        command.push_back(argument.rfind(option, 0) == 0 ? option + "gcomm://" + addresses : argument);
    changeCommand(std::move(command));
}

std::string MariaDb::temporaryDirectory() const {
    const std::string path = directory() + "/tmp";
    std::filesystem::create_directories(path);
    return path;
}

// mariadb-install-db takes most of a start (0.5 to 1.5 s), so its result is kept in the build directory,
// one per mariadbd binary, and copied (some 30 ms).
void MariaDb::makeDataDirectory() {
    struct stat status {};
    if (::stat(serverProgram.c_str(), &status) != 0)
        throw std::runtime_error("cannot find " + serverProgram + ": " + std::strerror(errno));
    const std::string pristine = CITYSENSE_BINARY_DIR "/mariadb-datadir-" + std::to_string(status.st_size) +
                                 "-" + std::to_string(status.st_mtime);
    const std::string data = directory() + "/data";
    if (std::filesystem::is_directory(pristine)) {
        std::filesystem::copy(pristine, data, std::filesystem::copy_options::recursive);
        return;
    }
    const std::vector<std::string> install = {"mariadb-install-db",
                                              "--no-defaults",
                                              "--datadir=" + data,
                                              "--user=" + currentUser(),
                                              "--auth-root-authentication-method=normal",
                                              "--tmpdir=" + temporaryDirectory(),
                                              "--skip-test-db",
                                              "--skip-name-resolve",
                                              "--innodb-log-file-size=16M"};
    const CommandResult installed = runProgram(install);
    if (installed.status != 0)
        throw std::runtime_error(commandLine(install) + " failed (exit " + std::to_string(installed.status) +
                                 "):\n" + installed.output);
    // Tests starting together may all install: the first rename wins, the others' copies go.
    const std::string copy = pristine + ".new-" + std::to_string(::getpid());
    std::filesystem::copy(data, copy, std::filesystem::copy_options::recursive);
    std::error_code taken;
    std::filesystem::rename(copy, pristine, taken);
    if (taken)
        std::filesystem::remove_all(copy, taken);
}

}  // namespace citysense::test
