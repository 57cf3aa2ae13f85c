// tools/db-migrate and the schema of sql/ against a real MariaDB (tests/support/MariaDb) and SQLite (the
// sqlite3 command): a fresh database gets the newest schema, a second run applies nothing, an older schema
// is upgraded, a newer one refused, connection failures are explained; the (sensor, time) key keeps the
// first of two readings, and names are stored byte for byte.
#include "MariaDb.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense {
namespace {

using namespace test;

const std::string migrateTool = CITYSENSE_SOURCE_DIR "/tools/db-migrate";

/// Names an operator could give a station, and one that would be an injection if pasted into SQL.
const std::vector<std::string> awkwardNames = {"O'Brien \"Quay\"", "back\\slash\\", u8"Straße Ünï 東京 🚲",
                                               "'; DROP TABLE readings; --"};

std::string hex(const std::string& text) {
    static const char digits[] = "0123456789ABCDEF";
    std::string result;
    for (const unsigned char byte : text) {
        result += digits[byte >> 4];
        result += digits[byte & 15];
    }
    return result;
}

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
}

/// A password file as it should be: only its owner may read it.
void writeSecret(const std::string& path, const std::string& text) {
    writeFile(path, text);
    std::filesystem::permissions(path,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

/// A temporary directory, removed at the end of the scope.
class TemporaryDirectory {
public:
    TemporaryDirectory() {
        std::string pattern = (std::filesystem::temp_directory_path() / "citysense-storage-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp failed");
        _path = pattern;
    }
    ~TemporaryDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(_path, ignored);
    }
    const std::string& path() const { return _path; }

private:
    std::string _path;
};

/// The numbers of the project's migrations for `engine` (sql/ENGINE/NNN_what.sql), in order.
std::vector<int> migrationNumbers(const std::string& engine) {
    std::vector<int> numbers;
    for (const auto& entry : std::filesystem::directory_iterator(CITYSENSE_SOURCE_DIR "/sql/" + engine))
        if (entry.path().extension() == ".sql")
            numbers.push_back(std::stoi(entry.path().filename().string().substr(0, 3)));
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}

std::size_t migrationCount(const std::string& engine) {
    return migrationNumbers(engine).size();
}

/// The newest schema version, as text.
std::string newest(const std::string& engine) {
    return std::to_string(migrationNumbers(engine).back());
}

/// Every version, one a line: what schema_version holds after the project's migrations.
std::string versions(const std::string& engine) {
    std::string text;
    for (const int number : migrationNumbers(engine))
        text += std::to_string(number) + "\n";
    return text;
}

/// A migrations directory holding the project's migrations numbered below `version`.
std::string migrationsBefore(const TemporaryDirectory& directory, const std::string& engine, int version) {
    const std::string path = directory.path() + "/" + engine;
    std::filesystem::create_directory(path);
    for (const auto& entry : std::filesystem::directory_iterator(CITYSENSE_SOURCE_DIR "/sql/" + engine))
        if (std::stoi(entry.path().filename().string().substr(0, 3)) < version)
            std::filesystem::copy_file(entry.path(), path + "/" + entry.path().filename().string());
    return path;
}

/// A migrations directory holding the project's 001 and whatever a test adds.
std::string migrationsWith001(const TemporaryDirectory& directory, const std::string& engine) {
    const std::string path = directory.path() + "/" + engine;
    std::filesystem::create_directory(path);
    std::filesystem::copy_file(CITYSENSE_SOURCE_DIR "/sql/" + engine + "/001_initial.sql",
                               path + "/001_initial.sql");
    return path;
}

// One server for the suite; each test works in a database of its own. The server starts in the first
// SetUp, not in SetUpTestSuite: GoogleTest reports the tests of a suite whose set-up failed as skipped.
class MariaDbMigrate : public ::testing::Test {
protected:
    static void TearDownTestSuite() {
        delete server;
        server = nullptr;
    }

    void SetUp() override {
        if (!server)
            server = new MariaDb;
        database = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        server->createDatabase(database);
    }

    /// tools/db-migrate over TCP as `user`, with `extra` arguments and `environment` added to its own.
    CommandResult migrateAs(const std::string& user, const std::string& passwordFile,
                            const std::vector<std::string>& extra = {},
                            const std::map<std::string, std::string>& environment = {}) const {
        std::vector<std::string> command = {migrateTool,  "--mariadb",  "--host",
                                            "127.0.0.1",  "--port",     std::to_string(server->port()),
                                            "--user",     user,         "--password-file",
                                            passwordFile, "--database", database};
        command.insert(command.end(), extra.begin(), extra.end());
        return runProgram(command, environment);
    }

    /// tools/db-migrate over TCP as the ingest user.
    CommandResult migrate(const std::vector<std::string>& extra = {}) const {
        return migrateAs(server->user(), server->passwordFile(), extra);
    }

    std::string query(const std::string& sql) const { return server->query(sql, database); }

    static MariaDb* server;
    std::string database;
};

MariaDb* MariaDbMigrate::server = nullptr;

TEST_F(MariaDbMigrate, CreatesTheSchemaAndASecondRunAppliesNothing) {
    const CommandResult first = migrate();
    ASSERT_EQ(first.status, 0) << first.output;
    EXPECT_NE(first.output.find("applying 001_initial.sql"), std::string::npos) << first.output;
    EXPECT_NE(first.output.find("applying 002_readings_time_index.sql"), std::string::npos) << first.output;
    EXPECT_NE(first.output.find("at version " + newest("mariadb")), std::string::npos) << first.output;
    EXPECT_EQ(query("SELECT version FROM schema_version ORDER BY version"), versions("mariadb"));
    EXPECT_EQ(
        query("SELECT GROUP_CONCAT(column_name ORDER BY seq_in_index) FROM information_schema.statistics "
              "WHERE table_schema = DATABASE() AND table_name = 'readings' AND index_name = 'readings_time'"),
        "time,sensor_id\n");
    EXPECT_EQ(query("SELECT table_name, engine, table_collation FROM information_schema.tables "
                    "WHERE table_schema = DATABASE() ORDER BY table_name"),
              "readings\tInnoDB\tutf8mb4_bin\n"
              "schema_version\tInnoDB\tutf8mb4_bin\n"
              "sensors\tInnoDB\tutf8mb4_bin\n"
              "stations\tInnoDB\tutf8mb4_bin\n");

    const CommandResult second = migrate();
    ASSERT_EQ(second.status, 0) << second.output;
    EXPECT_EQ(second.output.find("applying"), std::string::npos) << second.output;
    EXPECT_NE(second.output.find("is at version " + newest("mariadb") + "; nothing to apply"),
              std::string::npos)
        << second.output;
    EXPECT_EQ(query("SELECT COUNT(*) FROM schema_version"), std::to_string(migrationCount("mariadb")) + "\n");
}

TEST_F(MariaDbMigrate, UpgradesAnOlderSchema) {
    TemporaryDirectory directory;
    const std::string migrations = migrationsWith001(directory, "mariadb");
    ASSERT_EQ(migrate({"--migrations", migrations}).status, 0);
    writeFile(migrations + "/002_station_note.sql",
              "ALTER TABLE stations ADD COLUMN IF NOT EXISTS note VARCHAR(64) NULL;\n"
              "INSERT INTO schema_version (version, applied_at) VALUES (2, UTC_TIMESTAMP(6));\n");

    const CommandResult upgrade = migrate({"--migrations", migrations});
    ASSERT_EQ(upgrade.status, 0) << upgrade.output;
    EXPECT_EQ(upgrade.output.find("001_initial.sql"), std::string::npos) << upgrade.output;
    EXPECT_NE(upgrade.output.find("applying 002_station_note.sql"), std::string::npos) << upgrade.output;
    EXPECT_NE(upgrade.output.find("at version 2"), std::string::npos) << upgrade.output;
    EXPECT_EQ(query("SELECT version FROM schema_version ORDER BY version"), "1\n2\n");
    EXPECT_EQ(query("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                    "AND table_name = 'stations' AND column_name = 'note'"),
              "1\n");
}

TEST_F(MariaDbMigrate, RefusesANewerSchema) {
    ASSERT_EQ(migrate().status, 0);
    query("INSERT INTO schema_version (version, applied_at) VALUES (99, UTC_TIMESTAMP(6))");

    const CommandResult refused = migrate();
    EXPECT_EQ(refused.status, 1) << refused.output;
    EXPECT_NE(refused.output.find("at version 99, newer than the newest migration known here (" +
                                  newest("mariadb")),
              std::string::npos)
        << refused.output;
}

TEST_F(MariaDbMigrate, ExplainsAWrongPassword) {
    TemporaryDirectory directory;
    const std::string wrong = directory.path() + "/wrong.password";
    writeSecret(wrong, "not-" + server->password() + "\n");
    const CommandResult refused = migrateAs(server->user(), wrong);
    EXPECT_EQ(refused.status, 1) << refused.output;
    EXPECT_NE(refused.output.find("wrong user name or password"), std::string::npos) << refused.output;
    EXPECT_EQ(refused.output.find(server->password()), std::string::npos) << refused.output;
}

TEST_F(MariaDbMigrate, TakesAPasswordWithQuotesBackslashesAndHashes) {
    const std::string password = R"(p"a\s's #x)";
    // The same password as an SQL literal: backslash and quote escaped.
    const std::string create = R"(CREATE USER 'awkward'@'127.0.0.1' IDENTIFIED BY 'p"a\\s\'s #x';)";
    server->query(create + "GRANT ALL ON `" + database + "`.* TO 'awkward'@'127.0.0.1'", "");
    TemporaryDirectory directory;
    const std::string passwordFile = directory.path() + "/awkward.password";
    writeSecret(passwordFile, password + "\n");
    const CommandResult migrated = migrateAs("awkward", passwordFile);
    EXPECT_EQ(migrated.status, 0) << migrated.output;
}

TEST_F(MariaDbMigrate, IgnoresTheClientConfigurationOfTheUser) {
    TemporaryDirectory home;
    writeSecret(home.path() + "/.my.cnf", "[client]\nuser=someone\npassword=else\nport=1\n");
    const CommandResult migrated =
        migrateAs(server->user(), server->passwordFile(), {}, {{"HOME", home.path()}});
    EXPECT_EQ(migrated.status, 0) << migrated.output;
}

TEST_F(MariaDbMigrate, RefusesAPasswordFileAnyoneMayRead) {
    TemporaryDirectory directory;
    const std::string open = directory.path() + "/open.password";
    writeFile(open, server->password() + "\n");
    std::filesystem::permissions(open, std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
    const CommandResult refused = migrateAs(server->user(), open);
    EXPECT_EQ(refused.status, 1) << refused.output;
    EXPECT_NE(refused.output.find("anyone may read the password file " + open), std::string::npos)
        << refused.output;
    EXPECT_EQ(query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"), "0\n");
}

TEST_F(MariaDbMigrate, ExplainsADatabaseTheUserMayNotUse) {
    // MariaDB does not tell such a user whether the database exists.
    database = "forbidden";
    const CommandResult refused = migrate();
    EXPECT_EQ(refused.status, 1) << refused.output;
    EXPECT_NE(refused.output.find("user 'ingest' may not use database 'forbidden' at 127.0.0.1:"),
              std::string::npos)
        << refused.output;
}

TEST_F(MariaDbMigrate, ExplainsAMissingDatabaseAndCreatesItWhenAsked) {
    // The administrator's usual set-up: a grant on the database, which the user then creates.
    database = "granted";
    server->query("GRANT ALL ON granted.* TO 'ingest'@'127.0.0.1'", "");
    const CommandResult refused = migrate();
    EXPECT_EQ(refused.status, 1) << refused.output;
    EXPECT_NE(refused.output.find("database 'granted' does not exist"), std::string::npos) << refused.output;
    EXPECT_NE(refused.output.find("--create-database"), std::string::npos) << refused.output;

    const CommandResult created = migrate({"--create-database"});
    ASSERT_EQ(created.status, 0) << created.output;
    EXPECT_EQ(server->query("SELECT default_character_set_name, default_collation_name "
                            "FROM information_schema.schemata WHERE schema_name = 'granted'",
                            ""),
              "utf8mb4\tutf8mb4_bin\n");
    EXPECT_EQ(server->query("SELECT MAX(version) FROM schema_version", "granted"), newest("mariadb") + "\n");
}

TEST_F(MariaDbMigrate, MigratesOverTheSocket) {
    // As root without a password, the way an administrator on the database host runs it.
    const CommandResult migrated = runProgram(
        {migrateTool, "--mariadb", "--socket", server->socket(), "--user", "root", "--database", database});
    ASSERT_EQ(migrated.status, 0) << migrated.output;
    EXPECT_NE(migrated.output.find("at " + server->socket() + " is at version " + newest("mariadb")),
              std::string::npos)
        << migrated.output;
}

TEST_F(MariaDbMigrate, CreatesAReaderThatMaySelectAndNothingElse) {
    TemporaryDirectory directory;
    const std::string readerPassword = directory.path() + "/reader.password";
    writeSecret(readerPassword, "read-only secret\n");
    const std::vector<std::string> asRoot = {migrateTool, "--mariadb", "--socket",   server->socket(),
                                             "--user",    "root",      "--database", database};
    std::vector<std::string> command = asRoot;
    command.insert(command.end(), {"--reader", "api_reader", "--reader-password-file", readerPassword,
                                   "--reader-host", "127.0.0.1"});
    const CommandResult created = runProgram(command);
    ASSERT_EQ(created.status, 0) << created.output;
    EXPECT_NE(created.output.find("'api_reader'@'127.0.0.1' may read (only SELECT) database"),
              std::string::npos)
        << created.output;
    EXPECT_EQ(created.output.find("read-only secret"), std::string::npos) << created.output;

    const auto asReader = [&](const std::string& sql) {
        return runProgram({"mariadb", "--no-defaults", "--protocol=tcp", "--host=127.0.0.1",
                           "--port=" + std::to_string(server->port()), "--user=api_reader",
                           "--password=read-only secret", "--database=" + database, "--batch",
                           "--skip-column-names", "--execute=" + sql});
    };
    const CommandResult selected = asReader("SELECT version FROM schema_version");
    EXPECT_EQ(selected.status, 0) << selected.output;
    EXPECT_NE(selected.output.find("1"), std::string::npos) << selected.output;
    const CommandResult inserted =
        asReader("INSERT INTO stations (system, city, street) VALUES ('a', 'b', 'c')");
    EXPECT_NE(inserted.status, 0);
    EXPECT_NE(inserted.output.find("INSERT command denied"), std::string::npos) << inserted.output;

    // Run again with another password: the user stays, its password changes.
    writeSecret(readerPassword, "another secret\n");
    ASSERT_EQ(runProgram(command).status, 0);
    EXPECT_NE(asReader("SELECT 1").status, 0) << "the old password is refused";
}

TEST_F(MariaDbMigrate, RefusesAReaderPasswordThatWouldBreakTheStatement) {
    TemporaryDirectory directory;
    const std::string readerPassword = directory.path() + "/reader.password";
    writeSecret(readerPassword, "it's\n");
    const CommandResult refused =
        migrate({"--reader", "api_reader", "--reader-password-file", readerPassword});
    EXPECT_EQ(refused.status, 1) << refused.output;
    EXPECT_NE(refused.output.find("may not hold a quote"), std::string::npos) << refused.output;
    EXPECT_EQ(migrate({"--reader", "x;y", "--reader-password-file", readerPassword}).status, 64);
}

TEST_F(MariaDbMigrate, ExplainsAnUnreachableServer) {
    server->stop();
    const CommandResult refused = migrate();
    server->start();
    EXPECT_EQ(refused.status, 1) << refused.output;
    EXPECT_NE(
        refused.output.find("cannot reach the MariaDB server at 127.0.0.1:" + std::to_string(server->port())),
        std::string::npos)
        << refused.output;

    const CommandResult migrated = migrate();
    EXPECT_EQ(migrated.status, 0) << migrated.output;
}

/// One station with one sensor (id 1), and readings of it at `times` (SQL expressions), values 1, 2, ...
std::string sensorWithReadingsAt(const std::vector<std::string>& times) {
    std::string sql =
        "INSERT INTO stations (system, city, street) VALUES ('hypo', 'city_01', 'street_01');"
        "INSERT INTO sensors (station_id, quantity, unit, driver) VALUES (1, 'no2', 'ppb', 'driver.gas');";
    for (std::size_t i = 0; i < times.size(); ++i)
        sql += "INSERT INTO readings VALUES (1, " + times[i] + ", " + std::to_string(i + 1) + ", 0);";
    return sql;
}

TEST_F(MariaDbMigrate, SplitsReadingsByMonthSoOneSensorMonthIsOnePartition) {
    // A store from before version 4, with readings: upgraded, its rows go to their months.
    TemporaryDirectory directory;
    ASSERT_EQ(migrate({"--migrations", migrationsBefore(directory, "mariadb", 4)}).status, 0);
    query(sensorWithReadingsAt(
        {"'2026-03-05 10:00:00'", "'2026-03-31 23:59:59.999999'", "'2026-04-01'", "UTC_TIMESTAMP(6)"}));
    const CommandResult split = migrate({"--months-ahead", "2"});
    ASSERT_EQ(split.status, 0) << split.output;
    EXPECT_NE(split.output.find("readings partitioned by month up to"), std::string::npos) << split.output;
    // From March 2026, the oldest reading's month, to two months beyond this one, then p_future.
    EXPECT_EQ(query("SELECT partition_name, partition_description FROM information_schema.partitions "
                    "WHERE table_schema = DATABASE() AND table_name = 'readings' "
                    "ORDER BY partition_ordinal_position LIMIT 2"),
              "p202603\t'2026-04-01'\n"
              "p202604\t'2026-05-01'\n");
    EXPECT_EQ(
        query("SELECT partition_name FROM information_schema.partitions WHERE table_schema = DATABASE() "
              "AND table_name = 'readings' ORDER BY partition_ordinal_position DESC LIMIT 2"),
        "p_future\np" + query("SELECT DATE_FORMAT(UTC_DATE() + INTERVAL 2 MONTH, '%Y%m')"));
    EXPECT_EQ(query("SELECT COUNT(*), SUM(value) FROM readings"), "4\t10\n");
    EXPECT_EQ(query("SELECT table_rows FROM information_schema.partitions WHERE table_schema = DATABASE() "
                    "AND table_name = 'readings' AND partition_name = 'p_future'"),
              "0\n");

    // One sensor-month: one partition.
    const std::string explained = query(
        "EXPLAIN PARTITIONS SELECT time, value FROM readings WHERE sensor_id = 1 AND "
        "time >= '2026-03-01' AND time < '2026-04-01'");
    EXPECT_NE(explained.find("\tp202603\t"), std::string::npos) << explained;

    // Again: nothing to add, nothing moved.
    const CommandResult again = migrate({"--months-ahead", "2"});
    ASSERT_EQ(again.status, 0) << again.output;
    EXPECT_EQ(again.output.find("partitioned"), std::string::npos) << again.output;
    EXPECT_EQ(query("SELECT COUNT(*) FROM readings PARTITION (p202603)"), "2\n");
}

TEST_F(MariaDbMigrate, RetentionDropsTheMonthsWhoseEveryReadingIsOlderAndKeepsTheRest) {
    TemporaryDirectory directory;
    ASSERT_EQ(migrate({"--migrations", migrationsBefore(directory, "mariadb", 4)}).status, 0);
    query(
        sensorWithReadingsAt({"UTC_TIMESTAMP(6) - INTERVAL 30 MONTH", "UTC_TIMESTAMP(6) - INTERVAL 25 MONTH",
                              "UTC_TIMESTAMP(6) - INTERVAL 23 MONTH", "UTC_TIMESTAMP(6)"}));
    ASSERT_EQ(migrate().status, 0);  // version 4: months from 30 months ago
    const CommandResult kept = migrate({"--retention", "24mo"});
    ASSERT_EQ(kept.status, 0) << kept.output;
    EXPECT_NE(kept.output.find("dropped the readings of p"), std::string::npos) << kept.output;
    EXPECT_EQ(query("SELECT GROUP_CONCAT(value ORDER BY value) FROM readings"), "3,4\n");
    // Whole partitions went: none is left for the months of the two older readings.
    EXPECT_EQ(query("SELECT COUNT(*) FROM information_schema.partitions WHERE table_schema = DATABASE() "
                    "AND table_name = 'readings' AND partition_name = CONCAT('p', "
                    "DATE_FORMAT(UTC_DATE() - INTERVAL 25 MONTH, '%Y%m'))"),
              "0\n");
    const CommandResult nothing = migrate({"--retention", "2y"});
    ASSERT_EQ(nothing.status, 0) << nothing.output;
    EXPECT_NE(nothing.output.find("no month of readings is older than 24 month(s)"), std::string::npos)
        << nothing.output;
}

TEST_F(MariaDbMigrate, RetentionAlsoDeletesOldReadingsStoredAfterTheirMonthWasGone) {
    // A fresh store's oldest partition is this month's, and it also takes older readings stored later
    // (an import): those go by row.
    ASSERT_EQ(migrate().status, 0);
    query(sensorWithReadingsAt({"UTC_TIMESTAMP(6) - INTERVAL 25 MONTH", "UTC_TIMESTAMP(6)"}));
    const CommandResult kept = migrate({"--retention", "24mo"});
    ASSERT_EQ(kept.status, 0) << kept.output;
    EXPECT_NE(kept.output.find("deleted 1 older reading(s) from the oldest month kept"), std::string::npos)
        << kept.output;
    EXPECT_EQ(query("SELECT GROUP_CONCAT(value) FROM readings"), "2\n");
}

TEST_F(MariaDbMigrate, RefusesARetentionOrMonthsAheadItCannotRead) {
    for (const std::vector<std::string>& arguments : {std::vector<std::string>{"--retention", "24"},
                                                      {"--retention", "0mo"},
                                                      {"--retention", "1w"},
                                                      {"--months-ahead", "-1"},
                                                      {"--months-ahead", "121"}}) {
        const CommandResult refused = migrate(arguments);
        EXPECT_EQ(refused.status, 64) << arguments[0] << " " << arguments[1];
        EXPECT_NE(refused.output.find(arguments[0]), std::string::npos) << refused.output;
    }
}

TEST_F(MariaDbMigrate, KeepsTheFirstOfTwoReadingsOfOneSensorAndTime) {
    ASSERT_EQ(migrate().status, 0);
    query(
        "INSERT INTO stations (system, city, street) VALUES ('hypo', 'city_01', 'street_01');"
        "INSERT INTO sensors (station_id, quantity, unit, driver) VALUES (1, 'temperature', 'Cel', "
        "'driver.air');"
        "INSERT INTO readings VALUES (1, '2026-11-25 12:00:00.123456', 1.5, 0)");

    EXPECT_THROW(query("INSERT INTO readings VALUES (1, '2026-11-25 12:00:00.123456', 2.5, 0)"),
                 std::runtime_error);
    query(
        "INSERT IGNORE INTO readings VALUES (1, '2026-11-25 12:00:00.123456', 3.5, 0),"
        "(1, '2026-11-25 12:00:00.123457', 4.5, 0)");
    EXPECT_EQ(query("SELECT time, value FROM readings ORDER BY time"),
              "2026-11-25 12:00:00.123456\t1.5\n"
              "2026-11-25 12:00:00.123457\t4.5\n");
}

TEST_F(MariaDbMigrate, StoresNamesVerbatim) {
    ASSERT_EQ(migrate().status, 0);
    // A server-side prepared statement, the values bound from hexadecimal literals: nothing is escaped.
    std::string sql =
        "PREPARE insertStation FROM "
        "'INSERT INTO stations (system, city, street) VALUES (?, ?, ?)';";
    for (const std::string& name : awkwardNames)
        sql += "SET @name = CONVERT(X'" + hex(name) +
               "' USING utf8mb4);"
               "EXECUTE insertStation USING @name, @name, @name;";
    query(sql);

    std::string expected;
    for (const std::string& name : awkwardNames)
        expected += hex(name) + "\t" + hex(name) + "\t" + hex(name) + "\n";
    EXPECT_EQ(query("SELECT HEX(system), HEX(city), HEX(street) FROM stations ORDER BY id"), expected);
    EXPECT_EQ(query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                    "AND table_name = 'readings'"),
              "1\n");
    // Binary collation: names differing in case or in ß/ss are different stations.
    query(
        u8"INSERT INTO stations (system, city, street) "
        u8"VALUES ('s', 'c', 'strasse'), ('s', 'c', 'Strasse'), ('s', 'c', 'straße')");
    EXPECT_EQ(query("SELECT COUNT(*) FROM stations WHERE system = 's'"), "3\n");
}

// SQLite through the sqlite3 command.
class SqliteMigrate : public ::testing::Test {
protected:
    CommandResult migrate(const std::vector<std::string>& extra = {}) const {
        std::vector<std::string> command = {migrateTool, "--sqlite", file};
        command.insert(command.end(), extra.begin(), extra.end());
        return runProgram(command);
    }

    /// Runs `sql` on the file; throws with sqlite3's message when it fails.
    std::string query(const std::string& sql) const {
        const CommandResult result = runProgram({"sqlite3", "-batch", "-bail", file, sql});
        if (result.status != 0)
            throw std::runtime_error("sqlite3 failed on " + sql + ":\n" + result.output);
        return result.output;
    }

    TemporaryDirectory directory;
    std::string file = directory.path() + "/citysense.db";
};

TEST_F(SqliteMigrate, CreatesTheSchemaAndASecondRunAppliesNothing) {
    const CommandResult first = migrate();
    ASSERT_EQ(first.status, 0) << first.output;
    EXPECT_NE(first.output.find("applying 001_initial.sql"), std::string::npos) << first.output;
    EXPECT_NE(first.output.find("applying 002_readings_time_index.sql"), std::string::npos) << first.output;
    EXPECT_EQ(query("SELECT version FROM schema_version ORDER BY version"), versions("sqlite"));
    EXPECT_EQ(query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
              "readings\nschema_version\nsensors\nstations\n");
    EXPECT_EQ(query("SELECT group_concat(name) FROM pragma_index_info('readings_time')"), "time,sensor_id\n");

    const CommandResult second = migrate();
    ASSERT_EQ(second.status, 0) << second.output;
    EXPECT_NE(second.output.find("is at version " + newest("sqlite") + "; nothing to apply"),
              std::string::npos)
        << second.output;
}

TEST_F(SqliteMigrate, UpgradesAnOlderSchemaAndLeavesNothingOfAFailedMigration) {
    const std::string migrations = migrationsWith001(directory, "sqlite");
    ASSERT_EQ(migrate({"--migrations", migrations}).status, 0);
    writeFile(migrations + "/002_broken.sql",
              "CREATE TABLE extra (x INTEGER) STRICT;\n"
              "INSERT INTO nowhere VALUES (1);\n"
              "INSERT INTO schema_version (version, applied_at) VALUES (2, 'now');\n");

    const CommandResult failed = migrate({"--migrations", migrations});
    EXPECT_EQ(failed.status, 1) << failed.output;
    EXPECT_NE(failed.output.find("002_broken.sql failed; nothing of it was applied"), std::string::npos)
        << failed.output;
    EXPECT_EQ(query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'"), "0\n");
    EXPECT_EQ(query("SELECT MAX(version) FROM schema_version"), "1\n");

    writeFile(migrations + "/002_broken.sql",
              "CREATE TABLE extra (x INTEGER) STRICT;\n"
              "INSERT INTO schema_version (version, applied_at) VALUES (2, 'now');\n");
    const CommandResult upgrade = migrate({"--migrations", migrations});
    ASSERT_EQ(upgrade.status, 0) << upgrade.output;
    EXPECT_EQ(upgrade.output.find("001_initial.sql"), std::string::npos) << upgrade.output;
    EXPECT_NE(upgrade.output.find("at version 2"), std::string::npos) << upgrade.output;
    EXPECT_EQ(query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'"), "1\n");
}

TEST_F(SqliteMigrate, Migration002IndexesTheReadingsOfAVersion1Store) {
    ASSERT_EQ(migrate({"--migrations", migrationsWith001(directory, "sqlite")}).status, 0);
    query(
        "INSERT INTO stations (system, city, street) VALUES ('hypo', 'c', 's');"
        "INSERT INTO sensors (station_id, quantity, unit, driver) VALUES (1, 'no2', 'ppb', 'driver.air');"
        "INSERT INTO readings VALUES (1, 1795608000123456, 1.5, 0)");

    const CommandResult upgrade = migrate();
    ASSERT_EQ(upgrade.status, 0) << upgrade.output;
    EXPECT_EQ(upgrade.output.find("001_initial.sql"), std::string::npos) << upgrade.output;
    EXPECT_NE(upgrade.output.find("applying 002_readings_time_index.sql"), std::string::npos)
        << upgrade.output;
    EXPECT_EQ(query("SELECT sensor_id, time, value FROM readings"), "1|1795608000123456|1.5\n");
    // The all-Observations page reads the index in its order: no sort.
    const std::string plan =
        query("EXPLAIN QUERY PLAN SELECT * FROM readings ORDER BY time, sensor_id LIMIT 10");
    EXPECT_NE(plan.find("INDEX readings_time"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

TEST_F(SqliteMigrate, RefusesANewerSchema) {
    ASSERT_EQ(migrate().status, 0);
    query("INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')");
    const CommandResult refused = migrate();
    EXPECT_EQ(refused.status, 1) << refused.output;
    EXPECT_NE(
        refused.output.find("at version 99, newer than the newest migration known here (" + newest("sqlite")),
        std::string::npos)
        << refused.output;
}

TEST_F(SqliteMigrate, RetentionDeletesTheReadingsOlderThanIt) {
    ASSERT_EQ(migrate().status, 0);
    const std::string now = "CAST(strftime('%s', 'now') AS INTEGER) * 1000000";
    query(sensorWithReadingsAt({"CAST(strftime('%s', 'now', '-25 months') AS INTEGER) * 1000000",
                                "CAST(strftime('%s', 'now', '-23 months') AS INTEGER) * 1000000", now}));
    const CommandResult kept = migrate({"--retention", "2y"});
    ASSERT_EQ(kept.status, 0) << kept.output;
    EXPECT_NE(kept.output.find("deleted 1 reading(s) older than 24 month(s)"), std::string::npos)
        << kept.output;
    EXPECT_EQ(query("SELECT group_concat(value) FROM (SELECT value FROM readings ORDER BY value)"),
              "2.0,3.0\n");
}

TEST_F(SqliteMigrate, KeepsTheFirstOfTwoReadingsOfOneSensorAndTime) {
    ASSERT_EQ(migrate().status, 0);
    query(
        "INSERT INTO stations (system, city, street) VALUES ('hypo', 'city_01', 'street_01');"
        "INSERT INTO sensors (station_id, quantity, unit, driver) VALUES (1, 'temperature', 'Cel', "
        "'driver.air');"
        "INSERT INTO readings VALUES (1, 1795608000123456, 1.5, 0)");

    EXPECT_THROW(query("INSERT INTO readings VALUES (1, 1795608000123456, 2.5, 0)"), std::runtime_error);
    // STRICT: a time that is not an integer number of microseconds is refused, not stored as text.
    EXPECT_THROW(query("INSERT INTO readings VALUES (1, '2026-11-25 12:00:00', 2.5, 0)"), std::runtime_error);
    query(
        "INSERT OR IGNORE INTO readings VALUES (1, 1795608000123456, 3.5, 0), (1, 1795608000123457, 4.5, 0)");
    EXPECT_EQ(query("SELECT time, value FROM readings ORDER BY time"),
              "1795608000123456|1.5\n"
              "1795608000123457|4.5\n");
}

TEST_F(SqliteMigrate, StoresNamesVerbatim) {
    ASSERT_EQ(migrate().status, 0);
    std::string sql;
    for (const std::string& name : awkwardNames) {
        const std::string value = "CAST(X'" + hex(name) + "' AS TEXT)";
        sql += "INSERT INTO stations (system, city, street) VALUES (" + value + ", " + value + ", " + value +
               ");";
    }
    query(sql);

    std::string expected;
    for (const std::string& name : awkwardNames)
        expected += hex(name) + "|" + hex(name) + "|" + hex(name) + "\n";
    EXPECT_EQ(query("SELECT HEX(system), HEX(city), HEX(street) FROM stations ORDER BY id"), expected);
    EXPECT_EQ(query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'readings'"), "1\n");
    query("INSERT INTO stations (system, city, street) VALUES ('s', 'c', 'strasse'), ('s', 'c', 'Strasse')");
    EXPECT_EQ(query("SELECT COUNT(*) FROM stations WHERE system = 's'"), "2\n");
}

}  // namespace
}  // namespace citysense
