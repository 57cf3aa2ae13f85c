// The server side on a real three-node MariaDB Galera cluster: a gateway publishing 2,000 readings/s
// through Mosquitto to two ingest instances in one shared subscription, each writing through a different
// node. One node is killed (SIGKILL) while readings flow and started again: the ingest that wrote through
// it moves on to its next host, nothing is lost, nothing is stored twice, and the node, back in the
// cluster, holds every row.
#include "GaleraCluster.h"
#include "IngestSystem.h"

namespace citysense {
namespace {

using namespace test;

class GaleraIngest : public IngestSystem {
protected:
    GaleraCluster _cluster;

    /// Ingest 1 writes through node 0 (then 1, 2), ingest 2 through node 1 (then 2, 0).
    std::string storeKeys(int number) const override {
        std::string hosts;
        for (std::size_t i = 0; i < _cluster.size(); ++i) {
            const std::size_t node = (static_cast<std::size_t>(number) - 1 + i) % _cluster.size();
            hosts += (hosts.empty() ? "" : ", ") + std::string("127.0.0.1:") +
                     std::to_string(_cluster.node(node).port());
        }
        return "connection = db=citysense;user=" + _cluster.node(0).user() + "\nhosts = " + hosts +
               "\npassword_file = " + _cluster.node(0).passwordFile() + "\n";
    }
    std::string storeQuery(const std::string& sql) const override { return _cluster.node(0).query(sql); }
};

TEST_F(GaleraIngest, ANodeKilledWhileReadingsFlowLosesNothingAndStoresNothingTwice) {
    Subscriber witness(_broker, _witness, "hypo_city/+/+/air_pollution/+");
    const BrokerCredentials secondIdentity = _broker.addSubscriber("ingest_2", "hypo_city/#");
    // The schema first, as in production (two ingests making it at once through two nodes would
    // conflict, and one would move on to another node).
    const CommandResult migrated =
        runProgram({CITYSENSE_SOURCE_DIR "/tools/db-migrate", "--mariadb", "--socket",
                    _cluster.node(0).socket(), "--user", "root", "--database", "citysense"});
    ASSERT_EQ(migrated.status, 0) << migrated.output;
    ServiceProcess first({"-c", ingestConfig(1, _ingest)});
    ServiceProcess second({"-c", ingestConfig(2, secondIdentity)});
    ASSERT_TRUE(first.waitForLog("subscribed at")) << first.log();
    ASSERT_TRUE(second.waitForLog("subscribed at")) << second.log();
    ServiceProcess gateway({"-c", gatewayConfig("1ms")});
    ASSERT_TRUE(eventually([&] { return storedCount() > 2000; })) << second.log();

    _cluster.node(1).kill();  // the second ingest's node
    const long atKill = storedCount();
    ASSERT_TRUE(eventually([&] { return storedCount() > atKill + 4000; })) << second.log();
    _cluster.node(1).start();
    EXPECT_EQ(_cluster.clusterSize(1), 3);
    const long atReturn = storedCount();
    ASSERT_TRUE(eventually([&] { return storedCount() > atReturn + 2000; })) << second.log();

    stop(gateway);
    const long read = readCount(gateway);
    ASSERT_TRUE(witness.waitForCount(static_cast<std::size_t>(read)));
    expectStoredExactlyOnce(readingsOf(witness), read);
    // The second wrote through node 1 until it was killed, then through node 2.
    const std::string secondLog = second.log();
    const auto onNode = [&](std::size_t node) {
        return "writing to MariaDB (host=127.0.0.1;port=" + std::to_string(_cluster.node(node).port());
    };
    EXPECT_NE(secondLog.find(onNode(1)), std::string::npos) << secondLog;
    EXPECT_NE(secondLog.find(onNode(2)), std::string::npos) << secondLog;
    // The node that was away has every row too.
    for (std::size_t node = 1; node < _cluster.size(); ++node)
        EXPECT_EQ(_cluster.node(node).query("SELECT count(*) FROM readings"), std::to_string(read) + "\n")
            << "node " << node;
    stop(first);
    stop(second);
}

}  // namespace
}  // namespace citysense
