#include <citysense/Format.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace citysense {
namespace {

// 2026-11-24 10:00:00.123456 UTC
constexpr Micros kTime = 1795514400123456;

Sample sample(Quantity quantity, double value, std::uint16_t quality = QualityOk) {
    static const Source* source = Source::intern({"hypo_city", "city_01", "street_01"}, "driver.street");
    Sample result;
    result.quantity = quantity;
    result.value = value;
    result.time = kTime;
    result.quality = quality;
    result.source = source;
    return result;
}

TEST(Time, SeedAndIsoFormats) {
    EXPECT_EQ(formatSeedTime(kTime), "2026-11-24 10:00:00.123456");
    EXPECT_EQ(formatIsoTime(kTime), "2026-11-24T10:00:00.123456Z");
    EXPECT_EQ(formatSeedTime(0), "1970-01-01 00:00:00.000000");
    EXPECT_EQ(formatSeedTime(-1), "1969-12-31 23:59:59.999999");
}

TEST(Format, SeedLineIsThePrototypes) {
    EXPECT_EQ(
        formatSeedLine(sample(Quantity::Temperature, 28.9149), 2),
        "System: hypo_city\tCity: city_01\tStreet: street_01\tSensorType: temperature\tDataType: celcius\t"
        "SensorData: 28.91\tTimeStamp: 2026-11-24 10:00:00.123456");
    EXPECT_NE(formatSeedLine(sample(Quantity::NO2, 87.3), 1)
                  .find("SensorType: air_pollution\tDataType: no2_level\t"
                        "SensorData: 87.3\t"),
              std::string::npos);
}

TEST(Format, JsonLineCarriesEverything) {
    const std::string line = formatJsonLine(sample(Quantity::WindSpeed, 0.1 + 0.2, QualitySimulated));
    const auto object = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(object->getValue<std::string>("street"), "street_01");
    EXPECT_EQ(object->getValue<std::string>("quantity"), "wind_speed");
    EXPECT_EQ(object->getValue<std::string>("unit"), "m/s");
    EXPECT_EQ(object->getValue<double>("value"), 0.1 + 0.2);  // shortest round-trip text, no precision lost
    EXPECT_EQ(object->getValue<std::string>("timestamp"), "2026-11-24T10:00:00.123456Z");
    EXPECT_EQ(object->getArray("quality")->getElement<std::string>(0), "simulated");
    EXPECT_EQ(object->getValue<std::string>("source"), "driver.street");
}

TEST(Format, JsonEscapesStationNamesAndWritesNonFiniteAsNull) {
    Sample odd = sample(Quantity::SO2, std::nan(""), QualitySensorFault);
    odd.source = Source::intern({"sys\"tem", "ci\\ty",
                                 "stra\xc3\x9f"
                                 "e\n"},
                                "driver.x");
    const std::string line = formatJsonLine(odd);
    const auto object = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(object->getValue<std::string>("system"), "sys\"tem");
    EXPECT_EQ(object->getValue<std::string>("city"), "ci\\ty");
    EXPECT_EQ(object->getValue<std::string>("street"),
              "stra\xc3\x9f"
              "e\n");
    EXPECT_TRUE(object->isNull("value"));
}

TEST(Quantities, TableIsInEnumOrderWithUnitsAndTopicPlaces) {
    const auto& table = quantities();
    for (std::size_t i = 0; i < table.size(); ++i) {
        EXPECT_EQ(static_cast<std::size_t>(table[i].quantity), i);
        EXPECT_NE(std::string(table[i].unit), "");
        EXPECT_EQ(quantityByName(table[i].name), table[i].quantity);
    }
    EXPECT_EQ(std::string(info(Quantity::Temperature).measurement), "celcius");
    EXPECT_EQ(std::string(info(Quantity::TemperatureF).unit), "degF");
    EXPECT_FALSE(quantityByName("ozone"));
}

}  // namespace
}  // namespace citysense
