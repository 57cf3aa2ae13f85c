// The server side end to end, all real: a gateway (citysensed, sequence driver, mqtt sink) publishes
// through Mosquitto to ingest hosts (citysensed, mqtt_source in the shared subscription `ingest`, sql
// sink) that store into MariaDB. Every reading is stored exactly once, with its microseconds, through
// a database outage, with two ingest instances sharing the load, and with an ingest killed (SIGKILL)
// twice while readings flow; another identity asking for the ingest's client id gets neither its
// connection nor its session.
#include "Broker.h"
#include "MariaDb.h"
#include "ServiceProcess.h"
#include "Subscriber.h"

#include <payload/Payload.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

namespace citysense {
namespace {

using namespace test;

class Ingest : public ::testing::Test {
protected:
    Broker _broker;
    MariaDb _database;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    // One identity per connection: the broker gives each its user name as client id.
    BrokerCredentials _ingest = _broker.addSubscriber("ingest_1", "hypo_city/#");
    BrokerCredentials _witness = _broker.addSubscriber("witness", "hypo_city/#");

    std::string write(const std::string& name, const std::string& text) const {
        const std::string path = _broker.directory() + "/" + name;
        std::ofstream(path) << text;
        return path;
    }

    /// An ingest host logging in as `identity`; `number` tells instances apart (street, spool);
    /// `sinkKeys` are added to its sql sink's section.
    std::string ingestConfig(int number, const BrokerCredentials& identity,
                             const std::string& sinkKeys = "") const {
        const std::string n = std::to_string(number);
        return write("ingest-" + n + ".ini",
                     "[host]\nsystem = hypo_city\ncity = server\nstreet = ingest_" + n + "\nspool_dir = " +
                         _broker.directory() + "/spool-ingest-" + n + "\nhttp_listen = 127.0.0.1:0\n" +
                         "[driver.ingest]\nplugin = mqtt_source\nuri = " + _broker.tlsUri() +
                         "\nusername = " + identity.username + "\npassword_file = " + identity.passwordFile +
                         "\nca_file = " + _broker.caFile() +
                         "\nmqtt_version = 5\nshare_group = ingest\nqos = 1\ninterval = 500ms\n" +
                         "[sink.db]\nplugin = sql\nconnector = mysql\nconnection = host=127.0.0.1;port=" +
                         std::to_string(_database.port()) + ";db=citysense;user=" + _database.user() +
                         "\npassword_file = " + _database.passwordFile() +
                         "\ncreate_schema = true\nmax_backoff = 500ms\n" + sinkKeys +
                         "[pipeline.ingest]\ndrivers = ingest\nsinks = db\n");
    }

    /// The gateway: sequences of no2 and so2, one read every 2 ms (1000 readings/s), QoS 1.
    std::string gatewayConfig() const {
        return write("gateway.ini",
                     "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\nspool_dir = " +
                         _broker.directory() + "/spool-gateway\nhttp_listen = off\n" +
                         "[driver.seq]\nplugin = simulated\ninterval = 2ms\nquantities = no2, so2\n"
                         "pattern = sequence\n[sink.broker]\nplugin = mqtt\nuri = " +
                         _broker.tlsUri() + "\nusername = " + _gateway.username +
                         "\npassword_file = " + _gateway.passwordFile + "\nca_file = " + _broker.caFile() +
                         "\nqos = 1\nmax_backoff = 500ms\n[pipeline.main]\ndrivers = seq\nsinks = broker\n");
    }

    static long readCount(const ServiceProcess& gateway) {
        const std::string log = gateway.log();
        const std::string announcement = "driver.seq (simulated): stopped, read ";
        const auto at = log.find(announcement);
        return at == std::string::npos ? -1 : std::stol(log.substr(at + announcement.size()));
    }

    static void stop(ServiceProcess& process) {
        process.signal(SIGTERM);
        EXPECT_EQ(process.wait(), 0) << process.log();
    }

    long storedCount() const {
        try {
            return std::stol(_database.query("SELECT count(*) FROM readings"));
        } catch (const std::exception&) {
            return -1;  // the schema is not there yet
        }
    }

    /// Every reading the subscriber saw (quantity, value, time in µs) must be a row, and the rows
    /// must be exactly one per reading.
    void expectStoredExactlyOnce(const std::vector<ReceivedMessage>& published, long read) {
        ASSERT_TRUE(eventually([&] { return storedCount() >= read; }))
            << storedCount() << " of " << read << " stored";
        EXPECT_EQ(storedCount(), read);
        std::istringstream rows(_database.query(
            "SELECT se.quantity, r.value, r.time FROM readings r JOIN sensors se ON se.id = r.sensor_id"));
        std::set<std::string> stored;
        for (std::string row; std::getline(rows, row);)
            stored.insert(row);
        EXPECT_EQ(stored.size(), static_cast<std::size_t>(read));
        std::size_t checked = 0;
        for (const ReceivedMessage& message : published) {
            const DecodedReading reading =
                decodePayload(message.topic, message.payload, PayloadFormat::Tsv)[0];
            const std::string quantity = message.topic.find("no2") != std::string::npos ? "no2" : "so2";
            const std::string row = quantity + "\t" + std::to_string(std::lround(reading.value)) + "\t" +
                                    formatSeedTime(reading.time);
            EXPECT_EQ(stored.count(row), 1u) << row;
            ++checked;
        }
        EXPECT_GT(checked, 1000u);
    }

    /// Publishes `count` no2 readings of street_01 (values 1 to `count`, a microsecond apart) as its
    /// gateway, at QoS 1, each acknowledged.
    void publishReadings(int count) const {
        ::mqtt::async_client client(_broker.tlsUri(), _gateway.username);
        ::mqtt::ssl_options ssl;
        ssl.set_trust_store(_broker.caFile());
        client
            .connect(::mqtt::connect_options_builder()
                         .user_name(_gateway.username)
                         .password(_gateway.password)
                         .ssl(ssl)
                         .finalize())
            ->wait();
        const Micros start = 1764000000000000;
        for (int i = 1; i <= count; ++i)
            client
                .publish("hypo_city/city_01/street_01/air_pollution/no2_level",
                         formatSeedTime(start + i) + "\t" + std::to_string(i), 1, false)
                ->wait();
        client.disconnect()->wait();
    }

    static int occurrences(const std::string& text, const std::string& part) {
        int count = 0;
        for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size()))
            ++count;
        return count;
    }

    std::vector<ReceivedMessage> readingsOf(const Subscriber& subscriber) const {
        std::vector<ReceivedMessage> result;
        for (const ReceivedMessage& message : subscriber.messages())
            if (message.topic.find("/air_pollution/") != std::string::npos)
                result.push_back(message);
        return result;
    }
};

TEST_F(Ingest, EveryReadingOfASequenceRunIsStoredExactlyOnceToTheMicrosecond) {
    Subscriber witness(_broker, _witness, "hypo_city/+/+/air_pollution/+");
    ServiceProcess ingest({"-c", ingestConfig(1, _ingest)});
    ASSERT_TRUE(ingest.waitForLog("subscribed at")) << ingest.log();
    ServiceProcess gateway({"-c", gatewayConfig()});
    ASSERT_TRUE(witness.waitForCount(2000)) << gateway.log();
    stop(gateway);
    const long read = readCount(gateway);
    ASSERT_TRUE(witness.waitForCount(static_cast<std::size_t>(read)));
    expectStoredExactlyOnce(readingsOf(witness), read);
    stop(ingest);
}

TEST_F(Ingest, FiveSecondsWithoutTheDatabaseLoseNothingAndStoreNothingTwice) {
    Subscriber witness(_broker, _witness, "hypo_city/+/+/air_pollution/+");
    ServiceProcess ingest({"-c", ingestConfig(1, _ingest)});
    ASSERT_TRUE(ingest.waitForLog("subscribed at")) << ingest.log();
    ServiceProcess gateway({"-c", gatewayConfig()});
    ASSERT_TRUE(eventually([&] { return storedCount() > 500; })) << ingest.log();
    _database.stop();
    std::this_thread::sleep_for(std::chrono::seconds(5));
    _database.start();
    ASSERT_TRUE(witness.waitForCount(witness.count() + 1000));
    stop(gateway);
    const long read = readCount(gateway);
    ASSERT_TRUE(witness.waitForCount(static_cast<std::size_t>(read)));
    expectStoredExactlyOnce(readingsOf(witness), read);
    EXPECT_NE(ingest.log().find("write failed"), std::string::npos) << "the outage was not noticed";
    stop(ingest);
}

TEST_F(Ingest, TwoInstancesInOneShareGroupStoreEveryReadingOnce) {
    Subscriber witness(_broker, _witness, "hypo_city/+/+/air_pollution/+");
    const BrokerCredentials secondIdentity = _broker.addSubscriber("ingest_2", "hypo_city/#");
    ServiceProcess first({"-c", ingestConfig(1, _ingest)});
    ServiceProcess second({"-c", ingestConfig(2, secondIdentity)});
    ASSERT_TRUE(first.waitForLog("subscribed at")) << first.log();
    ASSERT_TRUE(second.waitForLog("subscribed at")) << second.log();
    ServiceProcess gateway({"-c", gatewayConfig()});
    ASSERT_TRUE(witness.waitForCount(3000)) << gateway.log();
    stop(gateway);
    const long read = readCount(gateway);
    ASSERT_TRUE(witness.waitForCount(static_cast<std::size_t>(read)));
    expectStoredExactlyOnce(readingsOf(witness), read);
    stop(first);
    stop(second);
    // Both took part: each logs what its sink delivered when it stops.
    for (const ServiceProcess* instance : {&first, &second}) {
        const std::string log = instance->log();
        const std::string announcement = "sink.db (sql): stopped, delivered ";
        const auto at = log.find(announcement);
        ASSERT_NE(at, std::string::npos) << log;
        EXPECT_GT(std::stol(log.substr(at + announcement.size())), 0) << log;
    }
}

TEST_F(Ingest, AnIngestKilledTwiceWhileReadingsFlowLosesNothing) {
    // Batches gathered for 200 ms keep a few hundred acknowledged readings in the ingest's memory at
    // any moment: the kills find some there.
    const std::string config = ingestConfig(1, _ingest, "batch_interval = 200ms\n");
    Subscriber witness(_broker, _witness, "hypo_city/+/+/air_pollution/+");
    auto ingest = std::make_unique<ServiceProcess>(std::vector<std::string>{"-c", config});
    ASSERT_TRUE(ingest->waitForLog("subscribed at")) << ingest->log();
    ServiceProcess gateway({"-c", gatewayConfig()});
    for (int kill = 0; kill < 2; ++kill) {
        const long before = std::max(storedCount(), 0L);
        ASSERT_TRUE(eventually([&] { return storedCount() > before + 1000; })) << ingest->log();
        ingest->signal(SIGKILL);
        EXPECT_EQ(ingest->wait(), 128 + SIGKILL);
        ingest = std::make_unique<ServiceProcess>(std::vector<std::string>{"-c", config});
        ASSERT_TRUE(ingest->waitForLog("subscribed at")) << ingest->log();
    }
    ASSERT_TRUE(witness.waitForCount(witness.count() + 1000));
    stop(gateway);
    const long read = readCount(gateway);
    ASSERT_TRUE(witness.waitForCount(static_cast<std::size_t>(read)));
    expectStoredExactlyOnce(readingsOf(witness), read);
    // Each sequence runs without a gap: as many rows as from its first value to its last.
    std::istringstream spans(
        _database.query("SELECT count(*), max(r.value) - min(r.value) + 1 FROM readings r "
                        "JOIN sensors se ON se.id = r.sensor_id GROUP BY se.quantity"));
    for (std::string span; std::getline(spans, span);) {
        std::istringstream columns(span);
        double rows = 0, values = 0;
        columns >> rows >> values;
        EXPECT_EQ(rows, values) << span;
    }
    stop(*ingest);
}

TEST_F(Ingest, AnotherIdentityAskingForTheIngestsClientIdNeitherPutsItOutNorLosesAReading) {
    ServiceProcess ingest({"-c", ingestConfig(1, _ingest)});
    ASSERT_TRUE(ingest.waitForLog("subscribed at")) << ingest.log();
    // Another gateway's login with the ingest's client id, in a persistent session that comes back
    // whenever it is put out. Where the broker lets it, it takes over the ingest's session, and what is
    // queued there goes to a login that may not read it: lost.
    const BrokerCredentials intruder = _broker.addGateway("hypo_city", "city_01", "street_02");
    Subscriber intruding(_broker, intruder, "hypo_city/#", Subscriber::Session::Persistent, _ingest.username);
    publishReadings(200);
    ASSERT_TRUE(eventually([&] { return storedCount() >= 200; })) << storedCount() << " of 200 stored\n"
                                                                  << ingest.log();
    EXPECT_EQ(storedCount(), 200);
    EXPECT_EQ(occurrences(ingest.log(), "subscribed at"), 1) << "the ingest was put out:\n" << ingest.log();
    stop(ingest);
}

}  // namespace
}  // namespace citysense
