#include <citysense/bus/Gpio.h>

#include <gpiod.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <map>
#include <mutex>

namespace citysense {

EdgeSource::~EdgeSource() = default;

namespace {

struct FactoryTable {
    std::mutex mutex;
    std::map<std::string, EdgeSourceFactory> factories;
};

FactoryTable& factories() {
    static FactoryTable table;
    return table;
}

bool isNumber(const std::string& text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

Micros toMicros(const timespec& time) {
    return Micros(time.tv_sec) * kMicrosPerSecond + time.tv_nsec / 1000;
}

/// A libgpiod 1.6 line requested for edge events.
class LinuxEdgeSource : public EdgeSource {
public:
    explicit LinuxEdgeSource(const GpioLineSpec& spec) : _description(spec.chip + " line " + spec.line) {
        unsigned offset = 0;
        const bool byOffset = isNumber(spec.line);
        if (byOffset &&
            std::from_chars(spec.line.data(), spec.line.data() + spec.line.size(), offset).ec != std::errc())
            throw BusError(_description + ": not a line offset");
        _chip = ::gpiod_chip_open_lookup(spec.chip.c_str());
        if (!_chip)
            throw systemBusError("GPIO chip " + spec.chip, "open", errno);
        _line = byOffset ? ::gpiod_chip_get_line(_chip, offset)
                         : ::gpiod_chip_find_line(_chip, spec.line.c_str());
        if (!_line) {
            const int error = errno;
            ::gpiod_chip_close(_chip);
            throw systemBusError(_description, "no such line", error);
        }
        int flags = 0;
        if (spec.bias == Bias::PullUp)
            flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
        else if (spec.bias == Bias::PullDown)
            flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
        int result = -1;
        switch (spec.edges) {
            case Edges::Rising:
                result = ::gpiod_line_request_rising_edge_events_flags(_line, "citysense", flags);
                break;
            case Edges::Falling:
                result = ::gpiod_line_request_falling_edge_events_flags(_line, "citysense", flags);
                break;
            case Edges::Both:
                result = ::gpiod_line_request_both_edges_events_flags(_line, "citysense", flags);
                break;
        }
        if (result < 0) {
            const int error = errno;
            ::gpiod_chip_close(_chip);
            throw systemBusError(_description, "request edge events", error);
        }
    }

    ~LinuxEdgeSource() override { ::gpiod_chip_close(_chip); }  // releases the line too

    std::optional<EdgeEvent> next(Micros timeout) override {
        const timespec wait{static_cast<time_t>(timeout / kMicrosPerSecond),
                            static_cast<long>(timeout % kMicrosPerSecond * 1000)};
        const int ready = ::gpiod_line_event_wait(_line, &wait);
        if (ready < 0)
            throw systemBusError(_description, "wait for edge", errno);
        if (ready == 0)
            return std::nullopt;
        gpiod_line_event event{};
        if (::gpiod_line_event_read(_line, &event) < 0)
            throw systemBusError(_description, "read edge", errno);
        return EdgeEvent{toMicros(event.ts), event.event_type == GPIOD_LINE_EVENT_RISING_EDGE};
    }

    Micros now() const override {
        timespec time{};
        ::clock_gettime(CLOCK_MONOTONIC, &time);
        return toMicros(time);
    }

    std::string describe() const override { return _description; }

private:
    std::string _description;
    gpiod_chip* _chip = nullptr;
    gpiod_line* _line = nullptr;
};

}  // namespace

std::unique_ptr<EdgeSource> openEdgeSource(const GpioLineSpec& spec) {
    {
        FactoryTable& table = factories();
        std::lock_guard<std::mutex> lock(table.mutex);
        const auto found = table.factories.find(spec.chip);
        if (found != table.factories.end())
            return found->second(spec);
    }
    return std::make_unique<LinuxEdgeSource>(spec);
}

void registerEdgeSource(const std::string& chip, EdgeSourceFactory factory) {
    FactoryTable& table = factories();
    std::lock_guard<std::mutex> lock(table.mutex);
    if (factory)
        table.factories[chip] = std::move(factory);
    else
        table.factories.erase(chip);
}

}  // namespace citysense
