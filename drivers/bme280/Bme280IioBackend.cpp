// The iio backend: the kernel's bmp280 driver owns the chip (e.g. `dtoverlay=i2c-sensor,bme280`) and
// measures on every read of a processed value in its sysfs directory. Units, as the kernel driver
// (drivers/iio/pressure/bmp280-core.c) scales them: in_temp_input milli-°C, in_pressure_input kPa,
// in_humidityrelative_input milli-%RH. A BMP280 has no humidity file.

#include "Bme280Backend.h"

#include <citysense/bus/BusError.h>

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <charconv>
#include <stdexcept>

namespace citysense::bme280 {

namespace {

struct IioChannel {
    const char* file;
    double scale;  ///< to °C, Pa, %RH
};

constexpr IioChannel kTemperature{"in_temp_input", 0.001};
constexpr IioChannel kPressure{"in_pressure_input", 1000.0};
constexpr IioChannel kHumidity{"in_humidityrelative_input", 0.001};

/// The text of a sysfs attribute. Read with one read() as sysfs expects; errors carry the errno text
/// (a kernel driver that cannot reach its chip answers EIO).
std::string readAttribute(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw systemBusError(path, "open", errno);
    char buffer[64];
    const ssize_t length = ::read(fd, buffer, sizeof buffer - 1);
    const int readErrno = errno;
    ::close(fd);
    if (length < 0)
        throw systemBusError(path, "read", readErrno);
    return std::string(buffer, static_cast<std::size_t>(length));
}

bool exists(const std::string& path) {
    return ::access(path.c_str(), F_OK) == 0;
}

class IioBackend : public Backend {
public:
    IioBackend(std::string directory, const Wanted& wanted)
        : _directory(std::move(directory)), _wanted(wanted) {}

    std::string open() override {
        for (const auto* channel :
             {_wanted.temperature ? &kTemperature : nullptr, _wanted.pressure ? &kPressure : nullptr}) {
            if (channel && !exists(pathOf(*channel)))
                throw BusError(_directory + ": no " + channel->file +
                               " (not the IIO device of a BMP280 or BME280, or its driver is not bound)");
        }
        _humidity = exists(pathOf(kHumidity));
        std::string name = "IIO device";
        if (exists(_directory + "/name"))
            name = trimmed(readAttribute(_directory + "/name"));
        return name + " (kernel driver) at " + _directory;
    }

    void close() override {}

    bool hasHumidity() const override { return _humidity; }

    Reading read() override {
        Reading reading;
        if (_wanted.temperature)
            reading.temperature = value(kTemperature);
        if (_wanted.pressure)
            reading.pressure = value(kPressure);
        if (_wanted.humidity && _humidity)
            reading.humidity = value(kHumidity);
        return reading;
    }

private:
    std::string pathOf(const IioChannel& channel) const { return _directory + "/" + channel.file; }

    static std::string trimmed(const std::string& text) {
        const auto first = text.find_first_not_of(" \t\r\n");
        if (first == std::string::npos)
            return "";
        return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    }

    double value(const IioChannel& channel) const {
        const std::string path = pathOf(channel);
        const std::string text = trimmed(readAttribute(path));
        double number = 0.0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (text.empty() || error != std::errc() || end != text.data() + text.size())
            throw std::runtime_error(path + ": '" + text + "' is not a number");
        return number * channel.scale;
    }

    std::string _directory;
    Wanted _wanted;
    bool _humidity = true;
};

}  // namespace

std::unique_ptr<Backend> makeIioBackend(std::string directory, const Wanted& wanted) {
    return std::make_unique<IioBackend>(std::move(directory), wanted);
}

}  // namespace citysense::bme280
