#include <citysense/Driver.h>
#include <citysense/Filter.h>
#include <citysense/LatestReadings.h>
#include <citysense/Sink.h>

#include <Poco/Logger.h>

#include <limits>
#include <stdexcept>

namespace citysense {

struct Plugin::Lent {
    Poco::Logger* logger;
    LatestReadings* latestReadings;

    static_assert(sizeof(std::unique_ptr<Lent>) == sizeof(Poco::Logger*),
                  "Plugin::_lent takes the place of ABI 1.0's logger pointer");
};

// Key functions of the plugin base classes live here, in the SDK library that the host and every
// plugin link, so their type information is unique across shared objects.
Plugin::Plugin() = default;
Plugin::~Plugin() = default;
Driver::~Driver() = default;
Filter::~Filter() = default;
Sink::~Sink() = default;
PermanentWriteError::~PermanentWriteError() = default;
Emitter::~Emitter() = default;

void Plugin::attach(const InstanceContext& context) {
    _identity = {context.name, context.station, context.source};
    _lent = std::make_unique<Lent>(Lent{&Poco::Logger::get(context.name), context.latestReadings});
}

Poco::Logger& Plugin::logger() const {
    return _lent ? *_lent->logger : Poco::Logger::get("citysense");
}

LatestReadings& Plugin::latestReadings() const {
    if (!_lent || !_lent->latestReadings)
        throw std::logic_error(instanceName() + ": the host lent no latest readings");
    return *_lent->latestReadings;
}

void Driver::read(SampleBatch&) {
    throw std::logic_error(instanceName() + ": an event-driven driver is not read, it runs");
}

void Driver::run(Emitter&, const StopToken&) {
    throw std::logic_error(instanceName() + ": a polled driver is read, it does not run");
}

Sample Driver::makeSample(Quantity quantity, double value, std::uint16_t quality) const {
    return makeSample(quantity, value, nowMicros(), quality);
}

Sample Driver::makeSample(Quantity quantity, double value, Micros time, std::uint16_t quality) const {
    Sample sample;
    sample.quantity = quantity;
    sample.quality = quality;
    sample.value = value;
    sample.time = time;
    sample.source = source();
    return sample;
}

void Filter::flush(Micros, SampleBatch&) {}

}  // namespace citysense
