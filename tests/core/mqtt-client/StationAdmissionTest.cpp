// An ingest registers stations within limits: a burst, then a rate, up to a total; known stations
// always pass.
#include <mqtt-client/StationAdmission.h>

#include <gtest/gtest.h>

namespace citysense::mqtt {
namespace {

Station street(int number) {
    return {"hypo_city", "city_01", "street_" + std::to_string(number)};
}

TEST(StationAdmission, ABurstThenTheRatePerMinuteThenNothingBeyondTheTotal) {
    StationAdmission admission({/*total=*/10, /*perMinute=*/60, /*burst=*/3});
    const Micros start = 1764000000000000;
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(admission.admit(street(i), start), "") << i;
    EXPECT_NE(admission.admit(street(3), start).find("beyond the 60 a minute"), std::string::npos);
    EXPECT_EQ(admission.admit(street(3), start + kMicrosPerSecond), "");  // one token a second
    EXPECT_NE(admission.admit(street(4), start + kMicrosPerSecond).find("new_stations_per_minute"),
              std::string::npos);
    for (int i = 4; i < 10; ++i)  // one a second after the burst
        EXPECT_EQ(admission.admit(street(i), start + (i - 2) * kMicrosPerSecond), "") << i;
    EXPECT_NE(
        admission.admit(street(10), start + 3600 * kMicrosPerSecond).find("beyond the 10 this ingest takes"),
        std::string::npos);
    EXPECT_EQ(admission.known(), 10u);
}

TEST(StationAdmission, KnownStationsAlwaysPass) {
    StationAdmission admission({/*total=*/1, /*perMinute=*/1, /*burst=*/1});
    EXPECT_EQ(admission.admit(street(1), 0), "");
    for (int i = 0; i < 100; ++i)
        EXPECT_EQ(admission.admit(street(1), 0), "");
    EXPECT_NE(admission.admit(street(2), 0), "");
}

TEST(StationAdmission, ZeroMeansNoLimit) {
    StationAdmission admission({/*total=*/0, /*perMinute=*/0, /*burst=*/0});
    for (int i = 0; i < 1000; ++i)
        EXPECT_EQ(admission.admit(street(i), 0), "") << i;
}

}  // namespace
}  // namespace citysense::mqtt
