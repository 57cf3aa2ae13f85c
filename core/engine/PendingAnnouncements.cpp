#include "PendingAnnouncements.h"

namespace citysense {

bool PendingAnnouncements::offer(const Announcement& announcement) {
    std::lock_guard<std::mutex> lock(_mutex);
    const auto found = _waiting.find(announcement.station);
    if (found != _waiting.end()) {
        found->second = announcement;
        return true;
    }
    if (_waiting.size() >= kMaxStations)
        return false;
    _waiting.emplace(announcement.station, announcement);
    return true;
}

bool PendingAnnouncements::empty() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _waiting.empty();
}

void PendingAnnouncements::handOver(const std::function<void(const Announcement&)>& deliver) {
    std::map<Station, Announcement> taken;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        taken.swap(_waiting);
    }
    for (auto next = taken.begin(); next != taken.end(); next = taken.erase(next)) {
        try {
            deliver(next->second);
        } catch (...) {
            // What came meanwhile is newer than what was taken; the rest waits again, as it was.
            std::lock_guard<std::mutex> lock(_mutex);
            for (auto& [station, announcement] : taken)
                _waiting.emplace(station, std::move(announcement));
            throw;
        }
    }
}

}  // namespace citysense
