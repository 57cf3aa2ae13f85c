#include <citysense/Driver.h>
#include <citysense/DropCounts.h>
#include <citysense/EventCounts.h>
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
    DropCounts* dropCounts;
    std::unique_ptr<DropCounts> ownDropCounts;  ///< dropCounts when the host lent none
    EventCounts* eventCounts;
    std::unique_ptr<EventCounts> ownEventCounts;  ///< eventCounts when the host lent none

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
ControlChannel::~ControlChannel() = default;
PermanentWriteError::~PermanentWriteError() = default;
Emitter::~Emitter() = default;

void Emitter::emitDurably(SampleBatch& batch) {
    emit(batch);
}

void Emitter::announce(const Announcement&) {}

void Sink::announce(const Announcement&) {}

void Plugin::attach(const InstanceContext& context) {
    _identity = {context.name, context.station, context.source};
    auto lent = std::make_unique<Lent>(Lent{&Poco::Logger::get(context.name), context.latestReadings,
                                            context.dropCounts, nullptr, context.eventCounts, nullptr});
    if (!lent->dropCounts) {
        lent->ownDropCounts = std::make_unique<DropCounts>(context.name);
        lent->dropCounts = lent->ownDropCounts.get();
    }
    if (!lent->eventCounts) {
        lent->ownEventCounts = std::make_unique<EventCounts>(context.name);
        lent->eventCounts = lent->ownEventCounts.get();
    }
    _lent = std::move(lent);
}

Poco::Logger& Plugin::logger() const {
    return _lent ? *_lent->logger : Poco::Logger::get("citysense");
}

LatestReadings& Plugin::latestReadings() const {
    if (!_lent || !_lent->latestReadings)
        throw std::logic_error(instanceName() + ": the host lent no latest readings");
    return *_lent->latestReadings;
}

void Plugin::countDropped(std::string_view reason, std::uint64_t count, std::string_view detail) const {
    if (!_lent)
        throw std::logic_error("countDropped() before attach()");
    _lent->dropCounts->add(reason, count, detail);
}

const DropCounts& Plugin::dropCounts() const {
    if (!_lent)
        throw std::logic_error("dropCounts() before attach()");
    return *_lent->dropCounts;
}

void Plugin::countEvent(std::string_view event, std::uint64_t count) const {
    if (!_lent)
        throw std::logic_error("countEvent() before attach()");
    _lent->eventCounts->add(event, count);
}

const EventCounts& Plugin::eventCounts() const {
    if (!_lent)
        throw std::logic_error("eventCounts() before attach()");
    return *_lent->eventCounts;
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

void Filter::takeOver(Filter&) {}

}  // namespace citysense
