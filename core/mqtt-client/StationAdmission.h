// Which stations an ingest takes readings of: every station it has seen, and new ones within limits,
// so that an identity the broker lets publish under many streets cannot make the ingest register
// stations (and keep them in memory, and in the database) without bound. New stations are admitted
// from a token bucket (a burst, then a steady rate per minute) up to a total.
#pragma once

#include <citysense/Sample.h>

#include <cstddef>
#include <set>
#include <string>

namespace citysense::mqtt {

struct StationLimits {
    std::size_t total = 20000;     ///< stations admitted in all; 0: no limit
    std::size_t perMinute = 1000;  ///< new stations a minute once the burst is spent; 0: no limit
    std::size_t burst = 5000;      ///< new stations admitted at once (a restart sees every station anew)
};

class StationAdmission {
public:
    explicit StationAdmission(StationLimits limits);

    /// Empty when readings of `station` are taken (it is known, or new and within the limits: then it
    /// is known from now on); otherwise why not. A station admitted is admitted for good, so a caller
    /// may remember a yes (Decoder does); a refusal may turn into a yes as the minutes pass.
    std::string admit(const Station& station, Micros now);

    std::size_t known() const { return _known.size(); }

private:
    bool takeToken(Micros now);

    const StationLimits _limits;
    std::set<Station> _known;
    double _tokens;
    Micros _refilled = 0;
};

}  // namespace citysense::mqtt
