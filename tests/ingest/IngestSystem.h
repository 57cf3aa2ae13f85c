// The server side's test system: a broker with a gateway's and ingests' identities, the gateway's and
// ingests' configurations (citysensed with the simulated sequence driver and mqtt sink; citysensed with
// mqtt_source in the shared subscription `ingest` and the sql sink), and the check that every reading a
// witness saw is stored exactly once. The store (one MariaDB, a Galera cluster) is the subclass's.
#pragma once

#include "Broker.h"
#include "ServiceProcess.h"
#include "Subscriber.h"

#include <payload/Payload.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace citysense::test {

/// The broker and identities, the gateway's and ingests' configurations, and the checks; the store is the
/// subclass's.
class IngestSystem : public ::testing::Test {
protected:
    Broker _broker;
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
    /// `sinkKeys` are added to its sql sink's section, `driverKeys` to its mqtt_source's.
    std::string ingestConfig(int number, const BrokerCredentials& identity, const std::string& sinkKeys = "",
                             const std::string& driverKeys = "") const {
        const std::string n = std::to_string(number);
        return write("ingest-" + n + ".ini",
                     "[host]\nsystem = hypo_city\ncity = server\nstreet = ingest_" + n + "\nspool_dir = " +
                         _broker.directory() + "/spool-ingest-" + n + "\nhttp_listen = 127.0.0.1:0\n" +
                         "[driver.ingest]\nplugin = mqtt_source\n" + _broker.clientKeys(identity) +
                         "mqtt_version = 5\nshare_group = ingest\nqos = 1\ninterval = 500ms\n" + driverKeys +
                         "[sink.db]\nplugin = sql\nconnector = mysql\n" + storeKeys(number) +
                         "create_schema = true\nmax_backoff = 500ms\n" + sinkKeys +
                         "[pipeline.ingest]\ndrivers = ingest\nsinks = db\n");
    }

    /// The sql sink's keys that say where ingest `number` stores: connection, hosts, password_file.
    virtual std::string storeKeys(int number) const = 0;
    /// The rows of `sql` on the store, tab-separated (throws when the store does not answer).
    virtual std::string storeQuery(const std::string& sql) const = 0;

    /// The gateway: sequences of no2 and so2, one read every `interval` (2 ms: 1000 readings/s), QoS 1.
    std::string gatewayConfig(const std::string& interval = "2ms") const {
        return write("gateway.ini",
                     "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\nspool_dir = " +
                         _broker.directory() + "/spool-gateway\nhttp_listen = off\n" +
                         "[driver.seq]\nplugin = simulated\ninterval = " + interval +
                         "\nquantities = no2, so2\n"
                         "pattern = sequence\n[sink.broker]\nplugin = mqtt\n" +
                         _broker.clientKeys(_gateway) +
                         "qos = 1\nmax_backoff = 500ms\n[pipeline.main]\ndrivers = seq\nsinks = broker\n");
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
            return std::stol(storeQuery("SELECT count(*) FROM readings"));
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
        std::istringstream rows(storeQuery(
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

}  // namespace citysense::test
