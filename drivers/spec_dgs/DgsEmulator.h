// An emulated SPEC Sensors DGS module for tests, played on the device side of a pseudo-terminal: a
// thread answers every "\r" the driver sends with the next scripted reply, or stays silent when there is
// none. Not part of the plugin.
#pragma once

#include <citysense/testing/PseudoTerminal.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace citysense::spec_dgs {

class DgsEmulator {
public:
    /// The module's answer to "\r" (HARDWARE.md's example line): serial 012345678901, 123 ppb, 25 °C,
    /// 45 %RH, powered for 0 d 01:02:03.
    static constexpr const char* kExampleLine =
        "012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03\r\n";

    DgsEmulator();
    ~DgsEmulator();

    DgsEmulator(const DgsEmulator&) = delete;
    DgsEmulator& operator=(const DgsEmulator&) = delete;

    /// The device the driver opens.
    const std::string& devicePath() const { return _pty.devicePath(); }

    /// Queues the bytes sent for the next request; std::nullopt: the next request gets no answer.
    void answer(std::optional<std::string> reply);

    /// What the driver sent, one entry per request ("\r" each, if it behaves).
    std::vector<std::string> requests() const;

private:
    void serve();

    testing::PseudoTerminal _pty;
    mutable std::mutex _mutex;
    std::deque<std::optional<std::string>> _replies;
    std::vector<std::string> _requests;
    std::atomic<bool> _stop{false};
    std::thread _thread;
};

}  // namespace citysense::spec_dgs
