#include <citysense/testing/chips/Ads1115Emulator.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace citysense::testing {

namespace {

// Config register fields (datasheet, Config Register field descriptions).
constexpr std::uint16_t kOperationalStatus = 1u << 15;  // write 1: start; read 1: not converting
constexpr int kMuxShift = 12;                           // MUX[14:12]; 100..111 = AIN0..AIN3 vs GND
constexpr int kPgaShift = 9;                            // PGA[11:9]
constexpr std::uint16_t kSingleShot = 1u << 8;          // MODE

/// Full-scale range by PGA code; 101, 110 and 111 are all ±0.256 V.
constexpr double kFullScaleByPga[] = {6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256};

}  // namespace

void Ads1115Journal::record(std::uint8_t address, Ads1115Operation::Kind kind) {
    std::lock_guard<std::mutex> lock(_mutex);
    _operations.push_back({address, kind});
}

std::vector<Ads1115Operation> Ads1115Journal::operations() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _operations;
}

Ads1115Emulator::Ads1115Emulator(std::uint8_t address, std::shared_ptr<Ads1115Journal> journal)
    : _address(address), _journal(std::move(journal)) {}

void Ads1115Emulator::setInput(int channel, double volts) {
    std::lock_guard<std::mutex> lock(_mutex);
    _inputs.at(static_cast<std::size_t>(channel)) = volts;
}

void Ads1115Emulator::setBusyReads(int reads) {
    std::lock_guard<std::mutex> lock(_mutex);
    _busyReads = reads;
}

std::vector<std::uint16_t> Ads1115Emulator::configWrites() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _configWrites;
}

int Ads1115Emulator::conversions() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _conversions;
}

std::int16_t Ads1115Emulator::codeFor(double volts, double fullScale) {
    const double code = std::round(volts * 32768.0 / fullScale);
    return static_cast<std::int16_t>(std::clamp(code, -32768.0, 32767.0));
}

void Ads1115Emulator::write(const std::uint8_t* data, std::size_t length) {
    if (length == 0)
        return;
    std::lock_guard<std::mutex> lock(_mutex);
    if (data[0] > HiThresh) {
        char message[80];
        std::snprintf(message, sizeof message, "ADS1115 emulator: pointer 0x%02x does not exist (0x00..0x03)",
                      data[0]);
        throw std::logic_error(message);
    }
    _pointer = data[0];
    if (length == 1)
        return;  // sets the pointer for the read that follows
    if (length != 3)
        throw std::logic_error(
            "ADS1115 emulator: a register is written as two bytes after the pointer, got " +
            std::to_string(length - 1));
    const auto value = static_cast<std::uint16_t>(data[1] << 8 | data[2]);
    switch (_pointer) {
        case Conversion:
            throw std::logic_error("ADS1115 emulator: the conversion register is read-only");
        case Config:
            _configWrites.push_back(value);
            _registers[Config] = static_cast<std::uint16_t>(value & ~kOperationalStatus);
            if (value & kOperationalStatus)
                startConversion(value);
            else
                record(Ads1115Operation::ConfigWrite);
            return;
        default:
            _registers[_pointer] = value;
            record(Ads1115Operation::Threshold);
    }
}

void Ads1115Emulator::read(std::uint8_t* data, std::size_t length) {
    if (length > 2)
        throw std::logic_error("ADS1115 emulator: registers are 16 bits, " + std::to_string(length) +
                               " bytes read");
    std::lock_guard<std::mutex> lock(_mutex);
    std::uint16_t value = _registers[_pointer];
    switch (_pointer) {
        case Conversion:
            record(Ads1115Operation::Result);
            break;
        case Config:
            if (_busyLeft > 0) {
                // Still converting: OS reads 0. The result lands when the last busy read is over.
                if (--_busyLeft == 0)
                    _registers[Conversion] = _pendingCode;
            } else {
                value |= kOperationalStatus;
            }
            record(Ads1115Operation::Poll);
            break;
        default:
            record(Ads1115Operation::Threshold);
    }
    const std::uint8_t bytes[] = {static_cast<std::uint8_t>(value >> 8),
                                  static_cast<std::uint8_t>(value & 0xFF)};
    std::copy(bytes, bytes + length, data);
}

void Ads1115Emulator::startConversion(std::uint16_t config) {
    if (!(config & kSingleShot))
        throw std::logic_error("ADS1115 emulator: continuous-conversion mode is not emulated");
    const int mux = (config >> kMuxShift) & 0b111;
    if (mux < 0b100)
        throw std::logic_error("ADS1115 emulator: differential inputs are not emulated");
    record(Ads1115Operation::Start);
    if (_busyLeft > 0)
        return;  // a start during a conversion has no effect
    const double fullScale = kFullScaleByPga[(config >> kPgaShift) & 0b111];
    _pendingCode =
        static_cast<std::uint16_t>(codeFor(_inputs[static_cast<std::size_t>(mux - 0b100)], fullScale));
    ++_conversions;
    _busyLeft = _busyReads;
    if (_busyLeft == 0)
        _registers[Conversion] = _pendingCode;
}

void Ads1115Emulator::record(Ads1115Operation::Kind kind) {
    if (_journal)
        _journal->record(_address, kind);
}

}  // namespace citysense::testing
