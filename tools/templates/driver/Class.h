// @NAME@: a TI TMP102 temperature sensor on I2C (datasheet SBOS397), the starting point of a new
// citysense driver. Replace the chip logic in @CLASS@.cpp with your sensor's; keep the shape:
// options declared once, the device opened in open(), one reading per read(), faults thrown.
#pragma once

#include <citysense/Driver.h>
#include <citysense/bus/I2c.h>

#include <optional>

class @CLASS@ : public citysense::Driver {
public:
    const citysense::OptionTable& options() const override;
    void configure(const citysense::Options& options) override;
    std::vector<citysense::Channel> channels() const override;
    void open() override;
    void close() override;
    void read(citysense::SampleBatch& out) override;

private:
    std::string _bus;
    std::uint8_t _address = 0x48;
    std::optional<citysense::I2cDevice> _device;
};
