#include "ModbusWindEmulator.h"

namespace citysense::modbus_wind {

std::uint16_t crc16Modbus(const std::string& frame) {
    std::uint16_t crc = 0xFFFF;
    for (const char byte : frame) {
        crc ^= static_cast<std::uint8_t>(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001)
                            : static_cast<std::uint16_t>(crc >> 1);
    }
    return crc;
}

std::string withCrc(std::string frame) {
    const std::uint16_t crc = crc16Modbus(frame);
    frame += static_cast<char>(crc & 0xFF);
    frame += static_cast<char>(crc >> 8);
    return frame;
}

ModbusWindEmulator::ModbusWindEmulator(int address, std::map<int, std::uint16_t> registers)
    : _address(address), _registers(std::move(registers)), _thread([this] { serve(); }) {}

ModbusWindEmulator::~ModbusWindEmulator() {
    _stop = true;
    _thread.join();
}

std::vector<std::string> ModbusWindEmulator::requests() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _requests;
}

void ModbusWindEmulator::serve() {
    std::string received;
    while (!_stop) {
        received += _pty.receive(20 * 1000);
        while (received.size() >= 8) {  // a read request is 8 bytes
            const std::string frame = received.substr(0, 8);
            received.erase(0, 8);
            answer(frame);
        }
    }
}

void ModbusWindEmulator::answer(const std::string& frame) {
    const auto byte = [&](std::size_t i) { return static_cast<int>(static_cast<std::uint8_t>(frame[i])); };
    const int slave = byte(0);
    const int function = byte(1);
    const int first = byte(2) << 8 | byte(3);
    const int count = byte(4) << 8 | byte(5);
    const bool crcRight = withCrc(frame.substr(0, 6)) == frame;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _requests.push_back(crcRight ? std::to_string(slave) + " " + std::to_string(function) + " " +
                                           std::to_string(first) + " " + std::to_string(count)
                                     : "bad CRC");
    }
    if (!crcRight || slave != _address || function != 0x03)
        return;
    std::string reply{static_cast<char>(slave), static_cast<char>(function), static_cast<char>(2 * count)};
    for (int reg = first; reg < first + count; ++reg) {
        const auto value = _registers.find(reg);
        if (value == _registers.end()) {
            _pty.send(withCrc({static_cast<char>(slave), static_cast<char>(function | 0x80), 0x02}));
            return;
        }
        reply += static_cast<char>(value->second >> 8);
        reply += static_cast<char>(value->second & 0xFF);
    }
    _pty.send(withCrc(reply));
}

}  // namespace citysense::modbus_wind
