#include <citysense/Format.h>
#include <citysense/chips/Ads1115.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace citysense {

namespace {

// Registers and config bits, datasheet section 8.6.
constexpr std::uint8_t kConversionRegister = 0x00;
constexpr std::uint8_t kConfigRegister = 0x01;
constexpr std::uint16_t kStartOrIdle = 1u << 15;  // OS: write 1 starts a conversion, reads 1 when idle
constexpr std::uint16_t kSingleEndedAin0 = 0b100u << 12;  // MUX 100..111: AIN0..AIN3 against GND
constexpr std::uint16_t kSingleShot = 1u << 8;
constexpr std::uint16_t kComparatorOff = 0b11;

template <typename T, std::size_t N>
std::uint16_t indexOf(const T (&values)[N], T value, const char* what) {
    for (std::size_t i = 0; i < N; ++i) {
        if (values[i] == value)
            return static_cast<std::uint16_t>(i);
    }
    throw std::invalid_argument(std::string("ADS1115: unsupported ") + what);
}

}  // namespace

const std::vector<std::string>& Ads1115::fullScaleChoices() {
    static const std::vector<std::string> words = [] {
        std::vector<std::string> list;
        for (const double fullScale : kFullScales)
            list.push_back(formatFixed(fullScale, 3));
        return list;
    }();
    return words;
}

double Ads1115::fullScaleByName(const std::string& word) {
    const auto& words = fullScaleChoices();
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (words[i] == word)
            return kFullScales[i];
    }
    throw std::invalid_argument("ADS1115: '" + word + "' is not a full-scale range");
}

Ads1115::Ads1115(I2cDevice device, double fullScale, int dataRate)
    : _device(std::move(device)),
      _gainBits(static_cast<std::uint16_t>(indexOf(kFullScales, fullScale, "full-scale range") << 9)),
      _rateBits(static_cast<std::uint16_t>(indexOf(kDataRates, dataRate, "data rate") << 5)),
      _fullScale(fullScale),
      _dataRate(dataRate) {}

std::uint16_t Ads1115::configWord(int channel) const {
    if (channel < 0 || channel > 3)
        throw std::invalid_argument("ADS1115: input " + std::to_string(channel) + " does not exist (0..3)");
    return static_cast<std::uint16_t>(kStartOrIdle | (kSingleEndedAin0 + (channel << 12)) | _gainBits |
                                      kSingleShot | _rateBits | kComparatorOff);
}

double Ads1115::readVolts(int channel) {
    const std::uint16_t config = configWord(channel);
    auto held = _device.lockBus();
    _device.writeRegister16(kConfigRegister, config);
    // One conversion takes 1/data rate; then poll OS ten times, a quarter conversion apart.
    const auto conversion = std::chrono::microseconds(1000000 / _dataRate);
    std::this_thread::sleep_for(conversion);
    for (int attempt = 0; (_device.readRegister16(kConfigRegister) & kStartOrIdle) == 0; ++attempt) {
        if (attempt == 10)
            throw BusError(_device.describe() + ": ADS1115 conversion did not finish");
        std::this_thread::sleep_for(conversion / 4);
    }
    const auto code = static_cast<std::int16_t>(_device.readRegister16(kConversionRegister));
    return code * _fullScale / 32768.0;
}

}  // namespace citysense
