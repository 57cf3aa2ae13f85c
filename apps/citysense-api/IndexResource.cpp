// Things(id)/AirQualityIndex[?from=&to=]: the European Air Quality Index of the station for every hour
// of [from, to) (whole hours; the last 24 whole hours unless asked), from its NO2 and SO2 Datastreams.
#include "AirQualityResources.h"
#include "PollutantSeries.h"
#include "airquality/Calendar.h"
#include "airquality/Eaqi.h"

#include <citysense/Format.h>

#include <Poco/JSON/Array.h>

namespace citysense::api {

namespace {

// At most a leap year of hours a request.
constexpr Micros kMostHours = 366 * 24;

}  // namespace

AirQualityAnswer indexResource(AirQualityStore& store, std::int64_t thing,
                               const Poco::URI::QueryParameters& parameters, const std::string& serviceRoot) {
    const AirQualityParameters given(parameters, {"from", "to"});
    const Micros thisHour = airquality::hourStart(nowMicros());
    const Micros to = given.time("to").value_or(thisHour);
    const Micros from = given.time("from").value_or(to - 24 * airquality::kMicrosPerHour);
    requireOrdered(from, to);
    const Micros start = airquality::hourStart(from);
    const Micros end = airquality::hourStart(to - 1) + airquality::kMicrosPerHour;
    if ((end - start) / airquality::kMicrosPerHour > kMostHours)
        throw ParameterError("to", "the hours from " + formatIsoTime(start) + " to " + formatIsoTime(end) +
                                       " are more than a year's; ask for less at a time");
    const auto stations = store.readingsStore().things(Selection::id(thing), std::nullopt, 1);
    if (stations.empty())
        return airQualityError(404, "no Thing " + std::to_string(thing));
    const auto series = pollutantSeries(store, thing, start, end);
    auto object = orderedObject();
    object->set("Thing@iot.id", thing);
    object->set("Thing@iot.navigationLink", serviceRoot + "/Things(" + std::to_string(thing) + ")");
    object->set("station", stations.front().path());
    object->set("from", formatIsoTime(start));
    object->set("to", formatIsoTime(end));
    Poco::JSON::Array::Ptr pollutants = new Poco::JSON::Array;
    for (const auto& pollutant : series) {
        auto entry = orderedObject();
        entry->set("Datastream@iot.id", pollutant.datastream.id);
        entry->set("quantity", pollutant.datastream.quantity);
        setInterval(*entry, pollutant.timing);
        pollutants->add(entry);
    }
    object->set("pollutants", pollutants);
    Poco::JSON::Array::Ptr hours = new Poco::JSON::Array;
    for (std::size_t hour = 0; start + static_cast<Micros>(hour) * airquality::kMicrosPerHour < end; ++hour) {
        std::vector<airquality::PollutantHour> pollutantHours;
        Poco::JSON::Array::Ptr means = new Poco::JSON::Array;
        for (const auto& pollutant : series) {
            const airquality::Aggregate& aggregate = pollutant.hours[hour];
            pollutantHours.push_back({pollutant.quantity, aggregate});
            auto mean = orderedObject();
            mean->set("Datastream@iot.id", pollutant.datastream.id);
            mean->set("mean", valueOrNull(aggregate.mean));
            mean->set("valid", aggregate.valid);
            means->add(mean);
        }
        auto entry = orderedObject();
        entry->set("start", formatIsoTime(start + static_cast<Micros>(hour) * airquality::kMicrosPerHour));
        entry->set("end", formatIsoTime(start + static_cast<Micros>(hour + 1) * airquality::kMicrosPerHour));
        setIndex(*entry, airquality::stationIndex(pollutantHours));
        entry->set("means", means);
        hours->add(entry);
    }
    object->set("value", hours);
    return jsonAnswer(object);
}

}  // namespace citysense::api
