#include <citysense/Options.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

const OptionTable& table() {
    static const OptionTable options = {
        Option::string("name", "station", "A word"),
        Option::integer("count", "3", "A count").range(1, 10),
        Option::number("mean", "", "A mean").perQuantity(),
        Option::boolean("enabled", "true", "A switch"),
        Option::duration("interval", "10s", "A period").range(0.001, 3600),
        Option::list("quantities", "temperature", "Some quantities").allowed({"temperature", "no2"}),
        Option::choice("format", {"seed", "json"}, "seed", "A format"),
        Option::string("uri", "", "Required").mandatory(),
    };
    return options;
}

Options parse(const std::map<std::string, std::string>& raw, std::vector<OptionIssue>& issues) {
    return Options::parse(table(), raw, issues);
}

TEST(Options, DefaultsFillUnsetOptions) {
    std::vector<OptionIssue> issues;
    const Options options = parse({{"uri", "x"}}, issues);
    EXPECT_TRUE(issues.empty());
    EXPECT_EQ(options.getString("name"), "station");
    EXPECT_EQ(options.getInt("count"), 3);
    EXPECT_TRUE(options.getBool("enabled"));
    EXPECT_EQ(options.getDuration("interval"), 10 * kMicrosPerSecond);
    EXPECT_EQ(options.getList("quantities"), std::vector<std::string>{"temperature"});
    EXPECT_EQ(options.getString("format"), "seed");
    EXPECT_FALSE(options.has("mean"));
}

TEST(Options, ValuesOfEveryType) {
    std::vector<OptionIssue> issues;
    const Options options = parse({{"uri", "x"},
                                   {"count", "7"},
                                   {"mean", "-2.5"},
                                   {"enabled", "off"},
                                   {"interval", "1.5m"},
                                   {"quantities", " no2 ,temperature,"},
                                   {"format", "json"}},
                                  issues);
    EXPECT_TRUE(issues.empty());
    EXPECT_EQ(options.getInt("count"), 7);
    EXPECT_DOUBLE_EQ(options.getNumber("mean"), -2.5);
    EXPECT_FALSE(options.getBool("enabled"));
    EXPECT_EQ(options.getDuration("interval"), 90 * kMicrosPerSecond);
    EXPECT_EQ(options.getList("quantities"), (std::vector<std::string>{"no2", "temperature"}));
    EXPECT_EQ(options.getString("format"), "json");
}

TEST(Options, UnknownKeyIsReportedWithTheKnownOnes) {
    std::vector<OptionIssue> issues;
    parse({{"uri", "x"}, {"colour", "red"}}, issues);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].key, "colour");
    EXPECT_NE(issues[0].message.find("unknown option"), std::string::npos);
    EXPECT_NE(issues[0].message.find("interval"), std::string::npos);
}

TEST(Options, WrongTypesAreReportedPerKey) {
    std::vector<OptionIssue> issues;
    parse({{"uri", "x"},
           {"count", "many"},
           {"mean", "1,5"},
           {"enabled", "perhaps"},
           {"interval", "10"},
           {"format", "xml"},
           {"quantities", "so2"}},
          issues);
    std::set<std::string> keys;
    for (const auto& issue : issues)
        keys.insert(issue.key);
    EXPECT_EQ(keys, (std::set<std::string>{"count", "mean", "enabled", "interval", "format", "quantities"}));
}

TEST(Options, IntegersAreDecimalOrHexadecimalNeverOctal) {
    std::vector<OptionIssue> issues;
    EXPECT_EQ(parse({{"uri", "x"}, {"count", "010"}}, issues).getInt("count"), 10);
    EXPECT_EQ(parse({{"uri", "x"}, {"count", "0x0A"}}, issues).getInt("count"), 10);
    EXPECT_TRUE(issues.empty());
}

TEST(Options, OutOfRangeNamesTheBounds) {
    std::vector<OptionIssue> issues;
    parse({{"uri", "x"}, {"count", "11"}, {"interval", "500us"}}, issues);
    ASSERT_EQ(issues.size(), 2u);
    EXPECT_EQ(issues[0].key, "count");
    EXPECT_NE(issues[0].message.find("between 1 and 10"), std::string::npos);
    EXPECT_EQ(issues[1].key, "interval");
    EXPECT_NE(issues[1].message.find("between 1ms and 1h"), std::string::npos);
}

TEST(Options, MissingRequiredOption) {
    std::vector<OptionIssue> issues;
    parse({}, issues);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].key, "uri");
    EXPECT_NE(issues[0].message.find("required"), std::string::npos);
}

TEST(Options, QuantityScopedOverridesThePlainValue) {
    std::vector<OptionIssue> issues;
    const Options options = parse({{"uri", "x"}, {"mean", "1"}, {"no2.mean", "2"}}, issues);
    EXPECT_TRUE(issues.empty());
    EXPECT_DOUBLE_EQ(options.getNumber("mean", Quantity::NO2), 2.0);
    EXPECT_DOUBLE_EQ(options.getNumber("mean", Quantity::Temperature), 1.0);
    EXPECT_EQ(options.scopedQuantities(), std::vector<Quantity>{Quantity::NO2});
}

TEST(Options, ScopedKeyNeedsAQuantityAndAScopedOption) {
    std::vector<OptionIssue> issues;
    parse({{"uri", "x"}, {"ozone.mean", "2"}, {"no2.count", "2"}}, issues);
    ASSERT_EQ(issues.size(), 2u);
    EXPECT_EQ(issues[0].key, "no2.count");
    EXPECT_NE(issues[0].message.find("unknown option"), std::string::npos);
    EXPECT_EQ(issues[1].key, "ozone.mean");
    EXPECT_NE(issues[1].message.find("not a quantity"), std::string::npos);
}

TEST(Options, AskingForAnUndeclaredOptionIsAProgrammingError) {
    std::vector<OptionIssue> issues;
    const Options options = parse({{"uri", "x"}}, issues);
    EXPECT_THROW(options.getString("nothing"), std::logic_error);
    EXPECT_THROW(options.getNumber("name"), std::logic_error);
}

TEST(Durations, ParseEveryUnit) {
    EXPECT_EQ(parseDuration("250us"), 250);
    EXPECT_EQ(parseDuration("500ms"), 500000);
    EXPECT_EQ(parseDuration("10s"), 10 * kMicrosPerSecond);
    EXPECT_EQ(parseDuration("1m"), 60 * kMicrosPerSecond);
    EXPECT_EQ(parseDuration("2h"), 7200 * kMicrosPerSecond);
    EXPECT_EQ(parseDuration("1d"), 86400 * kMicrosPerSecond);
    EXPECT_EQ(parseDuration("0.5s"), 500000);
    EXPECT_EQ(parseDuration("0"), 0);
}

TEST(Durations, RejectMissingOrUnknownUnits) {
    for (const char* text : {"10", "10 sec", "s", "", "-1s", "1e3s", "1.2.3s"})
        EXPECT_THROW(parseDuration(text), std::invalid_argument) << text;
}

TEST(Durations, FormatInTheLargestWholeUnit) {
    EXPECT_EQ(formatDuration(500000), "500ms");
    EXPECT_EQ(formatDuration(10 * kMicrosPerSecond), "10s");
    EXPECT_EQ(formatDuration(90 * kMicrosPerSecond), "90s");
    EXPECT_EQ(formatDuration(3600 * kMicrosPerSecond), "1h");
    EXPECT_EQ(formatDuration(1500), "1500us");
}

}  // namespace
}  // namespace citysense
