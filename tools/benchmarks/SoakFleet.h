// The city soak's gateways: one paho.mqtt.cpp async client per gateway, each with its own identity (its
// user name is its client id, as the broker requires), connected over TLS at a given rate, then
// publishing its nine tsv readings at QoS 1 at the times the plan gives it. paho.mqtt.c runs every
// async client of a process on the same two threads, so thousands of gateways fit in one process.
#pragma once

#include "SoakLedger.h"

#include <mqtt/async_client.h>

#include <atomic>
#include <cstddef>
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
    double connectRate = 200;  ///< new connections a second while ramping up
};

struct FleetCounts {
    std::size_t connected = 0;    ///< connections the broker accepted (the first ones)
    std::size_t refused = 0;      ///< first connections that failed
    std::size_t lost = 0;         ///< connections lost later
    std::size_t skipped = 0;      ///< readings not published: their gateway was not connected
    double rampSeconds = 0;       ///< from the first connect to the last answer
    Micros schedulingLagP99 = 0;  ///< publish call after the reading's time, 99th percentile
    Micros schedulingLagMax = 0;
};

class SoakFleet {
public:
    SoakFleet(const FleetSettings& settings, SoakLedger& ledger);
    ~SoakFleet();
    SoakFleet(const SoakFleet&) = delete;
    SoakFleet& operator=(const SoakFleet&) = delete;

    /// Connects every gateway, `connectRate` a second, and waits for each connection's answer (at most
    /// `timeoutSeconds` after the last was asked for).
    void connect(double timeoutSeconds);
    /// Publishes every round of the plan at its times; returns after the last one was handed to paho.
    void publish();
    /// Waits until every published reading was answered (PUBACK or failure), at most `timeoutSeconds`.
    void awaitAcknowledgements(double timeoutSeconds);
    void disconnect();
    FleetCounts counts() const;

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

    FleetSettings _settings;
    SoakLedger& _ledger;
    std::vector<std::string> _passwords;
    ConnectListener _connectListener{*this};
    PublishListener _publishListener{*this};
    std::atomic<std::size_t> _connected{0};
    std::atomic<std::size_t> _refused{0};
    std::atomic<std::size_t> _lost{0};
    std::atomic<std::size_t> _published{0};
    std::atomic<std::size_t> _answered{0};
    std::size_t _skipped = 0;
    double _rampSeconds = 0;
    std::vector<Micros> _lags;
    std::vector<std::unique_ptr<::mqtt::async_client>> _clients;
};

}  // namespace citysense::bench
