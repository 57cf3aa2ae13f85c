// The modbus_wind register logic through a fake ModbusMaster, without a port: which requests a read
// makes, how counts become m/s and degrees, and what a failing or odd answer does.

#include "WindRegisters.h"

#include <citysense/Options.h>
#include <citysense/bus/BusError.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace citysense::modbus_wind {
namespace {

using ::testing::ElementsAre;

/// A sensor's registers behind the interface: answers from `registers`, or fails as scripted.
class FakeModbusMaster : public ModbusMaster {
public:
    std::map<int, std::uint16_t> registers;
    /// Requests that fail, by number (0 the first ever made), with their BusError message.
    std::map<std::size_t, std::string> failures;
    /// When set, every answer has this many registers, whatever was asked for.
    int answeredCount = -1;
    /// Every request, as "holding 0x0000 2".
    std::vector<std::string> requests;

    std::vector<std::uint16_t> readRegisters(RegisterKind kind, int address, int count) override {
        const auto failure = failures.find(requests.size());
        requests.push_back(describeRead(kind, address, count));
        if (failure != failures.end())
            throw BusError(failure->second);
        std::vector<std::uint16_t> values;
        const int answered = answeredCount >= 0 ? answeredCount : count;
        for (int i = 0; i < answered; ++i)
            values.push_back(registers.at(address + i));
        return values;
    }
};

RegisterMap speedAndDirection(int speed, int direction) {
    RegisterMap map;
    map.speedRegister = speed;
    map.directionRegister = direction;
    return map;
}

TEST(WindRegisters, AdjacentRegistersAreOneRequestInEitherOrder) {
    FakeModbusMaster sensor;
    sensor.registers = {{0x10, 90}, {0x11, 123}};
    const WindReading reading = WindRegisters(speedAndDirection(0x11, 0x10)).read(sensor);
    EXPECT_THAT(sensor.requests, ElementsAre("read holding registers 0x0010-0x0011"));
    EXPECT_DOUBLE_EQ(reading.speed.value_or(-1), 12.3);
    EXPECT_DOUBLE_EQ(reading.direction.value_or(-1), 90.0);
}

TEST(WindRegisters, RegistersApartAreReadOneByOneSpeedFirst) {
    FakeModbusMaster sensor;
    sensor.registers = {{0x10, 45}, {0x20, 31}};
    const WindReading reading = WindRegisters(speedAndDirection(0x20, 0x10)).read(sensor);
    EXPECT_THAT(sensor.requests, ElementsAre("read holding register 0x0020", "read holding register 0x0010"));
    EXPECT_DOUBLE_EQ(reading.speed.value_or(-1), 3.1);
    EXPECT_DOUBLE_EQ(reading.direction.value_or(-1), 45.0);
}

TEST(WindRegisters, OnlyTheConfiguredRegistersAreReadAndReported) {
    FakeModbusMaster sensor;
    sensor.registers = {{0x00, 180}};
    RegisterMap vane;
    vane.directionRegister = 0x00;
    vane.kind = RegisterKind::Input;
    const WindReading reading = WindRegisters(vane).read(sensor);
    EXPECT_THAT(sensor.requests, ElementsAre("read input register 0x0000"));
    EXPECT_FALSE(reading.speed);
    EXPECT_DOUBLE_EQ(reading.direction.value_or(-1), 180.0);
}

TEST(WindRegisters, CountsAreUnsignedAndScaled) {
    FakeModbusMaster sensor;
    sensor.registers = {{0, 0xFFFF}, {1, 7}};
    RegisterMap map = speedAndDirection(0, 1);
    map.speedScale = 0.01;
    map.directionScale = 45;
    const WindReading reading = WindRegisters(map).read(sensor);
    EXPECT_DOUBLE_EQ(reading.speed.value_or(-1), 655.35);  // not -0.01: registers are unsigned
    EXPECT_DOUBLE_EQ(reading.direction.value_or(-1), 315.0);
}

TEST(WindRegisters, DirectionsBeyondAFullCircleAreWrapped) {
    FakeModbusMaster sensor;
    const WindRegisters registers(speedAndDirection(0, 1));
    for (const auto& [count, degrees] : std::vector<std::pair<std::uint16_t, double>>{
             {360, 0.0}, {365, 5.0}, {359, 359.0}, {720, 0.0}, {0xFFFF, 65535 % 360}}) {
        sensor.registers = {{0, 0}, {1, count}};
        EXPECT_DOUBLE_EQ(registers.read(sensor).direction.value_or(-1), degrees) << count;
    }
}

TEST(WindRegisters, AFailedRequestIsThrownAsItIsAndTheNextReadRecovers) {
    FakeModbusMaster sensor;
    sensor.registers = {{0, 86}, {1, 270}};
    const WindRegisters registers(speedAndDirection(0, 1));
    sensor.failures[0] = "/dev/ttyUSB0 slave 1: read holding registers 0x0000-0x0001: Connection timed out";
    try {
        registers.read(sensor);
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_STREQ(error.what(),
                     "/dev/ttyUSB0 slave 1: read holding registers 0x0000-0x0001: Connection timed out");
    }
    EXPECT_DOUBLE_EQ(registers.read(sensor).speed.value_or(-1), 8.6);
}

TEST(WindRegisters, WhenTheSecondRequestFailsTheReadFails) {
    FakeModbusMaster sensor;
    sensor.registers = {{0x00, 86}, {0x10, 270}};
    sensor.failures[1] = "read holding register 0x0010: Illegal data address";
    EXPECT_THROW(WindRegisters(speedAndDirection(0x00, 0x10)).read(sensor), BusError);
    EXPECT_EQ(sensor.requests.size(), 2u);
}

TEST(WindRegisters, AnAnswerWithTooFewOrTooManyRegistersIsABusError) {
    FakeModbusMaster sensor;
    sensor.registers = {{0, 86}, {1, 270}, {2, 5}};
    const WindRegisters registers(speedAndDirection(0, 1));
    for (const int answered : {0, 1, 3}) {
        sensor.answeredCount = answered;
        try {
            registers.read(sensor);
            FAIL() << "no error for " << answered;
        } catch (const BusError& error) {
            EXPECT_EQ(std::string(error.what()), "read holding registers 0x0000-0x0001: answered " +
                                                     std::to_string(answered) + " of 2 registers");
        }
    }
}

TEST(WindRegisters, AMapWithoutRegistersOrWithOneRegisterTwiceIsAnOptionError) {
    const auto keyOf = [](const RegisterMap& map) -> std::string {
        try {
            WindRegisters registers(map);
        } catch (const OptionError& error) {
            return error.key();
        }
        return "";
    };
    EXPECT_EQ(keyOf(RegisterMap{}), "speed_register");
    EXPECT_EQ(keyOf(speedAndDirection(3, 3)), "direction_register");
    EXPECT_EQ(keyOf(speedAndDirection(3, 4)), "");
}

}  // namespace
}  // namespace citysense::modbus_wind
