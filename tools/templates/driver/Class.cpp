#include "@CLASS@.h"

namespace {

constexpr std::uint8_t kTemperatureRegister = 0x00;  // SBOS397 section 7.5.1
constexpr double kCelsiusPerCount = 0.0625;         // 12-bit mode, left-justified in 16 bits

}  // namespace

const citysense::OptionTable& @CLASS@::options() const {
    using citysense::Option;
    static const citysense::OptionTable table = {
        Option::string("bus", "/dev/i2c-1", "The I2C bus the sensor is on"),
        Option::integer("address", "0x48", "The sensor's I2C address (ADD0 pin: 0x48 to 0x4B)").range(0x48, 0x4B),
    };
    return table;
}

void @CLASS@::configure(const citysense::Options& options) {
    _bus = options.getString("bus");
    _address = static_cast<std::uint8_t>(options.getInt("address"));
}

std::vector<citysense::Channel> @CLASS@::channels() const { return {{citysense::Quantity::Temperature, -40, 125}}; }

void @CLASS@::open() { _device.emplace(citysense::openI2cBus(_bus), _address); }

void @CLASS@::close() { _device.reset(); }

void @CLASS@::read(citysense::SampleBatch& out) {
    const auto raw = static_cast<std::int16_t>(_device->readRegister16(kTemperatureRegister));
    out.push_back(makeSample(citysense::Quantity::Temperature, (raw >> 4) * kCelsiusPerCount));
}
