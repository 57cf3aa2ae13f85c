// citysense-api's air-quality resources over SQLite and a real MariaDB, on hand-computed series:
// Datastreams(id)/Aggregates (the 75 % rule of an hour at 44 and 45 readings a minute apart, the 18 valid
// hours of a day, µg/m³, CSV), Things(id)/Compliance on a few days of a year with known exceedances and
// an alert episode, Things(id)/AirQualityIndex with its bands, and every refusal of a parameter; sensors
// whose interval (and deadband silence) their gateway announced.
#include "ApiTestStore.h"

#include <Poco/JSON/Array.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;

constexpr Micros kSecond = 1000000;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kHour = 60 * kMinute;
constexpr Micros kYear2025 = 1735689600 * kSecond;   // 2025-01-01T00:00:00Z
constexpr Micros kMarch2025 = 1740787200 * kSecond;  // 2025-03-01T00:00:00Z
constexpr double kNo2 = 1.9125;                      // µg/m³ per ppb
constexpr double kSo2 = 2.6633;

// Station 1 (the aggregates): Datastream 1, NO2, 45 readings a minute apart from 00:00 on 1 March 2025
// and 44 from 01:00 (10 ppb); Datastream 2, temperature; Datastream 3, NO2 every 10 minutes (20 ppb),
// the first 18 hours of 2 March and the first 17 of 3 March. Station 2: Datastream 4, NO2, one reading.
// Station 3 (compliance and index): hourly NO2 (Datastream 5) and SO2 (Datastream 6) for the first
// 72 hours of 2025; see no2Ppb() and so2Ppb().
double no2Ppb(int hour) {
    if (hour >= 10 && hour <= 14)
        return 110;  // 210.4 µg/m³: above the hour limit of 200
    if ((hour >= 30 && hour <= 32) || hour == 40)
        return 250;  // 478.1 µg/m³: above the alert threshold of 400 too; 30-32 is an episode
    return 20;       // 38.25 µg/m³: Moderate
}

double so2Ppb(int hour) {
    if (hour == 5 || hour == 6)
        return 140;  // 372.9 µg/m³: above the hour limit of 350; Extremely poor
    if (hour >= 24 && hour < 48)
        return 50;  // 133.2 µg/m³: the day of 2 January is above the day limit of 125; Poor
    return 10;      // 26.6 µg/m³: Fair
}

constexpr int kMissingSo2Hour = 20;  // no SO2 reading: the index of that hour is incomplete

class AirQualityApi : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _store = std::make_unique<ApiTestStore>(GetParam());
        _store->execute(
            "INSERT INTO stations (id, system, city, street, latitude, longitude) VALUES "
            "(1, 'hypo_city', 'city_01', 'street_01', 52.5, 13.4), (2, 'hypo_city', 'city_01', 'street_02', "
            "NULL, NULL), (3, 'hypo_city', 'city_01', 'street_03', 52.6, 13.5);"
            "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES "
            "(1, 1, 'no2', 'ppb', 'driver.air'), (2, 1, 'temperature', 'Cel', 'driver.air'), "
            "(3, 1, 'no2', 'ppb', 'driver.slow'), (4, 2, 'no2', 'ppb', 'driver.air'), "
            "(5, 3, 'no2', 'ppb', 'driver.air'), (6, 3, 'so2', 'ppb', 'driver.air');");
        std::vector<std::string> rows;
        const auto add = [&](int sensor, Micros time, double value) {
            rows.push_back("(" + std::to_string(sensor) + ", " + _store->timeLiteral(time) + ", " +
                           std::to_string(value) + ", 0)");
        };
        for (int minute = 0; minute < 45; ++minute)
            add(1, kMarch2025 + minute * kMinute, 10);
        for (int minute = 0; minute < 44; ++minute)
            add(1, kMarch2025 + kHour + minute * kMinute, 10);
        add(2, kMarch2025, 4.5);
        add(2, kMarch2025 + kMinute, 5.5);
        for (int day = 1; day <= 2; ++day) {
            for (int minute = 0; minute < (day == 1 ? 18 : 17) * 60; minute += 10)
                add(3, kMarch2025 + day * 24 * kHour + minute * kMinute, 20);
        }
        add(4, kMarch2025, 1);
        for (int hour = 0; hour < 72; ++hour) {
            add(5, kYear2025 + hour * kHour, no2Ppb(hour));
            if (hour != kMissingSo2Hour)
                add(6, kYear2025 + hour * kHour, so2Ppb(hour));
        }
        std::string sql = "INSERT INTO readings (sensor_id, time, value, quality) VALUES ";
        for (std::size_t at = 0; at < rows.size(); ++at)
            sql += (at == 0 ? "" : ", ") + rows[at];
        _store->execute(sql + ";");
        _service = std::make_unique<ApiService>(_store->writeConfiguration());
    }

    Poco::JSON::Object::Ptr json(const std::string& target, int status = 200) const {
        return _service->json(target, status);
    }

    std::unique_ptr<ApiTestStore> _store;
    std::unique_ptr<ApiService> _service;
};

Poco::JSON::Object::Ptr at(const Poco::JSON::Object::Ptr& object, const char* array, unsigned index) {
    return object->getArray(array)->getObject(index);
}

TEST_P(AirQualityApi, AnHourIsValidWith45MinutesCoveredAndNotWith44) {
    const auto answer =
        json("/v1.1/Datastreams(1)/Aggregates?interval=1h&from=2025-03-01T00:00:00Z&to=2025-03-01T02:00:00Z");
    EXPECT_EQ(answer->getValue<int>("Datastream@iot.id"), 1);
    EXPECT_EQ(answer->getValue<std::string>("quantity"), "no2");
    EXPECT_EQ(answer->getValue<std::string>("unit"), "ppb");
    EXPECT_EQ(answer->getValue<std::string>("interval"), "1h");
    EXPECT_EQ(answer->getValue<double>("sensor_interval_seconds"), 60);
    EXPECT_EQ(answer->getValue<std::string>("interval_source"), "median_spacing");
    ASSERT_EQ(answer->getArray("value")->size(), 2u);
    const auto first = at(answer, "value", 0);
    EXPECT_EQ(first->getValue<std::string>("start"), "2025-03-01T00:00:00.000000Z");
    EXPECT_EQ(first->getValue<std::string>("end"), "2025-03-01T01:00:00.000000Z");
    EXPECT_EQ(first->getValue<double>("mean"), 10);
    EXPECT_EQ(first->getValue<double>("min"), 10);
    EXPECT_EQ(first->getValue<double>("max"), 10);
    EXPECT_EQ(first->getValue<int>("count"), 45);
    EXPECT_EQ(first->getValue<double>("expected"), 60);
    EXPECT_EQ(first->getValue<double>("coverage"), 0.75);
    EXPECT_TRUE(first->getValue<bool>("valid"));
    const auto second = at(answer, "value", 1);
    EXPECT_EQ(second->getValue<int>("count"), 44);
    EXPECT_NEAR(second->getValue<double>("coverage"), 44.0 / 60, 1e-12);
    EXPECT_FALSE(second->getValue<bool>("valid"));
    EXPECT_EQ(second->getValue<double>("mean"), 10) << "a mean, though not a valid one";
}

TEST_P(AirQualityApi, AnAnnouncedIntervalIsUsedAndSaidToBe) {
    // Datastream 4 has one reading: no spacing to tell, but its gateway announced a minute.
    json("/v1.1/Datastreams(4)/Aggregates?interval=1h&from=2025-03-01T00:00:00Z&to=2025-03-01T01:00:00Z",
         422);
    _store->execute("UPDATE sensors SET interval_us = 60000000, plugin = 'alphasense' WHERE id = 4;");
    const auto answer =
        json("/v1.1/Datastreams(4)/Aggregates?interval=1h&from=2025-03-01T00:00:00Z&to=2025-03-01T01:00:00Z");
    EXPECT_EQ(answer->getValue<std::string>("interval_source"), "announced");
    EXPECT_EQ(answer->getValue<double>("sensor_interval_seconds"), 60);
    const auto hour = at(answer, "value", 0);
    EXPECT_EQ(hour->getValue<int>("count"), 1);
    EXPECT_EQ(hour->getValue<double>("expected"), 60);
    EXPECT_NEAR(hour->getValue<double>("coverage"), 1.0 / 60, 1e-12);
}

TEST_P(AirQualityApi, ASensorBehindADeadbandIsCoveredThroughItsQuietStretches) {
    // Datastream 1 announced as publishing on change every minute, silent without bound: 00:44's reading
    // stands until 01:00's, so the first hour is covered whole; 01:43's, the last, stands one minute.
    _store->execute("UPDATE sensors SET interval_us = 60000000, on_change = 1 WHERE id = 1;");
    const auto answer =
        json("/v1.1/Datastreams(1)/Aggregates?interval=1h&from=2025-03-01T00:00:00Z&to=2025-03-01T02:00:00Z");
    EXPECT_EQ(answer->getValue<std::string>("interval_source"), "announced");
    EXPECT_EQ(at(answer, "value", 0)->getValue<double>("coverage"), 1);
    EXPECT_TRUE(at(answer, "value", 0)->getValue<bool>("valid"));
    EXPECT_NEAR(at(answer, "value", 1)->getValue<double>("coverage"), 44.0 / 60, 1e-12);
    EXPECT_FALSE(at(answer, "value", 1)->getValue<bool>("valid"));

    // With a maximum silence of five minutes, 00:44's reading stands five: 49 minutes covered.
    _store->execute("UPDATE sensors SET max_silence_us = 300000000 WHERE id = 1;");
    const auto bounded =
        json("/v1.1/Datastreams(1)/Aggregates?interval=1h&from=2025-03-01T00:00:00Z&to=2025-03-01T01:00:00Z");
    EXPECT_NEAR(at(bounded, "value", 0)->getValue<double>("coverage"), 49.0 / 60, 1e-12);
}

TEST_P(AirQualityApi, ADayIsValidWith18ValidHoursAndConvertsToMicrogramsPerCubicMetre) {
    const auto answer = json(
        "/v1.1/Datastreams(3)/"
        "Aggregates?interval=1d&from=2025-03-02T00:00:00Z&to=2025-03-04T00:00:00Z&unit=ug/m3");
    EXPECT_EQ(answer->getValue<std::string>("unit"), "ug/m3");
    EXPECT_EQ(answer->getValue<double>("sensor_interval_seconds"), 600);
    ASSERT_EQ(answer->getArray("value")->size(), 2u);
    const auto first = at(answer, "value", 0);
    EXPECT_EQ(first->getValue<std::string>("start"), "2025-03-02T00:00:00.000000Z");
    EXPECT_EQ(first->getValue<int>("count"), 108);
    EXPECT_EQ(first->getValue<double>("expected"), 144);
    EXPECT_EQ(first->getValue<double>("coverage"), 0.75);
    EXPECT_TRUE(first->getValue<bool>("valid"));
    EXPECT_NEAR(first->getValue<double>("mean"), 20 * kNo2, 1e-9);
    const auto second = at(answer, "value", 1);
    EXPECT_EQ(second->getValue<int>("count"), 102);
    EXPECT_NEAR(second->getValue<double>("coverage"), 17.0 / 24, 1e-12);
    EXPECT_FALSE(second->getValue<bool>("valid"));
    // A range inside a period gives the whole period; a month is held to 90 % of its hours.
    const auto month = json(
        "/v1.1/Datastreams(3)/Aggregates?interval=1mo&from=2025-03-02T05:00:00Z&to=2025-03-02T06:00:00Z");
    ASSERT_EQ(month->getArray("value")->size(), 1u);
    EXPECT_EQ(at(month, "value", 0)->getValue<std::string>("start"), "2025-03-01T00:00:00.000000Z");
    EXPECT_EQ(at(month, "value", 0)->getValue<std::string>("end"), "2025-04-01T00:00:00.000000Z");
    EXPECT_NEAR(at(month, "value", 0)->getValue<double>("coverage"), 35.0 / (31 * 24), 1e-12);
    EXPECT_FALSE(at(month, "value", 0)->getValue<bool>("valid"));
    const auto year =
        json("/v1.1/Datastreams(3)/Aggregates?interval=1y&from=2025-06-01T00:00:00Z&to=2025-06-01T00:00:01Z");
    EXPECT_EQ(at(year, "value", 0)->getValue<std::string>("start"), "2025-01-01T00:00:00.000000Z");
    EXPECT_EQ(at(year, "value", 0)->getValue<int>("count"), 210);
}

TEST_P(AirQualityApi, CsvHasAHeaderNamingTheUnitAndARowPerPeriod) {
    const ApiAnswer answer = _service->get(
        "/v1.1/Datastreams(1)/"
        "Aggregates?interval=1h&from=2025-03-01T00:00:00Z&to=2025-03-01T03:00:00Z&$resultFormat=csv");
    EXPECT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(
        answer.body,
        "start,end,mean (ppb),min (ppb),max (ppb),count,expected,coverage,valid\n"
        "2025-03-01T00:00:00.000000Z,2025-03-01T01:00:00.000000Z,10,10,10,45,60,0.75,true\n"
        "2025-03-01T01:00:00.000000Z,2025-03-01T02:00:00.000000Z,10,10,10,44,60,0.7333333333333333,false\n"
        "2025-03-01T02:00:00.000000Z,2025-03-01T03:00:00.000000Z,,,,0,60,0,false\n");
    const ApiAnswer converted = _service->get(
        "/v1.1/Datastreams(1)/"
        "Aggregates?interval=1h&from=2025-03-01T00:00:00Z&to=2025-03-01T01:00:00Z&unit=ug/"
        "m3&$resultFormat=csv");
    EXPECT_THAT(converted.body, HasSubstr("start,end,mean (ug/m3),min (ug/m3),max (ug/m3),count"));
    EXPECT_THAT(converted.body, HasSubstr("2025-03-01T01:00:00.000000Z,19.12"));
}

TEST_P(AirQualityApi, ComplianceCountsExceedancesAndEpisodesOfAYearWithLittleData) {
    const auto answer = json("/v1.1/Things(3)/Compliance?year=2025");
    EXPECT_EQ(answer->getValue<std::string>("station"), "hypo_city/city_01/street_03");
    EXPECT_EQ(answer->getValue<int>("year"), 2025);
    EXPECT_EQ(answer->getValue<std::string>("limits"), "2008/50/EC");
    EXPECT_EQ(answer->getValue<std::string>("unit"), "ug/m3");
    const auto datastreams = answer->getArray("datastreams");
    ASSERT_EQ(datastreams->size(), 2u);

    const auto no2 = datastreams->getObject(0);
    EXPECT_EQ(no2->getValue<std::string>("quantity"), "no2");
    EXPECT_EQ(no2->getValue<double>("sensor_interval_seconds"), 3600);
    ASSERT_EQ(no2->getArray("limits")->size(), 2u);
    const auto hourLimit = at(no2, "limits", 0);
    EXPECT_EQ(hourLimit->getValue<std::string>("averaging"), "hour");
    EXPECT_EQ(hourLimit->getValue<double>("threshold"), 200);
    EXPECT_EQ(hourLimit->getValue<int>("allowed"), 18);
    EXPECT_EQ(hourLimit->getValue<int>("exceedances"), 9);  // hours 10-14, 30-32 and 40
    EXPECT_EQ(hourLimit->getValue<int>("valid_periods"), 72);
    EXPECT_EQ(hourLimit->getValue<int>("periods"), 8760);
    EXPECT_NEAR(hourLimit->getValue<double>("data_capture"), 72.0 / 8760, 1e-12);
    EXPECT_EQ(hourLimit->getValue<std::string>("verdict"), "insufficient_data");
    const auto yearLimit = at(no2, "limits", 1);
    EXPECT_EQ(yearLimit->getValue<std::string>("averaging"), "year");
    EXPECT_EQ(yearLimit->getValue<int>("valid_periods"), 0);
    EXPECT_NEAR(yearLimit->getValue<double>("mean"), (63 * 20 + 5 * 110 + 4 * 250) * kNo2 / 72, 1e-9);
    EXPECT_EQ(yearLimit->getValue<std::string>("verdict"), "insufficient_data");
    EXPECT_EQ(no2->getValue<double>("alert_threshold"), 400);
    EXPECT_EQ(no2->getValue<int>("alert_episodes"), 1);

    const auto so2 = datastreams->getObject(1);
    EXPECT_EQ(so2->getValue<std::string>("quantity"), "so2");
    EXPECT_EQ(at(so2, "limits", 0)->getValue<int>("exceedances"), 2);  // hours 5 and 6
    EXPECT_EQ(at(so2, "limits", 0)->getValue<int>("valid_periods"), 71);
    const auto dayLimit = at(so2, "limits", 1);
    EXPECT_EQ(dayLimit->getValue<std::string>("averaging"), "day");
    EXPECT_EQ(dayLimit->getValue<double>("threshold"), 125);
    EXPECT_EQ(dayLimit->getValue<int>("exceedances"), 1);  // 2 January
    EXPECT_EQ(dayLimit->getValue<int>("valid_periods"), 3);
    EXPECT_EQ(dayLimit->getValue<int>("periods"), 365);
    EXPECT_EQ(dayLimit->getValue<std::string>("verdict"), "insufficient_data");
    EXPECT_EQ(so2->getValue<int>("alert_episodes"), 0);

    // The 2030 limits allow 3 hours above 200: nine are a proven exceedance, however little data.
    const auto future = json("/v1.1/Things(3)/Compliance?year=2025&limits=2024/2881");
    EXPECT_EQ(future->getValue<std::string>("limits"), "2024/2881");
    const auto futureNo2 = future->getArray("datastreams")->getObject(0);
    EXPECT_EQ(at(futureNo2, "limits", 0)->getValue<int>("allowed"), 3);
    EXPECT_EQ(at(futureNo2, "limits", 0)->getValue<std::string>("verdict"), "exceeded");
    EXPECT_EQ(at(futureNo2, "limits", 1)->getValue<std::string>("averaging"), "day");
    EXPECT_EQ(at(futureNo2, "limits", 1)->getValue<int>("exceedances"), 2);  // 1 and 2 January above 50

    // A year without data: nothing proven, nothing met.
    const auto empty = json("/v1.1/Things(3)/Compliance?year=2024");
    EXPECT_EQ(at(empty->getArray("datastreams")->getObject(0), "limits", 0)->getValue<int>("valid_periods"),
              0);
    EXPECT_EQ(at(empty->getArray("datastreams")->getObject(0), "limits", 0)->getValue<int>("periods"), 8784);
    // A station without NO2 or SO2 Datastreams has nothing to report; one whose NO2 has a single
    // reading has no valid hour.
    const auto single = json("/v1.1/Things(2)/Compliance?year=2025")->getArray("datastreams")->getObject(0);
    EXPECT_TRUE(single->isNull("sensor_interval_seconds"));
    EXPECT_EQ(at(single, "limits", 0)->getValue<int>("valid_periods"), 0);
}

TEST_P(AirQualityApi, TheIndexOfEachHourIsTheWorstPollutantsBand) {
    const auto answer =
        json("/v1.1/Things(3)/AirQualityIndex?from=2025-01-01T00:00:00Z&to=2025-01-02T01:00:00Z");
    EXPECT_EQ(answer->getValue<std::string>("from"), "2025-01-01T00:00:00.000000Z");
    EXPECT_EQ(answer->getValue<std::string>("to"), "2025-01-02T01:00:00.000000Z");
    EXPECT_EQ(answer->getArray("pollutants")->size(), 2u);
    const auto hours = answer->getArray("value");
    ASSERT_EQ(hours->size(), 25u);
    const auto expect = [&](unsigned hour, const char* band, int number, const char* pollutant,
                            bool incomplete) {
        const auto entry = hours->getObject(hour);
        SCOPED_TRACE("hour " + std::to_string(hour));
        EXPECT_EQ(entry->getObject("band")->getValue<std::string>("name"), band);
        EXPECT_EQ(entry->getObject("band")->getValue<int>("number"), number);
        EXPECT_EQ(entry->getValue<std::string>("pollutant"), pollutant);
        EXPECT_EQ(entry->getValue<bool>("incomplete"), incomplete);
    };
    expect(0, "Moderate", 3, "no2", false);         // NO2 38.25, SO2 26.6
    expect(5, "Extremely poor", 6, "so2", false);   // SO2 372.9
    expect(12, "Extremely poor", 6, "no2", false);  // NO2 210.4
    expect(20, "Moderate", 3, "no2", true);         // no SO2 reading
    expect(24, "Poor", 4, "so2", false);            // SO2 133.2
    EXPECT_EQ(hours->getObject(0)->getObject("band")->getValue<std::string>("colour"), "#F0E641");
    EXPECT_EQ(hours->getObject(0)->getValue<std::string>("start"), "2025-01-01T00:00:00.000000Z");
    const auto means = hours->getObject(5)->getArray("means");
    EXPECT_NEAR(means->getObject(1)->getValue<double>("mean"), 140 * kSo2, 1e-9);
    // Unless asked, the last 24 whole hours: here without data, so without a band.
    const auto recent = json("/v1.1/Things(3)/AirQualityIndex");
    ASSERT_EQ(recent->getArray("value")->size(), 24u);
    EXPECT_TRUE(recent->getArray("value")->getObject(23)->isNull("band"));
    EXPECT_TRUE(recent->getArray("value")->getObject(23)->getValue<bool>("incomplete"));
}

TEST_P(AirQualityApi, EveryUnusableParameterIsA400NamingIt) {
    const std::string aggregates = "/v1.1/Datastreams(1)/Aggregates?";
    const std::string range = "from=2025-03-01T00:00:00Z&to=2025-03-01T02:00:00Z";
    const std::vector<std::pair<std::string, std::string>> refused = {
        {aggregates + range, "interval"},
        {aggregates + "interval=2h&" + range, "interval"},
        {aggregates + "interval=1h&to=2025-03-01T02:00:00Z", "from"},
        {aggregates + "interval=1h&from=2025-03-01&to=2025-03-01T02:00:00Z", "from"},
        {aggregates + "interval=1h&from=2025-03-01T00:00:00&to=2025-03-01T02:00:00Z", "from"},
        {aggregates + "interval=1h&from=2025-03-01T00:00:00Z&to=tomorrow", "to"},
        {aggregates + "interval=1h&from=2025-03-01T02:00:00Z&to=2025-03-01T00:00:00Z", "from"},
        {aggregates + "interval=1h&from=2025-03-01T02:00:00Z&to=2025-03-01T02:00:00Z", "from"},
        {aggregates + "interval=1h&from=1969-12-31T00:00:00Z&to=2025-03-01T02:00:00Z", "from"},
        {aggregates + "interval=1h&from=2010-01-01T00:00:00Z&to=2025-03-01T02:00:00Z", "to"},
        {aggregates + "interval=1h&" + range + "&unit=mg/m3", "unit"},
        {"/v1.1/Datastreams(2)/Aggregates?interval=1h&" + range + "&unit=ug/m3", "unit"},
        {aggregates + "interval=1h&" + range + "&$resultFormat=xml", "$resultFormat"},
        {aggregates + "interval=1h&" + range + "&interval=1d", "interval"},
        {aggregates + "interval=1h&" + range + "&$top=5", "$top"},
        {"/v1.1/Things(3)/Compliance", "year"},
        {"/v1.1/Things(3)/Compliance?year=1969", "year"},
        {"/v1.1/Things(3)/Compliance?year=3000", "year"},
        {"/v1.1/Things(3)/Compliance?year=20x5", "year"},
        {"/v1.1/Things(3)/Compliance?year=2025&limits=WHO", "limits"},
        {"/v1.1/Things(3)/AirQualityIndex?from=yesterday", "from"},
        {"/v1.1/Things(3)/AirQualityIndex?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z", "from"},
        {"/v1.1/Things(3)/AirQualityIndex?from=2020-01-01T00:00:00Z&to=2025-01-01T00:00:00Z", "to"},
        {"/latest.geojson?bbox=1,2,3,4", "bbox"},
    };
    for (const auto& [target, parameter] : refused) {
        const auto error = json(target, 400);
        EXPECT_EQ(error->getValue<std::string>("type"), "error") << target;
        EXPECT_EQ(error->getValue<std::string>("parameter"), parameter) << target;
        EXPECT_THAT(error->getValue<std::string>("message"), HasSubstr(parameter)) << target;
    }
    EXPECT_THAT(json("/v1.1/Datastreams(2)/Aggregates?interval=1h&" + range + "&unit=ug/m3", 400)
                    ->getValue<std::string>("message"),
                HasSubstr("temperature"));
    EXPECT_THAT(json(aggregates + "interval=2h&" + range, 400)->getValue<std::string>("message"),
                HasSubstr("1h, 1d, 1mo or 1y"));
    json("/v1.1/Datastreams(x)/Aggregates?interval=1h&" + range, 400);
    json("/v1.1/Things(1%27)/Compliance?year=2025", 400);
}

TEST_P(AirQualityApi, MissingEntitiesAre404AndASensorWithoutSpacingIs422) {
    const std::string range = "interval=1h&from=2025-03-01T00:00:00Z&to=2025-03-01T02:00:00Z";
    json("/v1.1/Datastreams(99)/Aggregates?" + range, 404);
    json("/v1.1/Things(99)/Compliance?year=2025", 404);
    json("/v1.1/Things(99)/AirQualityIndex", 404);
    json("/v1.1/Things(1)/Aggregates", 404);  // not a resource of Things
    const auto unprocessable = json("/v1.1/Datastreams(4)/Aggregates?" + range, 422);
    EXPECT_THAT(unprocessable->getValue<std::string>("message"), HasSubstr("fewer than two readings"));
}

INSTANTIATE_TEST_SUITE_P(Stores, AirQualityApi, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param == "mysql" ? "MariaDb" : "Sqlite"; });

}  // namespace
}  // namespace citysense
