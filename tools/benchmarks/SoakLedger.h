// The city soak's plan and its ledger: when each gateway publishes each of its readings, and what became
// of every reading (published, acknowledged by the broker, seen in the database, stored how many times).
// The plan fixes every reading's timestamp, so a row read back from the database names its reading exactly.
#pragma once

#include <citysense/Time.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace citysense::bench {

/// The prototype's nine readings of a gateway, by topic leaf, and their quantities' names in the store.
struct SoakQuantity {
    const char* leaf;      ///< e.g. "temperature/celcius"
    const char* quantity;  ///< the sensors table's name, e.g. "temperature"
    double value;          ///< a plausible value, inside the range filter's bounds
};
const std::vector<SoakQuantity>& soakQuantities();

/// Gateway g publishes round r at start + r·interval + g·interval/gateways: the gateways' publish times
/// are spread evenly over the interval.
struct SoakPlan {
    std::size_t gateways = 0;
    Micros start = 0;
    Micros interval = 10 * kMicrosPerSecond;
    std::size_t rounds = 0;

    Micros time(std::size_t gateway, std::size_t round) const;
    std::size_t readings() const;
    /// The reading of `gateway`'s quantity `quantity` (index into soakQuantities()) in `round`.
    std::size_t reading(std::size_t gateway, std::size_t quantity, std::size_t round) const;
    std::size_t roundOf(std::size_t reading) const { return reading % rounds; }
    /// The reading a row names, or nothing when no reading of the plan has that gateway, quantity and time.
    std::optional<std::size_t> reading(std::size_t gateway, std::size_t quantity, Micros time) const;
};

/// "street_00042" is gateway 42; nothing for any other name.
std::optional<std::size_t> gatewayOfStreet(const std::string& street);
std::string streetOfGateway(std::size_t gateway);
/// The index into soakQuantities() of a quantity's name.
std::optional<std::size_t> quantityIndex(const std::string& quantity);

/// What became of every reading of a plan. Flags are set from any thread of any of the generator's
/// processes (they live in shared memory, SoakShared.h); stored counts only by the final scan.
class SoakLedger {
public:
    enum Flag : std::uint8_t { Published = 1, Acknowledged = 2, Refused = 4, Seen = 8 };

    explicit SoakLedger(const SoakPlan& plan);

    const SoakPlan& plan() const { return _plan; }
    /// Sets the plan's start, before the first reading is published.
    void startAt(Micros start) { _plan.start = start; }
    void mark(std::size_t reading, Flag flag);
    /// Sets `flag`; true when it was not set before.
    bool markFirst(std::size_t reading, Flag flag);
    bool has(std::size_t reading, Flag flag) const;
    void countStored(std::size_t reading);
    unsigned stored(std::size_t reading) const { return _stored[reading]; }

private:
    SoakPlan _plan;
    std::atomic<std::uint8_t>* _flags;
    std::vector<std::uint8_t> _stored;
};

}  // namespace citysense::bench
