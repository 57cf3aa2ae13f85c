// citysense-api's access settings as configured: --check names a bad one; SIGHUP with a good new
// configuration changes the embargo and the limits at once (and says that listener changes wait for a
// restart), with a bad one it is reported and the running configuration kept.
#include "ApiTestStore.h"
#include "Programs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;

constexpr Micros kMinute = 60 * kMicrosPerSecond;

class ApiReload : public ::testing::Test {
protected:
    void SetUp() override {
        _store.execute(
            "INSERT INTO stations (id, system, city, street) VALUES (1, 'hypo_city', 'city_01', 'street_01');"
            "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES (1, 1, 'no2', 'ppb', 'd');"
            "INSERT INTO readings (sensor_id, time, value, quality) VALUES (1, " +
            _store.timeLiteral(nowMicros() - 30 * kMinute) + ", 10, 0);");
    }

    std::size_t observations(const ApiService& service) {
        return service.json("/v1.1/Datastreams(1)/Observations")->getArray("value")->size();
    }

    ApiTestStore _store{"sqlite"};
};

TEST_F(ApiReload, CheckNamesABadAccessSetting) {
    const std::string config =
        _store.writeConfiguration("embargo = soon\nrate_limit = lots\nkey_rate_limit = 5/fortnight\n");
    const CommandResult result =
        runProgram({CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c", config, "--check"});
    EXPECT_NE(result.status, 0);
    EXPECT_THAT(result.output, HasSubstr(config + ": [api] embargo: "));
    EXPECT_THAT(result.output, HasSubstr(config + ": [api] rate_limit: 'lots' is not a number of requests"));
    EXPECT_THAT(result.output, HasSubstr(config + ": [api] key_rate_limit: "));
}

TEST_F(ApiReload, AGoodFileTakesEffectAtOnce) {
    const std::string config = _store.writeConfiguration("embargo = 1h\n");
    ApiService service(config);
    EXPECT_EQ(observations(service), 0u) << "30 minutes old: under the embargo";
    _store.writeConfiguration("embargo = 10m\nthreads = 3\n");
    service.process().signal(SIGHUP);
    ASSERT_TRUE(service.process().waitForLog("reloaded: embargo 10m"));
    EXPECT_THAT(service.process().log(), HasSubstr("take effect only when citysense-api is restarted"));
    EXPECT_EQ(observations(service), 1u);
}

TEST_F(ApiReload, ABadFileIsReportedAndTheRunningConfigurationKept) {
    const std::string config = _store.writeConfiguration("embargo = 10m\n");
    ApiService service(config);
    EXPECT_EQ(observations(service), 1u);
    _store.writeConfiguration("embargo = forever\n");
    service.process().signal(SIGHUP);
    ASSERT_TRUE(service.process().waitForLog("reload refused: the running configuration stays in effect"));
    EXPECT_THAT(service.process().log(), HasSubstr("embargo"));
    EXPECT_EQ(observations(service), 1u);
    _store.writeConfiguration("embargo = 1h\n");
    service.process().signal(SIGHUP);
    ASSERT_TRUE(service.process().waitForLog("reloaded: embargo 1h"));
    EXPECT_EQ(observations(service), 0u);
}

}  // namespace
}  // namespace citysense
