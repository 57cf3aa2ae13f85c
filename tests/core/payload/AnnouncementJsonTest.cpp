// The announcement document: what encodeAnnouncement() writes reads back the same, and
// decodeAnnouncement() refuses every way a document can be wrong, saying what is wrong.
#include <payload/AnnouncementJson.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace citysense {
namespace {

using ::testing::HasSubstr;

Announcement sample() {
    Announcement announcement;
    announcement.station = {"hypo_city", "city_01", "street_01", 52.37, 4.89, true};
    AnnouncedChannel air{"driver.air", Quantity::Temperature, "bme280", "1.0.0", 60 * kMicrosPerSecond};
    AnnouncedChannel no2{"driver.no2",          Quantity::NO2, "alphasense",          "1.2.0",
                         10 * kMicrosPerSecond, true,          900 * kMicrosPerSecond};
    AnnouncedChannel so2{"driver.no2", Quantity::SO2, "alphasense", "1.2.0", 2500000, true, 0};
    announcement.channels = {air, no2, so2};
    return announcement;
}

const char* const kChannel =
    R"({"driver":"driver.air","quantity":"temperature","unit":"Cel","plugin":"bme280",)"
    R"("plugin_version":"1.0.0","interval_s":60,"publish":"periodic"})";

std::string withChannel(const std::string& channel) {
    return R"({"station":{"system":"s","city":"c","street":"x"},"channels":[)" + channel + "]}";
}

std::string refusal(const std::string& document) {
    try {
        decodeAnnouncement(document);
    } catch (const PayloadError& error) {
        return error.what();
    }
    return "accepted";
}

TEST(AnnouncementJson, WhatIsWrittenReadsBackTheSame) {
    const Announcement original = sample();
    const std::string text = encodeAnnouncement(original);
    EXPECT_THAT(text, HasSubstr(R"("latitude":52.37,"longitude":4.89)"));
    EXPECT_THAT(text, HasSubstr(R"("interval_s":2.5,"publish":"on_change","max_silence_s":null)"));
    const Announcement read = decodeAnnouncement(text);
    EXPECT_EQ(read.station.system, "hypo_city");
    EXPECT_EQ(read.station.street, "street_01");
    EXPECT_TRUE(read.station.hasPosition);
    EXPECT_DOUBLE_EQ(read.station.latitude, 52.37);
    EXPECT_DOUBLE_EQ(read.station.longitude, 4.89);
    ASSERT_EQ(read.channels.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(read.channels[i].driver, original.channels[i].driver);
        EXPECT_EQ(read.channels[i].quantity, original.channels[i].quantity);
        EXPECT_EQ(read.channels[i].plugin, original.channels[i].plugin);
        EXPECT_EQ(read.channels[i].pluginVersion, original.channels[i].pluginVersion);
        EXPECT_EQ(read.channels[i].interval, original.channels[i].interval);
        EXPECT_EQ(read.channels[i].onChange, original.channels[i].onChange);
        EXPECT_EQ(read.channels[i].maxSilence, original.channels[i].maxSilence);
    }
}

TEST(AnnouncementJson, AStationWithoutPositionHasNone) {
    Announcement announcement = sample();
    announcement.station.hasPosition = false;
    const std::string text = encodeAnnouncement(announcement);
    EXPECT_THAT(text, ::testing::Not(HasSubstr("latitude")));
    EXPECT_FALSE(decodeAnnouncement(text).station.hasPosition);
}

TEST(AnnouncementJson, BadDocumentsAreRefusedWithTheReason) {
    EXPECT_THAT(refusal("{\"station\":"), HasSubstr("about: bad JSON at byte"));
    EXPECT_THAT(refusal("[]"), HasSubstr("not an object"));
    EXPECT_THAT(refusal(R"({"station":{"system":"s","city":"c","street":"x"}})"), HasSubstr("no 'channels'"));
    EXPECT_THAT(refusal(withChannel(kChannel).insert(1, R"("extra":1,)")), HasSubstr("unknown member"));
    EXPECT_THAT(refusal(R"({"station":{"system":"s","city":"c/d","street":"x"},"channels":[]})"),
                HasSubstr("is no topic level"));
    EXPECT_THAT(refusal(R"({"station":{"system":"s","city":"c","street":"x","latitude":1},"channels":[]})"),
                HasSubstr("go together"));
    EXPECT_THAT(
        refusal(
            R"({"station":{"system":"s","city":"c","street":"x","latitude":91,"longitude":0},"channels":[]})"),
        HasSubstr("'latitude' is 91, not between -90 and 90"));
    EXPECT_THAT(refusal(R"({"station":{"system":"s","city":"c","street":"x"},"station":{},"channels":[]})"),
                HasSubstr("'station' appears twice"));
}

TEST(AnnouncementJson, BadChannelsAreRefusedNamingTheChannel) {
    const auto with = [](const std::string& from, const std::string& to) {
        std::string channel = kChannel;
        channel.replace(channel.find(from), from.size(), to);
        return refusal(withChannel(kChannel + std::string(",") + channel));
    };
    EXPECT_THAT(with("\"driver.air\"", "\"air\""), HasSubstr("channel 2: 'driver' \"air\" is not"));
    EXPECT_THAT(with("\"Cel\"", "\"K\""), HasSubstr("channel 2: 'unit' is \"K\", but temperature is in Cel"));
    EXPECT_THAT(with("\"temperature\"", "\"radon\""), HasSubstr("'quantity' \"radon\" is none of"));
    EXPECT_THAT(with("60", "0"), HasSubstr("'interval_s' must be above 0"));
    EXPECT_THAT(with("60", "\"60\""), HasSubstr("'interval_s' is a string (\"60\"), not a number"));
    EXPECT_THAT(with("60", "1e9"), HasSubstr("not between 0 and"));
    EXPECT_THAT(with("\"periodic\"", "\"sometimes\""), HasSubstr("not \"periodic\" or \"on_change\""));
    EXPECT_THAT(with("\"periodic\"", "\"on_change\""), HasSubstr("needs 'max_silence_s'"));
    EXPECT_THAT(with("\"periodic\"", "\"periodic\",\"max_silence_s\":5"),
                HasSubstr("on_change channels only"));
    EXPECT_THAT(with("\"bme280\"", "\"bme 280\""), HasSubstr("may hold only letters"));
    EXPECT_THAT(refusal(withChannel(std::string(kChannel) + "," + kChannel)), HasSubstr("announced twice"));
    EXPECT_THAT(refusal(withChannel("3")), HasSubstr("channel 1: is a number, not an object"));
}

TEST(AnnouncementJson, SizeAndNestingAreBounded) {
    EXPECT_THAT(refusal(std::string(300 * 1024, ' ')), HasSubstr("about"));
    EXPECT_THAT(refusal(withChannel(std::string(100000, '[') + std::string(100000, ']'))),
                HasSubstr("channel 1: is an array"));
    std::string many;
    for (int i = 0; i <= 1000; ++i) {
        std::string channel = kChannel;
        channel.replace(channel.find("driver.air"), 10, "driver.d" + std::to_string(i));
        many += (i ? "," : "") + channel;
    }
    EXPECT_THAT(refusal(withChannel(many)), HasSubstr("1001 channels, more than the 1000"));
}

}  // namespace
}  // namespace citysense
