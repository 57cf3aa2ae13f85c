// A pseudo-terminal pair for testing serial drivers end to end: the driver opens devicePath() as a
// real tty (termios and all), the test plays the device on the other side.
#pragma once

#include <citysense/Time.h>

#include <optional>
#include <string>

namespace citysense::testing {

class PseudoTerminal {
public:
    PseudoTerminal();  ///< throws std::runtime_error if no pty can be had
    ~PseudoTerminal();
    PseudoTerminal(const PseudoTerminal&) = delete;
    PseudoTerminal& operator=(const PseudoTerminal&) = delete;

    /// The path the driver opens, e.g. /dev/pts/3.
    const std::string& devicePath() const { return _path; }

    /// Sends bytes to the driver, as the device would.
    void send(const std::string& bytes);

    /// What the driver wrote, waiting at most `timeout` for the first byte; empty if nothing.
    std::string receive(Micros timeout);

    /// What the driver wrote up to and including `terminator`, waiting at most `timeout`.
    std::optional<std::string> receiveUntil(char terminator, Micros timeout);

private:
    int _device = -1;    // the device's side (pty master)
    int _keepOpen = -1;  // the driver's side held open here, so the pair survives driver reopens
    std::string _path;
    std::string _buffer;
};

}  // namespace citysense::testing
