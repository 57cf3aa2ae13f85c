// The windsonic driver through the real plugin library, end to end over a pseudo-terminal: run() goes on
// a thread, the test sends what a WindSonic would and records what the driver emits.

#include <GillFrame.h>
#include <WindFrame.h>

#include <PluginHarness.h>

#include <citysense/DropCounts.h>
#include <citysense/testing/PseudoTerminal.h>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "RecordingLog.h"

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace citysense {
namespace {

using test::RecordingLog;

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Settings = std::map<std::string, std::string>;

/// An upper bound for what the driver must do promptly; only ever waited for with a condition.
constexpr auto kPatience = std::chrono::seconds(20);

constexpr double kKnot = 1852.0 / 3600.0;

/// A Gill frame around `body`, with its checksum (computed unless given) and a line end.
std::string gill(const std::string& body, int checksum = -1) {
    char text[16];
    std::snprintf(text, sizeof text, "%02X", checksum < 0 ? windsonic::xorOf(body) : checksum);
    return std::string(1, windsonic::kStx) + body + windsonic::kEtx + text + "\r\n";
}

/// The manual's vectors.
const std::string kFrame229 = gill("Q,229,002.74,M,00,");
const std::string kFrame036 = gill("Q,036,002.57,M,00,");
const std::string kFrameCalm = gill("Q,,000.04,M,00,");

/// Collects what a running driver emits.
class RecordingEmitter : public Emitter {
public:
    void emit(SampleBatch& batch) override {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _batches.push_back(batch);
            _samples.insert(_samples.end(), batch.begin(), batch.end());
        }
        batch.clear();
        _changed.notify_all();
    }

    /// The samples emitted, once there are at least `count` (or kPatience has passed).
    SampleBatch waitFor(std::size_t count) {
        std::unique_lock<std::mutex> lock(_mutex);
        _changed.wait_for(lock, kPatience, [&] { return _samples.size() >= count; });
        return _samples;
    }

    std::vector<SampleBatch> batches() const {
        std::lock_guard<std::mutex> lock(_mutex);
        return _batches;
    }

private:
    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::vector<SampleBatch> _batches;
    SampleBatch _samples;
};

/// A driver's run() on a thread, from construction until destruction (which stops it) or an error.
class Running {
public:
    Running(Driver& driver, Emitter& emitter)
        : _thread([this, &driver, &emitter] {
              std::string outcome;
              try {
                  driver.run(emitter, _stop);
              } catch (const std::exception& error) {
                  outcome = error.what();
              }
              {
                  std::lock_guard<std::mutex> lock(_mutex);
                  _outcome = outcome.empty() ? "returned" : "threw: " + outcome;
              }
              _changed.notify_all();
          }) {}

    ~Running() {
        _stop.requestStop();
        _thread.join();
    }

    void requestStop() { _stop.requestStop(); }

    /// "returned" or "threw: <message>" once run() has ended; "still running" after kPatience.
    std::string waitForEnd() {
        std::unique_lock<std::mutex> lock(_mutex);
        _changed.wait_for(lock, kPatience, [&] { return !_outcome.empty(); });
        return _outcome.empty() ? "still running" : _outcome;
    }

private:
    StopToken _stop;
    std::mutex _mutex;
    std::condition_variable _changed;
    std::string _outcome;
    std::thread _thread;
};

/// A driver on a fresh pseudo-terminal, opened as the host would before it runs it.
struct Rig {
    explicit Rig(const Settings& extra = {}) {
        Settings settings = {{"port", device.devicePath()}};
        for (const auto& [key, value] : extra)
            settings[key] = value;
        driver = test::makeDriver("windsonic", settings);
        driver->open();
    }

    testing::PseudoTerminal device;
    std::unique_ptr<Driver> driver;
    RecordingEmitter emitter;
};

std::vector<Quantity> quantitiesOf(const SampleBatch& samples) {
    std::vector<Quantity> quantities;
    for (const auto& sample : samples)
        quantities.push_back(sample.quantity);
    return quantities;
}

std::vector<double> valuesOf(const SampleBatch& samples) {
    std::vector<double> values;
    for (const auto& sample : samples)
        values.push_back(sample.value);
    return values;
}

TEST(WindSonicDriver, IsEventDrivenWithWindChannels) {
    Rig rig;
    EXPECT_TRUE(rig.driver->eventDriven());
    const std::vector<Channel> channels = rig.driver->channels();
    ASSERT_EQ(channels.size(), 2u);
    EXPECT_EQ(channels[0].quantity, Quantity::WindSpeed);
    EXPECT_EQ(channels[1].quantity, Quantity::WindDirection);
    EXPECT_EQ(channels[1].max, 360.0);
}

TEST(WindSonicDriver, GillFramesGiveSpeedAndDirection) {
    Rig rig;
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrame229);
    rig.device.send(kFrame036);
    const SampleBatch samples = rig.emitter.waitFor(4);
    EXPECT_THAT(quantitiesOf(samples), ElementsAre(Quantity::WindSpeed, Quantity::WindDirection,
                                                   Quantity::WindSpeed, Quantity::WindDirection));
    EXPECT_THAT(valuesOf(samples), ElementsAre(2.74, 229.0, 2.57, 36.0));
    for (const auto& sample : samples) {
        EXPECT_EQ(sample.quality, QualityOk);
        EXPECT_EQ(sample.source, rig.driver->source());
    }
    EXPECT_EQ(rig.emitter.batches().size(), 2u);  // one batch per frame, stamped when it arrived
    EXPECT_EQ(samples[0].time, samples[1].time);
}

TEST(WindSonicDriver, BelowTheDirectionThresholdThereIsOnlyASpeed) {
    Rig rig;
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrameCalm + kFrame229);
    const SampleBatch samples = rig.emitter.waitFor(3);
    EXPECT_THAT(quantitiesOf(samples),
                ElementsAre(Quantity::WindSpeed, Quantity::WindSpeed, Quantity::WindDirection));
    EXPECT_THAT(valuesOf(samples), ElementsAre(0.04, 2.74, 229.0));
}

TEST(WindSonicDriver, OtherUnitsAreConvertedToMetresPerSecond) {
    Rig rig;
    Running running(*rig.driver, rig.emitter);
    rig.device.send(gill("Q,090,010.00,N,00,") + gill("Q,090,036.00,K,00,"));
    const SampleBatch samples = rig.emitter.waitFor(4);
    ASSERT_EQ(samples.size(), 4u);
    EXPECT_DOUBLE_EQ(samples[0].value, 10.0 * kKnot);
    EXPECT_DOUBLE_EQ(samples[2].value, 10.0);
}

TEST(WindSonicDriver, AFrameWithABadChecksumGivesNoReading) {
    Rig rig;
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrame229);
    rig.device.send(gill("Q,100,050.00,M,00,", 0x16));
    rig.device.send(kFrame036);
    const SampleBatch samples = rig.emitter.waitFor(4);
    EXPECT_THAT(valuesOf(samples), ElementsAre(2.74, 229.0, 2.57, 36.0));
    EXPECT_EQ(rig.emitter.batches().size(), 2u);
}

TEST(WindSonicDriver, AFailedAxisIsAFlaggedFaultNotAReading) {
    Rig rig;
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrame229);
    rig.device.send(gill("Q,999,999.99,M,01,"));
    rig.device.send(kFrame036);
    const SampleBatch samples = rig.emitter.waitFor(6);
    ASSERT_EQ(samples.size(), 6u);
    EXPECT_EQ(samples[2].quantity, Quantity::WindSpeed);
    EXPECT_EQ(samples[3].quantity, Quantity::WindDirection);
    for (const std::size_t fault : {2, 3}) {
        EXPECT_TRUE(std::isnan(samples[fault].value));
        EXPECT_EQ(samples[fault].quality, QualitySensorFault);
    }
    EXPECT_EQ(samples[4].value, 2.57);
    EXPECT_EQ(samples[4].quality, QualityOk);
}

TEST(WindSonicDriver, AFrameSplitAcrossTwoWritesIsAssembled) {
    Rig rig;
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrame229.substr(0, 9));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the driver see the first part alone
    rig.device.send(kFrame229.substr(9));
    EXPECT_THAT(valuesOf(rig.emitter.waitFor(2)), ElementsAre(2.74, 229.0));
}

TEST(WindSonicDriver, GarbageBetweenFramesIsSkipped) {
    Rig rig;
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrame229);
    rig.device.send(std::string("\x00\xff junk\r\n", 9));
    rig.device.send("\xfe\xfe" + kFrame036);
    rig.device.send("\r\nno frame here\r\n" + std::string(100, '~') + "\n");
    rig.device.send(kFrameCalm);
    EXPECT_THAT(valuesOf(rig.emitter.waitFor(5)), ElementsAre(2.74, 229.0, 2.57, 36.0, 0.04));
}

TEST(WindSonicDriver, NmeaSentencesGiveSpeedInMetresPerSecondAndDirection) {
    Rig rig(Settings{{"protocol", "nmea"}});
    Running running(*rig.driver, rig.emitter);
    rig.device.send("$IIMWV,017,R,02.91,N,A*2F\r\n");
    rig.device.send("$IIMWV,017,R,02.91,N,A*2E\r\n");  // bad checksum: no reading
    rig.device.send("$WIMWV,,R,,M,V*37\r\n");          // void: a fault
    rig.device.send("$IIMWV,142.0,T,10.00,M,A*3E\r\n");
    const SampleBatch samples = rig.emitter.waitFor(6);
    ASSERT_EQ(samples.size(), 6u);
    EXPECT_DOUBLE_EQ(samples[0].value, 2.91 * kKnot);
    EXPECT_EQ(samples[1].value, 17.0);
    EXPECT_TRUE(std::isnan(samples[2].value));
    EXPECT_EQ(samples[2].quality, QualitySensorFault);
    EXPECT_EQ(samples[3].quality, QualitySensorFault);
    EXPECT_EQ(samples[4].value, 10.0);
    EXPECT_EQ(samples[5].value, 142.0);
    EXPECT_EQ(samples[5].quality, QualityOk);
}

TEST(WindSonicDriver, SilenceLongerThanTheTimeoutEndsRunWithAnError) {
    Rig rig;  // the default silence_timeout: 5s
    Running running(*rig.driver, rig.emitter);
    EXPECT_EQ(running.waitForEnd(), "threw: no data from " + rig.device.devicePath() + " for 5s");
}

TEST(WindSonicDriver, SilenceAfterFramesEndsRunAndAReopenedDriverReadsAgain) {
    Rig rig(Settings{{"silence_timeout", "1s"}});
    {
        Running running(*rig.driver, rig.emitter);
        rig.device.send(kFrame229);
        EXPECT_EQ(rig.emitter.waitFor(2).size(), 2u);
        EXPECT_EQ(running.waitForEnd(), "threw: no data from " + rig.device.devicePath() + " for 1s");
    }
    rig.driver->close();  // what the host does after a failure
    rig.driver->open();
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrame036);
    EXPECT_THAT(valuesOf(rig.emitter.waitFor(4)), ElementsAre(2.74, 229.0, 2.57, 36.0));
}

TEST(WindSonicDriver, RejectedLinesDoNotCountAsDataAndTheErrorSaysWhatCame) {
    Rig rig(Settings{{"silence_timeout", "1s"}});
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrame229);
    rig.device.send(gill("Q,229,002.74,M,00,", 0x17));
    rig.device.send(gill("Q,036,002.57,M,00,", 0x00));
    rig.device.send("not a frame\r\n");
    EXPECT_THAT(
        running.waitForEnd(),
        AllOf(StartsWith("threw: no data from " + rig.device.devicePath() + " for 1s"),
              HasSubstr("(rejected since the last frame: 2 with a bad checksum, 1 unreadable; the last: "
                        "no <STX> (start of frame): \"not a frame\\r\\n\")")));
    EXPECT_EQ(rig.driver->dropCounts().byReason(),
              (std::map<std::string, std::uint64_t>{{"bad_checksum", 2}, {"bad_frame", 1}}));
}

TEST(WindSonicDriver, RejectedLinesAndStatusChangesAreLoggedWithoutFlooding) {
    RecordingLog log;
    Rig rig(Settings{{"silence_timeout", "1s"}});
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrame229);
    for (int i = 0; i < 3; ++i)
        rig.device.send(gill("Q,229,002.74,M,00,", 0x17));
    rig.device.send(gill("Q,,,M,04,") + gill("Q,,,M,04,") + kFrame036);
    EXPECT_EQ(rig.emitter.waitFor(8).size(), 8u);
    EXPECT_THAT(running.waitForEnd(), StartsWith("threw: no data"));
    EXPECT_EQ(rig.driver->dropCounts().count("bad_checksum"), 3u);
    EXPECT_THAT(log.find(Poco::Message::PRIO_WARNING, "dropped"),
                ElementsAre("dropped 1 (bad_checksum): checksum 17 does not match the frame's 16: "
                            "\"\\x02Q,229,002.74,M,00,\\x0317\\r\\n\""));
    EXPECT_THAT(
        log.find(Poco::Message::PRIO_WARNING, "status"),
        ElementsAre("the anemometer reports status 04 (axis 1 and 2 failed: insufficient samples on both "
                    "axes): its samples are flagged sensor_fault"));
    EXPECT_THAT(log.find(Poco::Message::PRIO_NOTICE, "status"),
                ElementsAre("the anemometer reports status 00 (OK) again"));
    EXPECT_THAT(log.find(Poco::Message::PRIO_INFORMATION, "receiving"),
                ElementsAre("receiving Gill polar frames on " + rig.device.devicePath()));
}

TEST(WindSonicDriver, TheWrongProtocolShowsInTheSilenceError) {
    Rig rig(Settings{{"protocol", "nmea"}, {"silence_timeout", "1s"}});
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrame229 + kFrame036 + kFrameCalm);
    EXPECT_THAT(running.waitForEnd(),
                HasSubstr("unreadable; the last: no '$' (start of sentence): \"\\x02Q,,000.04"));
    EXPECT_EQ(rig.emitter.waitFor(0).size(), 0u);
}

TEST(WindSonicDriver, TheTailOfAFrameRightAfterOpeningIsNotCounted) {
    Rig rig(Settings{{"silence_timeout", "1s"}});
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrame229.substr(5));  // the port opened in the middle of a frame
    rig.device.send("not a frame\r\n");
    EXPECT_THAT(running.waitForEnd(),
                HasSubstr("(rejected since the last frame: 0 with a bad checksum, 1 unreadable"));
}

TEST(WindSonicDriver, AStopRequestEndsRun) {
    Rig rig;
    Running running(*rig.driver, rig.emitter);
    rig.device.send(kFrame229);
    EXPECT_EQ(rig.emitter.waitFor(2).size(), 2u);
    running.requestStop();
    EXPECT_EQ(running.waitForEnd(), "returned");
    rig.driver->close();
}

TEST(WindSonicDriver, OptionsAreChecked) {
    EXPECT_THROW(test::makeDriver("windsonic", {}), std::runtime_error);  // no port
    EXPECT_THROW(test::makeDriver("windsonic", {{"port", "/dev/ttyS0"}, {"protocol", "sdi12"}}),
                 std::runtime_error);
    EXPECT_THROW(test::makeDriver("windsonic", {{"port", "/dev/ttyS0"}, {"silence_timeout", "0"}}),
                 std::runtime_error);
    try {
        test::makeDriver("windsonic", {{"port", "/dev/ttyS0"}, {"baud", "9601"}});
        FAIL() << "no error";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("baud: expected choice: '9601' is not one of: 1200,"),
                  std::string::npos);
    }
}

}  // namespace
}  // namespace citysense
