// The modbus_wind driver through the real plugin library and the real libmodbus, over a
// pseudo-terminal: the test plays the sensor, a Modbus RTU slave, on the device side. Requests are
// parsed and their CRC checked here, with the CRC-16/MODBUS of the emulator beside the driver, written
// from its definition (reflected polynomial 0xA001, initial value 0xFFFF, low byte sent first) and
// checked against HARDWARE.md's exchange and the CRC catalogue's check value.

#include "ModbusWindEmulator.h"

#include <PluginHarness.h>

#include <citysense/bus/BusError.h>
#include <citysense/testing/PseudoTerminal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <chrono>
#include <cstdint>
#include <future>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace citysense {
namespace {

using modbus_wind::crc16Modbus;
using modbus_wind::withCrc;

using ::testing::HasSubstr;
using Settings = std::map<std::string, std::string>;

constexpr Micros kPatience = 3 * kMicrosPerSecond;  // how long the sensor waits for a request

std::string bytes(std::initializer_list<int> values) {
    std::string text;
    for (const int value : values)
        text += static_cast<char>(value);
    return text;
}

std::optional<double> valueOf(const SampleBatch& batch, Quantity quantity) {
    for (const auto& sample : batch) {
        if (sample.quantity == quantity)
            return sample.value;
    }
    return std::nullopt;
}

TEST(ModbusWindCrc, MatchesTheReferenceVectors) {
    EXPECT_EQ(crc16Modbus("123456789"), 0x4B37);  // the catalogue's check value for CRC-16/MODBUS
    EXPECT_EQ(withCrc(bytes({0x01, 0x03, 0x00, 0x00, 0x00, 0x01})),
              bytes({0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A}));  // HARDWARE.md's query
    EXPECT_EQ(withCrc(bytes({0x01, 0x03, 0x02, 0x00, 0x56})),
              bytes({0x01, 0x03, 0x02, 0x00, 0x56, 0x38, 0x7A}));  // and its reply
}

/// A read request as the sensor sees it.
struct ReadRequest {
    int slave = -1;
    int function = -1;
    int address = -1;
    int count = -1;
};

class ModbusWindDriver : public ::testing::Test {
protected:
    const std::string& port() const { return _pty.devicePath(); }

    /// A modbus_wind on the pseudo-terminal with `settings` on top, opened.
    std::unique_ptr<Driver> openDriver(Settings settings = {}) {
        settings.emplace("port", port());
        auto driver = test::makeDriver("modbus_wind", settings);
        driver->open();
        return driver;
    }

    /// Starts one read() of `driver` in the background; the test answers it as the sensor.
    static std::future<SampleBatch> startRead(Driver& driver) {
        return std::async(std::launch::async, [&driver] {
            SampleBatch batch;
            driver.read(batch);
            return batch;
        });
    }

    /// The next `length` bytes the driver sends; fewer if it sends no more within kPatience.
    std::string receive(std::size_t length) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(kPatience);
        while (_received.size() < length && std::chrono::steady_clock::now() < deadline)
            _received += _pty.receive(100000);
        std::string frame = _received.substr(0, length);
        _received.erase(0, frame.size());
        return frame;
    }

    /// The next request, which must be a well-formed read request with a correct CRC.
    ReadRequest nextReadRequest() {
        const std::string frame = receive(8);
        ReadRequest request;
        EXPECT_EQ(frame.size(), 8u) << "no complete request";
        if (frame.size() != 8)
            return request;
        EXPECT_EQ(withCrc(frame.substr(0, 6)), frame) << "bad CRC in the request";
        const auto byte = [&](std::size_t i) {
            return static_cast<int>(static_cast<std::uint8_t>(frame[i]));
        };
        request.slave = byte(0);
        request.function = byte(1);
        request.address = byte(2) << 8 | byte(3);
        request.count = byte(4) << 8 | byte(5);
        return request;
    }

    /// Answers `request` with `values`, as a sensor does.
    void answer(const ReadRequest& request, const std::vector<std::uint16_t>& values) {
        std::string reply = bytes({request.slave, request.function, static_cast<int>(2 * values.size())});
        for (const std::uint16_t value : values)
            reply += bytes({value >> 8, value & 0xFF});
        _pty.send(withCrc(reply));
    }

    /// The message of the BusError that `reading` ends with.
    static std::string errorOf(std::future<SampleBatch>& reading) {
        try {
            reading.get();
        } catch (const BusError& error) {
            return error.what();
        }
        ADD_FAILURE() << "the read did not fail";
        return "";
    }

    /// Waits until `count` bytes sent to the driver are waiting on its side of the terminal.
    void waitUntilDriverSideHolds(int count) {
        const int fd = ::open(port().c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK);
        ASSERT_GE(fd, 0);
        int waiting = 0;
        for (int attempt = 0; attempt < 300 && waiting < count; ++attempt) {
            ::ioctl(fd, FIONREAD, &waiting);
            if (waiting < count)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        ::close(fd);
        ASSERT_GE(waiting, count);
    }

    testing::PseudoTerminal _pty;

private:
    std::string _received;
};

TEST_F(ModbusWindDriver, ReadsTheHardwareReferenceExchange) {
    auto driver = openDriver({{"direction_register", "-1"}});
    auto reading = startRead(*driver);
    EXPECT_EQ(receive(8), bytes({0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A}));
    _pty.send(bytes({0x01, 0x03, 0x02, 0x00, 0x56, 0x38, 0x7A}));
    const SampleBatch batch = reading.get();
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].quantity, Quantity::WindSpeed);
    EXPECT_DOUBLE_EQ(batch[0].value, 8.6);
    EXPECT_EQ(batch[0].quality, QualityOk);
    EXPECT_EQ(batch[0].source, driver->source());
}

TEST_F(ModbusWindDriver, AdjacentSpeedAndDirectionComeInOneRequest) {
    auto driver = openDriver();
    auto reading = startRead(*driver);
    const ReadRequest request = nextReadRequest();
    EXPECT_EQ(request.slave, 1);
    EXPECT_EQ(request.function, 0x03);
    EXPECT_EQ(request.address, 0x0000);
    EXPECT_EQ(request.count, 2);
    answer(request, {86, 270});
    const SampleBatch batch = reading.get();
    EXPECT_DOUBLE_EQ(valueOf(batch, Quantity::WindSpeed).value_or(-1), 8.6);
    EXPECT_DOUBLE_EQ(valueOf(batch, Quantity::WindDirection).value_or(-1), 270.0);
    EXPECT_EQ(batch.size(), 2u);
    EXPECT_EQ(_pty.receive(100000), "") << "a second request";
}

TEST_F(ModbusWindDriver, DirectionBeforeSpeedIsStillOneRequest) {
    auto driver = openDriver({{"speed_register", "0x0011"}, {"direction_register", "0x0010"}});
    auto reading = startRead(*driver);
    const ReadRequest request = nextReadRequest();
    EXPECT_EQ(request.address, 0x0010);
    EXPECT_EQ(request.count, 2);
    answer(request, {90, 123});
    const SampleBatch batch = reading.get();
    EXPECT_DOUBLE_EQ(valueOf(batch, Quantity::WindSpeed).value_or(-1), 12.3);
    EXPECT_DOUBLE_EQ(valueOf(batch, Quantity::WindDirection).value_or(-1), 90.0);
}

TEST_F(ModbusWindDriver, RegistersApartAreReadOneByOne) {
    auto driver = openDriver({{"speed_register", "0x0020"}, {"direction_register", "0x0010"}});
    auto reading = startRead(*driver);
    const ReadRequest speed = nextReadRequest();
    EXPECT_EQ(speed.address, 0x0020);
    EXPECT_EQ(speed.count, 1);
    answer(speed, {31});
    const ReadRequest direction = nextReadRequest();
    EXPECT_EQ(direction.address, 0x0010);
    EXPECT_EQ(direction.count, 1);
    answer(direction, {45});
    const SampleBatch batch = reading.get();
    EXPECT_DOUBLE_EQ(valueOf(batch, Quantity::WindSpeed).value_or(-1), 3.1);
    EXPECT_DOUBLE_EQ(valueOf(batch, Quantity::WindDirection).value_or(-1), 45.0);
}

TEST_F(ModbusWindDriver, ADirectionOnlyVaneReadsOneRegister) {
    auto driver = openDriver({{"speed_register", "-1"}, {"direction_register", "0x0000"}});
    auto reading = startRead(*driver);
    const ReadRequest request = nextReadRequest();
    EXPECT_EQ(request.address, 0x0000);
    EXPECT_EQ(request.count, 1);
    answer(request, {180});
    const SampleBatch batch = reading.get();
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].quantity, Quantity::WindDirection);
    EXPECT_DOUBLE_EQ(batch[0].value, 180.0);
}

TEST_F(ModbusWindDriver, CountsAreScaled) {
    auto driver = openDriver({{"speed_scale", "0.01"}, {"direction_scale", "45"}});
    auto reading = startRead(*driver);
    answer(nextReadRequest(), {1234, 7});  // 12.34 m/s; sector 7 of 8: north-west
    const SampleBatch batch = reading.get();
    EXPECT_DOUBLE_EQ(valueOf(batch, Quantity::WindSpeed).value_or(-1), 12.34);
    EXPECT_DOUBLE_EQ(valueOf(batch, Quantity::WindDirection).value_or(-1), 315.0);
}

TEST_F(ModbusWindDriver, DirectionIsWrappedIntoZeroTo360) {
    auto driver = openDriver();
    for (const auto& [count, degrees] :
         std::vector<std::pair<std::uint16_t, double>>{{360, 0.0}, {365, 5.0}, {359, 359.0}, {720, 0.0}}) {
        auto reading = startRead(*driver);
        answer(nextReadRequest(), {0, count});
        EXPECT_DOUBLE_EQ(valueOf(reading.get(), Quantity::WindDirection).value_or(-1), degrees) << count;
    }
}

TEST_F(ModbusWindDriver, InputRegistersAndAnotherAddress) {
    auto driver = openDriver({{"function", "input"}, {"slave", "7"}});
    auto reading = startRead(*driver);
    const ReadRequest request = nextReadRequest();
    EXPECT_EQ(request.slave, 7);
    EXPECT_EQ(request.function, 0x04);
    answer(request, {50, 10});
    EXPECT_DOUBLE_EQ(valueOf(reading.get(), Quantity::WindSpeed).value_or(-1), 5.0);
}

TEST_F(ModbusWindDriver, AnExceptionResponseIsAnErrorNamingIt) {
    auto driver = openDriver();
    auto reading = startRead(*driver);
    nextReadRequest();
    _pty.send(withCrc(bytes({0x01, 0x83, 0x02})));  // illegal data address
    const std::string error = errorOf(reading);
    EXPECT_THAT(error, HasSubstr(port() + " slave 1: "));
    EXPECT_THAT(error, HasSubstr("read holding registers 0x0000-0x0001"));
    EXPECT_THAT(error, HasSubstr("Illegal data address"));
}

TEST_F(ModbusWindDriver, ABadCrcIsAnErrorAndTheNextReadRecovers) {
    auto driver = openDriver({{"direction_register", "-1"}});
    auto reading = startRead(*driver);
    nextReadRequest();
    _pty.send(bytes({0x01, 0x03, 0x02, 0x00, 0x56, 0x38, 0x7B}));  // the reference reply, one bit off
    const std::string error = errorOf(reading);
    EXPECT_THAT(error, HasSubstr(port() + " slave 1: read holding register 0x0000: "));
    EXPECT_THAT(error, HasSubstr("Invalid CRC"));

    auto again = startRead(*driver);
    answer(nextReadRequest(), {86});
    EXPECT_DOUBLE_EQ(valueOf(again.get(), Quantity::WindSpeed).value_or(-1), 8.6);
}

TEST_F(ModbusWindDriver, SilenceIsATimeoutAndTheNextReadRecovers) {
    auto driver = openDriver({{"timeout", "200ms"}});
    auto reading = startRead(*driver);
    nextReadRequest();
    const std::string error = errorOf(reading);
    EXPECT_THAT(error, HasSubstr(port() + " slave 1: "));
    EXPECT_THAT(error, HasSubstr("timed out"));

    auto again = startRead(*driver);
    answer(nextReadRequest(), {86, 10});
    EXPECT_DOUBLE_EQ(valueOf(again.get(), Quantity::WindSpeed).value_or(-1), 8.6);
}

TEST_F(ModbusWindDriver, ALateAnswerIsNotTakenForTheNextOne) {
    auto driver = openDriver({{"timeout", "200ms"}});
    auto reading = startRead(*driver);
    const ReadRequest first = nextReadRequest();
    EXPECT_THAT(errorOf(reading), HasSubstr("timed out"));
    driver->close();          // what the host does after a failed read, before it opens again
    answer(first, {11, 11});  // the sensor answers after all, too late
    waitUntilDriverSideHolds(9);
    driver->open();

    auto again = startRead(*driver);
    answer(nextReadRequest(), {86, 270});
    const SampleBatch batch = again.get();
    EXPECT_DOUBLE_EQ(valueOf(batch, Quantity::WindSpeed).value_or(-1), 8.6);
    EXPECT_DOUBLE_EQ(valueOf(batch, Quantity::WindDirection).value_or(-1), 270.0);
}

TEST_F(ModbusWindDriver, AnAnswerFromAnotherSlaveIsAnError) {
    auto driver = openDriver();
    auto reading = startRead(*driver);
    ReadRequest request = nextReadRequest();
    request.slave = 2;
    answer(request, {86, 270});
    EXPECT_THAT(errorOf(reading), HasSubstr(port() + " slave 1: "));
}

TEST_F(ModbusWindDriver, Rs485ModeIsOnlyAnErrorWhenAskedFor) {
    EXPECT_NO_THROW(openDriver({{"rs485", "false"}}));
    try {
        openDriver({{"rs485", "true"}});  // a pseudo-terminal has no RS485 mode
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(), HasSubstr(port() + " slave 1: switch to RS485 mode: "));
    }
}

TEST_F(ModbusWindDriver, AMissingPortFailsToOpenNamingIt) {
    auto driver = test::makeDriver("modbus_wind", {{"port", "/dev/citysense-no-such-tty"}, {"slave", "3"}});
    try {
        driver->open();
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(),
                    HasSubstr("/dev/citysense-no-such-tty slave 3: open: No such file or directory"));
    }
}

TEST_F(ModbusWindDriver, ChannelsFollowTheConfiguredRegisters) {
    auto both = test::makeDriver("modbus_wind", {{"port", port()}});
    ASSERT_EQ(both->channels().size(), 2u);
    EXPECT_EQ(both->channels()[0].quantity, Quantity::WindSpeed);
    EXPECT_EQ(both->channels()[1].quantity, Quantity::WindDirection);
    EXPECT_STREQ(info(both->channels()[0].quantity).unit, "m/s");
    EXPECT_STREQ(info(both->channels()[1].quantity).unit, "deg");
    EXPECT_FALSE(both->eventDriven());
    auto speedOnly = test::makeDriver("modbus_wind", {{"port", port()}, {"direction_register", "-1"}});
    ASSERT_EQ(speedOnly->channels().size(), 1u);
    EXPECT_EQ(speedOnly->channels()[0].quantity, Quantity::WindSpeed);
}

TEST_F(ModbusWindDriver, ConfigurationMistakesNameTheirKey) {
    const auto keyOf = [&](const Settings& settings) -> std::string {
        Settings all = settings;
        all.emplace("port", port());
        try {
            test::makeDriver("modbus_wind", all);
        } catch (const OptionError& error) {
            return error.key();
        }
        return "";
    };
    EXPECT_EQ(keyOf({{"speed_register", "-1"}, {"direction_register", "-1"}}), "speed_register");
    EXPECT_EQ(keyOf({{"direction_register", "0"}}), "direction_register");
    EXPECT_EQ(keyOf({{"baud", "4801"}}), "baud");
    EXPECT_EQ(keyOf({{"speed_scale", "0"}}), "speed_scale");
    EXPECT_THROW(test::makeDriver("modbus_wind", {{"port", port()}, {"slave", "0"}}), std::runtime_error);
    EXPECT_THROW(test::makeDriver("modbus_wind", {{"port", port()}, {"parity", "X"}}), std::runtime_error);
    EXPECT_THROW(test::makeDriver("modbus_wind", {}), std::runtime_error);  // no port
}

}  // namespace
}  // namespace citysense
