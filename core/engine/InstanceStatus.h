// Health of one running instance, as the host reports it.
#pragma once

#include <cstdint>
#include <string>

namespace citysense {

enum class InstanceState { Starting, Running, Failing, Stopped };

const char* stateName(InstanceState state);

struct InstanceStatus {
    std::string name;    ///< "driver.air"
    std::string plugin;  ///< "bme280"
    InstanceState state = InstanceState::Starting;
    std::string message;          ///< the last fault while failing
    std::uint64_t read = 0;       ///< drivers: samples read from the device
    std::uint64_t delivered = 0;  ///< sinks: samples written
    std::uint64_t dropped = 0;    ///< sinks: samples dropped because the queue was full or at shutdown
    std::uint64_t failures = 0;   ///< failed reads or writes
    std::uint64_t queued = 0;     ///< sinks: samples waiting
};

}  // namespace citysense
