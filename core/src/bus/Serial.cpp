#include <citysense/bus/Serial.h>

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>

namespace citysense {

namespace {

const std::pair<int, speed_t> kSpeeds[] = {
    {1200, B1200},   {2400, B2400},   {4800, B4800},     {9600, B9600},     {19200, B19200},
    {38400, B38400}, {57600, B57600}, {115200, B115200}, {230400, B230400},
};

speed_t speedFor(int baud, const std::string& path) {
    for (const auto& [rate, speed] : kSpeeds) {
        if (rate == baud)
            return speed;
    }
    throw BusError(path + ": unsupported baud rate " + std::to_string(baud));
}

tcflag_t sizeFor(int dataBits, const std::string& path) {
    switch (dataBits) {
        case 5:
            return CS5;
        case 6:
            return CS6;
        case 7:
            return CS7;
        case 8:
            return CS8;
        default:
            throw BusError(path + ": unsupported data bits " + std::to_string(dataBits));
    }
}

}  // namespace

const std::vector<std::string>& supportedBaudRates() {
    static const std::vector<std::string> rates = [] {
        std::vector<std::string> words;
        for (const auto& entry : kSpeeds)
            words.push_back(std::to_string(entry.first));
        return words;
    }();
    return rates;
}

SerialPort::SerialPort(const std::string& path, const SerialSettings& settings) : _path(path) {
    const speed_t speed = speedFor(settings.baud, path);
    const tcflag_t size = sizeFor(settings.dataBits, path);
    if (settings.parity != 'N' && settings.parity != 'E' && settings.parity != 'O')
        throw BusError(path + ": parity must be N, E or O");
    if (settings.stopBits != 1 && settings.stopBits != 2)
        throw BusError(path + ": stop bits must be 1 or 2");
    _fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (_fd < 0)
        throw systemBusError(path, "open", errno);
    termios tty{};
    if (::tcgetattr(_fd, &tty) < 0) {
        const int error = errno;
        ::close(_fd);
        throw systemBusError(path, "not a serial port", error);
    }
    ::cfmakeraw(&tty);
    tty.c_cflag &= ~(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
    tty.c_cflag |= size | CLOCAL | CREAD;
    if (settings.parity != 'N')
        tty.c_cflag |= PARENB | (settings.parity == 'O' ? PARODD : 0);
    if (settings.stopBits == 2)
        tty.c_cflag |= CSTOPB;
    tty.c_cc[VMIN] = 0;
    tty.c_cc[VTIME] = 0;
    ::cfsetispeed(&tty, speed);
    ::cfsetospeed(&tty, speed);
    if (::tcsetattr(_fd, TCSANOW, &tty) < 0) {
        const int error = errno;
        ::close(_fd);
        throw systemBusError(path, "configure", error);
    }
}

SerialPort::~SerialPort() {
    ::close(_fd);
}

void SerialPort::write(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t written = ::write(_fd, bytes.data() + done, bytes.size() - done);
        if (written < 0 && errno == EAGAIN) {
            pollfd ready{_fd, POLLOUT, 0};
            ::poll(&ready, 1, 100);
            continue;
        }
        if (written < 0)
            throw systemBusError(_path, "write", errno);
        done += static_cast<std::size_t>(written);
    }
}

bool SerialPort::fill(Micros timeout) {
    pollfd ready{_fd, POLLIN, 0};
    const int waitMs = static_cast<int>((timeout + 999) / 1000);
    const int result = ::poll(&ready, 1, waitMs);
    if (result < 0 && errno == EINTR)
        return false;
    if (result < 0)
        throw systemBusError(_path, "poll", errno);
    if (result == 0)
        return false;
    if (ready.revents & (POLLERR | POLLNVAL))
        throw BusError(_path + ": device error");
    char chunk[512];
    const ssize_t got = ::read(_fd, chunk, sizeof chunk);
    if (got < 0 && (errno == EAGAIN || errno == EIO)) {
        // EIO: a pseudo-terminal whose other side is closed; wait as for silence.
        if (errno == EIO)
            ::poll(nullptr, 0, waitMs);
        return false;
    }
    if (got < 0)
        throw systemBusError(_path, "read", errno);
    if (got == 0) {
        ::poll(nullptr, 0, waitMs);  // hang-up: nothing more will come for now
        return false;
    }
    _buffer.append(chunk, static_cast<std::size_t>(got));
    return true;
}

std::string SerialPort::read(std::size_t maxBytes, Micros timeout) {
    if (_buffer.empty())
        fill(timeout);
    const std::string out = _buffer.substr(0, maxBytes);
    _buffer.erase(0, out.size());
    return out;
}

std::optional<std::string> SerialPort::readUntil(char terminator, Micros timeout, std::size_t maxLine) {
    const Micros deadline = steadyMicros() + timeout;
    for (;;) {
        const auto end = _buffer.find(terminator);
        // Too long a run is an error however the bytes arrived: with its end or without it.
        const std::size_t runLength = end == std::string::npos ? _buffer.size() : end;
        if (runLength > maxLine) {
            _buffer.erase(0, end == std::string::npos ? std::string::npos : end + 1);
            throw BusError(_path + ": " + std::to_string(runLength) + " bytes without a line end; discarded");
        }
        if (end != std::string::npos) {
            std::string line = _buffer.substr(0, end + 1);
            _buffer.erase(0, end + 1);
            return line;
        }
        const Micros left = deadline - steadyMicros();
        if (left <= 0)
            return std::nullopt;
        fill(left);
    }
}

void SerialPort::discardInput() {
    _buffer.clear();
    ::tcflush(_fd, TCIFLUSH);
    while (fill(0))
        _buffer.clear();
}

}  // namespace citysense
