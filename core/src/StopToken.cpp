#include <citysense/StopToken.h>

#include <chrono>

namespace citysense {

void StopToken::requestStop() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stop = true;
    }
    _changed.notify_all();
}

bool StopToken::stopRequested() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _stop;
}

bool StopToken::waitFor(Micros duration) const {
    std::unique_lock<std::mutex> lock(_mutex);
    return _changed.wait_for(lock, std::chrono::microseconds(duration), [this] { return _stop; });
}

}  // namespace citysense
