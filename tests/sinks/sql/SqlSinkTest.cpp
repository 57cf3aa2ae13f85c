// The sql sink against a real MariaDB (started by the test) and against SQLite: readings stored once
// with their microseconds, from the first time the store holds to the last, non-finite values counted as
// dropped, names verbatim whatever they hold, data the database refuses told apart from a database that
// is away (PermanentWriteError only for the first), and clear errors for a missing or newer schema, a
// wrong password, and a server that went away (the next write reconnects), and several hosts tried in
// turn, each move to the next counted as a failover; announcements that make or update the station's
// position and its sensors' intervals.
#include "MariaDb.h"
#include "PluginHarness.h"
#include "RecordingLog.h"

#include <citysense/DropCounts.h>
#include <citysense/EventCounts.h>
#include <citysense/Sink.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <thread>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;

constexpr Micros kTime = 1764000000123456;  // 2025-11-24 16:00:00.123456 UTC

/// How a write ended, and its error: the host retries a failed one and sets aside a refused one.
enum class Outcome { Written, Failed, Refused };
std::pair<Outcome, std::string> writeOutcome(Sink& sink, const SampleBatch& batch) {
    try {
        sink.write(batch);
        return {Outcome::Written, ""};
    } catch (const PermanentWriteError& error) {
        return {Outcome::Refused, error.what()};
    } catch (const std::exception& error) {
        return {Outcome::Failed, error.what()};
    }
}

class SqlSink : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (mariadb()) {
            _server = std::make_unique<MariaDb>();
        } else {
            _directory = std::filesystem::temp_directory_path() /
                         ("citysense-sql-" + std::to_string(::getpid()) + "-" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
            std::filesystem::create_directories(_directory);
        }
    }
    void TearDown() override {
        if (!_directory.empty())
            std::filesystem::remove_all(_directory);
    }

    bool mariadb() const { return GetParam() == "mysql"; }

    std::map<std::string, std::string> options(bool createSchema = true) const {
        if (mariadb())
            return {{"connector", "mysql"},
                    {"connection", "host=127.0.0.1;port=" + std::to_string(_server->port()) +
                                       ";db=citysense;user=" + _server->user()},
                    {"password_file", _server->passwordFile()},
                    {"create_schema", createSchema ? "true" : "false"}};
        return {{"connector", "sqlite"},
                {"connection", (_directory / "readings.db").string()},
                {"create_schema", createSchema ? "true" : "false"}};
    }

    /// The rows of `sql`, tab separated, one line each.
    std::string query(const std::string& sql) const {
        if (mariadb())
            return _server->query(sql);
        const CommandResult result =
            runProgram({"sqlite3", "-batch", "-separator", "\t", (_directory / "readings.db").string(), sql});
        EXPECT_EQ(result.status, 0) << result.output;
        return result.output;
    }

    std::string timeText(Micros time) const {
        return mariadb() ? formatSeedTime(time) : std::to_string(time);
    }

    std::unique_ptr<MariaDb> _server;
    std::filesystem::path _directory;
};

TEST_P(SqlSink, StoresEachReadingWithItsStationSensorAndMicroseconds) {
    auto sink = makeSink("sql", options());
    sink->open();
    sink->write({testSample(Quantity::Temperature, 21.5, kTime),
                 testSample(Quantity::NO2, 0.25, kTime + 1, QualityOutOfRange | QualitySimulated)});
    EXPECT_EQ(query("SELECT st.system, st.city, st.street, se.quantity, se.unit, se.driver, r.time, r.value, "
                    "r.quality FROM readings r JOIN sensors se ON se.id = r.sensor_id JOIN stations st ON "
                    "st.id = se.station_id ORDER BY r.time"),
              "hypo_city\tcity_01\tstreet_01\ttemperature\tCel\tdriver.test\t" + timeText(kTime) +
                  "\t21.5\t0\n" + "hypo_city\tcity_01\tstreet_01\tno2\tppb\tdriver.test\t" +
                  timeText(kTime + 1) + "\t0.25\t9\n");
}

TEST_P(SqlSink, AReplayStoresNothingTwice) {
    auto sink = makeSink("sql", options());
    sink->open();
    const SampleBatch batch = {testSample(Quantity::Temperature, 1.5, kTime),
                               testSample(Quantity::Temperature, 2.5, kTime + 1)};
    sink->write(batch);
    sink->write(batch);  // a replay after an outage
    sink->write({testSample(Quantity::Temperature, 3.5, kTime + 2)});
    EXPECT_EQ(query("SELECT value FROM readings ORDER BY time"), "1.5\n2.5\n3.5\n");
}

TEST_P(SqlSink, LargeBatchesGoThroughTheReusedStatementAndTheRestAfterIt) {
    auto sink = makeSink("sql", options());
    sink->open();
    SampleBatch batch;
    for (int i = 0; i < 2500; ++i)  // two full statements of 1000 rows and a rest of 500
        batch.push_back(testSample(Quantity::NO2, i, kTime + i));
    sink->write(batch);
    sink->write(batch);
    EXPECT_EQ(query("SELECT count(*), count(DISTINCT value) FROM readings"), "2500\t2500\n");
    EXPECT_EQ(query("SELECT time FROM readings WHERE value = 1234"), timeText(kTime + 1234) + "\n");
}

TEST_P(SqlSink, TheFirstAndLastTimesTheStoreHoldsAreStoredToTheMicrosecond) {
    constexpr Micros kFirst = -30610224000000000;  // 1000-01-01 00:00:00.000000
    constexpr Micros kLast = 253402300799999999;   // 9999-12-31 23:59:59.999999
    constexpr Micros kLeapDay = 951825845000001;   // 2000-02-29 12:04:05.000001
    auto sink = makeSink("sql", options());
    sink->open();
    sink->write({testSample(Quantity::NO2, 1, kFirst), testSample(Quantity::NO2, 2, kLeapDay),
                 testSample(Quantity::NO2, 3, kLast)});
    EXPECT_EQ(query("SELECT time FROM readings ORDER BY value"),
              timeText(kFirst) + "\n" + timeText(kLeapDay) + "\n" + timeText(kLast) + "\n");
}

TEST_P(SqlSink, NonFiniteValuesAreNotStoredButCountedAsDropped) {
    auto sink = makeSink("sql", options());
    sink->open();
    const SampleBatch batch = {
        testSample(Quantity::Temperature, 1.5, kTime),
        testSample(Quantity::Temperature, std::numeric_limits<double>::quiet_NaN(), kTime + 1),
        testSample(Quantity::Humidity, -std::numeric_limits<double>::infinity(), kTime + 2)};
    sink->write(batch);
    EXPECT_EQ(query("SELECT value FROM readings ORDER BY time"), "1.5\n");
    EXPECT_EQ(sink->dropCounts().byReason(), (std::map<std::string, std::uint64_t>{{"non_finite_value", 2}}));
}

TEST_P(SqlSink, NamesAreStoredVerbatimWhateverTheyHold) {
    const Station odd{"hypo'city", "Zürich \"Nord\" \\ 東京", "street'); DROP TABLE readings; --"};
    Sample sample = testSample(Quantity::Humidity, 55, kTime);
    sample.source = Source::intern(odd, "driver.o'neil");
    auto sink = makeSink("sql", options());
    sink->open();
    sink->write({sample});
    EXPECT_EQ(query("SELECT st.system, st.city, st.street, se.driver FROM sensors se JOIN stations st ON "
                    "st.id = se.station_id"),
              odd.system + "\t" + odd.city + "\t" + odd.street + "\tdriver.o'neil\n");
    EXPECT_EQ(query("SELECT count(*) FROM readings"), "1\n");
}

TEST_P(SqlSink, WhatTheSchemaCannotHoldIsRefusedNotCutAndTheRestIsStored) {
    // Two streets that differ only after the 255 characters the column holds: cut, they would be one.
    const std::string prefix(255, 's');
    Sample longOne = testSample(Quantity::Humidity, 1, kTime);
    longOne.source = Source::intern({"hypo_city", "city_01", prefix + "a"}, "driver.test");
    Sample longTwo = testSample(Quantity::Humidity, 2, kTime);
    longTwo.source = Source::intern({"hypo_city", "city_01", prefix + "b"}, "driver.test");
    Sample longDriver = testSample(Quantity::Humidity, 3, kTime);
    longDriver.source = Source::intern(testStation(), "driver." + std::string(250, 'd'));
    std::string umlauts;
    for (int i = 0; i < 255; ++i)
        umlauts += "\xC3\xBC";  // 255 characters in 510 bytes: they fit
    Sample fits = testSample(Quantity::Humidity, 4.5, kTime);
    fits.source = Source::intern({"hypo_city", "city_01", umlauts}, "driver.test");
    const SampleBatch batch = {longOne,
                               longTwo,
                               longDriver,
                               testSample(Quantity::Humidity, 5, -40000000000000000),  // the year 702
                               testSample(Quantity::Humidity, 6.5, kTime),
                               fits};
    auto sink = makeSink("sql", options());
    sink->open();
    sink->write(batch);
    EXPECT_EQ(query("SELECT st.street, r.value FROM readings r JOIN sensors se ON se.id = r.sensor_id "
                    "JOIN stations st ON st.id = se.station_id ORDER BY r.value"),
              umlauts + "\t4.5\nstreet_01\t6.5\n");
    EXPECT_EQ(query("SELECT count(*) FROM stations"), "2\n");
    EXPECT_EQ(sink->dropCounts().byReason(),
              (std::map<std::string, std::uint64_t>{{"name_too_long", 3}, {"time_out_of_range", 1}}));
}

TEST_P(SqlSink, ABatchTheDatabasesOwnConstraintRefusesIsAPermanentErrorAndStoresNothing) {
    auto sink = makeSink("sql", options());
    sink->open();
    // An operator's rule the sink knows nothing of: no reading of 1000 or more.
    if (mariadb())
        query("ALTER TABLE readings ADD CONSTRAINT plausible_value CHECK (value < 1000)");
    else
        query(
            "CREATE TRIGGER plausible_value BEFORE INSERT ON readings WHEN NEW.value >= 1000 "
            "BEGIN SELECT RAISE(ABORT, 'plausible_value'); END");
    const auto [outcome, error] = writeOutcome(
        *sink, {testSample(Quantity::NO2, 1.5, kTime), testSample(Quantity::NO2, 5000, kTime + 1)});
    EXPECT_EQ(outcome, Outcome::Refused) << error;
    EXPECT_THAT(error, HasSubstr("cannot write to "));
    EXPECT_THAT(error, HasSubstr("plausible_value"));
    EXPECT_EQ(query("SELECT count(*) FROM readings"), "0\n");  // one transaction: all or nothing
    EXPECT_EQ(writeOutcome(*sink, {testSample(Quantity::NO2, 1.5, kTime)}).first, Outcome::Written);
    EXPECT_EQ(query("SELECT value FROM readings"), "1.5\n");
}

TEST_P(SqlSink, ADatabaseWithoutTheSchemaIsAClearError) {
    auto sink = makeSink("sql", options(false));
    EXPECT_THAT(
        errorOf([&] { sink->open(); }),
        HasSubstr("the database has no citysense schema: run tools/db-migrate, or set create_schema = true"));
}

TEST_P(SqlSink, ASchemaNewerThanTheSinkKnowsIsRefused) {
    makeSink("sql", options())->open();
    query("INSERT INTO schema_version (version, applied_at) VALUES (99, '2030-01-01 00:00:00')");
    EXPECT_THAT(errorOf([&] { makeSink("sql", options())->open(); }),
                HasSubstr("schema version 99 is newer than this sink knows"));
}

/// What the gateway of testStation() announces: no2 of driver.test every 10 s, on change, silent for up
/// to 15 minutes, and temperature of driver.air every minute.
Announcement testAnnouncement() {
    Announcement announcement;
    announcement.station = {"hypo_city", "city_01", "street_01", 52.37, 4.89, true};
    announcement.channels = {{"driver.test", Quantity::NO2, "alphasense", "1.2.0", 10 * kMicrosPerSecond,
                              true, 900 * kMicrosPerSecond},
                             {"driver.air", Quantity::Temperature, "bme280", "1.0.0", 60 * kMicrosPerSecond}};
    return announcement;
}

const char* const kSensorsAnnounced =
    "SELECT st.latitude, st.longitude, se.quantity, se.unit, se.driver, se.interval_us, se.on_change, "
    "se.max_silence_us, se.plugin, se.plugin_version FROM sensors se JOIN stations st ON st.id = "
    "se.station_id "
    "ORDER BY se.driver";

TEST_P(SqlSink, AnAnnouncementBeforeTheFirstReadingMakesTheRowsAndTheReadingUsesThem) {
    auto sink = makeSink("sql", options());
    sink->open();
    sink->announce(testAnnouncement());
    const std::string null = mariadb() ? "NULL" : "";
    EXPECT_EQ(query(kSensorsAnnounced),
              "52.37\t4.89\ttemperature\tCel\tdriver.air\t60000000\t0\t" + null +
                  "\tbme280\t1.0.0\n"
                  "52.37\t4.89\tno2\tppb\tdriver.test\t10000000\t1\t900000000\talphasense\t1.2.0\n");
    sink->write({testSample(Quantity::NO2, 1.5, kTime)});
    EXPECT_EQ(query("SELECT count(*) FROM sensors"), "2\n");
    EXPECT_EQ(query("SELECT se.driver, r.value FROM readings r JOIN sensors se ON se.id = r.sensor_id"),
              "driver.test\t1.5\n");
}

TEST_P(SqlSink, ALaterAnnouncementUpdatesTheRowsOfReadingsThatCameFirst) {
    auto sink = makeSink("sql", options());
    sink->open();
    sink->write({testSample(Quantity::NO2, 1.5, kTime)});
    EXPECT_EQ(query("SELECT latitude IS NULL, interval_us IS NULL FROM stations, sensors"), "1\t1\n");
    Announcement announcement = testAnnouncement();
    announcement.channels[0].maxSilence = 0;  // unbounded: stored as NULL
    sink->announce(announcement);
    EXPECT_EQ(query("SELECT latitude, interval_us, on_change, max_silence_us IS NULL FROM stations, sensors "
                    "WHERE driver = 'driver.test'"),
              "52.37\t10000000\t1\t1\n");
    // A station that announces no position keeps the one it has.
    announcement.station.hasPosition = false;
    announcement.channels[0].interval = 5 * kMicrosPerSecond;
    sink->announce(announcement);
    EXPECT_EQ(query("SELECT latitude, interval_us FROM stations, sensors WHERE driver = 'driver.test'"),
              "52.37\t5000000\n");
    EXPECT_EQ(query("SELECT count(*) FROM readings"), "1\n");
}

TEST_P(SqlSink, AnAnnouncementWhoseNamesTheSchemaCannotHoldIsCountedNotStored) {
    auto sink = makeSink("sql", options());
    sink->open();
    Announcement announcement = testAnnouncement();
    announcement.station.street = std::string(300, 's');
    sink->announce(announcement);
    EXPECT_EQ(query("SELECT count(*) FROM stations"), "0\n");
    EXPECT_EQ(sink->dropCounts().byReason(), (std::map<std::string, std::uint64_t>{{"name_too_long", 1}}));
}

INSTANTIATE_TEST_SUITE_P(Connectors, SqlSink, ::testing::Values("sqlite", "mysql"));

/// A sink on `server`'s citysense database as its ingest user, with the password in `passwordFile`.
std::map<std::string, std::string> mariadbOptions(const MariaDb& server, const std::string& passwordFile) {
    return {
        {"connector", "mysql"},
        {"connection", "host=127.0.0.1;port=" + std::to_string(server.port()) + ";db=citysense;user=ingest"},
        {"password_file", passwordFile},
        {"create_schema", "true"}};
}

TEST(SqlSinkMariaDb, AStationNameThatIsNotUtf8IsRefusedAsData) {
    MariaDb server;
    auto sink = makeSink("sql", mariadbOptions(server, server.passwordFile()));
    sink->open();
    Sample sample = testSample(Quantity::NO2, 1.5, kTime);
    sample.source = Source::intern({"hypo_city", "city_01",
                                    "stra\xDF"
                                    "e"},
                                   "driver.test");  // Latin-1
    const auto [outcome, error] = writeOutcome(*sink, {sample});
    EXPECT_EQ(outcome, Outcome::Refused) << error;
    EXPECT_THAT(error, HasSubstr("Incorrect string value"));
}

// Two ingests meeting the same new stations, each in its own order (a shared subscription hands each
// the readings as they come): the sink makes new stations and sensors in one order whatever the batch's,
// so that their transactions wait for each other instead of deadlocking and running again.
TEST(SqlSinkMariaDb, TwoSinksMakingTheSameNewStationsInOppositeOrdersDoNotDeadlock) {
    MariaDb server;
    RecordingLog log("sink.test");
    auto first = makeSink("sql", mariadbOptions(server, server.passwordFile()));
    auto second = makeSink("sql", mariadbOptions(server, server.passwordFile()));
    first->open();
    second->open();
    constexpr int kRounds = 5;
    constexpr int kStations = 20;
    for (int round = 0; round < kRounds; ++round) {
        SampleBatch forward;
        for (int i = 0; i < kStations; ++i) {
            Sample sample = testSample(Quantity::NO2, i, kTime);
            sample.source = Source::intern(
                {"hypo_city", "city_01", "street_" + std::to_string(round) + "_" + std::to_string(i)},
                "driver.test");
            forward.push_back(sample);
        }
        SampleBatch backward(forward.rbegin(), forward.rend());
        for (Sample& sample : backward)
            sample.time += 1;  // readings of their own
        std::atomic<int> ready{0};
        std::string errors[2];
        const auto writer = [&](Sink& sink, const SampleBatch& batch, int slot) {
            ++ready;
            while (ready < 2)
                std::this_thread::yield();
            errors[slot] = writeOutcome(sink, batch).second;
        };
        std::thread a(writer, std::ref(*first), std::cref(forward), 0);
        std::thread b(writer, std::ref(*second), std::cref(backward), 1);
        a.join();
        b.join();
        EXPECT_EQ(errors[0], "") << "round " << round;
        EXPECT_EQ(errors[1], "") << "round " << round;
    }
    EXPECT_EQ(log.count(Poco::Message::PRIO_INFORMATION, "aborted for a conflict"), 0);
    EXPECT_EQ(server.query("SELECT count(*) FROM stations"), std::to_string(kRounds * kStations) + "\n");
    EXPECT_EQ(server.query("SELECT count(*) FROM readings"), std::to_string(2 * kRounds * kStations) + "\n");
}

TEST(SqlSinkMariaDb, AWrongPasswordIsAClearErrorThatDoesNotShowThePassword) {
    MariaDb server;
    const std::string wrong = server.directory() + "/wrong.password";
    { std::ofstream(wrong) << "not-the-password\n"; }
    std::filesystem::permissions(wrong, std::filesystem::perms::owner_read);
    auto sink = makeSink("sql", mariadbOptions(server, wrong));
    const std::string error = errorOf([&] { sink->open(); });
    EXPECT_THAT(error, HasSubstr("cannot open MariaDB (host=127.0.0.1;"));
    EXPECT_THAT(error, HasSubstr("Access denied"));
    EXPECT_THAT(error, ::testing::Not(HasSubstr("not-the-password")));
}

TEST(SqlSinkMariaDb, AWriteWhileTheServerIsDownFailsAndTheNextOneAfterItReconnects) {
    MariaDb server;
    auto sink = makeSink("sql", mariadbOptions(server, server.passwordFile()));
    sink->open();
    sink->write({testSample(Quantity::Temperature, 1, kTime)});
    server.stop();
    const SampleBatch during = {testSample(Quantity::Temperature, 2, kTime + 1)};
    const auto [outcome, error] = writeOutcome(*sink, during);
    EXPECT_EQ(outcome, Outcome::Failed);  // retried by the host, never set aside
    EXPECT_THAT(error, HasSubstr("MariaDB"));
    server.start();
    sink->write(during);  // what the host does: the same batch again, from its spool
    EXPECT_EQ(server.query("SELECT count(*), sum(value) FROM readings"), "2\t3\n");
    EXPECT_TRUE(sink->eventCounts().byName().empty());  // one server: reconnected, not failed over
}

TEST(SqlSinkMariaDb, WithSeveralHostsItOpensOnTheFirstThatAnswersAndMovesOnAfterAFailedWrite) {
    MariaDb first;
    MariaDb second;
    // A loopback port with no server behind it, then the two servers.
    const unsigned closed = freePorts(1)[0];
    std::map<std::string, std::string> options = mariadbOptions(first, first.passwordFile());
    options["connection"] = "db=citysense;user=ingest";
    options["hosts"] = "127.0.0.1:" + std::to_string(closed) + ", 127.0.0.1:" + std::to_string(first.port()) +
                       ", 127.0.0.1:" + std::to_string(second.port());
    // Both servers' users have their own passwords: the second's is made the first's.
    second.query("ALTER USER 'ingest'@'127.0.0.1' IDENTIFIED BY '" + first.password() + "'", "");
    auto sink = makeSink("sql", options);
    sink->open();
    sink->write({testSample(Quantity::Temperature, 1, kTime)});
    EXPECT_EQ(first.query("SELECT count(*) FROM readings"), "1\n");
    EXPECT_EQ(sink->eventCounts().byName(), (std::map<std::string, std::uint64_t>{{"failover", 1}}));

    first.stop();
    const SampleBatch during = {testSample(Quantity::Temperature, 2, kTime + 1)};
    const auto [outcome, error] = writeOutcome(*sink, during);
    EXPECT_EQ(outcome, Outcome::Failed);
    EXPECT_THAT(error, HasSubstr("port=" + std::to_string(first.port())));
    sink->write(during);  // the host's retry: on the next server
    EXPECT_EQ(second.query("SELECT count(*), sum(value) FROM readings"), "1\t2\n");
    EXPECT_EQ(sink->eventCounts().count("failover"), 2u);
}

TEST(SqlSinkMariaDb, WhenNoHostAnswersTheErrorNamesEach) {
    const std::vector<unsigned> closed = freePorts(2);
    auto sink = makeSink("sql", {{"connector", "mysql"},
                                 {"connection", "db=citysense;user=ingest"},
                                 {"hosts", "127.0.0.1:" + std::to_string(closed[0]) +
                                               ", 127.0.0.1:" + std::to_string(closed[1])}});
    const std::string error = errorOf([&] { sink->open(); });
    EXPECT_THAT(error, HasSubstr("no MariaDB server of hosts could be used"));
    EXPECT_THAT(error, HasSubstr("port=" + std::to_string(closed[0])));
    EXPECT_THAT(error, HasSubstr("port=" + std::to_string(closed[1])));
}

TEST(SqlSinkOptions, HostsAreHostOrHostAndPortForMariaDbWithAConnectionNamingNeither) {
    const auto keyOf = [](const std::map<std::string, std::string>& options) {
        return optionKeyOf([&] { makeSink("sql", options); });
    };
    EXPECT_EQ(keyOf({{"connector", "mysql"}, {"connection", "db=c"}, {"hosts", "a:3306, b:port"}}), "hosts");
    EXPECT_EQ(keyOf({{"connector", "mysql"}, {"connection", "db=c"}, {"hosts", "a:0"}}), "hosts");
    EXPECT_EQ(keyOf({{"connector", "mysql"}, {"connection", "db=c"}, {"hosts", "a;user=root"}}), "hosts");
    EXPECT_EQ(keyOf({{"connector", "mysql"}, {"connection", "db=c"}, {"hosts", "::1"}}), "hosts");
    EXPECT_EQ(keyOf({{"connector", "mysql"}, {"connection", "db=c"}, {"hosts", "[::1]:3307, [fe80::1], b"}}),
              "(no OptionError)");
    EXPECT_EQ(keyOf({{"connector", "mysql"}, {"connection", "host=a;db=c"}, {"hosts", "a, b"}}),
              "connection");
    EXPECT_EQ(keyOf({{"connector", "mysql"}, {"connection", "db=c; port=3307"}, {"hosts", "a"}}),
              "connection");
    EXPECT_EQ(keyOf({{"connector", "sqlite"}, {"connection", "x.db"}, {"hosts", "a"}}), "hosts");
}

TEST(SqlSinkOptions, ThePasswordDoesNotGoInTheConnectionString) {
    EXPECT_EQ(optionKeyOf([] {
                  makeSink("sql", {{"connector", "mysql"}, {"connection", "host=h;user=u;password=secret"}});
              }),
              "connection");
}

}  // namespace
}  // namespace citysense
