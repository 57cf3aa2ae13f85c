// Every hardware driver inside the real engine: a configuration file read by readConfigFile(), checked
// by makePlan() against the plugins built in this tree, run by an Engine as citysensed runs it, in a
// pipeline from the driver through a filter to a console sink appending JSON lines to a file. The
// devices are the driver tests' emulators, in this process: chips on a FakeI2cBus, a module or a
// sensor on the far side of a pseudo-terminal, a reed switch played by a ScriptedEdgeSource. The
// checks read the file back: values, units, quantities, quality, source; and the engine's status.

#include "Bme280Emulator.h"
#include "Bme280TestVectors.h"
#include "DgsEmulator.h"
#include "ModbusWindEmulator.h"

#include <PluginHarness.h>
#include <engine/Engine.h>
#include <engine/HealthServer.h>
#include <engine/Plan.h>

#include <citysense/bus/Gpio.h>
#include <citysense/bus/I2c.h>
#include <citysense/testing/FakeI2cBus.h>
#include <citysense/testing/PseudoTerminal.h>
#include <citysense/testing/ScriptedEdgeSource.h>
#include <citysense/testing/chips/Ads1115Emulator.h>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace citysense {
namespace {

/// How long a condition may take before the test gives up on it: far beyond what any of them needs.
constexpr auto kPatience = std::chrono::seconds(30);

const char* const kHost =
    "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\nhttp_listen = off\n"
    "shutdown_timeout = 5s\n";

/// Polls `condition` every 10 ms until it holds (true) or kPatience has passed (false).
template <typename Condition>
bool eventually(Condition condition) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

/// One line the console sink wrote.
struct JsonSample {
    std::string quantity;
    std::string unit;
    bool hasValue = false;  ///< false: "value": null
    double value = 0.0;
    std::vector<std::string> quality;
    std::string source;
    std::string station;  ///< "system/city/street"
    Micros time = 0;
};

JsonSample parseLine(const std::string& line) {
    Poco::JSON::Parser parser;
    const auto object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
    JsonSample sample;
    sample.quantity = object->getValue<std::string>("quantity");
    sample.unit = object->getValue<std::string>("unit");
    sample.hasValue = !object->isNull("value");
    if (sample.hasValue)
        sample.value = object->getValue<double>("value");
    const auto quality = object->getArray("quality");
    for (std::size_t i = 0; quality && i < quality->size(); ++i)
        sample.quality.push_back(quality->getElement<std::string>(static_cast<unsigned>(i)));
    sample.source = object->getValue<std::string>("source");
    sample.station = object->getValue<std::string>("system") + "/" + object->getValue<std::string>("city") +
                     "/" + object->getValue<std::string>("street");
    int zone = 0;
    sample.time = Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT,
                                              object->getValue<std::string>("timestamp"), zone)
                      .timestamp()
                      .epochMicroseconds();
    return sample;
}

/// The samples of `lines` of `quantity`.
std::vector<JsonSample> ofQuantity(const std::vector<JsonSample>& lines, const std::string& quantity) {
    std::vector<JsonSample> found;
    for (const auto& line : lines) {
        if (line.quantity == quantity)
            found.push_back(line);
    }
    return found;
}

/// Checks what every line of these pipelines carries: the station, the unit of its quantity, the
/// instance it came from, and no quality flag.
void expectOkFrom(const JsonSample& sample, const std::string& source, const std::string& unit) {
    EXPECT_EQ(sample.station, "hypo_city/city_01/street_01");
    EXPECT_EQ(sample.unit, unit) << sample.quantity;
    EXPECT_EQ(sample.source, source) << sample.quantity;
    EXPECT_EQ(sample.quality, std::vector<std::string>{"ok"}) << sample.quantity;
    EXPECT_TRUE(sample.hasValue) << sample.quantity;
}

/// A configuration's plan and the engine built from it; the plan lives as long as the engine, as in
/// citysensed.
struct Rig {
    Plan plan;
    std::unique_ptr<Engine> engine;

    InstanceStatus status(const std::string& name) const {
        for (const auto& status : engine->status()) {
            if (status.name == name)
                return status;
        }
        ADD_FAILURE() << "no instance " << name;
        return {};
    }

    /// Each driver read `reads` samples, the sink wrote `delivered`; nothing failed or was dropped.
    void expectHealthy(const std::map<std::string, std::uint64_t>& reads, std::uint64_t delivered) const {
        for (const auto& [name, count] : reads) {
            const InstanceStatus driver = status(name);
            EXPECT_EQ(driver.read, count) << name;
            EXPECT_EQ(driver.failures, 0u) << name << ": " << driver.message;
        }
        const InstanceStatus sink = status("sink.out");
        EXPECT_EQ(sink.delivered, delivered);
        EXPECT_EQ(sink.failures, 0u) << sink.message;
        EXPECT_EQ(sink.dropped, 0u);
        EXPECT_EQ(sink.queued, 0u);
    }
};

class DriverPipelines : public ::testing::Test {
protected:
    void SetUp() override {
        _directory = std::filesystem::temp_directory_path() /
                     ("citysense-pipelines-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(_directory);
        std::filesystem::create_directories(_directory);
    }

    void TearDown() override { std::filesystem::remove_all(_directory); }

    /// The host section, `sections` (drivers, filters, pipelines) and `[sink.out]`, a console sink
    /// appending JSON lines to samplesPath(), written to a file, read, planned and built. Every issue
    /// found on the way fails the test; `engine` is then null.
    Rig build(const std::string& sections) {
        const std::string path = (_directory / "station.ini").string();
        std::ofstream(path) << kHost << "spool_dir = " << (_directory / "spool").string() << "\n"
                            << sections
                            << "[sink.out]\nplugin = console\nformat = json\noutput = " << samplesPath()
                            << "\n";
        std::vector<ConfigIssue> issues;
        Rig station{makePlan(readConfigFile(path), test::builtPlugins(), issues), nullptr};
        if (issues.empty())
            station.engine = std::make_unique<Engine>(station.plan, test::builtPlugins(), issues);
        for (const auto& issue : issues)
            ADD_FAILURE() << formatIssue(path, issue);
        if (!issues.empty())
            station.engine.reset();
        return station;
    }

    std::string samplesPath() const { return (_directory / "samples.jsonl").string(); }

    /// The complete lines of the sink's file so far (a line still being written is left out).
    std::vector<std::string> lines() const {
        std::ifstream file(samplesPath());
        std::stringstream text;
        text << file.rdbuf();
        std::vector<std::string> complete;
        std::string line;
        std::istringstream stream(text.str());
        while (std::getline(stream, line)) {
            if (!stream.eof())
                complete.push_back(line);
        }
        return complete;
    }

    std::vector<JsonSample> samples() const {
        std::vector<JsonSample> parsed;
        for (const auto& line : lines())
            parsed.push_back(parseLine(line));
        return parsed;
    }

private:
    std::filesystem::path _directory;
};

/// Registers a fake I2C bus under its name for the life of the guard.
class BusRegistration {
public:
    explicit BusRegistration(std::shared_ptr<testing::FakeI2cBus> bus) : _name(bus->name()) {
        registerI2cBus(_name, std::move(bus));
    }
    ~BusRegistration() { registerI2cBus(_name, nullptr); }
    BusRegistration(const BusRegistration&) = delete;
    BusRegistration& operator=(const BusRegistration&) = delete;

private:
    std::string _name;
};

// ---- bme280 -------------------------------------------------------------------------------------

TEST_F(DriverPipelines, Bme280DatasheetVectorThroughRangeFilter) {
    using namespace bme280::testdata;
    auto bus = std::make_shared<testing::FakeI2cBus>("fake-pipelines-bme280");
    auto chip = std::make_shared<bme280::Bme280Emulator>();
    chip->setCalibration(kDatasheetCalibration, kNegativeHumidityCalibration);
    chip->setAdc(kDatasheetAdcP, kDatasheetAdcT, kAdcH);
    bus->attach(0x76, chip);
    const BusRegistration registration(bus);

    Rig station = build(
        "[driver.air]\nplugin = bme280\nbus = fake-pipelines-bme280\naddress = 0x76\n"
        "[filter.plausible]\nplugin = range\n"
        "[pipeline.main]\ndrivers = air\nfilters = plausible\nsinks = out\n");
    ASSERT_TRUE(station.engine);
    EXPECT_TRUE(station.engine->runOnce());

    const std::vector<JsonSample> written = samples();
    ASSERT_EQ(written.size(), 3u);
    for (const auto& sample : written) {
        EXPECT_EQ(sample.time, written.front().time) << "one read, one timestamp";
        EXPECT_EQ(sample.source, "driver.air");
    }
    const auto temperature = ofQuantity(written, "temperature");
    ASSERT_EQ(temperature.size(), 1u);
    expectOkFrom(temperature[0], "driver.air", "Cel");
    EXPECT_NEAR(temperature[0].value, 25.08, 0.005);
    const auto pressure = ofQuantity(written, "pressure");
    ASSERT_EQ(pressure.size(), 1u);
    expectOkFrom(pressure[0], "driver.air", "Pa");
    EXPECT_NEAR(pressure[0].value, 100653.27, 0.02);
    const auto humidity = ofQuantity(written, "humidity");
    ASSERT_EQ(humidity.size(), 1u);
    expectOkFrom(humidity[0], "driver.air", "%RH");
    EXPECT_GT(humidity[0].value, 1.0);  // the value itself is bme280_test's business
    EXPECT_LT(humidity[0].value, 99.0);

    EXPECT_EQ(chip->measurements(), 1);
    station.expectHealthy({{"driver.air", 3}}, 3);
}

// ---- alphasense and wind_vane, two ADS1115s on one bus ------------------------------------------

TEST_F(DriverPipelines, AlphasenseAndWindVaneShareABusAndAPipeline) {
    auto bus = std::make_shared<testing::FakeI2cBus>("fake-pipelines-ads");
    auto isb = std::make_shared<testing::Ads1115Emulator>(0x48);
    auto vane = std::make_shared<testing::Ads1115Emulator>(0x49);
    bus->attach(0x48, isb);
    bus->attach(0x49, vane);
    isb->setInput(0, 0.300);  // AAN 803's worked example: WE 300 mV, AE 290 mV
    isb->setInput(1, 0.290);
    vane->setInput(0, 3.3 * 16000 / (16000 + 10000));  // 16 kΩ under the 10 kΩ pull-up: 225°
    const BusRegistration registration(bus);

    Rig station = build(
        "[driver.gas]\nplugin = alphasense\ncell = no2_b43f\nbus = fake-pipelines-ads\naddress = 0x48\n"
        "we_zero_electronic = 227\nae_zero_electronic = 228\nsensitivity = 0.270\ntemperature = 20\n"
        "[driver.vane]\nplugin = wind_vane\nbus = fake-pipelines-ads\naddress = 0x49\n"
        "[filter.plausible]\nplugin = range\n"
        "[pipeline.main]\ndrivers = gas, vane\nfilters = plausible\nsinks = out\n");
    ASSERT_TRUE(station.engine);
    EXPECT_TRUE(station.engine->runOnce());

    const std::vector<JsonSample> written = samples();
    ASSERT_EQ(written.size(), 2u);
    const auto no2 = ofQuantity(written, "no2");
    ASSERT_EQ(no2.size(), 1u);
    expectOkFrom(no2[0], "driver.gas", "ppb");
    // WEc = (300 - 227) - 0.6 (290 - 228) = 35.8 mV; 35.8 / 0.270 mV/ppb.
    EXPECT_NEAR(no2[0].value, 35.8 / 0.270, 1e-9);
    const auto direction = ofQuantity(written, "wind_direction");
    ASSERT_EQ(direction.size(), 1u);
    expectOkFrom(direction[0], "driver.vane", "deg");
    EXPECT_EQ(direction[0].value, 225.0);

    EXPECT_EQ(isb->conversions(), 2);  // WE and AE
    EXPECT_EQ(vane->conversions(), 1);
    EXPECT_EQ(bus->overlaps(), 0);
    station.expectHealthy({{"driver.gas", 1}, {"driver.vane", 1}}, 2);
}

// ---- spec_dgs over a pseudo-terminal -------------------------------------------------------------

TEST_F(DriverPipelines, SpecDgsAnswersOverAPseudoTerminal) {
    spec_dgs::DgsEmulator module;
    // Serial 012345678901, 87 ppb, 24 °C, 51 %RH, powered for 0 d 02:00:00: warmed up.
    module.answer("012345678901, 87, 24, 51, 30000, 26000, 29000, 00, 02, 00, 00\r\n");

    Rig station = build("[driver.no2]\nplugin = spec_dgs\nport = " + module.devicePath() +
                        "\ngas = no2\nreport_environment = true\n"
                        "[filter.plausible]\nplugin = range\n"
                        "[pipeline.main]\ndrivers = no2\nfilters = plausible\nsinks = out\n");
    ASSERT_TRUE(station.engine);
    EXPECT_TRUE(station.engine->runOnce());

    const std::vector<JsonSample> written = samples();
    ASSERT_EQ(written.size(), 3u);
    const auto no2 = ofQuantity(written, "no2");
    ASSERT_EQ(no2.size(), 1u);
    expectOkFrom(no2[0], "driver.no2", "ppb");
    EXPECT_EQ(no2[0].value, 87.0);
    const auto temperature = ofQuantity(written, "temperature");
    ASSERT_EQ(temperature.size(), 1u);
    expectOkFrom(temperature[0], "driver.no2", "Cel");
    EXPECT_EQ(temperature[0].value, 24.0);
    const auto humidity = ofQuantity(written, "humidity");
    ASSERT_EQ(humidity.size(), 1u);
    expectOkFrom(humidity[0], "driver.no2", "%RH");
    EXPECT_EQ(humidity[0].value, 51.0);

    EXPECT_EQ(module.requests(), std::vector<std::string>{"\r"});
    station.expectHealthy({{"driver.no2", 3}}, 3);
}

// ---- windsonic over a pseudo-terminal ------------------------------------------------------------

/// A Gill polar frame around `body`: STX, body, ETX, the XOR of the body in hex, CR LF.
std::string gillFrame(const std::string& body) {
    unsigned checksum = 0;
    for (const char c : body)
        checksum ^= static_cast<unsigned char>(c);
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02X", checksum);
    return "\x02" + body + "\x03" + hex + "\r\n";
}

/// A WindSonic streaming lines in turn on the device side of a pseudo-terminal, one every 20 ms, from
/// construction to destruction: by default two frames.
class StreamingWindSonic {
public:
    explicit StreamingWindSonic(std::vector<std::string> lines = {gillFrame("Q,229,002.74,M,00,"),
                                                                  gillFrame("Q,036,002.57,M,00,")})
        : _lines(std::move(lines)), _thread([this] {
              for (std::size_t i = 0; !_stop; ++i) {
                  _pty.send(_lines[i % _lines.size()]);
                  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the pace of the stream
              }
          }) {}

    ~StreamingWindSonic() {
        _stop = true;
        _thread.join();
    }

    StreamingWindSonic(const StreamingWindSonic&) = delete;
    StreamingWindSonic& operator=(const StreamingWindSonic&) = delete;

    const std::string& devicePath() const { return _pty.devicePath(); }

private:
    testing::PseudoTerminal _pty;
    const std::vector<std::string> _lines;
    std::atomic<bool> _stop{false};
    std::thread _thread;
};

TEST_F(DriverPipelines, WindSonicStreamsGillFramesThroughAUnitConversion) {
    EXPECT_EQ(gillFrame("Q,229,002.74,M,00,"),
              "\x02Q,229,002.74,M,00,\x03"
              "16\r\n");  // the manual's frame

    StreamingWindSonic sensor;
    Rig station = build("[driver.wind]\nplugin = windsonic\nport = " + sensor.devicePath() +
                        "\n"
                        "[filter.kmh]\nplugin = convert\nto = wind_speed_kmh\n"
                        "[pipeline.main]\ndrivers = wind\nfilters = kmh\nsinks = out\n");
    ASSERT_TRUE(station.engine);
    station.engine->start();
    const bool arrived = eventually([&] { return lines().size() >= 12; });  // four frames
    station.engine->stop();
    ASSERT_TRUE(arrived) << lines().size() << " lines";

    // Each frame: its speed, the speed in km/h added right after it, its direction.
    const std::vector<JsonSample> written = samples();
    ASSERT_EQ(written.size() % 3, 0u);
    const std::map<double, double> directionOfSpeed = {{2.74, 229.0}, {2.57, 36.0}};
    for (std::size_t i = 0; i < written.size(); i += 3) {
        const JsonSample& speed = written[i];
        const JsonSample& kmh = written[i + 1];
        const JsonSample& direction = written[i + 2];
        ASSERT_EQ(speed.quantity, "wind_speed") << "line " << i;
        ASSERT_EQ(kmh.quantity, "wind_speed_kmh") << "line " << i + 1;
        ASSERT_EQ(direction.quantity, "wind_direction") << "line " << i + 2;
        expectOkFrom(speed, "driver.wind", "m/s");
        expectOkFrom(kmh, "driver.wind", "km/h");
        expectOkFrom(direction, "driver.wind", "deg");
        const auto frame = directionOfSpeed.find(speed.value);
        ASSERT_NE(frame, directionOfSpeed.end()) << speed.value << " m/s is neither frame's";
        EXPECT_EQ(direction.value, frame->second);
        EXPECT_NEAR(kmh.value, speed.value * 3.6, 1e-9);
        EXPECT_EQ(kmh.time, speed.time);
        EXPECT_EQ(direction.time, speed.time);
        if (i >= 3) {
            EXPECT_NE(speed.value, written[i - 3].value) << "frames come in turn; line " << i;
        }
    }
    const std::uint64_t frames = written.size() / 3;
    station.expectHealthy({{"driver.wind", 2 * frames}}, 3 * frames);
}

TEST_F(DriverPipelines, WhatTheDriverAndAFilterDropIsInTheStatusAndTheMetrics) {
    // A damaged frame is dropped by the driver; a fault frame gives NaN samples, which the window drops.
    StreamingWindSonic sensor({gillFrame("Q,229,002.74,M,00,"), gillFrame("Q,229,002.74,M,00,") + "junk\r\n",
                               "\x02Q,036,002.57,M,00,\x03"
                               "00\r\n",
                               gillFrame("Q,,,M,04,")});
    Rig station = build("[driver.wind]\nplugin = windsonic\nport = " + sensor.devicePath() +
                        "\n"
                        "[filter.mean]\nplugin = window\nperiod = 1h\n"
                        "[pipeline.main]\ndrivers = wind\nfilters = mean\nsinks = out\n");
    ASSERT_TRUE(station.engine);
    station.engine->start();
    const bool dropped = eventually([&] {
        return station.status("filter.mean").droppedByReason.count("non_finite_value") &&
               station.status("driver.wind").droppedByReason.count("bad_checksum") &&
               station.status("driver.wind").droppedByReason.count("bad_frame");
    });
    station.engine->stop();
    ASSERT_TRUE(dropped);
    const InstanceStatus filter = station.status("filter.mean");
    EXPECT_EQ(filter.plugin, "window");
    EXPECT_EQ(filter.state, InstanceState::Stopped);
    const std::string metrics = prometheusText(station.engine->status());
    for (const char* series :
         {"citysense_dropped_total{instance=\"driver.wind\",plugin=\"windsonic\",reason=\"bad_checksum\"} ",
          "citysense_dropped_total{instance=\"driver.wind\",plugin=\"windsonic\",reason=\"bad_frame\"} ",
          "citysense_dropped_total{instance=\"filter.mean\",plugin=\"window\",reason=\"non_finite_value\"} "})
        EXPECT_NE(metrics.find(series), std::string::npos) << series << "\n" << metrics;
    EXPECT_NE(healthJson(station.engine->status()).find("\"name\":\"filter.mean\""), std::string::npos);
}

// ---- anemometer on a scripted GPIO line -----------------------------------------------------------

/// The engine's driver opens its own EdgeSource; this one plays the test's script. While the script
/// lasts the line runs on its virtual clock; once it is played the line is idle in real time, as a
/// calm anemometer's is, so the driver does not race through empty periods.
class ScriptedLine : public EdgeSource {
public:
    explicit ScriptedLine(std::shared_ptr<testing::ScriptedEdgeSource> script) : _script(std::move(script)) {}

    std::optional<EdgeEvent> next(Micros timeout) override {
        if (_script->pending() == 0)
            std::this_thread::sleep_for(std::chrono::microseconds(timeout));
        return _script->next(timeout);
    }
    Micros now() const override { return _script->now(); }
    std::string describe() const override { return "fake-pipelines-gpio line 17 (scripted)"; }

private:
    std::shared_ptr<testing::ScriptedEdgeSource> _script;
};

/// Makes the edge sources of a GPIO chip come from a factory for the life of the guard.
class LineRegistration {
public:
    LineRegistration(std::string chip, EdgeSourceFactory factory) : _chip(std::move(chip)) {
        registerEdgeSource(_chip, std::move(factory));
    }
    ~LineRegistration() { registerEdgeSource(_chip, {}); }
    LineRegistration(const LineRegistration&) = delete;
    LineRegistration& operator=(const LineRegistration&) = delete;

private:
    std::string _chip;
};

TEST_F(DriverPipelines, AnemometerCountsAScriptedReedSwitch) {
    constexpr Micros kMs = 1000;
    constexpr double kSparkFunMetresPerPulse = 2.4 / 3.6;  // 2.4 km/h per Hz, the driver's default
    auto script = std::make_shared<testing::ScriptedEdgeSource>();
    script->addPulses(50 * kMs, 100 * kMs, 30);    // [0 s, 3 s): 10 Hz
    script->addPulses(3050 * kMs, 200 * kMs, 15);  // [3 s, 6 s): 5 Hz
    auto opened = std::make_shared<std::atomic<int>>(0);
    const LineRegistration registration("fake-pipelines-gpio", [opened, script](const GpioLineSpec& spec) {
        EXPECT_EQ(spec.line, "17");
        ++*opened;
        return std::make_unique<ScriptedLine>(script);
    });

    // No filter: the driver reports means over its own period already.
    Rig station = build(
        "[driver.cups]\nplugin = anemometer\nchip = fake-pipelines-gpio\nline = 17\nperiod = 3s\n"
        "[pipeline.main]\ndrivers = cups\nsinks = out\n");
    ASSERT_TRUE(station.engine);
    const Micros started = nowMicros();
    station.engine->start();
    const bool arrived = eventually([&] { return lines().size() >= 4; });  // two periods
    const Micros seen = nowMicros();
    station.engine->stop();
    ASSERT_TRUE(arrived) << lines().size() << " lines";
    EXPECT_EQ(*opened, 1);
    EXPECT_EQ(script->pending(), 0u);

    const std::vector<JsonSample> written = samples();
    ASSERT_EQ(written.size() % 2, 0u);
    const double expected[] = {10 * kSparkFunMetresPerPulse, 5 * kSparkFunMetresPerPulse};
    for (std::size_t i = 0; i < written.size(); i += 2) {
        const JsonSample& speed = written[i];
        const JsonSample& gust = written[i + 1];
        ASSERT_EQ(speed.quantity, "wind_speed") << "line " << i;
        ASSERT_EQ(gust.quantity, "wind_gust") << "line " << i + 1;
        expectOkFrom(speed, "driver.cups", "m/s");
        expectOkFrom(gust, "driver.cups", "m/s");
        const double mean = i / 2 < 2 ? expected[i / 2] : 0.0;  // calm after the script
        EXPECT_NEAR(speed.value, mean, 1e-9) << "period " << i / 2;
        EXPECT_NEAR(gust.value, mean, 1e-9) << "period " << i / 2;  // a 3 s period is one gust window
        EXPECT_EQ(gust.time, speed.time);
        if (i >= 2) {
            EXPECT_EQ(speed.time - written[i - 2].time, 3 * kMicrosPerSecond) << "period " << i / 2;
        }
    }
    // The first period ends 3 s of the line's clock after run() began, mapped to UTC then.
    EXPECT_GE(written[0].time, started + 3 * kMicrosPerSecond);
    EXPECT_LE(written[0].time, seen + 3 * kMicrosPerSecond);
    station.expectHealthy({{"driver.cups", written.size()}}, written.size());
}

// ---- modbus_wind over a pseudo-terminal ----------------------------------------------------------

TEST_F(DriverPipelines, ModbusWindAnswersAsARtuSlave) {
    ASSERT_EQ(modbus_wind::crc16Modbus("123456789"), 0x4B37);  // the CRC catalogue's check value

    modbus_wind::ModbusWindEmulator sensor(1, {{0x0000, 86}, {0x0001, 270}});  // 8.6 m/s from 270°
    Rig station = build("[driver.wind]\nplugin = modbus_wind\nport = " + sensor.devicePath() +
                        "\n"
                        "[filter.plausible]\nplugin = range\n"
                        "[pipeline.main]\ndrivers = wind\nfilters = plausible\nsinks = out\n");
    ASSERT_TRUE(station.engine);
    EXPECT_TRUE(station.engine->runOnce());

    const std::vector<JsonSample> written = samples();
    ASSERT_EQ(written.size(), 2u);
    const auto speed = ofQuantity(written, "wind_speed");
    ASSERT_EQ(speed.size(), 1u);
    expectOkFrom(speed[0], "driver.wind", "m/s");
    EXPECT_DOUBLE_EQ(speed[0].value, 8.6);
    const auto direction = ofQuantity(written, "wind_direction");
    ASSERT_EQ(direction.size(), 1u);
    expectOkFrom(direction[0], "driver.wind", "deg");
    EXPECT_EQ(direction[0].value, 270.0);
    EXPECT_EQ(direction[0].time, speed[0].time);

    EXPECT_EQ(sensor.requests(), std::vector<std::string>{"1 3 0 2"});  // both registers in one request
    station.expectHealthy({{"driver.wind", 2}}, 2);
}

}  // namespace
}  // namespace citysense
