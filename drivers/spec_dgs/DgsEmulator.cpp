#include "DgsEmulator.h"

namespace citysense::spec_dgs {

DgsEmulator::DgsEmulator() : _thread([this] { serve(); }) {}

DgsEmulator::~DgsEmulator() {
    _stop = true;
    _thread.join();
}

void DgsEmulator::answer(std::optional<std::string> reply) {
    std::lock_guard<std::mutex> lock(_mutex);
    _replies.push_back(std::move(reply));
}

std::vector<std::string> DgsEmulator::requests() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _requests;
}

void DgsEmulator::serve() {
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

}  // namespace citysense::spec_dgs
