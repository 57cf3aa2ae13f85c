// The city soak's gateways: one paho.mqtt.cpp async client per gateway, each with its own identity (its
// user name is its client id, as the broker requires), connected over TLS at a given rate, then
// publishing its nine tsv readings at QoS 1 at the times the plan gives it. paho.mqtt.c runs every async
// client of a process on the same two threads, whose receive thread polls every socket of the process
// on each pass: its cost grows with the clients times the messages of a process, so the generator splits
// the city into slices, one SoakFleet in a process of its own each, counting into a shared FleetTally.
#pragma once

#include "SoakLedger.h"

#include <mqtt/async_client.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace citysense::bench {

struct FleetSettings {
    std::string uri;             ///< ssl://host:port
    std::string caFile;          ///< the CA of the broker's certificate
    std::string identitiesFile;  ///< "user password" per line, line i for gateway i
    std::string system = "hypo_city";
    std::string city = "city_01";
    double connectRate = 200;  ///< new connections a second while ramping up, all slices together
};

/// What every slice of the fleet counts, in shared memory (SoakShared.h).
struct FleetTally {
    static constexpr std::size_t kLagBuckets = 60000;  ///< publishing lag in whole milliseconds, up to 60 s

    std::atomic<std::size_t> connected{0};  ///< first connections the broker accepted
    std::atomic<std::size_t> refused{0};    ///< first connections that failed
    std::atomic<std::size_t> lost{0};       ///< connections lost later
    std::atomic<std::size_t> skipped{0};    ///< readings not published: their gateway was not connected
    std::atomic<std::size_t> published{0};
    std::atomic<std::size_t> answered{0};    ///< published readings acknowledged or refused
    std::atomic<std::size_t> publishing{0};  ///< slices not done publishing
    std::atomic<Micros> start{0};            ///< the plan's start, once every slice is connected
    std::atomic<bool> disconnect{false};     ///< the report is made: slices disconnect and end
    std::atomic<std::uint32_t> lagMs[kLagBuckets];

    /// A publish call `lag` after its reading's time.
    void countLag(Micros lag);
    /// The lag below which `p` per cent of the publish calls were made, in ms; the highest.
    double lagPercentile(double p) const;
    double lagMax() const;
};

class SoakFleet {
public:
    /// Gateways [first, end) of the plan.
    SoakFleet(const FleetSettings& settings, SoakLedger& ledger, FleetTally& tally, std::size_t first,
              std::size_t end, double connectRate);
    ~SoakFleet();
    SoakFleet(const SoakFleet&) = delete;
    SoakFleet& operator=(const SoakFleet&) = delete;

    /// Connects every gateway, `connectRate` a second, and waits for each connection's answer (at most
    /// `timeoutSeconds` after the last was asked for).
    void connect(double timeoutSeconds);
    /// Publishes every round of the plan at its times; returns after the last one was handed to paho.
    void publish();
    /// Waits until every reading this slice published was answered (PUBACK or failure), at most
    /// `timeoutSeconds`.
    void awaitAcknowledgements(double timeoutSeconds);
    void disconnect();

private:
    class ConnectListener : public ::mqtt::iaction_listener {
    public:
        explicit ConnectListener(SoakFleet& fleet) : _fleet(fleet) {}
        void on_success(const ::mqtt::token&) override;
        void on_failure(const ::mqtt::token& token) override;

    private:
        SoakFleet& _fleet;
    };
    class PublishListener : public ::mqtt::iaction_listener {
    public:
        explicit PublishListener(SoakFleet& fleet) : _fleet(fleet) {}
        void on_success(const ::mqtt::token& token) override;
        void on_failure(const ::mqtt::token& token) override;

    private:
        SoakFleet& _fleet;
    };
    void answered();

    FleetSettings _settings;
    SoakLedger& _ledger;
    FleetTally& _tally;
    std::size_t _first;
    double _connectRate;
    std::vector<std::string> _passwords;
    ConnectListener _connectListener{*this};
    PublishListener _publishListener{*this};
    std::atomic<std::size_t> _connectAnswers{0};
    std::atomic<std::size_t> _published{0};
    std::atomic<std::size_t> _answered{0};
    std::vector<std::unique_ptr<::mqtt::async_client>> _clients;  ///< gateway _first + i is _clients[i]
};

}  // namespace citysense::bench
