// The i2c backend: a Bme280Chip on a bus from openI2cBus(). Everything chip-specific is in Bme280Chip.

#include "Bme280Backend.h"

#include <cstdio>
#include <stdexcept>

namespace citysense::bme280 {

namespace {

class I2cBackend : public Backend {
public:
    I2cBackend(std::string bus, std::uint8_t address, const ChipSettings& settings, const Wanted& wanted)
        : _bus(std::move(bus)), _address(address), _settings(settings), _wanted(wanted) {}

    std::string open() override {
        I2cDevice device(openI2cBus(_bus), _address);
        const std::string where = device.describe();
        auto chip = std::make_unique<Bme280Chip>(std::move(device), _settings);
        chip->init();
        _chip = std::move(chip);
        char id[8];
        std::snprintf(id, sizeof id, "0x%02x", _chip->variant().id);
        return std::string(_chip->variant().name) + " (chip id " + id + ") on " + where;
    }

    void close() override { _chip.reset(); }  // the bus closes with its last user

    bool hasHumidity() const override { return !_chip || _chip->variant().humidity; }

    Reading read() override {
        if (!_chip)
            throw std::logic_error("bme280: read() before open()");
        const Measurement measurement = _chip->measure();
        Reading reading;
        if (_wanted.temperature)
            reading.temperature = measurement.temperature;
        if (_wanted.pressure)
            reading.pressure = measurement.pressure;
        if (_wanted.humidity)
            reading.humidity = measurement.humidity;
        return reading;
    }

private:
    std::string _bus;
    std::uint8_t _address;
    ChipSettings _settings;
    Wanted _wanted;
    std::unique_ptr<Bme280Chip> _chip;
};

}  // namespace

std::unique_ptr<Backend> makeI2cBackend(std::string bus, std::uint8_t address, const ChipSettings& settings,
                                        const Wanted& wanted) {
    return std::make_unique<I2cBackend>(std::move(bus), address, settings, wanted);
}

}  // namespace citysense::bme280
