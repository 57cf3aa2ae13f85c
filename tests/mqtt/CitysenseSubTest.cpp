// citysense-sub, the console subscriber, run as a process against the test broker: it prints what
// arrives in the console sink's seed format and stops after -C messages; connection and
// authentication failures exit non-zero saying what failed.
#include "MqttTestSupport.h"
#include "PluginHarness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;

struct Outcome {
    int status = -1;
    std::string output;  ///< stdout and stderr
};

Outcome runSub(const std::string& arguments) {
    const std::string command = CITYSENSE_BINARY_DIR "/bin/citysense-sub " + arguments + " 2>&1";
    Outcome outcome;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return outcome;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
        outcome.output.append(buffer, n);
    const int status = ::pclose(pipe);
    outcome.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return outcome;
}

class CitysenseSub : public ::testing::Test {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _reader = _broker.addSubscriber("reader", "hypo_city/#");

    std::string connection(const std::string& passwordFile) const {
        return "-h 127.0.0.1 -p " + std::to_string(_broker.tlsPort()) + " --cafile " + _broker.caFile() +
               " -u " + _reader.username + " --pw-file " + passwordFile;
    }
};

TEST_F(CitysenseSub, PrintsReadingsInTheSeedFormatAndStopsAfterCount) {
    auto run = std::async(std::launch::async, [&] {
        return runSub(connection(_reader.passwordFile) + " -q 1 -t 'hypo_city/+/+/+/+' -C 2 -W 60");
    });
    auto sink = makeSink("mqtt", tlsOptions(_broker, _gateway));
    sink->open();
    // Publish until the subscriber has subscribed and counted two messages.
    while (run.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready)
        sink->write({testSample(Quantity::Temperature, 28.91, 1764000000123456)});
    const Outcome outcome = run.get();
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
    const Outcome outcome = runSub(connection(wrong) + " -t '#' -W 10");
    EXPECT_EQ(outcome.status, 1);
    EXPECT_THAT(outcome.output, HasSubstr("not authorised"));
}

TEST_F(CitysenseSub, AnUnknownCaExitsNonZeroSayingSo) {
    const std::string otherCa = _broker.directory() + "/other-ca";
    ASSERT_EQ(std::system((CITYSENSE_SOURCE_DIR "/tools/make-certs " + otherCa + " >/dev/null 2>&1").c_str()),
              0);
    const Outcome outcome =
        runSub("-h 127.0.0.1 -p " + std::to_string(_broker.tlsPort()) + " --cafile " + otherCa +
               "/ca.crt -u reader --pw-file " + _reader.passwordFile + " -t '#' -W 10");
    EXPECT_EQ(outcome.status, 1);
    EXPECT_THAT(outcome.output, HasSubstr("certificate verify failed"));
}

TEST_F(CitysenseSub, NothingListeningExitsNonZeroSayingSo) {
    const Outcome outcome = runSub("-h 127.0.0.1 -p 1 -t '#' -W 10");
    EXPECT_EQ(outcome.status, 1);
    EXPECT_THAT(outcome.output, HasSubstr("cannot reach 127.0.0.1:1"));
}

TEST_F(CitysenseSub, ATimeoutBeforeTheCountExitsNonZero) {
    const Outcome outcome =
        runSub(connection(_reader.passwordFile) + " -t 'hypo_city/nothing/here' -C 1 -W 1");
    EXPECT_EQ(outcome.status, 1);
    EXPECT_THAT(outcome.output, HasSubstr("timed out after 1 s with 0 of 1 messages"));
}

TEST_F(CitysenseSub, BadArgumentsExitWithUsage) {
    const Outcome outcome = runSub("-t '#' -q 7");
    EXPECT_EQ(outcome.status, 2);
    EXPECT_THAT(outcome.output, HasSubstr("-q: '7' is not a number from 0 to 2"));
}

}  // namespace
}  // namespace citysense
