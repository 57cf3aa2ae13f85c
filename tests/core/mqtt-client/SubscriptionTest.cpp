// What a reader of readings subscribes to (the mqtt_source ingest and citysense-api's live stream): the
// template's filter by default, the given filters otherwise, each a valid MQTT topic filter, and a bad
// template or filter refused naming its key.
#include <mqtt-client/Subscription.h>

#include <gtest/gtest.h>

#include <map>

namespace citysense::mqtt {
namespace {

Subscription read(const std::map<std::string, std::string>& raw, const std::string& system = "") {
    std::vector<OptionIssue> issues;
    const Options options = Options::parse(subscriptionOptions("e.g. +/+/+/+/+"), raw, issues, "/");
    EXPECT_TRUE(issues.empty());
    return readSubscription(options, system);
}

/// The key and message of the OptionError that reading `raw` throws.
std::string refusalOf(const std::map<std::string, std::string>& raw) {
    try {
        read(raw);
    } catch (const OptionError& error) {
        return error.key() + ": " + error.what();
    }
    return "(accepted)";
}

TEST(Subscription, WithoutTopicsTheTemplatesFilterIsSubscribedTo) {
    EXPECT_EQ(read({}).filters, std::vector<std::string>{"+/+/+/+/+"});
    EXPECT_EQ(read({}, "hypo_city").filters, std::vector<std::string>{"hypo_city/+/+/+/+"});
    EXPECT_EQ(read({{"topic", "city/{city}/{street}/{quantity}"}}, "hypo_city").filters,
              std::vector<std::string>{"city/+/+/+"});
    EXPECT_EQ(read({}).format, PayloadFormat::Auto);
    EXPECT_EQ(read({{"format", "senml"}}).format, PayloadFormat::Senml);
}

TEST(Subscription, GivenTopicsAreSubscribedToAsTheyAre) {
    EXPECT_EQ(read({{"topics", "hypo_city/city_01/#, +/+/street_01/+/+"}}, "hypo_city").filters,
              (std::vector<std::string>{"hypo_city/city_01/#", "+/+/street_01/+/+"}));
}

TEST(Subscription, AFilterThatIsNoMqttFilterIsRefusedNamingIt) {
    EXPECT_EQ(refusalOf({{"topics", "a/#, a/b+/c"}}),
              "topics: 'a/b+/c': a wildcard (+ or #) must be a whole level");
    EXPECT_EQ(refusalOf({{"topics", "a/#/c"}}), "topics: 'a/#/c': # must be the last level");
}

TEST(Subscription, ATemplateThatIsNoneIsRefusedAsTopic) {
    EXPECT_EQ(refusalOf({{"topic", "{system}/{nothing}"}}).substr(0, 7), "topic: ");
}

}  // namespace
}  // namespace citysense::mqtt
