// The spec_dgs driver through the real plugin library, end to end over a pseudo-terminal on which
// DgsEmulator plays the module.

#include "DgsEmulator.h"

#include <PluginHarness.h>

#include <citysense/bus/BusError.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

namespace citysense {
namespace {

using spec_dgs::DgsEmulator;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Settings = std::map<std::string, std::string>;

std::unique_ptr<Driver> makeDgs(const DgsEmulator& device, const Settings& extra = {}) {
    Settings settings = {{"port", device.devicePath()}, {"gas", "no2"}};
    for (const auto& [key, value] : extra)
        settings[key] = value;
    return test::makeDriver("spec_dgs", settings);
}

/// The answer line of a module with serial 012345678901, powered for 2 h, with the given readings.
std::string answerLine(int ppb, int temperature = 25, int humidity = 45) {
    return "012345678901, " + std::to_string(ppb) + ", " + std::to_string(temperature) + ", " +
           std::to_string(humidity) + ", 30000, 26000, 29000, 00, 02, 00, 00\r\n";
}

SampleBatch readOnce(Driver& driver) {
    SampleBatch batch;
    driver.read(batch);
    return batch;
}

/// The message of the error read() throws; "no error" if it reads.
std::string readError(Driver& driver) {
    try {
        readOnce(driver);
    } catch (const std::exception& error) {
        return error.what();
    }
    return "no error";
}

TEST(SpecDgsDriver, ReadsTheGasInPpbFromTheAnswerToACarriageReturn) {
    DgsEmulator device;
    auto driver = makeDgs(device);
    EXPECT_FALSE(driver->eventDriven());
    device.answer(DgsEmulator::kExampleLine);
    const SampleBatch batch = readOnce(*driver);  // opens the port itself when the host has not
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].quantity, Quantity::NO2);
    EXPECT_EQ(batch[0].value, 123.0);
    EXPECT_EQ(batch[0].quality, QualityOk);
    EXPECT_EQ(batch[0].source, driver->source());
    EXPECT_THAT(device.requests(), ElementsAre("\r"));
}

TEST(SpecDgsDriver, EveryReadSendsOneCarriageReturn) {
    DgsEmulator device;
    auto driver = makeDgs(device);
    driver->open();
    for (int ppb : {10, 11, 12}) {
        device.answer(answerLine(ppb));
        EXPECT_EQ(readOnce(*driver).at(0).value, ppb);
    }
    EXPECT_THAT(device.requests(), ElementsAre("\r", "\r", "\r"));
    driver->close();
}

TEST(SpecDgsDriver, AnSo2ModuleGivesSo2) {
    DgsEmulator device;
    auto driver = makeDgs(device, {{"gas", "so2"}});
    ASSERT_EQ(driver->channels().size(), 1u);
    EXPECT_EQ(driver->channels()[0].quantity, Quantity::SO2);
    EXPECT_EQ(driver->channels()[0].max, 20000.0);
    device.answer(answerLine(87));
    const SampleBatch batch = readOnce(*driver);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].quantity, Quantity::SO2);
    EXPECT_EQ(batch[0].value, 87.0);
}

TEST(SpecDgsDriver, ReportsTheModulesTemperatureAndHumidityWhenAsked) {
    DgsEmulator device;
    auto driver = makeDgs(device, {{"report_environment", "true"}});
    std::vector<Quantity> channels;
    for (const auto& channel : driver->channels())
        channels.push_back(channel.quantity);
    EXPECT_THAT(channels, ElementsAre(Quantity::NO2, Quantity::Temperature, Quantity::Humidity));
    device.answer(answerLine(40, -7, 83));
    const SampleBatch batch = readOnce(*driver);
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_EQ(batch[0].quantity, Quantity::NO2);
    EXPECT_EQ(batch[0].value, 40.0);
    EXPECT_EQ(batch[1].quantity, Quantity::Temperature);
    EXPECT_EQ(batch[1].value, -7.0);
    EXPECT_EQ(batch[2].quantity, Quantity::Humidity);
    EXPECT_EQ(batch[2].value, 83.0);
    EXPECT_EQ(batch[0].time, batch[2].time);
}

TEST(SpecDgsDriver, NegativeConcentrationsAreReportedAsTheModuleSendsThem) {
    DgsEmulator device;
    auto driver = makeDgs(device);
    device.answer(answerLine(-12));
    EXPECT_EQ(readOnce(*driver).at(0).value, -12.0);
}

TEST(SpecDgsDriver, StaleInputIsDiscardedBeforeEachRequest) {
    DgsEmulator device;
    auto driver = makeDgs(device);
    device.answer(answerLine(100) + answerLine(999));  // the second line is stale by the next read
    device.answer(answerLine(101));
    EXPECT_EQ(readOnce(*driver).at(0).value, 100.0);
    EXPECT_EQ(readOnce(*driver).at(0).value, 101.0);
}

TEST(SpecDgsDriver, BlankLinesBeforeTheAnswerAreSkipped) {
    DgsEmulator device;
    auto driver = makeDgs(device);
    device.answer("\r\n \r\n" + answerLine(55));
    EXPECT_EQ(readOnce(*driver).at(0).value, 55.0);
}

TEST(SpecDgsDriver, BadAnswersAreErrorsNamingThePortAndQuotingTheLineAndTheModuleWorksAgain) {
    DgsEmulator device;
    auto driver = makeDgs(device);
    driver->open();
    const std::string port = device.devicePath();

    device.answer("\x02\xff garbage\r\n");
    EXPECT_THAT(readError(*driver),
                AllOf(HasSubstr(port + ": unreadable answer \"\\x02\\xff garbage\\r\\n\""),
                      HasSubstr("11 fields expected, 1 found")));

    device.answer("012345678901, 123, 25\r\n");
    EXPECT_THAT(readError(*driver), AllOf(HasSubstr(port), HasSubstr("\"012345678901, 123, 25\\r\\n\""),
                                          HasSubstr("11 fields expected, 3 found")));

    device.answer("012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03, 04\r\n");
    EXPECT_THAT(readError(*driver), AllOf(HasSubstr(port), HasSubstr("11 fields expected, 12 found")));

    device.answer("012345678901, 12x, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03\r\n");
    EXPECT_THAT(readError(*driver),
                AllOf(HasSubstr(port), HasSubstr("field 2 (ppb) \"12x\" is not an integer")));

    device.answer(std::string(200, 'z') + "\r\n");
    EXPECT_THAT(readError(*driver), AllOf(HasSubstr(port), HasSubstr("zzz...\"")));

    device.answer(answerLine(77));
    EXPECT_EQ(readOnce(*driver).at(0).value, 77.0);
    driver->close();
}

TEST(SpecDgsDriver, SilenceIsNoAnswerWithinTheTimeoutAndTheModuleWorksAgain) {
    DgsEmulator device;
    auto driver = makeDgs(device);  // the default timeout: 2s
    driver->open();
    device.answer(std::nullopt);
    EXPECT_EQ(readError(*driver), device.devicePath() + ": no answer within 2s");
    device.answer(answerLine(60));
    EXPECT_EQ(readOnce(*driver).at(0).value, 60.0);
    EXPECT_THAT(device.requests(), ElementsAre("\r", "\r"));
    driver->close();
}

TEST(SpecDgsDriver, AnAnswerCutShortIsNoAnswer) {
    DgsEmulator device;
    auto driver = makeDgs(device, {{"timeout", "100ms"}});
    device.answer("012345678901, 123, 25, 45");  // no line end
    EXPECT_EQ(readError(*driver), device.devicePath() + ": no answer within 100ms");
    device.answer(answerLine(61));
    EXPECT_EQ(readOnce(*driver).at(0).value, 61.0);
}

TEST(SpecDgsDriver, ARunWithoutLineEndIsAnErrorAndTheNextReadWorks) {
    DgsEmulator device;
    auto driver = makeDgs(device);
    device.answer(std::string(1000, '\x7f'));
    EXPECT_THAT(readError(*driver), AllOf(HasSubstr(device.devicePath()), HasSubstr("without a line end")));
    device.answer(answerLine(62));
    EXPECT_EQ(readOnce(*driver).at(0).value, 62.0);
}

TEST(SpecDgsDriver, AnswersFromAnotherModuleAreAFault) {
    DgsEmulator device;
    auto driver = makeDgs(device, {{"serial", "012345678902"}});
    device.answer(DgsEmulator::kExampleLine);
    EXPECT_EQ(readError(*driver),
              device.devicePath() +
                  ": module 012345678901 answered, but serial = 012345678902 is configured "
                  "(another module on this port?)");
}

TEST(SpecDgsDriver, TheConfiguredSerialMatchesWithOrWithoutLeadingZeros) {
    for (const std::string serial : {"012345678901", "12345678901"}) {
        DgsEmulator device;
        auto driver = makeDgs(device, {{"serial", serial}});
        device.answer(DgsEmulator::kExampleLine);
        EXPECT_EQ(readOnce(*driver).size(), 1u) << serial;
    }
}

TEST(SpecDgsDriver, AModuleJustPoweredIsFlaggedWarmingUp) {
    DgsEmulator device;
    auto driver = makeDgs(device, {{"report_environment", "true"}});
    device.answer("012345678901, 30, 25, 45, 30000, 26000, 29000, 00, 00, 59, 59\r\n");
    const SampleBatch batch = readOnce(*driver);
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_EQ(batch[0].quality, QualityWarmingUp);
    EXPECT_EQ(batch[1].quality, QualityOk);  // the temperature and humidity sensor needs no warm-up
    EXPECT_EQ(batch[2].quality, QualityOk);

    device.answer("012345678901, 30, 25, 45, 30000, 26000, 29000, 00, 01, 00, 00\r\n");
    EXPECT_EQ(readOnce(*driver).at(0).quality, QualityOk);
}

TEST(SpecDgsDriver, AZeroWarmUpFlagsNothing) {
    DgsEmulator device;
    auto driver = makeDgs(device, {{"warm_up", "0"}});
    device.answer("012345678901, 30, 25, 45, 30000, 26000, 29000, 00, 00, 00, 01\r\n");
    EXPECT_EQ(readOnce(*driver).at(0).quality, QualityOk);
}

TEST(SpecDgsDriver, AMissingDeviceFailsToOpenNamingIt) {
    auto driver = test::makeDriver("spec_dgs", {{"port", "/dev/ttyDOESNOTEXIST"}, {"gas", "no2"}});
    try {
        driver->open();
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(), HasSubstr("/dev/ttyDOESNOTEXIST: open:"));
    }
}

TEST(SpecDgsDriver, OptionsAreChecked) {
    EXPECT_THROW(test::makeDriver("spec_dgs", {{"gas", "no2"}}), std::runtime_error);          // no port
    EXPECT_THROW(test::makeDriver("spec_dgs", {{"port", "/dev/ttyS0"}}), std::runtime_error);  // no gas
    EXPECT_THROW(test::makeDriver("spec_dgs", {{"port", "/dev/ttyS0"}, {"gas", "co"}}), std::runtime_error);
    try {
        test::makeDriver("spec_dgs", {{"port", "/dev/ttyS0"}, {"gas", "no2"}, {"baud", "9601"}});
        FAIL() << "no error";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("baud: expected choice: '9601' is not one of: 1200,"));
    }
    try {
        test::makeDriver("spec_dgs", {{"port", "/dev/ttyS0"}, {"gas", "no2"}, {"serial", "0123-45"}});
        FAIL() << "no error";
    } catch (const OptionError& error) {
        EXPECT_EQ(error.key(), "serial");
    }
}

}  // namespace
}  // namespace citysense
