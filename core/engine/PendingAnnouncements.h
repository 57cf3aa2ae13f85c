// The announcements (Announcement.h) waiting for one sink's thread: offered from any thread (the
// engine at start, a driver's emitter), handed over by the sink's thread before its next write. The
// newest announcement of a station replaces one still waiting. At most kMaxStations stations wait;
// an announcement of one more is refused (the sink runner counts it as dropped).
#pragma once

#include <citysense/Announcement.h>

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>

namespace citysense {

class PendingAnnouncements {
public:
    static constexpr std::size_t kMaxStations = 100000;

    /// False when kMaxStations other stations wait already: then the announcement is not kept.
    bool offer(const Announcement& announcement);

    bool empty() const;

    /// Hands every waiting announcement to `deliver`, in station order, without holding the lock.
    /// One that `deliver` throws for waits again (unless a newer one of its station came meanwhile),
    /// with those not handed over yet; the exception is then rethrown.
    void handOver(const std::function<void(const Announcement&)>& deliver);

private:
    mutable std::mutex _mutex;
    std::map<Station, Announcement> _waiting;
};

}  // namespace citysense
