// PluginRegistry over the fixture libraries: the good ones load with their identity and option table,
// and every bad one is refused with exactly one error that names the file and says what is wrong.

#include "LoadingSupport.h"

#include <engine/PluginRegistry.h>

#include <citysense/Abi.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace citysense {
namespace {

using test::fixtureDir;
using test::fixtureFile;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::string abiText(unsigned major, unsigned minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

/// Creates, configures and reads a loaded fixture driver once; returns its sample.
Sample readOnce(PluginRegistry& registry, const std::string& name,
                const std::map<std::string, std::string>& raw) {
    auto driver = registry.createDriver(name);
    const Station station{"hypo_city", "city_01", "street_01"};
    const Source* source = Source::intern(station, "driver.fixture");
    driver->attach({"driver.fixture", station, source});
    std::vector<OptionIssue> issues;
    const Options options = Options::parse(driver->options(), raw, issues);
    EXPECT_THAT(issues, IsEmpty());
    driver->configure(options);
    EXPECT_FALSE(driver->eventDriven());
    const std::vector<Channel> channels = driver->channels();
    EXPECT_THAT(channels, SizeIs(1));
    driver->open();
    SampleBatch batch;
    driver->read(batch);
    driver->close();
    EXPECT_THAT(batch, SizeIs(1));
    if (batch.size() != 1)
        return {};
    EXPECT_EQ(batch[0].source, source);
    if (!channels.empty()) {
        EXPECT_EQ(batch[0].quantity, channels[0].quantity);
    }
    return batch[0];
}

TEST(FixtureLoading, GoodPluginLoadsWithItsIdentityAndOptionTable) {
    PluginRegistry registry;
    registry.scan({fixtureDir("good")});
    EXPECT_THAT(registry.errors(), IsEmpty());
    ASSERT_THAT(registry.plugins(), SizeIs(1));
    const PluginEntry* entry = registry.find("fixture_good");
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->name, "fixture_good");
    EXPECT_EQ(entry->kind, PluginKind::Driver);
    EXPECT_EQ(entry->version, "1.0.0");
    EXPECT_EQ(entry->summary, "Fixture: a driver that loads");
    EXPECT_EQ(entry->path, fixtureFile("good"));
    EXPECT_EQ(entry->abiMinor, static_cast<unsigned>(CITYSENSE_ABI_MINOR));
    ASSERT_THAT(entry->options, SizeIs(1));
    const Option& option = entry->options[0];
    EXPECT_EQ(option.name, "value");
    EXPECT_EQ(option.type, OptionType::Number);
    EXPECT_EQ(option.defaultValue, "21.5");
    EXPECT_EQ(option.min, -40);
    EXPECT_EQ(option.max, 85);
    EXPECT_FALSE(option.description.empty());
}

TEST(FixtureLoading, GoodPluginCreatesWorkingDrivers) {
    PluginRegistry registry;
    registry.load(fixtureFile("good"));
    ASSERT_NE(registry.find("fixture_good"), nullptr) << ::testing::PrintToString(registry.errors());
    EXPECT_EQ(readOnce(registry, "fixture_good", {}).value, 21.5);
    EXPECT_EQ(readOnce(registry, "fixture_good", {{"value", "-3.25"}}).value, -3.25);
}

TEST(FixtureLoading, PluginBuiltAgainstAbi1_0KeepsLoading) {
    PluginRegistry registry;
    registry.scan({fixtureDir("abi_v1_0")});
    EXPECT_THAT(registry.errors(), IsEmpty());
    const PluginEntry* entry = registry.find("fixture_abi_1_0");
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->abiMinor, 0u);
    EXPECT_EQ(entry->path, fixtureFile("abi_v1_0"));
    EXPECT_EQ(readOnce(registry, "fixture_abi_1_0", {{"value", "12"}}).value, 12.0);
}

/// A fixture that must not load, and what its one error must say.
struct BadFixture {
    std::string fixtureCase;
    std::string pluginName;  ///< the name the error carries: empty when the library could not tell it
    std::vector<std::string> words;
};

void PrintTo(const BadFixture& fixture, std::ostream* out) {
    *out << fixture.fixtureCase;
}

class BadFixtureLoading : public ::testing::TestWithParam<BadFixture> {
protected:
    /// Checks that `registry` loaded nothing and holds exactly the error this fixture deserves.
    void expectRefused(const PluginRegistry& registry) {
        const BadFixture& fixture = GetParam();
        EXPECT_THAT(registry.plugins(), IsEmpty());
        if (!fixture.pluginName.empty()) {
            EXPECT_EQ(registry.find(fixture.pluginName), nullptr);
        }
        ASSERT_THAT(registry.errors(), SizeIs(1));
        const PluginLoadError& error = registry.errors()[0];
        EXPECT_EQ(error.path, fixtureFile(fixture.fixtureCase));
        EXPECT_EQ(error.name, fixture.pluginName);
        for (const auto& word : fixture.words)
            EXPECT_THAT(error.message, HasSubstr(word));
    }
};

TEST_P(BadFixtureLoading, ScanningItsDirectoryGivesOneErrorNamingTheFile) {
    PluginRegistry registry;
    registry.scan({fixtureDir(GetParam().fixtureCase)});
    expectRefused(registry);
}

TEST_P(BadFixtureLoading, LoadingTheFileGivesOneErrorNamingTheFile) {
    PluginRegistry registry;
    registry.load(fixtureFile(GetParam().fixtureCase));
    expectRefused(registry);
}

TEST_P(BadFixtureLoading, ErrorIsFoundByItsPluginName) {
    PluginRegistry registry;
    registry.scan({fixtureDir(GetParam().fixtureCase)});
    const std::string asked = GetParam().pluginName.empty() ? "anything" : GetParam().pluginName;
    const auto concerning = registry.errorsConcerning(asked);
    ASSERT_THAT(concerning, SizeIs(1));
    EXPECT_EQ(concerning[0].path, fixtureFile(GetParam().fixtureCase));
    EXPECT_THAT(registry.errorsConcerning("fixture_good"), SizeIs(GetParam().pluginName.empty() ? 1 : 0));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BadFixtureLoading,
    ::testing::Values(
        BadFixture{"not_elf", "", {"cannot load library", "ELF"}},
        BadFixture{"wrong_abi",
                   "fixture_wrong_abi",
                   {"fixture_wrong_abi", "ABI " + abiText(CITYSENSE_ABI_MAJOR + 1, 0),
                    "ABI " + abiText(CITYSENSE_ABI_MAJOR, CITYSENSE_ABI_MINOR), "rebuild"}},
        BadFixture{"no_manifest", "fixture_no_manifest", {"fixture_no_manifest", "manifest"}},
        BadFixture{"throwing", "fixture_throwing", {"fixture_throwing", "fixture constructor failed"}},
        BadFixture{"not_plugin", "", {"not a citysense plugin", "does not export citysense_plugin_info"}}),
    [](const ::testing::TestParamInfo<BadFixture>& info) { return info.param.fixtureCase; });

TEST(FixtureLoading, FirstDirectoryWinsWhenTwoLibrariesShareAName) {
    PluginRegistry registry;
    registry.scan({fixtureDir("good"), fixtureDir("duplicate")});
    const PluginEntry* entry = registry.find("fixture_good");
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->path, fixtureFile("good"));
    EXPECT_EQ(entry->version, "1.0.0");
    ASSERT_THAT(registry.errors(), SizeIs(1));
    const PluginLoadError& error = registry.errors()[0];
    EXPECT_EQ(error.path, fixtureFile("duplicate"));
    EXPECT_EQ(error.name, "fixture_good");
    EXPECT_THAT(error.message, HasSubstr("already loaded from " + fixtureFile("good")));
    EXPECT_EQ(readOnce(registry, "fixture_good", {}).value, 21.5);
}

TEST(FixtureLoading, OrderOfTheDirectoriesDecidesWhichCopyWins) {
    PluginRegistry registry;
    registry.scan({fixtureDir("duplicate"), fixtureDir("good")});
    const PluginEntry* entry = registry.find("fixture_good");
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->path, fixtureFile("duplicate"));
    EXPECT_EQ(entry->version, "2.0.0");
    ASSERT_THAT(registry.errors(), SizeIs(1));
    EXPECT_EQ(registry.errors()[0].path, fixtureFile("good"));
    EXPECT_THAT(registry.errors()[0].message, HasSubstr("already loaded from " + fixtureFile("duplicate")));
}

TEST(FixtureLoading, ScanningEveryCaseLoadsTheGoodOnesAndReportsEachBadFileOnce) {
    PluginRegistry registry;
    registry.scan(test::allFixtureDirs());
    std::vector<std::string> loaded;
    for (const auto* entry : registry.plugins())
        loaded.push_back(entry->name);
    EXPECT_THAT(loaded, ::testing::UnorderedElementsAre("fixture_good", "fixture_abi_1_0"));
    std::vector<std::string> failed;
    for (const auto& error : registry.errors())
        failed.push_back(error.path);
    EXPECT_THAT(failed, ::testing::UnorderedElementsAre(fixtureFile("not_elf"), fixtureFile("wrong_abi"),
                                                        fixtureFile("no_manifest"), fixtureFile("throwing"),
                                                        fixtureFile("not_plugin"), fixtureFile("duplicate")));
    EXPECT_EQ(readOnce(registry, "fixture_good", {}).value, 21.5);
    EXPECT_EQ(readOnce(registry, "fixture_abi_1_0", {}).value, 21.5);
}

TEST(FixtureLoading, MissingDirectoryIsSkipped) {
    PluginRegistry registry;
    registry.scan({fixtureDir("no_such_case"), fixtureDir("good")});
    EXPECT_THAT(registry.errors(), IsEmpty());
    EXPECT_NE(registry.find("fixture_good"), nullptr);
}

// The same directory twice on the path (e.g. plugin_path naming the plugin directory that the built-in
// search path adds anyway) is one directory: its plugins are not duplicates of themselves.
TEST(FixtureLoading, DirectoryListedTwiceIsNotADuplicateOfItself) {
    PluginRegistry registry;
    registry.scan({fixtureDir("good"), fixtureDir("good")});
    EXPECT_NE(registry.find("fixture_good"), nullptr);
    EXPECT_THAT(registry.errors(), IsEmpty());
}

TEST(FixtureLoading, ConfiguredPluginDirectoryThatIsAlsoBuiltInIsNotADuplicate) {
    PluginRegistry registry;
    registry.scan(PluginRegistry::searchPath({CITYSENSE_TEST_PLUGIN_DIR}));
    EXPECT_NE(registry.find("simulated"), nullptr);
    for (const auto& error : registry.errors()) {
        if (error.path.rfind(CITYSENSE_TEST_PLUGIN_DIR "/", 0) == 0)
            ADD_FAILURE() << error.path << ": " << error.message;
    }
}

// load() records failures and never throws, whatever the plugin's constructor throws.
TEST(FixtureLoading, ConstructorThrowingANonStandardExceptionIsALoadError) {
    PluginRegistry registry;
    ASSERT_NO_THROW(registry.scan({fixtureDir("throwing_other")}));
    EXPECT_EQ(registry.find("fixture_throwing_other"), nullptr);
    ASSERT_THAT(registry.errors(), SizeIs(1));
    EXPECT_EQ(registry.errors()[0].path, fixtureFile("throwing_other"));
    EXPECT_THAT(registry.errors()[0].message, HasSubstr("fixture_throwing_other"));
}

}  // namespace
}  // namespace citysense
