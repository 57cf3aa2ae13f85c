#include <citysense/testing/PseudoTerminal.h>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace citysense::testing {

PseudoTerminal::PseudoTerminal() {
    char name[128] = {};
    termios raw{};
    ::cfmakeraw(&raw);
    if (::openpty(&_device, &_keepOpen, name, &raw, nullptr) < 0)
        throw std::runtime_error(std::string("openpty: ") + std::strerror(errno));
    ::fcntl(_device, F_SETFL, ::fcntl(_device, F_GETFL) | O_NONBLOCK);
    _path = name;
}

PseudoTerminal::~PseudoTerminal() {
    ::close(_device);
    ::close(_keepOpen);
}

void PseudoTerminal::send(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t written = ::write(_device, bytes.data() + done, bytes.size() - done);
        if (written < 0 && errno == EAGAIN) {
            pollfd ready{_device, POLLOUT, 0};
            ::poll(&ready, 1, 100);
            continue;
        }
        if (written < 0)
            throw std::runtime_error(std::string("pty write: ") + std::strerror(errno));
        done += static_cast<std::size_t>(written);
    }
}

std::string PseudoTerminal::receive(Micros timeout) {
    if (_buffer.empty()) {
        pollfd ready{_device, POLLIN, 0};
        if (::poll(&ready, 1, static_cast<int>((timeout + 999) / 1000)) > 0) {
            char chunk[512];
            const ssize_t got = ::read(_device, chunk, sizeof chunk);
            if (got > 0)
                _buffer.append(chunk, static_cast<std::size_t>(got));
        }
    }
    std::string out;
    out.swap(_buffer);
    return out;
}

std::optional<std::string> PseudoTerminal::receiveUntil(char terminator, Micros timeout) {
    using namespace std::chrono;
    const auto deadline = steady_clock::now() + microseconds(timeout);
    for (;;) {
        const auto end = _buffer.find(terminator);
        if (end != std::string::npos) {
            std::string line = _buffer.substr(0, end + 1);
            _buffer.erase(0, end + 1);
            return line;
        }
        const auto left = duration_cast<microseconds>(deadline - steady_clock::now()).count();
        if (left <= 0)
            return std::nullopt;
        pollfd ready{_device, POLLIN, 0};
        if (::poll(&ready, 1, static_cast<int>((left + 999) / 1000)) > 0) {
            char chunk[512];
            const ssize_t got = ::read(_device, chunk, sizeof chunk);
            if (got > 0)
                _buffer.append(chunk, static_cast<std::size_t>(got));
        }
    }
}

}  // namespace citysense::testing
