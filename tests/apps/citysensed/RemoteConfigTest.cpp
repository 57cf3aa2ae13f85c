// Remote configuration end to end (issue 14): a real Mosquitto configured as tools/broker does, real
// citysensed gateways with the mqtt sink, and the operator's citysense-ctl, as the README's steps use
// them. Readings are counted by a reader subscribed to the gateway's prefix.
#include "Programs.h"
#include "ServiceProcess.h"
#include "Subscriber.h"

#include <engine/Ed25519Key.h>
#include <engine/SignedDocument.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

namespace citysense {
namespace {

using namespace test;

const std::string kGateway = "hypo_city/city_01/street_01";
const std::string kNo2 = kGateway + "/air_pollution/no2_level";
const std::string kSo2 = kGateway + "/air_pollution/so2_level";

class RemoteConfigTest : public ::testing::Test {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _operator = _broker.addOperator("operator_1");
    BrokerCredentials _reader = _broker.addSubscriber("reader", "hypo_city/#");
    std::string _directory = _broker.directory() + "/gateway";
    std::string _key = _broker.directory() + "/operator.key";

    void SetUp() override {
        std::filesystem::create_directories(_directory);
        const CommandResult made = runProgram({ctlProgram(), "config", "sign-key", "--key", _key});
        ASSERT_EQ(made.status, 0) << made.output;
    }

    static std::string ctlProgram() { return CITYSENSE_BINARY_DIR "/bin/citysense-ctl"; }

    /// The gateway's configuration: no2 and so2 read every `interval`, the mqtt sink, remote
    /// configuration on with the operator's public key.
    std::string writeConfig(const std::string& interval = "500ms") const {
        const std::string path = _directory + "/gateway.ini";
        std::ofstream(path) << "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\n"
                            << "spool_dir = " << _directory << "/spool\nhttp_listen = 127.0.0.1:0\n"
                            << "remote_config = on\nremote_config_key = " << _key << ".pub\n"
                            << "[driver.no2]\nplugin = simulated\ninterval = " << interval
                            << "\nquantities = no2\n"
                            << "[driver.so2]\nplugin = simulated\ninterval = " << interval
                            << "\nquantities = so2\n"
                            << "[sink.broker]\nplugin = mqtt\n"
                            << _broker.clientKeys(_gateway) << "qos = 1\nmax_backoff = 500ms\n"
                            << "[pipeline.main]\ndrivers = no2, so2\nsinks = broker\n";
        return path;
    }

    /// citysense-ctl `words` as `who`, at the test broker.
    CommandResult ctl(std::vector<std::string> words, const BrokerCredentials& who) const {
        words.insert(words.begin(), ctlProgram());
        words.insert(words.end(), {"--uri", _broker.tlsUri(), "-u", who.username, "--pw-file",
                                   who.passwordFile, "--cafile", _broker.caFile()});
        return runProgram(words);
    }

    /// `config set` of the gateway as the operator, waiting up to 5 s for the report.
    CommandResult set(std::vector<std::string> changes, std::vector<std::string> options = {}) const {
        std::vector<std::string> words = {"config", "set", kGateway};
        words.insert(words.end(), changes.begin(), changes.end());
        words.insert(words.end(), {"--key", _key, "--wait", "5"});
        words.insert(words.end(), options.begin(), options.end());
        return ctl(words, _operator);
    }

    CommandResult show() const { return ctl({"config", "show", kGateway}, _operator); }

    static std::size_t countOn(const Subscriber& subscriber, const std::string& topic) {
        std::size_t count = 0;
        for (const auto& message : subscriber.messages())
            count += message.topic == topic;
        return count;
    }

    /// Messages on `topic` in the next `span`.
    static std::size_t countDuring(const Subscriber& subscriber, const std::string& topic,
                                   std::chrono::milliseconds span) {
        const std::size_t before = countOn(subscriber, topic);
        std::this_thread::sleep_for(span);
        return countOn(subscriber, topic) - before;
    }

    /// The reads of `driver` over every configuration the gateway ran, from its summaries.
    static long readsIn(const std::string& log, const std::string& driver) {
        const std::regex line(driver + R"( \(simulated\): stopped, read (\d+))");
        long reads = 0;
        for (std::sregex_iterator match(log.begin(), log.end(), line), end; match != end; ++match)
            reads += std::stol((*match)[1]);
        return reads;
    }

    static void stop(ServiceProcess& gateway) {
        gateway.signal(SIGTERM);
        EXPECT_EQ(gateway.wait(), 0) << gateway.log();
    }
};

TEST_F(RemoteConfigTest, AnOnlineGatewayAppliesAChangeAndReportsWithinFiveSecondsAndItsRateChanges) {
    Subscriber reader(_broker, _reader, kGateway + "/#");
    ServiceProcess gateway({"-c", writeConfig("500ms")});
    ASSERT_TRUE(gateway.waitForLog("connected to")) << gateway.log();
    ASSERT_TRUE(reader.waitFor([](const auto& messages) {
        return std::count_if(messages.begin(), messages.end(),
                             [](const ReceivedMessage& message) { return message.topic == kNo2; }) >= 2;
    }));
    const std::size_t slow = countDuring(reader, kNo2, std::chrono::seconds(2));

    const auto began = std::chrono::steady_clock::now();
    const CommandResult result = set({"driver.no2.interval=50ms"});
    const auto took = std::chrono::steady_clock::now() - began;
    ASSERT_EQ(result.status, 0) << result.output << gateway.log();
    EXPECT_LT(took, std::chrono::seconds(5));
    EXPECT_NE(result.output.find("state     applied"), std::string::npos) << result.output;

    const std::size_t fast = countDuring(reader, kNo2, std::chrono::seconds(2));
    EXPECT_LE(slow, 6u);
    EXPECT_GE(fast, 20u) << "2 s at 50 ms; at 500 ms there were " << slow;
    EXPECT_NE(show().output.find("state     applied"), std::string::npos);
    stop(gateway);
}

TEST_F(RemoteConfigTest, AnOfflineGatewayConvergesAtItsNextConnectionAndKeepsItAcrossARestart) {
    const CommandResult early = set({"driver.so2.enabled=false"}, {"--wait", "0"});
    ASSERT_EQ(early.status, 0) << early.output;
    EXPECT_NE(show().output.find("state     pending"), std::string::npos) << show().output;

    {
        ServiceProcess gateway({"-c", writeConfig()});
        ASSERT_TRUE(gateway.waitForLog("version 1 (request")) << gateway.log();
        ASSERT_TRUE(eventually([&] { return show().output.find("state     applied") != std::string::npos; }))
            << show().output << gateway.log();
        ASSERT_TRUE(gateway.waitForLog("not started: driver.so2 (enabled = false)")) << gateway.log();
        stop(gateway);
    }
    const std::string fragment = readFile(_directory + "/conf.d/99-remote.ini");
    EXPECT_NE(fragment.find("[driver.so2]\nenabled = false\n"), std::string::npos) << fragment;
    EXPECT_NE(fragment.find("; remote_version = 1\n"), std::string::npos) << fragment;

    // Restarted: the fragment is read with the rest, and the retained document again is no news.
    Subscriber reader(_broker, _reader, kGateway + "/#");
    ServiceProcess gateway({"-c", writeConfig()});
    ASSERT_TRUE(gateway.waitForLog("not started: driver.so2 (enabled = false)")) << gateway.log();
    ASSERT_TRUE(reader.waitFor([](const auto& messages) {
        return std::count_if(messages.begin(), messages.end(),
                             [](const ReceivedMessage& message) { return message.topic == kNo2; }) >= 4;
    }));
    EXPECT_EQ(countOn(reader, kSo2), 0u);
    stop(gateway);
    EXPECT_EQ(gateway.log().find("remote configuration: applying"), std::string::npos) << gateway.log();
    EXPECT_NE(show().output.find("state     applied"), std::string::npos);
}

TEST_F(RemoteConfigTest, AnInvalidChangeIsRejectedWholeWithEveryErrorAndNothingApplied) {
    Subscriber reader(_broker, _reader, kGateway + "/#");
    ServiceProcess gateway({"-c", writeConfig()});
    ASSERT_TRUE(gateway.waitForLog("connected to")) << gateway.log();

    const CommandResult result =
        set({"driver.so2.enabled=false", "driver.no2.interval=0s", "driver.no2.intervall=5s",
             "driver.no2.max_backoff=1m", "sink.broker.uri=tcp://elsewhere:1883", "driver.co.interval=1s"});
    EXPECT_EQ(result.status, 1) << result.output;
    const std::string& out = result.output;
    EXPECT_NE(out.find("state     rejected"), std::string::npos) << out;
    EXPECT_NE(out.find("[driver.no2] interval: expected duration: 0s is out of range"), std::string::npos)
        << out;
    EXPECT_NE(out.find("[driver.no2] intervall: unknown option"), std::string::npos) << out;
    EXPECT_NE(out.find("[driver.no2] max_backoff: not allowed remotely"), std::string::npos) << out;
    EXPECT_NE(out.find("[sink.broker] uri: never changed remotely"), std::string::npos) << out;
    EXPECT_NE(out.find("[driver.co] this gateway's configuration has no such section"), std::string::npos)
        << out;
    EXPECT_NE(out.find("the gateway runs version 0"), std::string::npos) << out;

    // Nothing applied: the valid change among them did not mute so2, and nothing was written.
    EXPECT_FALSE(std::filesystem::exists(_directory + "/conf.d/99-remote.ini"));
    const std::size_t so2 = countOn(reader, kSo2);
    EXPECT_TRUE(eventually([&] { return countOn(reader, kSo2) >= so2 + 3; }));
    EXPECT_EQ(gateway.log().find("reloaded"), std::string::npos) << gateway.log();
    int status = 0;
    const std::string metrics = httpGet(gateway.healthPort(), "/metrics", status);
    EXPECT_NE(metrics.find(
                  R"(citysense_dropped_total{instance="remote_config",plugin="host",reason="rejected"} 1)"),
              std::string::npos)
        << metrics;
    stop(gateway);
}

TEST_F(RemoteConfigTest, AChangeThatWouldCutTheGatewayOffFromRemoteConfigurationIsRejected) {
    ServiceProcess gateway({"-c", writeConfig()});
    ASSERT_TRUE(gateway.waitForLog("connected to")) << gateway.log();
    const CommandResult result = set({"sink.broker.enabled=false"});
    EXPECT_EQ(result.status, 1) << result.output;
    EXPECT_NE(result.output.find("state     rejected"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("no sink would offer the control channel"), std::string::npos)
        << result.output;
    EXPECT_FALSE(std::filesystem::exists(_directory + "/conf.d/99-remote.ini"));
    stop(gateway);
}

TEST_F(RemoteConfigTest, TheBrokerRefusesADesiredDocumentFromAGatewaysIdentity) {
    const BrokerCredentials other = _broker.addGateway("hypo_city", "city_01", "street_02");
    for (const BrokerCredentials* who : {&other, static_cast<const BrokerCredentials*>(&_gateway)}) {
        const CommandResult result =
            ctl({"config", "set", kGateway, "driver.so2.enabled=false", "--key", _key}, *who);
        EXPECT_EQ(result.status, 1) << result.output;
        EXPECT_NE(result.output.find("the broker refused config/" + kGateway + "/desired"), std::string::npos)
            << result.output;
    }
    EXPECT_NE(show().output.find("desired   none"), std::string::npos) << show().output;
}

TEST_F(RemoteConfigTest, TheGatewayRefusesADocumentNotSignedWithTheOperatorsKey) {
    const std::string otherKey = _broker.directory() + "/other.key";
    ASSERT_EQ(runProgram({ctlProgram(), "config", "sign-key", "--key", otherKey}).status, 0);
    ServiceProcess gateway({"-c", writeConfig()});
    ASSERT_TRUE(gateway.waitForLog("connected to")) << gateway.log();

    const CommandResult forged = ctl(
        {"config", "set", kGateway, "driver.so2.enabled=false", "--key", otherKey, "--wait", "5"}, _operator);
    EXPECT_EQ(forged.status, 1) << forged.output;
    EXPECT_NE(forged.output.find("rejected"), std::string::npos) << forged.output;
    EXPECT_NE(forged.output.find("the signature does not verify"), std::string::npos) << forged.output;
    EXPECT_FALSE(std::filesystem::exists(_directory + "/conf.d/99-remote.ini"));

    // A document changed after signing fails the same way.
    const DesiredDocument document{kGateway,
                                   5,
                                   "tampered",
                                   nowMicros() + 60 * kMicrosPerSecond,
                                   {{"driver.so2", {{"enabled", "false"}}}}};
    std::string envelope = signDocument(document, Ed25519Key::readPrivate(_key));
    envelope.replace(envelope.find("false"), 5, "true ");
    runChecked({"mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(_broker.tlsPort()), "--cafile",
                _broker.caFile(), "-u", _operator.username, "-P", _operator.password, "-q", "1", "-r", "-t",
                "config/" + kGateway + "/desired", "-m", envelope});
    std::string shown;
    EXPECT_TRUE(eventually([&] {
        shown = show().output;
        return shown.find("version 5 (request tampered): rejected") != std::string::npos;
    })) << shown;
    EXPECT_NE(shown.find("the signature does not verify"), std::string::npos) << shown;
    EXPECT_EQ(gateway.log().find("reloaded"), std::string::npos) << gateway.log();

    // citysense-ctl signs the current changes again only if it signed them: here it refuses to build on
    // the tampered document, until told to start from nothing.
    const CommandResult onTop = set({"driver.no2.interval=1s"});
    EXPECT_EQ(onTop.status, 1) << onTop.output;
    EXPECT_NE(onTop.output.find("cannot be built on"), std::string::npos) << onTop.output;
    const CommandResult replaced = set({"driver.no2.interval=1s"}, {"--replace"});
    EXPECT_EQ(replaced.status, 0) << replaced.output << gateway.log();
    EXPECT_EQ(readFile(_directory + "/conf.d/99-remote.ini").find("so2"), std::string::npos);
    stop(gateway);
}

TEST_F(RemoteConfigTest, AMuteStopsADriversReadingsAndAnUnmuteBringsThemBackLosingNothingElse) {
    Subscriber reader(_broker, _reader, kGateway + "/#");
    ServiceProcess gateway({"-c", writeConfig("100ms")});
    ASSERT_TRUE(gateway.waitForLog("connected to")) << gateway.log();
    ASSERT_TRUE(eventually([&] { return countOn(reader, kSo2) >= 5; }));

    const CommandResult mute = set({"driver.so2.enabled=false"});
    ASSERT_EQ(mute.status, 0) << mute.output << gateway.log();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // what was queued at the mute arrives
    EXPECT_EQ(countDuring(reader, kSo2, std::chrono::seconds(2)), 0u);
    EXPECT_GE(countDuring(reader, kNo2, std::chrono::seconds(1)), 5u);

    const CommandResult unmute = set({"driver.so2.enabled=true"});
    ASSERT_EQ(unmute.status, 0) << unmute.output << gateway.log();
    EXPECT_GE(countDuring(reader, kSo2, std::chrono::seconds(2)), 5u);
    stop(gateway);

    // Every no2 reading of the three configurations reached the reader.
    const long reads = readsIn(gateway.log(), "driver.no2");
    EXPECT_GT(reads, 30);
    EXPECT_TRUE(eventually([&] { return static_cast<long>(countOn(reader, kNo2)) >= reads; }))
        << countOn(reader, kNo2) << " of " << reads;
}

TEST_F(RemoteConfigTest, StaleAndExpiredVersionsAreReportedAndNotApplied) {
    ServiceProcess gateway({"-c", writeConfig()});
    ASSERT_TRUE(gateway.waitForLog("connected to")) << gateway.log();
    const CommandResult five = set({"driver.no2.interval=1s"}, {"--version", "5"});
    ASSERT_EQ(five.status, 0) << five.output << gateway.log();

    const CommandResult stale = set({"driver.so2.enabled=false"}, {"--version", "4"});
    EXPECT_EQ(stale.status, 1) << stale.output;
    EXPECT_NE(stale.output.find("state     ignored-stale"), std::string::npos) << stale.output;
    EXPECT_NE(stale.output.find("version 4 is not newer than 5"), std::string::npos) << stale.output;

    const CommandResult expired = set({"driver.so2.enabled=false"}, {"--expires", "0s"});
    EXPECT_EQ(expired.status, 1) << expired.output;
    EXPECT_NE(expired.output.find("state     expired"), std::string::npos) << expired.output;
    EXPECT_NE(expired.output.find("the gateway runs version 5"), std::string::npos) << expired.output;
    EXPECT_EQ(readFile(_directory + "/conf.d/99-remote.ini").find("so2"), std::string::npos);
    stop(gateway);
}

}  // namespace
}  // namespace citysense
