// TI ADS1115 16-bit ADC (datasheet SBAS444): single-shot conversions of one input against ground.
// Shared by the drivers that read analog sensors through it (gas cells, wind vanes).
#pragma once

#include <citysense/bus/I2c.h>

#include <string>
#include <vector>

namespace citysense {

class Ads1115 {
public:
    /// Full-scale ranges the programmable gain amplifier offers, in volts.
    static constexpr double kFullScales[] = {6.144, 4.096, 2.048, 1.024, 0.512, 0.256};
    /// Data rates, samples per second, by DR code 0..7.
    static constexpr int kDataRates[] = {8, 16, 32, 64, 128, 250, 475, 860};

    /// The full-scale ranges as words for Option::choice(): "6.144" ... "0.256".
    static const std::vector<std::string>& fullScaleChoices();
    /// The range a choice word names; std::invalid_argument if none.
    static double fullScaleByName(const std::string& word);

    /// `fullScale` must be one of kFullScales, `dataRate` one of kDataRates (else std::invalid_argument).
    Ads1115(I2cDevice device, double fullScale = 4.096, int dataRate = 128);

    /// Converts AIN`channel` (0..3) against GND and returns volts. Holds the bus for the whole
    /// conversion (configure, wait, read), so other drivers on the bus cannot interleave.
    double readVolts(int channel);

    /// The config register value that starts that conversion (e.g. 0xC383 for AIN0, ±4.096 V, 128 SPS).
    std::uint16_t configWord(int channel) const;

    const I2cDevice& device() const { return _device; }

private:
    I2cDevice _device;
    std::uint16_t _gainBits;
    std::uint16_t _rateBits;
    double _fullScale;
    int _dataRate;
};

}  // namespace citysense
