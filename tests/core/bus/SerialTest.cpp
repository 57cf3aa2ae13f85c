// The termios serial port, end to end over a pseudo-terminal.
#include <citysense/bus/Serial.h>
#include <citysense/testing/PseudoTerminal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace citysense {
namespace {

constexpr Micros kPatience = 2 * kMicrosPerSecond;  // an upper bound for data already sent
constexpr Micros kShort = 20 * 1000;

TEST(SerialPort, BytesTravelBothWays) {
    testing::PseudoTerminal device;
    SerialPort port(device.devicePath(), {});
    port.write("\r");
    EXPECT_EQ(device.receiveUntil('\r', kPatience), "\r");
    device.send("012345678901, 123, 25\r\n");
    EXPECT_EQ(port.readUntil('\n', kPatience), "012345678901, 123, 25\r\n");
}

TEST(SerialPort, APartialLineWaitsForItsEnd) {
    testing::PseudoTerminal device;
    SerialPort port(device.devicePath(), {});
    device.send("Q,229,00");
    EXPECT_FALSE(port.readUntil('\n', kShort));
    device.send("2.74\r\nQ,0");
    EXPECT_EQ(port.readUntil('\n', kPatience), "Q,229,002.74\r\n");
    EXPECT_EQ(port.read(64, kPatience), "Q,0");
}

TEST(SerialPort, SilenceIsATimeoutNotAnError) {
    testing::PseudoTerminal device;
    SerialPort port(device.devicePath(), {});
    EXPECT_FALSE(port.readUntil('\n', kShort));
    EXPECT_EQ(port.read(16, kShort), "");
}

TEST(SerialPort, ARunWithoutALineEndIsDiscardedAndReported) {
    testing::PseudoTerminal device;
    SerialPort port(device.devicePath(), {});
    device.send(std::string(100, 'x'));
    try {
        while (!port.readUntil('\n', kPatience, 64)) {
        }
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(), ::testing::HasSubstr("without a line end; discarded"));
    }
    device.send("ok\n");
    EXPECT_EQ(port.readUntil('\n', kPatience), "ok\n");
}

TEST(SerialPort, ALineLongerThanMaxLineIsReportedEvenWhenItsEndArrivesWithIt) {
    testing::PseudoTerminal device;
    SerialPort port(device.devicePath(), {});
    device.send(std::string(100, 'x') + "\n" + "ok\n");
    EXPECT_THROW(port.readUntil('\n', kPatience, 64), BusError);
    EXPECT_EQ(port.readUntil('\n', kPatience, 64), "ok\n");
}

TEST(SerialPort, DiscardInputDropsWhatWaits) {
    testing::PseudoTerminal device;
    SerialPort port(device.devicePath(), {});
    device.send("stale\n");
    ASSERT_EQ(port.read(1, kPatience), "s");
    port.discardInput();
    device.send("fresh\n");
    EXPECT_EQ(port.readUntil('\n', kPatience), "fresh\n");
}

TEST(SerialPort, SettingsAreChecked) {
    testing::PseudoTerminal device;
    EXPECT_THROW(SerialPort(device.devicePath(), {1234, 8, 'N', 1}), BusError);
    EXPECT_THROW(SerialPort(device.devicePath(), {9600, 9, 'N', 1}), BusError);
    EXPECT_THROW(SerialPort(device.devicePath(), {9600, 8, 'X', 1}), BusError);
    EXPECT_THROW(SerialPort(device.devicePath(), {9600, 8, 'N', 3}), BusError);
    EXPECT_NO_THROW(SerialPort(device.devicePath(), {4800, 8, 'E', 2}));
}

TEST(SerialPort, OpenFailuresNameThePathAndReason) {
    try {
        SerialPort("/dev/ttyDOESNOTEXIST", {});
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_STREQ(error.what(), "/dev/ttyDOESNOTEXIST: open: No such file or directory");
    }
    try {
        SerialPort("/dev/null", {});
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(), ::testing::HasSubstr("/dev/null: not a serial port"));
    }
}

}  // namespace
}  // namespace citysense
