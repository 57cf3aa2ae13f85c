// A one-shot timer for a call that should have ended by now: its own thread sleeps until the timer
// expires and then runs a callback. Arming and disarming it are system calls on a timerfd, not
// wake-ups of that thread, so a timer that is always disarmed in time costs no context switch: a
// watchdog over fast calls never wakes.
#pragma once

#include <citysense/Time.h>

#include <atomic>
#include <functional>
#include <thread>

namespace citysense {

class OverrunTimer {
public:
    /// Starts the thread that runs `onExpiry` each time the timer expires.
    explicit OverrunTimer(std::function<void()> onExpiry);
    /// Stops the thread, waiting for a callback in progress.
    ~OverrunTimer();
    OverrunTimer(const OverrunTimer&) = delete;
    OverrunTimer& operator=(const OverrunTimer&) = delete;

    /// Expires at `at` (a steadyMicros() time; at once if it has passed), replacing an earlier setting.
    void arm(Micros at);
    void disarm();

private:
    void set(Micros at);
    void loop();

    const std::function<void()> _onExpiry;
    const int _fd;
    std::atomic<bool> _ending{false};
    std::thread _thread;
};

}  // namespace citysense
