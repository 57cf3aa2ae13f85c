#include "CallWatch.h"

#include <algorithm>
#include <chrono>

namespace citysense {

namespace {

constexpr Micros kMaxWait = 3600 * kMicrosPerSecond;

}  // namespace

void CallWatch::enter(const char* what) {
    std::lock_guard<std::mutex> lock(_mutex);
    _inCall = what;
    _changed.notify_all();  // a stopping thread past its deadline abandons the runner now
}

void CallWatch::leave() {
    std::lock_guard<std::mutex> lock(_mutex);
    if (_abandoned)
        throw Abandoned{};
    _inCall = nullptr;
}

void CallWatch::finished() {
    std::lock_guard<std::mutex> lock(_mutex);
    _finished = true;
    _changed.notify_all();
}

bool CallWatch::waitUntil(Micros deadline) {
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;) {
        if (_finished)
            return true;
        const Micros now = nowMicros();
        if (now >= deadline) {
            if (_inCall) {
                _abandoned = true;
                return false;
            }
            // Host code between two calls ends soon: wait for the thread to finish or enter a call.
            _changed.wait(lock);
        } else {
            // At most an hour at a time: a deadline of "never" would overflow the clock's arithmetic.
            _changed.wait_for(lock, std::chrono::microseconds(std::min(deadline - now, kMaxWait)));
        }
    }
}

std::string CallWatch::abandonedIn() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _abandoned && _inCall ? _inCall : "";
}

}  // namespace citysense
