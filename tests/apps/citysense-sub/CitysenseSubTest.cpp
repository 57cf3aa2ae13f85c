// citysense-sub, the console subscriber, run as a process against the test broker: it prints what
// arrives in the console sink's seed format and stops after -C messages; connection and
// authentication failures exit non-zero saying what failed.
#include "MqttTestSupport.h"
#include "PluginHarness.h"
#include "Programs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;
using ::testing::Not;

/// citysense-sub with `arguments`, run to its end.
CommandResult runSub(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), CITYSENSE_BINARY_DIR "/bin/citysense-sub");
    return runProgram(arguments);
}

class CitysenseSub : public ::testing::Test {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _reader = _broker.addSubscriber("reader", "hypo_city/#");

    /// The reader's connection with the password in `passwordFile`, then `more`.
    std::vector<std::string> connection(const std::string& passwordFile,
                                        const std::vector<std::string>& more) const {
        std::vector<std::string> arguments = {
            "-h",        "127.0.0.1",      "-p", std::to_string(_broker.tlsPort()),
            "--cafile",  _broker.caFile(), "-u", _reader.username,
            "--pw-file", passwordFile};
        arguments.insert(arguments.end(), more.begin(), more.end());
        return arguments;
    }
};

TEST_F(CitysenseSub, PrintsReadingsInTheSeedFormatAndStopsAfterCount) {
    auto run = std::async(std::launch::async, [&] {
        return runSub(
            connection(_reader.passwordFile, {"-q", "1", "-t", "hypo_city/+/+/+/+", "-C", "2", "-W", "60"}));
    });
    auto sink = makeSink("mqtt", tlsOptions(_broker, _gateway));
    sink->open();
    // Publish until the subscriber has subscribed and counted two messages.
    while (run.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready)
        sink->write({testSample(Quantity::Temperature, 28.91, 1764000000123456)});
    const CommandResult outcome = run.get();
    EXPECT_EQ(outcome.status, 0) << outcome.output;
    EXPECT_THAT(outcome.output,
                HasSubstr("System: hypo_city\tCity: city_01\tStreet: street_01\tSensorType: temperature\t"
                          "DataType: celcius\tSensorData: 28.91\tTimeStamp: 2025-11-24 16:00:00.123456\n"));
}

TEST_F(CitysenseSub, AWrongPasswordExitsNonZeroSayingSo) {
    const std::string wrong = _broker.directory() + "/wrong";
    std::ofstream(wrong) << "nope\n";
    std::filesystem::permissions(wrong,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    const CommandResult outcome = runSub(connection(wrong, {"-t", "#", "-W", "10"}));
    EXPECT_EQ(outcome.status, 1);
    EXPECT_THAT(outcome.output, HasSubstr("not authorised"));
}

TEST_F(CitysenseSub, AnUnknownCaExitsNonZeroSayingSo) {
    const std::string otherCa = _broker.directory() + "/other-ca";
    ASSERT_EQ(runProgram({CITYSENSE_SOURCE_DIR "/tools/make-certs", otherCa}).status, 0);
    const CommandResult outcome =
        runSub({"-h", "127.0.0.1", "-p", std::to_string(_broker.tlsPort()), "--cafile", otherCa + "/ca.crt",
                "-u", "reader", "--pw-file", _reader.passwordFile, "-t", "#", "-W", "10"});
    EXPECT_EQ(outcome.status, 1);
    EXPECT_THAT(outcome.output, HasSubstr("certificate verify failed"));
}

TEST_F(CitysenseSub, NothingListeningExitsNonZeroSayingSo) {
    const CommandResult outcome = runSub({"-h", "127.0.0.1", "-p", "1", "-t", "#", "-W", "10"});
    EXPECT_EQ(outcome.status, 1);
    EXPECT_THAT(outcome.output, HasSubstr("cannot reach 127.0.0.1:1"));
}

TEST_F(CitysenseSub, ATimeoutBeforeTheCountExitsNonZero) {
    const CommandResult outcome =
        runSub(connection(_reader.passwordFile, {"-t", "hypo_city/nothing/here", "-C", "1", "-W", "1"}));
    EXPECT_EQ(outcome.status, 1);
    EXPECT_THAT(outcome.output, HasSubstr("timed out after 1 s with 0 of 1 messages"));
}

TEST_F(CitysenseSub, AClientIdOtherThanTheUserNameIsWarnedAbout) {
    const CommandResult outcome = runSub(connection(
        _reader.passwordFile, {"-i", "reader_2", "-t", "hypo_city/nothing", "-C", "1", "-W", "1"}));
    EXPECT_THAT(outcome.output, HasSubstr("citysense-sub: warning: the client id 'reader_2' is not the user "
                                          "name 'reader': a broker that binds client ids to user names"));
    const CommandResult byDefault =
        runSub(connection(_reader.passwordFile, {"-t", "hypo_city/nothing", "-C", "1", "-W", "1"}));
    EXPECT_THAT(byDefault.output, Not(HasSubstr("warning")));
}

TEST_F(CitysenseSub, BadArgumentsExitWithUsage) {
    const CommandResult outcome = runSub({"-t", "#", "-q", "7"});
    EXPECT_EQ(outcome.status, 2);
    EXPECT_THAT(outcome.output, HasSubstr("-q: '7' is not a number from 0 to 2"));
}

}  // namespace
}  // namespace citysense
