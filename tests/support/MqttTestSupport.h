// Shared pieces of the MQTT tests: options that point the mqtt sink and the mqtt_source driver at
// the test broker, and a collecting emitter for running a source driver in a thread.
#pragma once

#include "Broker.h"

#include <citysense/Driver.h>
#include <citysense/StopToken.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace citysense::test {

/// Connection options for `credentials` at the broker's TLS port.
std::map<std::string, std::string> tlsOptions(const Broker& broker, const BrokerCredentials& credentials);

/// Runs an event-driven driver's run() on a thread until destroyed, keeping what it emits.
class RunningDriver : private Emitter {
public:
    explicit RunningDriver(Driver& driver);
    ~RunningDriver() override;

    SampleBatch samples() const;
    /// What the driver announced (Emitter::announce()), in order.
    std::vector<Announcement> announcements() const;
    /// The exception run() ended with, if it ended ("" while it runs).
    std::string failure() const;

private:
    void emit(SampleBatch& batch) override;
    void announce(const Announcement& announcement) override;

    Driver& _driver;
    StopToken _stop;
    mutable std::mutex _mutex;
    SampleBatch _samples;
    std::vector<Announcement> _announcements;
    std::string _failure;
    std::thread _thread;
};

}  // namespace citysense::test
