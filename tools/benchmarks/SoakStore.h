// The city soak's view of the database: a poller that notes when each reading's row becomes visible to a
// reader (autocommit, READ COMMITTED), and the final scan that counts every row the ingests stored.
//
// The poller asks every --poll-ms for the rows from the oldest reading still awaited on,
//   SELECT sensor_id, time FROM readings WHERE time >= ?
// which the index readings_time (time, sensor_id) answers without touching the rows. A reading is awaited
// from its time until its row was seen, unless it was never published (its gateway was not connected,
// known a second after its time) or refused; so a poll reads little more than the rows in flight. A
// reading's latency is the start of the first poll that returns its row minus the reading's time: the
// row was committed before that poll started and after the previous one did, so the poll period is the
// resolution. No reading is awaited for longer than --lookback seconds (a lost one would make every poll
// longer); a row that becomes visible later is not timed (counted as such).
#pragma once

#include "MariaDbConnection.h"
#include "SoakLedger.h"

#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace citysense::bench {

/// A reading of a later round seen by the poller: its time and its latency (µs).
struct TimedLatency {
    Micros time;
    Micros latency;
};

/// The 1-minute load average a poll read, and when.
struct LoadSample {
    Micros at;
    double load;
};

struct StoreCounts {
    std::size_t rows = 0;        ///< every row in readings
    std::size_t unexpected = 0;  ///< rows that are no reading of the plan
};

class SoakStore {
public:
    SoakStore(const MariaDbAddress& address, SoakLedger& ledger, double pollMs, double lookbackSeconds);
    ~SoakStore();
    SoakStore(const SoakStore&) = delete;
    SoakStore& operator=(const SoakStore&) = delete;

    /// Starts polling in a thread of its own.
    void start();
    void stop();
    /// Readings seen so far.
    std::size_t seen() const { return _seen; }
    /// The latencies (microseconds) of the readings seen, sorted: of the first round (every station's
    /// first readings, for which the ingests register the station and its sensors) or of the later
    /// rounds. The poll periods, sorted.
    std::vector<Micros> latencies(bool firstRound);
    std::vector<Micros> pollPeriods();
    /// The later rounds' readings seen, each with its time, in the order seen; the load at each poll.
    std::vector<TimedLatency> timedLaterRounds();
    std::vector<LoadSample> loads();
    /// The rows in readings now.
    std::size_t rows();
    /// Counts every stored row into the ledger (after stop()).
    StoreCounts scan();
    /// The highest 1-minute load average the poller saw.
    double peakLoad() const { return _peakLoad; }
    /// Why the poller stopped early; empty while it runs or when it was stopped.
    std::string error();

private:
    void poll();
    /// The reading a row names, looking the sensor up (again) when it is new.
    std::optional<std::size_t> readingOf(MariaDbConnection& db, unsigned long sensor, Micros time);
    void refreshSensors(MariaDbConnection& db);
    /// The time of the oldest reading awaited on at `poll`, or `poll` when there is none.
    Micros oldestAwaited(Micros poll);
    /// Whether round `round` of `gateway` awaits nothing: every reading seen, refused, or (when
    /// `publishingDone`) never published.
    bool settled(std::size_t gateway, std::size_t round, bool publishingDone) const;

    MariaDbAddress _address;
    SoakLedger& _ledger;
    double _pollMs;
    double _lookbackSeconds;
    std::atomic<bool> _stopping{false};
    std::atomic<std::size_t> _seen{0};
    std::atomic<double> _peakLoad{0};
    std::map<unsigned long, std::pair<std::size_t, std::size_t>> _sensors;  ///< id → (gateway, quantity)
    std::size_t _cursor = 0;  ///< the oldest (round, gateway) awaited on, as round · gateways + gateway
    std::mutex _mutex;        ///< guards the four below
    std::vector<Micros> _firstRound;
    std::vector<TimedLatency> _laterRounds;
    std::vector<Micros> _periods;
    std::vector<LoadSample> _loads;
    std::string _error;
    std::thread _thread;
};

}  // namespace citysense::bench
