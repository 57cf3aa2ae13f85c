// Configuration reading and validation: one test per kind of error, each checking that the message
// names the file, the section and the key.
#include "PluginHarness.h"

#include <engine/Ed25519Key.h>
#include <engine/Engine.h>
#include <engine/Plan.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace citysense {
namespace {

const char* const kStation = "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\n";
const char* const kWorking =
    "[driver.air]\nplugin = simulated\nquantities = temperature\n"
    "[sink.out]\nplugin = console\n"
    "[pipeline.main]\ndrivers = air\nsinks = out\n";

class ConfigTest : public ::testing::Test {
protected:
    std::string write(const std::string& name, const std::string& text) {
        const auto path = _directory / name;
        std::ofstream(path) << text;
        return path.string();
    }

    /// Reads and validates `text` as an INI file; returns every issue, formatted.
    std::vector<std::string> check(const std::string& text, const std::string& name = "station.ini") {
        const std::string path = write(name, text);
        std::vector<ConfigIssue> issues;
        const Plan plan = makePlan(readConfigFile(path), test::builtPlugins(), issues);
        if (!hasErrors(issues))
            Engine engine(plan, test::builtPlugins(), issues);
        std::vector<std::string> lines;
        for (const auto& issue : issues)
            lines.push_back(formatIssue(path, issue));
        return lines;
    }

    /// The single issue `text` produces.
    std::string only(const std::string& text) {
        const auto lines = check(text);
        EXPECT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
        return lines.empty() ? "" : lines.front();
    }

    std::string path(const std::string& name) const { return (_directory / name).string(); }

    void SetUp() override {
        _directory = std::filesystem::temp_directory_path() /
                     ("citysense-config-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(_directory);
    }
    void TearDown() override { std::filesystem::remove_all(_directory); }

private:
    std::filesystem::path _directory;
};

TEST_F(ConfigTest, AWorkingConfigurationHasNoIssues) {
    EXPECT_TRUE(check(std::string(kStation) + kWorking).empty());
}

TEST_F(ConfigTest, MissingFileNamesThePath) {
    try {
        readConfigFile(path("absent.ini"));
        FAIL() << "no error";
    } catch (const ConfigFileError& error) {
        EXPECT_NE(std::string(error.what()).find(path("absent.ini") + ": no such configuration file"),
                  std::string::npos);
    }
}

TEST_F(ConfigTest, UnparsableXmlNamesThePath) {
    const std::string file = write("broken.xml", "<citysense><host><system>x</host></citysense>");
    try {
        readConfigFile(file);
        FAIL() << "no error";
    } catch (const ConfigFileError& error) {
        EXPECT_NE(std::string(error.what()).find(file + ": cannot be parsed"), std::string::npos);
    }
}

TEST_F(ConfigTest, UnknownKey) {
    const std::string line = only(std::string(kStation) + kWorking + "[driver.air]\nintervall = 5s\n");
    EXPECT_NE(line.find("station.ini: [driver.air] intervall: unknown option"), std::string::npos) << line;
}

TEST_F(ConfigTest, WrongType) {
    const std::string line = only(std::string(kStation) + kWorking + "[driver.air]\ninterval = fast\n");
    EXPECT_NE(line.find("[driver.air] interval: expected duration: 'fast' is not a duration"),
              std::string::npos)
        << line;
}

TEST_F(ConfigTest, OutOfRange) {
    const std::string line = only(std::string(kStation) + kWorking + "[sink.out]\nqueue_size = 0\n");
    EXPECT_NE(line.find("[sink.out] queue_size: expected integer: 0 is out of range"), std::string::npos)
        << line;
}

TEST_F(ConfigTest, MallocArenasIsReadAndBounded) {
    const std::string path = write("station.ini", std::string(kStation) + "malloc_arenas = 1\n" + kWorking);
    std::vector<ConfigIssue> issues;
    EXPECT_EQ(makePlan(readConfigFile(path), test::builtPlugins(), issues).host.mallocArenas, 1);
    EXPECT_TRUE(issues.empty());
    const std::string line = only(std::string(kStation) + "malloc_arenas = -1\n" + kWorking);
    EXPECT_NE(line.find("[host] malloc_arenas: expected integer: -1 is out of range"), std::string::npos)
        << line;
}

TEST_F(ConfigTest, MissingRequiredHostKey) {
    const std::string line = only("[host]\nsystem = hypo_city\ncity = city_01\n" + std::string(kWorking));
    EXPECT_NE(line.find("[host] street: missing"), std::string::npos) << line;
}

TEST_F(ConfigTest, MissingHostSection) {
    const std::string line = only(kWorking);
    EXPECT_NE(line.find("station.ini: there is no [host] section"), std::string::npos) << line;
}

TEST_F(ConfigTest, TopicLevelsMayNotHoldWildcards) {
    const std::string line =
        only("[host]\nsystem = hypo_city\ncity = city/01\nstreet = street_01\n" + std::string(kWorking));
    EXPECT_NE(line.find("[host] city: 'city/01' is a topic level"), std::string::npos) << line;
}

TEST_F(ConfigTest, ANameLongerThanTheStoreHoldsIsRefused) {
    // The readings store's name columns hold 255 characters; a longer street would be cut there.
    const std::string line = only(
        "[host]\nsystem = hypo_city\ncity = city_01\nstreet = " + std::string(256, 's') + "\n" + kWorking);
    EXPECT_NE(line.find("[host] street: street is 256 characters long, longer than the 255 a name may have"),
              std::string::npos)
        << line;
    std::string umlauts;
    for (int i = 0; i < 255; ++i)
        umlauts += "\xC3\xBC";  // 255 characters in 510 bytes fit
    EXPECT_TRUE(
        check("[host]\nsystem = hypo_city\ncity = city_01\nstreet = " + umlauts + "\n" + kWorking).empty());
}

TEST_F(ConfigTest, MissingReference) {
    const std::string line =
        only(std::string(kStation) + kWorking + "[pipeline.main]\nsinks = out, printer\n");
    EXPECT_NE(line.find("[pipeline.main] sinks: there is no section [sink.printer]"), std::string::npos)
        << line;
}

TEST_F(ConfigTest, AnInstanceListedTwiceInAPipelineIsAnError) {
    const std::string line = only(std::string(kStation) + kWorking + "[pipeline.main]\nsinks = out, out\n");
    EXPECT_NE(line.find("[pipeline.main] sinks: 'out' is listed twice"), std::string::npos) << line;
}

TEST_F(ConfigTest, APipelineWithoutSinksIsAnError) {
    const auto lines = check(std::string(kStation) + kWorking + "[pipeline.main]\nsinks =\n");
    ASSERT_EQ(lines.size(), 2u);  // and the sink no pipeline uses now
    EXPECT_NE(lines[0].find("[pipeline.main] sinks: names no instance"), std::string::npos) << lines[0];
}

TEST_F(ConfigTest, AnEmptyTopicLevelIsAnError) {
    const std::string line =
        only("[host]\nsystem =\ncity = city_01\nstreet = street_01\n" + std::string(kWorking));
    EXPECT_NE(line.find("[host] system: is empty"), std::string::npos) << line;
}

TEST_F(ConfigTest, UnusedDriverIsAnError) {
    const std::string line = only(std::string(kStation) + kWorking + "[driver.spare]\nplugin = simulated\n");
    EXPECT_NE(line.find("[driver.spare] defined but no pipeline uses it"), std::string::npos) << line;
}

TEST_F(ConfigTest, UnusedSinkIsAWarning) {
    const auto lines = check(std::string(kStation) + kWorking + "[sink.spare]\nplugin = console\n");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("warning: [sink.spare] defined but no pipeline uses it"), std::string::npos);
}

TEST_F(ConfigTest, UnknownPluginListsTheAvailableOnes) {
    const std::string line = only(std::string(kStation) + kWorking + "[driver.air]\nplugin = bme281\n");
    EXPECT_NE(line.find("[driver.air] plugin: no driver plugin named 'bme281' was loaded (available: "),
              std::string::npos)
        << line;
    EXPECT_NE(line.find("simulated"), std::string::npos) << line;
}

TEST_F(ConfigTest, PluginOfTheWrongKind) {
    const std::string line = only(std::string(kStation) + kWorking + "[driver.air]\nplugin = console\n");
    EXPECT_NE(line.find("[driver.air] plugin: 'console' is a sink plugin, not a driver"), std::string::npos)
        << line;
}

TEST_F(ConfigTest, UnknownSection) {
    const std::string line = only(std::string(kStation) + kWorking + "[drvier.air]\nplugin = simulated\n");
    EXPECT_NE(line.find("[drvier.air] unknown section"), std::string::npos) << line;
}

TEST_F(ConfigTest, SectionWithoutName) {
    const std::string line = only(std::string(kStation) + kWorking + "[sink]\nplugin = console\n");
    EXPECT_NE(line.find("[sink] a section of this kind needs a name: write [sink.NAME]"), std::string::npos)
        << line;
}

TEST_F(ConfigTest, KeyOutsideAnySection) {
    const std::string line = only("interval = 5s\n" + std::string(kStation) + kWorking);
    EXPECT_NE(line.find("station.ini: interval: a key outside any section"), std::string::npos) << line;
}

TEST_F(ConfigTest, KeyOutsideAnySectionOfAFragmentNamesTheFragment) {
    std::filesystem::create_directories(path("conf.d"));
    write("conf.d/50-local.ini", "interval = 5s\n");
    const std::string line = only(std::string(kStation) + kWorking);
    EXPECT_NE(line.find(path("conf.d/50-local.ini") + ": interval: a key outside any section"),
              std::string::npos)
        << line;
}

TEST_F(ConfigTest, HttpListenIsCheckedBeforeItIsUsed) {
    for (const auto& [value, message] : std::vector<std::pair<std::string, std::string>>{
             {"8180", "'8180' is not HOST:PORT"},
             {"127.0.0.1:99999", "'127.0.0.1:99999' has port '99999', not a number from 0 to 65535"},
             {"127.0.0.1:http", "'127.0.0.1:http' has port 'http', not a number"},
             {"a b:80", "'a b:80' has host 'a b', neither an IP address nor a host name"},
             {"::1:8180", "'::1:8180' has an IPv6 address without brackets"},
             {":8180", "':8180' has no host (0.0.0.0 or [::] listens on every address)"}}) {
        const std::string line = only(std::string(kStation) + "http_listen = " + value + "\n" + kWorking);
        EXPECT_NE(line.find("[host] http_listen: " + message), std::string::npos) << line;
    }
    for (const char* value : {"127.0.0.1:0", "[::1]:8180", "localhost:8180", "off"})
        EXPECT_TRUE(check(std::string(kStation) + "http_listen = " + value + "\n" + kWorking).empty())
            << value;
}

TEST_F(ConfigTest, NoPipeline) {
    const auto lines = check(std::string(kStation) + "[sink.out]\nplugin = console\n");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NE(lines[0].find("there is no [pipeline.NAME] section"), std::string::npos) << lines[0];
}

TEST_F(ConfigTest, ErrorFoundByThePluginItself) {
    const std::string line = only(std::string(kStation) + kWorking + "[driver.air]\nhumidity.mean = 50\n");
    EXPECT_NE(line.find("[driver.air] humidity.mean: "), std::string::npos) << line;
}

TEST_F(ConfigTest, EveryErrorIsReportedAtOnce) {
    const auto lines = check(std::string(kStation) + kWorking +
                             "[driver.air]\ninterval = soon\ncolour = red\n"
                             "[sink.out]\nformat = xml\n"
                             "[pipeline.main]\nfilters = missing\n");
    EXPECT_EQ(lines.size(), 4u) << ::testing::PrintToString(lines);
}

TEST_F(ConfigTest, XmlAndIniGiveTheSamePlan) {
    const std::string xml = write("station.xml",
                                  "<citysense><host><system>hypo_city</system><city>city_01</city>"
                                  "<street>street_01</street></host>"
                                  "<driver><air><plugin>simulated</plugin><interval>2s</interval>"
                                  "<temperature><mean>20</mean></temperature></air></driver>"
                                  "<sink><out><plugin>console</plugin></out></sink>"
                                  "<pipeline><main><drivers>air</drivers><sinks>out</sinks></main></pipeline>"
                                  "</citysense>");
    const std::string ini = write("station.ini", std::string(kStation) +
                                                     "[driver.air]\nplugin = simulated\ninterval = 2s\n"
                                                     "temperature.mean = 20\n[sink.out]\nplugin = console\n"
                                                     "[pipeline.main]\ndrivers = air\nsinks = out\n");
    std::vector<ConfigIssue> issues;
    const Plan fromXml = makePlan(readConfigFile(xml), test::builtPlugins(), issues);
    const Plan fromIni = makePlan(readConfigFile(ini), test::builtPlugins(), issues);
    EXPECT_TRUE(issues.empty());
    ASSERT_EQ(fromXml.drivers.size(), 1u);
    ASSERT_EQ(fromIni.drivers.size(), 1u);
    EXPECT_EQ(fromXml.drivers[0].options.getDuration("interval"),
              fromIni.drivers[0].options.getDuration("interval"));
    EXPECT_EQ(fromXml.drivers[0].options.getNumber("mean", Quantity::Temperature), 20.0);
    EXPECT_EQ(fromIni.drivers[0].options.getNumber("mean", Quantity::Temperature), 20.0);
    EXPECT_EQ(fromXml.host.station.street, fromIni.host.station.street);
    EXPECT_EQ(fromXml.pipelines[0].sinks, fromIni.pipelines[0].sinks);
}

TEST_F(ConfigTest, FragmentsInConfDAreMergedInNameOrder) {
    std::filesystem::create_directories(path("conf.d"));
    write("conf.d/20-street.ini", "[host]\nstreet = street_20\n[driver.air]\ninterval = 2s\n");
    write("conf.d/10-street.ini", "[host]\nstreet = street_10\n[sink.extra]\nplugin = console\n");
    write("conf.d/notes.txt", "[host]\nstreet = ignored\n");
    const std::string main = write("station.ini", std::string(kStation) + kWorking);
    const ConfigDocument document = readConfigFile(main);
    EXPECT_EQ(document.files,
              (std::vector<std::string>{main, path("conf.d/10-street.ini"), path("conf.d/20-street.ini")}));
    std::vector<ConfigIssue> issues;
    const Plan plan = makePlan(document, test::builtPlugins(), issues);
    EXPECT_EQ(plan.host.station.street, "street_20");
    EXPECT_EQ(plan.drivers.at(0).options.getDuration("interval"), 2 * kMicrosPerSecond);
    EXPECT_EQ(plan.sinks.size(), 2u);
}

TEST_F(ConfigTest, AnErrorInAFragmentNamesTheFragment) {
    std::filesystem::create_directories(path("conf.d"));
    write("conf.d/50-local.ini", "[driver.air]\ninterval = often\n");
    const std::string line = only(std::string(kStation) + kWorking);
    EXPECT_NE(line.find(path("conf.d/50-local.ini") + ": [driver.air] interval: expected duration"),
              std::string::npos)
        << line;
}

TEST_F(ConfigTest, ShippedDemoConfigurationsAreValid) {
    // Their paths are relative to etc/, naming build/demo where tools/demo keeps the broker's files:
    // here a copy of etc/ beside such a build/demo, in whatever directory the test runs.
    std::filesystem::create_directories(path("etc"));
    std::filesystem::create_directories(path("build/demo/broker/certs"));
    write("build/demo/broker/certs/ca.crt", "");
    for (const char* password : {"build/demo/gateway.password", "build/demo/ingest.password"}) {
        write(password, "secret\n");
        std::filesystem::permissions(path(password), std::filesystem::perms::owner_read);
    }
    Ed25519Key::generate().writePublic(path("build/demo/operator.key.pub"));
    for (const char* demo : {"/etc/demo.ini", "/etc/demo.xml", "/etc/demo-ingest.ini"}) {
        std::filesystem::copy_file(std::string(CITYSENSE_SOURCE_DIR) + demo, path(demo + 1));
        std::vector<ConfigIssue> issues;
        const Plan plan = makePlan(readConfigFile(path(demo + 1)), test::builtPlugins(), issues);
        Engine engine(plan, test::builtPlugins(), issues);
        EXPECT_TRUE(issues.empty()) << demo;
    }
}

TEST_F(ConfigTest, ShippedIngestConfigurationsFlagImpossibleReadings) {
    // What a gateway publishes passes through every filter of the ingest's pipeline on its way to the
    // database: a negative traffic speed and a direction above 360 must arrive flagged.
    for (const char* ingest : {"/etc/ingest.ini", "/etc/demo-ingest.ini"}) {
        const ConfigDocument document = readConfigFile(std::string(CITYSENSE_SOURCE_DIR) + ingest);
        const auto pipelines = document.ofKind("pipeline");
        ASSERT_EQ(pipelines.size(), 1u) << ingest;
        SampleBatch batch{test::testSample(Quantity::TrafficSpeed, -12.0, 1),
                          test::testSample(Quantity::WindDirection, 361.0, 1)};
        std::istringstream filters(
            pipelines.front()->values.count("filters") ? pipelines.front()->values.at("filters") : "");
        for (std::string name; std::getline(filters >> std::ws, name, ',');) {
            name.erase(name.find_last_not_of(' ') + 1);
            std::map<std::string, std::string> options = document.find("filter", name)->values;
            const std::string plugin = options.at("plugin");
            options.erase("plugin");
            test::makeFilter(plugin, options)->process(batch);
        }
        ASSERT_EQ(batch.size(), 2u) << ingest;
        for (const Sample& sample : batch)
            EXPECT_TRUE(sample.quality & QualityOutOfRange) << ingest << ": " << info(sample.quantity).name;
    }
}

}  // namespace
}  // namespace citysense
