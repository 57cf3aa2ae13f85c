#include <citysense/testing/FakeI2cBus.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace citysense {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<testing::FakeI2cBus> busWithChipAt(std::uint8_t address,
                                                   std::shared_ptr<testing::RegisterMapDevice>& chip) {
    auto bus = std::make_shared<testing::FakeI2cBus>("fake-i2c-test");
    chip = std::make_shared<testing::RegisterMapDevice>();
    bus->attach(address, chip);
    return bus;
}

TEST(I2cDevice, ReadsAndWritesRegistersWithAnAutoIncrementingPointer) {
    std::shared_ptr<testing::RegisterMapDevice> chip;
    I2cDevice device(busWithChipAt(0x76, chip), 0x76);
    chip->set(0x88, {0x70, 0x6B, 0x43});
    EXPECT_EQ(device.readRegister(0x88), 0x70);
    std::uint8_t bytes[3] = {};
    device.readRegisters(0x88, bytes, 3);
    EXPECT_EQ(bytes[2], 0x43);
    device.writeRegister(0xF4, 0x25);
    EXPECT_EQ(chip->registers[0xF4], 0x25);
}

TEST(I2cDevice, SixteenBitRegistersAreBigEndian) {
    std::shared_ptr<testing::RegisterMapDevice> chip;
    I2cDevice device(busWithChipAt(0x48, chip), 0x48);
    device.writeRegister16(0x01, 0xC383);
    EXPECT_EQ(chip->registers[0x01], 0xC3);
    EXPECT_EQ(chip->registers[0x02], 0x83);
    EXPECT_EQ(device.readRegister16(0x01), 0xC383);
}

TEST(I2cDevice, AnAbsentDeviceFailsNamingBusAddressAndReason) {
    std::shared_ptr<testing::RegisterMapDevice> chip;
    I2cDevice device(busWithChipAt(0x76, chip), 0x77);
    try {
        device.readRegister(0xD0);
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(), HasSubstr("fake-i2c-test address 0x77"));
        EXPECT_THAT(error.what(), HasSubstr("No such device or address"));
    }
    EXPECT_EQ(device.describe(), "fake-i2c-test address 0x77");
}

TEST(I2cBusRegistry, ARegisteredBusWinsAndIsSharedByEveryOpener) {
    auto fake = std::make_shared<testing::FakeI2cBus>("fake-shared");
    registerI2cBus("test:shared", fake);
    EXPECT_EQ(openI2cBus("test:shared"), fake);
    EXPECT_EQ(openI2cBus("test:shared"), openI2cBus("test:shared"));
    registerI2cBus("test:shared", nullptr);
}

TEST(I2cBusRegistry, AMissingLinuxAdapterFailsWithThePathAndErrnoText) {
    try {
        openI2cBus("/dev/i2c-does-not-exist");
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_STREQ(error.what(), "/dev/i2c-does-not-exist: open: No such file or directory");
    }
}

TEST(I2cBus, LockHeldAcrossTransfersKeepsOtherThreadsOut) {
    std::shared_ptr<testing::RegisterMapDevice> chip;
    auto bus = busWithChipAt(0x48, chip);
    I2cDevice first(bus, 0x48);
    I2cDevice second(bus, 0x48);
    std::vector<int> order;
    std::mutex orderMutex;
    auto conversation = [&](I2cDevice& device, int id) {
        for (int round = 0; round < 200; ++round) {
            auto held = device.lockBus();
            for (int step = 0; step < 3; ++step) {
                device.writeRegister(0x10, static_cast<std::uint8_t>(id));
                std::lock_guard<std::mutex> lock(orderMutex);
                order.push_back(id);
            }
        }
    };
    std::thread a(conversation, std::ref(first), 1);
    std::thread b(conversation, std::ref(second), 2);
    a.join();
    b.join();
    ASSERT_EQ(order.size(), 1200u);
    for (std::size_t i = 0; i < order.size(); i += 3)
        EXPECT_TRUE(order[i] == order[i + 1] && order[i] == order[i + 2]) << "interleaved at " << i;
    EXPECT_EQ(bus->overlaps(), 0);
}

}  // namespace
}  // namespace citysense
