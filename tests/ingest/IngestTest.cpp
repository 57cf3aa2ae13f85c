// The server side end to end, all real: a gateway (citysensed, sequence driver, mqtt sink) publishes
// through Mosquitto to ingest hosts (citysensed, mqtt_source in the shared subscription `ingest`, sql
// sink) that store into MariaDB. Every reading is stored exactly once, with its microseconds, through
// a database outage, with two ingest instances sharing the load, with an ingest killed (SIGKILL)
// twice while readings flow, and with an ingest started on a backlog far larger than its sink's queue
// (or held back by a locked table before the broker answered its subscription);
// another identity asking for the ingest's client id gets neither its connection nor its session.
#include "IngestSystem.h"
#include "MariaDb.h"

#include <memory>
#include <thread>

namespace citysense {
namespace {

using namespace test;

/// The store: one MariaDB server.
class Ingest : public IngestSystem {
protected:
    MariaDb _database;

    std::string storeKeys(int) const override {
        return "connection = host=127.0.0.1;port=" + std::to_string(_database.port()) +
               ";db=citysense;user=" + _database.user() + "\npassword_file = " + _database.passwordFile() +
               "\n";
    }
    std::string storeQuery(const std::string& sql) const override { return _database.query(sql); }
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

TEST_F(Ingest, AnIngestStartedOnABacklogFarLargerThanItsSinksQueueStoresEveryReading) {
    // The broker queues for the stopped ingest's session; started again, the ingest receives the whole
    // backlog at once, far faster than its sink writes ten rows a round trip: its source must wait
    // rather than let the queue of twenty drop acknowledged readings.
    const std::string config = ingestConfig(1, _ingest, "queue_size = 20\nbatch_size = 10\n");
    auto ingest = std::make_unique<ServiceProcess>(std::vector<std::string>{"-c", config});
    ASSERT_TRUE(ingest->waitForLog("subscribed at")) << ingest->log();
    stop(*ingest);
    publishReadings(3000);
    ingest = std::make_unique<ServiceProcess>(std::vector<std::string>{"-c", config});
    ASSERT_TRUE(eventually([&] { return storedCount() >= 3000; })) << storedCount() << " of 3000 stored\n"
                                                                   << ingest->log();
    stop(*ingest);
    EXPECT_EQ(storeQuery("SELECT count(*), min(value), max(value) FROM readings"), "3000\t1\t3000\n");
    EXPECT_NE(ingest->log().find("sink.db (sql): stopped, delivered 3000, dropped 0,"), std::string::npos)
        << ingest->log();
}

TEST_F(Ingest, AnIngestHeldBackOnABacklogWaitsForItsSubscriptionsAnswerInsteadOfConnectingAgain) {
    // Resumed on a backlog, the ingest's session receives the queued messages before the broker's answer
    // to its subscription, and while its sink cannot write the host holds the message callback, paho's
    // receiving thread: the answer is read only after longer than connect_timeout. That is a broker at
    // work, not one that does not answer: giving up would drop the connection and start over, again
    // and again on a large backlog.
    const std::string config =
        ingestConfig(1, _ingest, "queue_size = 20\nbatch_size = 10\n", "connect_timeout = 1s\n");
    auto ingest = std::make_unique<ServiceProcess>(std::vector<std::string>{"-c", config});
    ASSERT_TRUE(ingest->waitForLog("subscribed at")) << ingest->log();
    publishReadings(1);  // the sink makes the schema with its first write; the backlog sends it again
    ASSERT_TRUE(eventually([&] { return storedCount() == 1; })) << ingest->log();
    stop(*ingest);
    publishReadings(500);
    // The readings table locked for 3 s in one client session: the sink's inserts wait.
    std::thread locker(
        [&] { _database.query("LOCK TABLES readings WRITE; SELECT SLEEP(3); UNLOCK TABLES;"); });
    ASSERT_TRUE(eventually([&] {
        return !storeQuery("SHOW OPEN TABLES FROM citysense WHERE `Table` = 'readings' AND In_use > 0")
                    .empty();
    }));
    ingest = std::make_unique<ServiceProcess>(std::vector<std::string>{"-c", config});
    const bool stored = eventually([&] { return storedCount() >= 500; });
    locker.join();
    ASSERT_TRUE(stored) << storedCount() << " of 500 stored\n" << ingest->log();
    stop(*ingest);
    EXPECT_EQ(storedCount(), 500);
    EXPECT_EQ(occurrences(ingest->log(), "subscribed at"), 1) << ingest->log();
    EXPECT_EQ(ingest->log().find("cannot subscribe"), std::string::npos) << ingest->log();
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
