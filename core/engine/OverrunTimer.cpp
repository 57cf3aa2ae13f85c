#include "OverrunTimer.h"

#include "SystemError.h"

#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <stdexcept>

namespace citysense {

namespace {

/// A timerfd on the clock of steadyMicros() (std::chrono::steady_clock is CLOCK_MONOTONIC on Linux).
int monotonicTimer() {
    const int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error("timerfd_create: " + systemError(errno));
    return fd;
}

}  // namespace

OverrunTimer::OverrunTimer(std::function<void()> onExpiry)
    : _onExpiry(std::move(onExpiry)), _fd(monotonicTimer()) {
    _thread = std::thread([this] { loop(); });
}

OverrunTimer::~OverrunTimer() {
    _ending = true;
    set(1);  // long past: the thread wakes at once and sees _ending
    _thread.join();
    ::close(_fd);
}

void OverrunTimer::arm(Micros at) {
    set(std::max<Micros>(at, 1));  // an it_value of zero would disarm
}

void OverrunTimer::disarm() {
    set(0);
}

void OverrunTimer::set(Micros at) {
    itimerspec setting{};
    setting.it_value.tv_sec = static_cast<time_t>(at / kMicrosPerSecond);
    setting.it_value.tv_nsec = static_cast<long>(at % kMicrosPerSecond * 1000);
    // Cannot fail with a valid descriptor and value; a failure here is a bug, not a condition to handle.
    if (::timerfd_settime(_fd, TFD_TIMER_ABSTIME, &setting, nullptr) != 0)
        throw std::logic_error("timerfd_settime: " + systemError(errno));
}

void OverrunTimer::loop() {
    for (;;) {
        std::uint64_t expirations = 0;
        if (::read(_fd, &expirations, sizeof expirations) < 0 && errno == EINTR)
            continue;
        if (_ending)
            return;
        _onExpiry();
    }
}

}  // namespace citysense
