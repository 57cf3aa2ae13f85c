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
    std::uint64_t dropped =
        0;  ///< sinks: samples lost (queue or spool full, shutdown, refused without a dead-letter file)
    std::uint64_t failures = 0;      ///< failed reads or writes
    std::uint64_t queued = 0;        ///< sinks: samples waiting in memory
    std::uint64_t spooled = 0;       ///< sinks: samples written to the durable spool
    std::uint64_t spoolPending = 0;  ///< sinks: samples in the durable spool now
    std::uint64_t spoolDamaged = 0;  ///< sinks: samples lost to damage of the spool on the disk
    std::uint64_t deadLettered =
        0;  ///< sinks: samples the sink can never write, kept in its dead-letter file
};

}  // namespace citysense
