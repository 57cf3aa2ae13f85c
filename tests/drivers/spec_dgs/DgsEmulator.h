// A SPEC Sensors DGS module played on the device side of a pseudo-terminal, for driver tests: a thread
// answers every "\r" the driver sends with the next scripted reply, or stays silent when there is none.
#pragma once

#include <citysense/testing/PseudoTerminal.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace citysense::test {

class DgsEmulator {
public:
    /// The module's answer to "\r" (HARDWARE.md's example line): serial 012345678901, 123 ppb, 25 °C,
    /// 45 %RH, powered for 0 d 01:02:03.
    static constexpr const char* kExampleLine =
        "012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03\r\n";

    DgsEmulator() : _thread([this] { serve(); }) {}

    ~DgsEmulator() {
        _stop = true;
        _thread.join();
    }

    DgsEmulator(const DgsEmulator&) = delete;
    DgsEmulator& operator=(const DgsEmulator&) = delete;

    /// The device the driver opens.
    const std::string& devicePath() const { return _pty.devicePath(); }

    /// Queues the bytes sent for the next request; std::nullopt: the next request gets no answer.
    void answer(std::optional<std::string> reply) {
        std::lock_guard<std::mutex> lock(_mutex);
        _replies.push_back(std::move(reply));
    }

    /// What the driver sent, one entry per request ("\r" each, if it behaves).
    std::vector<std::string> requests() const {
        std::lock_guard<std::mutex> lock(_mutex);
        return _requests;
    }

private:
    void serve() {
        constexpr Micros kSlice = 20 * 1000;
        while (!_stop) {
            const auto request = _pty.receiveUntil('\r', kSlice);
            if (!request)
                continue;
            std::optional<std::string> reply;
            {
                std::lock_guard<std::mutex> lock(_mutex);
                _requests.push_back(*request);
                if (!_replies.empty()) {
                    reply = std::move(_replies.front());
                    _replies.pop_front();
                }
            }
            if (reply)
                _pty.send(*reply);
        }
    }

    testing::PseudoTerminal _pty;
    mutable std::mutex _mutex;
    std::deque<std::optional<std::string>> _replies;
    std::vector<std::string> _requests;
    std::atomic<bool> _stop{false};
    std::thread _thread;
};

}  // namespace citysense::test
