// citysense-api --check: every problem of a configuration at once, each naming its file, section and
// key ([live] included); the example configurations of etc/ are valid.
#include "Programs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;
using ::testing::Not;

class ApiConfig : public ::testing::Test {
protected:
    void SetUp() override {
        _directory = std::filesystem::temp_directory_path() /
                     ("citysense-api-config-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(_directory);
    }
    void TearDown() override { std::filesystem::remove_all(_directory); }

    std::string write(const std::string& name, const std::string& text) const {
        const std::string path = (_directory / name).string();
        std::ofstream(path) << text;
        return path;
    }

    static CommandResult check(const std::string& path) {
        return runProgram({CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c", path, "--check"});
    }

    std::filesystem::path _directory;
};

TEST_F(ApiConfig, NamesEveryProblemWithItsFileSectionAndKey) {
    const std::string path =
        write("api.ini",
              "[api]\nport = 70000\nlisten = 0.0.0.0\nthreads = many\n"
              "[store]\nconnector = postgres\nconnection = readings.db\n[cache]\nsize = 1\n");
    const CommandResult result = check(path);
    EXPECT_NE(result.status, 0);
    EXPECT_THAT(result.output, HasSubstr(path + ": [api] port: expected integer: 70000 is out of range"));
    EXPECT_THAT(result.output, HasSubstr(path + ": [api] listen: unknown option"));
    EXPECT_THAT(result.output,
                HasSubstr(path + ": [api] threads: expected integer: 'many' is not an integer"));
    EXPECT_THAT(result.output, HasSubstr(path + ": [store] connector: expected choice: 'postgres'"));
    EXPECT_THAT(result.output, HasSubstr(path + ": [cache] unknown section"));
    EXPECT_THAT(result.output, Not(HasSubstr("configuration is valid")));
}

TEST_F(ApiConfig, ChecksTheLiveSectionAsWell) {
    const std::string path =
        write("api.ini",
              "[store]\nconnection = readings.db\n[live]\nenabled = true\nqueue_events = 0\n"
              "topic = {system}/{nothing}\nuri = http://broker\nwindow = 5\n");
    const CommandResult result = check(path);
    EXPECT_NE(result.status, 0);
    EXPECT_THAT(result.output,
                HasSubstr(path + ": [live] queue_events: expected integer: 0 is out of range"));
    EXPECT_THAT(result.output, HasSubstr(path + ": [live] window: unknown option"));
    EXPECT_THAT(result.output, HasSubstr(path + ": [live] topic: "));
    EXPECT_THAT(result.output, HasSubstr(path + ": [live] uri: "));
}

TEST_F(ApiConfig, TheLiveTopicsAreCheckedAsTheIngestChecksThem) {
    const std::string path = write("api.ini",
                                   "[store]\nconnection = readings.db\n[live]\nenabled = true\n"
                                   "topics = hypo_city/+/+/#, hypo_city/city_0+/#\n");
    const CommandResult result = check(path);
    EXPECT_NE(result.status, 0);
    EXPECT_THAT(result.output, HasSubstr(path + ": [live] topics: 'hypo_city/city_0+/#': a wildcard (+ or #) "
                                                "must be a whole level"));
}

TEST_F(ApiConfig, AFragmentsProblemNamesTheFragment) {
    const std::string path = write("api.ini", "[store]\nconnection = readings.db\n");
    std::filesystem::create_directories(_directory / "conf.d");
    const std::string fragment = write("conf.d/50-port.ini", "[api]\nport = http\n");
    const CommandResult result = check(path);
    EXPECT_NE(result.status, 0);
    EXPECT_THAT(result.output, HasSubstr(fragment + ": [api] port: expected integer"));
}

TEST_F(ApiConfig, RefusesAPasswordInTheConnectionAndHalfATlsSetting) {
    const std::string path = write("api.ini",
                                   "[api]\ncertificate_file = api.crt\n[store]\nconnector = mysql\n"
                                   "connection = host=127.0.0.1;db=citysense;user=reader;password=secret\n");
    const CommandResult result = check(path);
    EXPECT_NE(result.status, 0);
    EXPECT_THAT(result.output, HasSubstr(path + ": [store] connection: put the password in password_file"));
    EXPECT_THAT(result.output,
                HasSubstr(path + ": [api] key_file: certificate_file and key_file go together"));
    EXPECT_THAT(result.output, Not(HasSubstr("secret")));
}

TEST_F(ApiConfig, AKeyOutsideAnySectionIsNamed) {
    const std::string path = write("api.ini", "port = 80\n[store]\nconnection = readings.db\n");
    const CommandResult result = check(path);
    EXPECT_NE(result.status, 0);
    EXPECT_THAT(result.output, HasSubstr(path + ": port: a key outside any section"));
}

TEST_F(ApiConfig, ReadsXmlAsWell) {
    const std::string valid =
        write("api.xml",
              "<citysense><api><port>8280</port></api>"
              "<store><connector>sqlite</connector><connection>readings.db</connection></store>"
              "</citysense>");
    const CommandResult good = check(valid);
    EXPECT_EQ(good.status, 0) << good.output;
    const std::string invalid = write(
        "bad.xml",
        "<citysense><api><port>-1</port></api><store><connection>r.db</connection></store></citysense>");
    const CommandResult bad = check(invalid);
    EXPECT_NE(bad.status, 0);
    EXPECT_THAT(bad.output, HasSubstr(invalid + ": [api] port: expected integer: -1 is out of range"));
}

TEST_F(ApiConfig, NeedsAStoreSection) {
    const CommandResult result = check(write("api.ini", "[api]\nport = 8280\n"));
    EXPECT_NE(result.status, 0);
    EXPECT_THAT(result.output, HasSubstr("there is no [store] section"));
}

TEST_F(ApiConfig, TheDemoConfigurationIsValid) {
    const CommandResult result = check(CITYSENSE_SOURCE_DIR "/etc/demo-api.ini");
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_THAT(result.output, HasSubstr("configuration is valid"));
}

TEST_F(ApiConfig, TheProductionConfigurationIsValidOnceItsFilesExist) {
    // etc/api.ini names files under /etc/citysense/; here the test's directory stands in for it.
    std::ifstream in(CITYSENSE_SOURCE_DIR "/etc/api.ini");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string etc = "/etc/citysense/";
    for (auto at = text.find(etc); at != std::string::npos; at = text.find(etc, at))
        text.replace(at, etc.size(), _directory.string() + "/");
    std::filesystem::create_directories(_directory / "certs");
    write("certs/api.crt", "");
    write("certs/api.key", "");
    const std::string passwordFile = write("api.password", "secret\n");
    std::filesystem::permissions(passwordFile,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    const CommandResult result = check(write("api.ini", text));
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_THAT(result.output, HasSubstr("configuration is valid"));
}

}  // namespace
}  // namespace citysense
