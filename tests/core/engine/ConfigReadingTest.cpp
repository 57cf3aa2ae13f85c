// Reading a configuration file that is malformed, hostile or huge: every case is a clear error naming
// the file and the line (never a crash, a hang or a silently different configuration), and what the
// operator sees has no raw control byte in it.
#include <engine/Config.h>
#include <engine/ConfigEntries.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace citysense {
namespace {

class ConfigReadingTest : public ::testing::Test {
protected:
    void SetUp() override {
        _directory = std::filesystem::temp_directory_path() /
                     ("citysense-config-reading-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(_directory);
    }
    void TearDown() override { std::filesystem::remove_all(_directory); }

    std::string write(const std::string& name, const std::string& text) {
        const auto path = _directory / name;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << text;
        return path.string();
    }

    /// The ConfigFileError that reading `text` as `name` gives ("" if it reads).
    std::string errorOf(const std::string& name, const std::string& text) {
        try {
            readConfigFile(write(name, text));
        } catch (const ConfigFileError& error) {
            return error.what();
        }
        return "";
    }

    std::filesystem::path _directory;
};

TEST_F(ConfigReadingTest, MalformedNamesAreErrorsNamingFileLineAndSection) {
    const std::string file = (_directory / "station.ini").string();
    EXPECT_EQ(errorOf("station.ini", "[host]\nsystem = s\n[.]\nplugin = x\n"),
              file + ": line 3: [.] section [.]: a name may not begin with '.'");
    EXPECT_EQ(errorOf("station.ini", "[.street]\n"),
              file + ": line 1: [.street] section [.street]: a name may not begin with '.'");
    EXPECT_EQ(errorOf("station.ini", "[driver.air]\n.a = 1\n"),
              file + ": line 2: [driver.air] key '.a': a name may not begin with '.'");
    EXPECT_EQ(errorOf("station.ini", "[driver.air]\n = 1\n"),
              file + ": line 2: [driver.air] a key with an empty name (write key = value)");
    EXPECT_EQ(errorOf("station.ini", "[driver..air]\n"),
              file + ": line 1: [driver..air] section [driver..air]: a name may not contain '..'");
    EXPECT_EQ(errorOf("station.ini", "[driver.air.]\n"),
              file + ": line 1: [driver.air.] section [driver.air.]: a name may not end with '.'");
    EXPECT_EQ(errorOf("station.ini", "[]\n"),
              file +
                  ": line 1: an empty section name: write [host], [driver.NAME], [filter.NAME], "
                  "[sink.NAME] or [pipeline.NAME]");
    EXPECT_EQ(errorOf("station.ini", "[driver.air\n"), file + ": line 1: '[driver.air' has no closing ']'");
    EXPECT_EQ(errorOf("station.ini", "[host]\nsystem\n"),
              file + ": line 2: [host] 'system' is neither a [section] nor a key = value line");
}

TEST_F(ConfigReadingTest, ControlBytesAndNulInNamesAreShownEscapedAndDoNotCutTheMessage) {
    const std::string error = errorOf(
        "station.ini", std::string("[host]\nsys\x1b[2Jtem = s\n", 23) + std::string("[driv\0er.x]\n", 12));
    EXPECT_NE(error.find("key 'sys\\x1b[2Jtem': a name may not contain a control character"),
              std::string::npos)
        << error;
    EXPECT_EQ(error.find('\x1b'), std::string::npos);
    const std::string nul = errorOf("station.ini", std::string("[driv\0er.x]\nkey = 1\n", 20));
    EXPECT_NE(nul.find("section [driv\\x00er.x]: a name may not contain a control character"),
              std::string::npos)
        << nul;
}

TEST_F(ConfigReadingTest, IssuesShowControlBytesOfValuesEscaped) {
    ConfigIssue issue{"[host]", "system", "'a\x1b]0;owned\x07' is odd"};
    EXPECT_EQ(formatIssue("station.ini", issue), "station.ini: [host] system: 'a\\x1b]0;owned\\x07' is odd");
}

TEST_F(ConfigReadingTest, CommentsWholeLineAndAfterAValue) {
    const std::string path =
        write("station.ini",
              "; a comment\n# another\n[host] ; the station\nsystem = hypo_city   ; why\n"
              "city = a;b\n\r\n");
    const ConfigDocument document = readConfigFile(path);
    const ConfigSection* host = document.find("host", "");
    ASSERT_NE(host, nullptr);
    EXPECT_EQ(host->values.at("system"), "hypo_city");
    EXPECT_EQ(host->values.at("city"), "a;b");
}

TEST_F(ConfigReadingTest, DeepXmlIsRefusedAtTheBoundNotWalked) {
    std::string deep = "<citysense>";
    for (int level = 0; level < 20000; ++level)
        deep += "<a>";
    const std::string error = errorOf("deep.xml", deep);
    EXPECT_NE(error.find("deep.xml: line 1: <a> is nested deeper than 16 levels"), std::string::npos)
        << error;
}

TEST_F(ConfigReadingTest, XmlThatCannotMeanAConfigurationIsAnError) {
    EXPECT_NE(errorOf("a.xml", "<c>\n<host system=\"x\"/></c>")
                  .find("a.xml: line 2: <host> has an attribute (system)"),
              std::string::npos);
    EXPECT_NE(errorOf("b.xml", "<c><host>text<system>x</system></host></c>")
                  .find("<host> has both text and elements"),
              std::string::npos);
    EXPECT_NE(errorOf("d.xml", "<c><host><sys.tem>a</sys.tem></host></c>")
                  .find("d.xml: line 1: <sys.tem>: an element name may not contain '.'"),
              std::string::npos);
}

TEST_F(ConfigReadingTest, AFileOverTheSizeBoundIsRefusedBeforeItIsParsed) {
    const std::string path = write("huge.ini", "");
    std::filesystem::resize_file(path, ConfigLimits::maxFileBytes + 1);
    try {
        readConfigFile(path);
        FAIL() << "no error";
    } catch (const ConfigFileError& error) {
        EXPECT_NE(std::string(error.what()).find("a configuration file may have at most"), std::string::npos);
    }
}

TEST_F(ConfigReadingTest, AMalformedFragmentNamesTheFragment) {
    const std::string main = write("station.ini", "[host]\nsystem = s\n");
    write("conf.d/50-typo.ini", "[.street]\n");
    try {
        readConfigFile(main);
        FAIL() << "no error";
    } catch (const ConfigFileError& error) {
        EXPECT_NE(std::string(error.what()).find((_directory / "conf.d/50-typo.ini").string() + ": line 1"),
                  std::string::npos)
            << error.what();
    }
}

}  // namespace
}  // namespace citysense
