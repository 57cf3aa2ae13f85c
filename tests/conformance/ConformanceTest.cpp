// The conformance test: every plugin built into the plugin directory, whatever its kind, declares
// complete options, accepts its own defaults, rejects what its table does not allow, and starts and
// stops cleanly with default options. A new plugin is covered as soon as it is built.

#include <PluginHarness.h>
#include <Programs.h>
#include <engine/HostOptions.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace citysense {
namespace {

using test::builtPlugins;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

/// The names of the plugins that loaded from the plugin directory (of one kind, if given), gathered at
/// startup to instantiate the tests.
std::vector<std::string> pluginNames(std::optional<PluginKind> kind = std::nullopt) {
    std::vector<std::string> names;
    for (const auto* entry : builtPlugins().plugins()) {
        if (!kind || entry->kind == *kind)
            names.push_back(entry->name);
    }
    return names;
}

/// "max_silence": lower-case words of letters and digits, joined by single underscores.
bool isLowerSnakeCase(const std::string& name) {
    const auto lowerOrDigit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (name.empty() || !(name.front() >= 'a' && name.front() <= 'z') || name.back() == '_')
        return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (!lowerOrDigit(name[i]) && !(name[i] == '_' && name[i + 1] != '_'))
            return false;
    }
    return true;
}

bool hasMandatoryOption(const PluginEntry& entry) {
    return std::any_of(entry.options.begin(), entry.options.end(),
                       [](const Option& option) { return option.required; });
}

/// A value of the wrong type for `option`; empty for the types whose values are words (string, list, choice).
std::string wrongTypedValue(const Option& option) {
    switch (option.type) {
        case OptionType::Integer:
            return "twelve";
        case OptionType::Number:
            return "about 3";
        case OptionType::Boolean:
            return "perhaps";
        case OptionType::Duration:
            return "a while";
        default:
            return "";
    }
}

TEST(Conformance, PluginDirectoryHoldsPluginsThatAllLoad) {
    EXPECT_THAT(pluginNames(), Not(IsEmpty())) << "no plugin in " CITYSENSE_TEST_PLUGIN_DIR;
    for (const auto& error : builtPlugins().errors())
        ADD_FAILURE() << error.path << ": " << error.message;
}

class PluginConformance : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _entry = builtPlugins().find(GetParam());
        ASSERT_NE(_entry, nullptr);
    }

    const PluginEntry& entry() const { return *_entry; }

    /// What Options::parse reports for `raw` against the plugin's table.
    std::vector<OptionIssue> issuesFor(const std::map<std::string, std::string>& raw) const {
        std::vector<OptionIssue> issues;
        Options::parse(entry().options, raw, issues);
        return issues;
    }

private:
    const PluginEntry* _entry = nullptr;
};

TEST_P(PluginConformance, HasAVersionAndASummary) {
    EXPECT_FALSE(entry().version.empty());
    EXPECT_FALSE(entry().summary.empty());
}

TEST_P(PluginConformance, OptionNamesAreUniqueLowerSnakeCaseAndNotTheHosts) {
    std::set<std::string> reserved;
    for (const auto& option : hostOptions(kindName(entry().kind)))
        reserved.insert(option.name);
    ASSERT_FALSE(reserved.empty());
    std::set<std::string> seen;
    for (const auto& option : entry().options) {
        EXPECT_FALSE(option.name.empty());
        EXPECT_TRUE(isLowerSnakeCase(option.name)) << "'" << option.name << "'";
        EXPECT_TRUE(seen.insert(option.name).second) << option.name << " is declared twice";
        EXPECT_EQ(reserved.count(option.name), 0u)
            << option.name << " is a key of the host's [" << kindName(entry().kind) << ".NAME] sections";
    }
}

TEST_P(PluginConformance, EveryOptionIsDescribed) {
    for (const auto& option : entry().options)
        EXPECT_FALSE(option.description.empty()) << option.name;
}

TEST_P(PluginConformance, ChoiceOptionsHaveChoices) {
    for (const auto& option : entry().options) {
        if (option.type == OptionType::Choice) {
            EXPECT_THAT(option.choices, Not(IsEmpty())) << option.name;
        }
    }
}

TEST_P(PluginConformance, DefaultsParseAndOnlyMandatoryOptionsAreMissing) {
    std::vector<OptionIssue> issues;
    ASSERT_NO_THROW(Options::parse(entry().options, {}, issues));
    for (const auto& issue : issues) {
        const auto option =
            std::find_if(entry().options.begin(), entry().options.end(),
                         [&](const Option& candidate) { return candidate.name == issue.key; });
        EXPECT_TRUE(option != entry().options.end() && option->required)
            << issue.key << ": " << issue.message;
    }
}

TEST_P(PluginConformance, EveryDefaultIsAValidValueOfItsOption) {
    for (const auto& option : entry().options) {
        if (option.defaultValue.empty())
            continue;
        std::vector<OptionIssue> issues;
        Options::parse({option}, {{option.name, option.defaultValue}}, issues);
        EXPECT_THAT(issues, IsEmpty()) << option.name << " = " << option.defaultValue;
    }
}

TEST_P(PluginConformance, WrongTypedValuesAreReportedWithTheirKey) {
    for (const auto& option : entry().options) {
        const std::string wrong = wrongTypedValue(option);
        if (wrong.empty())
            continue;
        std::vector<std::string> keys;
        for (const auto& issue : issuesFor({{option.name, wrong}}))
            keys.push_back(issue.key);
        EXPECT_THAT(keys, ::testing::Contains(option.name)) << option.name << " = " << wrong;
    }
}

TEST_P(PluginConformance, UnknownKeysAreReported) {
    std::vector<std::string> keys;
    for (const auto& issue : issuesFor({{"no_such_option", "1"}}))
        keys.push_back(issue.key);
    EXPECT_THAT(keys, ::testing::Contains("no_such_option"));
}

TEST_P(PluginConformance, DescribePrintsEveryOption) {
    const auto [exitCode, output] = test::runCitysensed({"--describe", GetParam()});
    EXPECT_EQ(exitCode, 0) << output;
    EXPECT_THAT(output, HasSubstr(GetParam() + " " + entry().version));
    // Each option starts a line of the table: "  name  type  default  description".
    for (const auto& option : entry().options) {
        EXPECT_THAT(output, ::testing::ContainsRegex("\n  (\\[<quantity>\\.\\])?" + option.name + " *" +
                                                     typeName(option.type) + " "))
            << option.name;
    }
}

/// The plugins of one kind. Most of their tests need an instance configured with default options,
/// which a plugin with a mandatory option cannot give.
class KindConformance : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        const PluginEntry* entry = builtPlugins().find(GetParam());
        ASSERT_NE(entry, nullptr);
        _configurable = !hasMandatoryOption(*entry);
    }

    bool configurableWithDefaults() const { return _configurable; }

private:
    bool _configurable = false;
};

using DriverConformance = KindConformance;
using FilterConformance = KindConformance;
using SinkConformance = KindConformance;

TEST_P(DriverConformance, DefaultOptionsGiveChannelsWithUnits) {
    if (!configurableWithDefaults())
        GTEST_SKIP() << "mandatory options: defaults alone cannot configure it";
    auto driver = test::makeDriver(GetParam(), {});
    const std::vector<Channel> channels = driver->channels();
    ASSERT_THAT(channels, Not(IsEmpty()));
    for (const auto& channel : channels) {
        ASSERT_LT(static_cast<std::size_t>(channel.quantity), quantities().size());
        const QuantityInfo& row = info(channel.quantity);
        EXPECT_EQ(row.quantity, channel.quantity);
        ASSERT_NE(row.unit, nullptr);
        EXPECT_STRNE(row.unit, "") << row.name;
        EXPECT_LE(channel.min, channel.max) << row.name;
    }
}

/// A polled driver with default options either reads samples of its channels, or, when its default
/// device is absent (no /dev/i2c-1 here), fails with an exception that says what is wrong: reported,
/// never swallowed, never fatal.
TEST_P(DriverConformance, PolledDriverReadsItsChannelsOrSaysWhyNot) {
    if (!configurableWithDefaults())
        GTEST_SKIP() << "mandatory options: defaults alone cannot configure it";
    auto driver = test::makeDriver(GetParam(), {});
    if (driver->eventDriven())
        GTEST_SKIP() << "event-driven: it runs, it is not read";
    std::set<Quantity> channels;
    for (const auto& channel : driver->channels())
        channels.insert(channel.quantity);
    SampleBatch batch;
    try {
        driver->open();
        driver->read(batch);
    } catch (const std::exception& error) {
        EXPECT_GT(std::string(error.what()).size(), 10u) << "a fault must say what is wrong";
        EXPECT_NO_THROW(driver->close());
        return;
    }
    EXPECT_THAT(batch, Not(IsEmpty()));
    for (const auto& sample : batch) {
        EXPECT_EQ(channels.count(sample.quantity), 1u) << info(sample.quantity).name << " is not a channel";
        EXPECT_NE(sample.source, nullptr);
        EXPECT_EQ(sample.source, driver->source());
    }
    EXPECT_NO_THROW(driver->close());
}

TEST_P(FilterConformance, LeavesAnEmptyBatchEmptyAndFlushes) {
    if (!configurableWithDefaults())
        GTEST_SKIP() << "mandatory options: defaults alone cannot configure it";
    auto filter = test::makeFilter(GetParam(), {});
    SampleBatch batch;
    ASSERT_NO_THROW(filter->process(batch));
    EXPECT_THAT(batch, IsEmpty());
    SampleBatch flushed;
    EXPECT_NO_THROW(filter->flush(nowMicros(), flushed));
    EXPECT_NO_THROW(filter->flush(std::numeric_limits<Micros>::max(), flushed));
}

TEST_P(SinkConformance, IsCreatedAndDestroyedWithoutBeingOpened) {
    std::unique_ptr<Sink> sink =
        configurableWithDefaults() ? test::makeSink(GetParam(), {}) : builtPlugins().createSink(GetParam());
    ASSERT_NE(sink, nullptr);
    EXPECT_NO_THROW(sink.reset());
}

std::string testNameOf(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = info.param;
    std::replace_if(
        name.begin(), name.end(), [](unsigned char c) { return !std::isalnum(c); }, '_');
    return name;
}

INSTANTIATE_TEST_SUITE_P(Built, PluginConformance, ::testing::ValuesIn(pluginNames()), testNameOf);
INSTANTIATE_TEST_SUITE_P(Built, DriverConformance, ::testing::ValuesIn(pluginNames(PluginKind::Driver)),
                         testNameOf);
INSTANTIATE_TEST_SUITE_P(Built, FilterConformance, ::testing::ValuesIn(pluginNames(PluginKind::Filter)),
                         testNameOf);
INSTANTIATE_TEST_SUITE_P(Built, SinkConformance, ::testing::ValuesIn(pluginNames(PluginKind::Sink)),
                         testNameOf);

}  // namespace
}  // namespace citysense
