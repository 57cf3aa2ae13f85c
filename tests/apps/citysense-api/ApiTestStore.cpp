#include "ApiTestStore.h"

#include "Programs.h"

#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <vector>

namespace citysense::test {

namespace {

constexpr const char* kReaderPassword = "reader-secret-1";

/// The schema's migrations of `engine` (sql/ENGINE/NNN_what.sql), in the order they apply.
std::vector<std::string> migrations(const std::string& engine) {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(CITYSENSE_SOURCE_DIR "/sql/" + engine))
        if (entry.path().extension() == ".sql")
            files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

ApiTestStore::ApiTestStore(const std::string& connector) {
    _directory = std::filesystem::temp_directory_path() /
                 ("citysense-api-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(_directory);
    std::filesystem::create_directories(_directory);
    if (connector == "mysql") {
        _server = std::make_unique<MariaDb>();
        for (const std::string& migration : migrations("mariadb"))
            _server->query(readFile(migration));
        _server->query(std::string("CREATE USER 'reader'@'127.0.0.1' IDENTIFIED BY '") + kReaderPassword +
                           "'; GRANT SELECT ON citysense.* TO 'reader'@'127.0.0.1';",
                       "");
        const std::string passwordFile = (_directory / "reader.password").string();
        std::ofstream(passwordFile) << kReaderPassword << "\n";
        ::chmod(passwordFile.c_str(), 0600);
    } else {
        for (const std::string& migration : migrations("sqlite"))
            execute(readFile(migration));
    }
}

ApiTestStore::~ApiTestStore() {
    std::filesystem::remove_all(_directory);
}

void ApiTestStore::execute(const std::string& sql) const {
    if (_server) {
        _server->query(sql);
        return;
    }
    // The leading empty statement keeps text that starts with a comment ("-- ...") from reading as an option.
    const CommandResult result = runProgram(
        {"sqlite3", "-batch", "-cmd", ".timeout 10000", (_directory / "readings.db").string(), ";" + sql});
    ASSERT_EQ(result.status, 0) << result.output;
}

std::string ApiTestStore::timeLiteral(Micros time) const {
    return _server ? "'" + formatSeedTime(time) + "'" : std::to_string(time);
}

std::string ApiTestStore::writeConfiguration(const std::string& apiKeys) const {
    std::string text = "[api]\nlisten_address = 127.0.0.1\nport = 0\n" + apiKeys + "\n";
    // Access is the subject of its own tests: the others see every reading, at any rate.
    for (const auto& [key, value] :
         {std::pair{"embargo", "0s"}, {"rate_limit", "1000000/min"}, {"key_rate_limit", "1000000/min"}}) {
        if (("\n" + apiKeys).find("\n" + std::string(key) + " =") == std::string::npos)
            text += std::string(key) + " = " + value + "\n";
    }
    text += "[store]\n";
    if (_server)
        text += "connector = mysql\nconnection = host=127.0.0.1;port=" + std::to_string(_server->port()) +
                ";db=citysense;user=reader\npassword_file = " + (_directory / "reader.password").string() +
                "\n";
    else
        text += "connector = sqlite\nconnection = " + (_directory / "readings.db").string() + "\n";
    const std::string path = (_directory / "api.ini").string();
    std::ofstream(path) << text;
    return path;
}

ApiService::ApiService(const std::string& configuration)
    : _process({"-c", configuration}, {}, "citysense-api") {
    // "listening on http://127.0.0.1:PORT/v1.1", or https://
    if (!_process.waitForLog("listening on http"))
        throw std::runtime_error("citysense-api did not start:\n" + _process.log());
    const std::string log = _process.log();
    const std::string address = "://127.0.0.1:";
    _port = static_cast<unsigned>(
        std::stoul(log.substr(log.find(address, log.find("listening on http")) + address.size())));
}

ApiService::~ApiService() {
    _process.signal(SIGTERM);
    EXPECT_EQ(_process.waitAtMost(std::chrono::seconds(30)), 0) << _process.log();
    EXPECT_NE(_process.log().find("citysense-api: stopped"), std::string::npos) << _process.log();
}

ApiAnswer ApiService::get(const std::string& target) const {
    const std::string origin = "http://127.0.0.1:" + std::to_string(_port);
    const std::string path = target.rfind(origin, 0) == 0 ? target.substr(origin.size()) : target;
    ApiAnswer answer;
    answer.body = httpGet(_port, path, answer.status);
    if (!answer.body.empty() && answer.body.front() == '{')
        answer.json = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
    return answer;
}

Poco::JSON::Object::Ptr ApiService::json(const std::string& target, int status) const {
    const ApiAnswer answer = get(target);
    EXPECT_EQ(answer.status, status) << target << ": " << answer.body;
    if (!answer.json)
        throw std::runtime_error(target + ": not a JSON object: " + answer.body);
    return answer.json;
}

}  // namespace citysense::test
