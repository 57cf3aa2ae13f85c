// Two drivers on one I2C bus, read from two threads as the host's runners do: an alphasense cell on
// the ADS1115 at 0x48 and a wind vane on the one at 0x49. Every conversion (start, polls, result)
// must reach its chip without a transfer of the other driver in between.

#include <PluginHarness.h>

#include <citysense/testing/FakeI2cBus.h>
#include <citysense/testing/chips/Ads1115Emulator.h>

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

namespace citysense {
namespace {

using testing::Ads1115Operation;

constexpr char kBus[] = "fake-ads-shared";
constexpr int kReads = 15;

/// Reads `driver` `reads` times once `go` is set; counts the samples into `samples`.
void readRepeatedly(Driver& driver, int reads, const std::atomic<bool>& go, std::atomic<int>& samples) {
    while (!go)
        std::this_thread::yield();
    for (int i = 0; i < reads; ++i) {
        SampleBatch batch;
        driver.read(batch);
        samples += static_cast<int>(batch.size());
    }
}

TEST(Ads1115SharedBus, ConversionsOfTwoDriversNeverInterleave) {
    auto bus = std::make_shared<testing::FakeI2cBus>(kBus);
    auto journal = std::make_shared<testing::Ads1115Journal>();
    auto gas = std::make_shared<testing::Ads1115Emulator>(0x48, journal);
    auto vane = std::make_shared<testing::Ads1115Emulator>(0x49, journal);
    bus->attach(0x48, gas);
    bus->attach(0x49, vane);
    gas->setBusyReads(2);  // polls that sleep while the bus is held
    vane->setBusyReads(2);
    gas->setInput(0, 0.300);
    gas->setInput(1, 0.290);
    vane->setInput(0, 3.3 * 33000 / 43000);  // north
    registerI2cBus(kBus, bus);

    auto alphasense = test::makeDriver("alphasense", {{"cell", "no2_b43f"},
                                                      {"bus", kBus},
                                                      {"we_zero_electronic", "227"},
                                                      {"ae_zero_electronic", "228"},
                                                      {"sensitivity", "0.270"},
                                                      {"temperature", "20"}});
    auto windVane = test::makeDriver("wind_vane", {{"bus", kBus}, {"address", "0x49"}});
    alphasense->open();
    windVane->open();

    std::atomic<bool> go{false};
    std::atomic<int> samples{0};
    std::thread first(readRepeatedly, std::ref(*alphasense), kReads, std::cref(go), std::ref(samples));
    std::thread second(readRepeatedly, std::ref(*windVane), kReads, std::cref(go), std::ref(samples));
    go = true;
    first.join();
    second.join();
    registerI2cBus(kBus, nullptr);

    EXPECT_EQ(samples, 2 * kReads);
    EXPECT_EQ(bus->overlaps(), 0);
    const auto operations = journal->operations();
    int conversions = 0;
    int switches = 0;  // how often the bus went from one chip to the other: how much the threads competed
    std::uint8_t previous = 0;
    for (std::size_t i = 0; i < operations.size();) {
        ASSERT_EQ(operations[i].kind, Ads1115Operation::Start) << "operation " << i;
        const std::uint8_t address = operations[i].address;
        switches += previous != 0 && previous != address;
        previous = address;
        ++i;
        int polls = 0;
        for (; i < operations.size() && operations[i] == Ads1115Operation{address, Ads1115Operation::Poll};
             ++i)
            ++polls;
        EXPECT_EQ(polls, 3) << "conversion " << conversions;
        ASSERT_LT(i, operations.size());
        ASSERT_EQ(operations[i], (Ads1115Operation{address, Ads1115Operation::Result})) << "operation " << i;
        ++i;
        ++conversions;
    }
    EXPECT_EQ(conversions, 2 * kReads + kReads);  // WE and AE per gas reading, one per vane reading
    RecordProperty("chip_switches", switches);
}

}  // namespace
}  // namespace citysense
