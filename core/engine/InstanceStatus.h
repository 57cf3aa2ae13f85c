// Health of one running instance, as the host reports it.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace citysense {

/// Abandoned: stuck in a call into its plugin at a stop or reload, given up for good (CallWatch.h).
enum class InstanceState { Starting, Running, Failing, Stopped, Abandoned };

const char* stateName(InstanceState state);

struct InstanceStatus {
    std::string name;    ///< "driver.air"
    std::string plugin;  ///< "bme280"
    InstanceState state = InstanceState::Starting;
    std::string message;     ///< the last fault while failing; the call it is stuck in when abandoned
    std::uint64_t read = 0;  ///< drivers: samples read from the device
    /// drivers that emit durably: samples their journal holds; trimmed at each emit of what every sink
    /// settled, so it grows while a sink is down
    std::uint64_t journalPending = 0;
    std::uint64_t delivered = 0;  ///< sinks: samples written
    /// sinks: samples lost (queue or spool full, shutdown, refused without room in a dead-letter file)
    std::uint64_t dropped = 0;
    std::uint64_t failures = 0;      ///< failed reads or writes
    std::uint64_t queued = 0;        ///< sinks: samples waiting in memory
    std::uint64_t spooled = 0;       ///< sinks: samples written to the durable spool
    std::uint64_t spoolPending = 0;  ///< sinks: samples in the durable spool now
    std::uint64_t spoolDamaged = 0;  ///< sinks: samples lost to damage of the spool on the disk
    std::uint64_t deadLettered = 0;  ///< sinks: samples the sink can never write, in its dead-letter file
    /// What the plugin counted with countDropped(), and drivers what the host dropped at the driver
    /// boundary, by reason
    std::map<std::string, std::uint64_t> droppedByReason;
    /// What the plugin counted with countEvent(), by name (a sql sink's "failover")
    std::map<std::string, std::uint64_t> events;
};

}  // namespace citysense
