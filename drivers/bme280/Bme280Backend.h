// How the driver reaches a BME280: the chip logic on an I2C bus (the `i2c` backend) or the kernel's own
// bmp280 driver through its IIO files (the `iio` backend). The driver sees only this interface.
#pragma once

#include "Bme280Chip.h"

#include <memory>
#include <optional>
#include <string>

namespace citysense::bme280 {

/// The channels a backend is asked for.
struct Wanted {
    bool temperature = true;
    bool pressure = true;
    bool humidity = true;
};

/// One reading: °C, Pa, %RH; a channel not wanted or not present is empty.
struct Reading {
    std::optional<double> temperature;
    std::optional<double> pressure;
    std::optional<double> humidity;
};

class Backend {
public:
    virtual ~Backend() = default;

    /// Acquires the device. Returns a description for the log, e.g. "BME280 (chip id 0x60) on ...".
    virtual std::string open() = 0;
    virtual void close() = 0;

    /// Whether the device measures humidity; known after open().
    virtual bool hasHumidity() const = 0;

    /// One reading of the wanted channels. Throws on any fault.
    virtual Reading read() = 0;
};

/// The chip at `address` on the I2C bus `bus`, opened with openI2cBus() in open().
std::unique_ptr<Backend> makeI2cBackend(std::string bus, std::uint8_t address, const ChipSettings& settings,
                                        const Wanted& wanted);

/// The kernel IIO device directory `directory` (e.g. /sys/bus/iio/devices/iio:device0).
std::unique_ptr<Backend> makeIioBackend(std::string directory, const Wanted& wanted);

}  // namespace citysense::bme280
