// A serial port over termios, in raw mode, with read timeouts. Tests drive it through a
// pseudo-terminal (citysense/testing/PseudoTerminal.h): the same code, a different device path.
#pragma once

#include <citysense/Time.h>
#include <citysense/bus/BusError.h>

#include <optional>
#include <string>
#include <vector>

namespace citysense {

/// The baud rates SerialPort supports, as words for Option::choice(): "1200" ... "230400".
const std::vector<std::string>& supportedBaudRates();

struct SerialSettings {
    int baud = 9600;    ///< one of supportedBaudRates()
    int dataBits = 8;   ///< 5 .. 8
    char parity = 'N';  ///< 'N', 'E' or 'O'
    int stopBits = 1;   ///< 1 or 2
};

class SerialPort {
public:
    /// Opens `path` and puts it in raw mode with `settings`; throws BusError naming the path.
    SerialPort(const std::string& path, const SerialSettings& settings);
    ~SerialPort();
    SerialPort(const SerialPort&) = delete;
    SerialPort& operator=(const SerialPort&) = delete;

    void write(const std::string& bytes);

    /// Whatever arrives within `timeout`, at most `maxBytes` (buffered bytes first); empty if nothing.
    std::string read(std::size_t maxBytes, Micros timeout);

    /// Everything up to and including the next `terminator`, waiting at most `timeout`; nothing on
    /// timeout (what arrived stays buffered for the next call). A run of more than `maxLine` bytes
    /// without a terminator is discarded and reported as a BusError.
    std::optional<std::string> readUntil(char terminator, Micros timeout, std::size_t maxLine = 4096);

    /// Drops everything buffered or waiting in the driver.
    void discardInput();

    const std::string& path() const { return _path; }

private:
    /// Waits up to `timeout` for bytes and appends them to the buffer; false on timeout.
    bool fill(Micros timeout);

    std::string _path;
    int _fd = -1;
    std::string _buffer;
};

}  // namespace citysense
