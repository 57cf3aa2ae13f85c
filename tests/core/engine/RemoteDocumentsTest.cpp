// The parts of remote configuration that need no broker: the operator's key, signed documents and
// reports, which keys may be changed remotely, the conf.d fragment, and reading a configuration with a
// fragment replaced. RemoteConfigTest (tests/apps/citysensed) runs them end to end.
#include <engine/Config.h>
#include <engine/Ed25519Key.h>
#include <engine/RemoteFragment.h>
#include <engine/RemoteKeys.h>
#include <engine/SignedDocument.h>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>

namespace citysense {
namespace {

class RemoteDocumentsTest : public ::testing::Test {
protected:
    void SetUp() override {
        _directory = std::filesystem::temp_directory_path() /
                     ("citysense-remote-documents-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(_directory);
    }
    void TearDown() override { std::filesystem::remove_all(_directory); }

    std::string path(const std::string& name) const { return (_directory / name).string(); }

    std::string write(const std::string& name, const std::string& text) const {
        std::filesystem::create_directories(std::filesystem::path(path(name)).parent_path());
        std::ofstream(path(name)) << text;
        return path(name);
    }

    static DesiredDocument document() {
        return {"hypo_city/city_01/street_01",
                7,
                "r-1",
                nowMicros() + 3600 * kMicrosPerSecond,
                {{"driver.no2", {{"interval", "5s"}}}, {"driver.so2", {{"enabled", "false"}}}}};
    }

    /// What openSignedDocument() says of `envelope` ("" if it opens).
    static std::string refusalOf(const std::string& envelope, const Ed25519Key& key) {
        try {
            openSignedDocument(envelope, key);
        } catch (const DocumentError& error) {
            return error.what();
        }
        return "";
    }

    std::filesystem::path _directory;
    Ed25519Key _key = Ed25519Key::generate();
};

TEST_F(RemoteDocumentsTest, ASignedDocumentOpensWithTheKeyAndNoOtherAndNotOnceChanged) {
    const std::string envelope = signDocument(document(), _key);
    const DesiredDocument opened = openSignedDocument(envelope, _key);
    EXPECT_EQ(opened.gateway, "hypo_city/city_01/street_01");
    EXPECT_EQ(opened.version, 7);
    EXPECT_EQ(opened.request, "r-1");
    EXPECT_EQ(opened.changes, document().changes);

    EXPECT_NE(refusalOf(envelope, Ed25519Key::generate()).find("does not verify"), std::string::npos);
    std::string changed = envelope;
    changed.replace(changed.find("5s"), 2, "1s");
    EXPECT_NE(refusalOf(changed, _key).find("does not verify"), std::string::npos);
}

TEST_F(RemoteDocumentsTest, MalformedEnvelopesAndDocumentsAreRefusedSayingWhy) {
    EXPECT_NE(refusalOf("not json", _key).find("not JSON"), std::string::npos);
    EXPECT_NE(refusalOf("[1]", _key).find("not a JSON object"), std::string::npos);
    EXPECT_NE(refusalOf(R"({"document": "{}"})", _key).find("\"signature\""), std::string::npos);
    EXPECT_NE(refusalOf(R"({"document": "{}", "signature": "*not base64*"})", _key).find("not base64"),
              std::string::npos);
    EXPECT_NE(refusalOf(std::string(kMaxSignedDocumentBytes + 1, ' '), _key).find("at most"),
              std::string::npos);

    DesiredDocument badRequest = document();
    badRequest.request = "two\nlines";
    EXPECT_NE(refusalOf(signDocument(badRequest, _key), _key).find("request id"), std::string::npos);
    DesiredDocument noVersion = document();
    noVersion.version = 0;
    EXPECT_NE(refusalOf(signDocument(noVersion, _key), _key).find("positive"), std::string::npos);
}

TEST_F(RemoteDocumentsTest, AReportReadsBackAsWritten) {
    ReportedDocument report;
    report.gateway = "hypo_city/city_01/street_01";
    report.version = 8;
    report.request = "r-2";
    report.status = ReportStatus::IgnoredStale;
    report.appliedVersion = 7;
    report.errors = {{"[driver.no2]", "interval", "too short"}, {"", "", "whole"}};
    report.time = 1234567;
    const ReportedDocument read = ReportedDocument::fromJson(report.toJson());
    EXPECT_EQ(read.version, 8);
    EXPECT_EQ(read.status, ReportStatus::IgnoredStale);
    EXPECT_EQ(read.appliedVersion, 7);
    ASSERT_EQ(read.errors.size(), 2u);
    EXPECT_EQ(read.errors[0].section, "[driver.no2]");
    EXPECT_EQ(read.errors[0].key, "interval");
    EXPECT_EQ(read.time, 1234567);
    EXPECT_NE(report.toJson().find("\"status\":\"ignored-stale\""), std::string::npos);
}

TEST_F(RemoteDocumentsTest, RemoteKeysAllowIntervalsEnabledAndThresholdsAndNeverCredentialsOrPaths) {
    const RemoteKeys keys(RemoteKeys::defaults());
    EXPECT_TRUE(keys.allows("driver.no2", "interval"));
    EXPECT_TRUE(keys.allows("driver.no2", "enabled"));
    EXPECT_TRUE(keys.allows("sink.broker", "enabled"));
    EXPECT_TRUE(keys.allows("filter.calm", "absolute"));
    EXPECT_TRUE(keys.allows("filter.calm", "no2.absolute"));
    EXPECT_FALSE(keys.allows("driver.no2", "max_backoff"));
    EXPECT_FALSE(keys.allows("filter.calm", "plugin"));

    const RemoteKeys everything({"*"});
    for (const auto& [section, key] :
         std::vector<std::pair<std::string, std::string>>{{"sink.broker", "uri"},
                                                          {"sink.broker", "password_file"},
                                                          {"sink.broker", "username"},
                                                          {"sink.broker", "spool"},
                                                          {"sink.broker", "spool_size"},
                                                          {"sink.db", "connection"},
                                                          {"driver.port", "device_path"},
                                                          {"pipeline.main", "sinks"},
                                                          {"driver.no2", "plugin"}}) {
        EXPECT_FALSE(everything.allows(section, key)) << section << "." << key;
    }
    EXPECT_TRUE(everything.allows("driver.no2", "max_backoff"));
}

TEST_F(RemoteDocumentsTest, TheFragmentSaysWhereItCameFromAndIsReplacedWhole) {
    const std::string fragment = remoteFragmentPath(path("gateway.ini"));
    EXPECT_EQ(fragment, path("conf.d/99-remote.ini"));
    EXPECT_EQ(readRemoteFragmentOrigin(fragment).version, 0);

    writeFileAtomically(fragment, renderRemoteFragment(document()));
    std::ifstream file(fragment);
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("[driver.no2]\ninterval = 5s\n"), std::string::npos) << text;
    EXPECT_NE(text.find("[driver.so2]\nenabled = false\n"), std::string::npos) << text;
    const RemoteFragmentOrigin origin = readRemoteFragmentOrigin(fragment);
    EXPECT_EQ(origin.version, 7);
    EXPECT_EQ(origin.request, "r-1");

    writeFileAtomically(fragment, "[driver.no2]\ninterval = 1s\n");
    EXPECT_EQ(readRemoteFragmentOrigin(fragment).version, 0);
    EXPECT_FALSE(std::filesystem::exists(fragment + ".new"));
}

TEST_F(RemoteDocumentsTest, AConfigurationReadsWithAFragmentReplacedOrLeftOut) {
    const std::string main = write("gateway.ini", "[host]\nsystem = s\n[driver.no2]\ninterval = 1s\n");
    write("conf.d/10-site.ini", "[driver.no2]\nmax_backoff = 1m\n");
    const std::string fragment = remoteFragmentPath(main);
    write("conf.d/99-remote.ini", "[driver.no2]\ninterval = 9s\n");

    const ConfigDocument asIs = readConfigFile(main);
    EXPECT_EQ(asIs.find("driver", "no2")->values.at("interval"), "9s");

    const ConfigDocument replaced = readConfigFile(main, {fragment, "[driver.no2]\ninterval = 2s\n"});
    EXPECT_EQ(replaced.find("driver", "no2")->values.at("interval"), "2s");
    EXPECT_EQ(replaced.find("driver", "no2")->values.at("max_backoff"), "1m");

    const ConfigDocument without = readConfigFile(main, {fragment, ""});
    EXPECT_EQ(without.find("driver", "no2")->values.at("interval"), "1s");
    EXPECT_EQ(without.files.size(), 2u);
}

TEST_F(RemoteDocumentsTest, ThePrivateKeyIsWrittenForItsOwnerOnlyAndNeverOverwritten) {
    _key.writePrivate(path("operator.key"));
    _key.writePublic(path("operator.key.pub"));
    struct stat status {};
    ASSERT_EQ(::stat(path("operator.key").c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0600u);
    EXPECT_THROW(Ed25519Key::generate().writePrivate(path("operator.key")), KeyError);

    const Ed25519Key publicHalf = Ed25519Key::readPublic(path("operator.key.pub"));
    const std::string envelope = signDocument(document(), Ed25519Key::readPrivate(path("operator.key")));
    EXPECT_EQ(openSignedDocument(envelope, publicHalf).version, 7);
    EXPECT_THROW(publicHalf.sign("x"), KeyError);
    EXPECT_THROW(Ed25519Key::readPublic(write("junk.pub", "not a key")), KeyError);
}

}  // namespace
}  // namespace citysense
