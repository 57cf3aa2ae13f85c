// Datastreams(id)/Aggregates?interval=1h|1d|1mo|1y&from=&to=[&unit=ug/m3][&$resultFormat=csv]: the
// aggregates of every whole period overlapping [from, to), as JSON or CSV.
#include "AirQualityResources.h"
#include "HourlySeries.h"
#include "airquality/Calendar.h"
#include "airquality/Concentration.h"

#include <citysense/Format.h>

#include <Poco/JSON/Array.h>

namespace citysense::api {

namespace {

// At most ten years of hours a request: a sensor-decade is 87,840 hourly aggregates, a few MB.
constexpr Micros kMostHours = 10 * 366 * 24;

std::string csvNumber(const std::optional<double>& value) {
    return value ? formatNumber(*value) : "";
}

AirQualityAnswer csv(const std::vector<airquality::Aggregate>& periods, const std::string& unit) {
    std::string body =
        "start,end,mean (" + unit + "),min (" + unit + "),max (" + unit + "),count,expected,coverage,valid\n";
    for (const auto& period : periods) {
        body += formatIsoTime(period.start) + "," + formatIsoTime(period.end) + "," + csvNumber(period.mean) +
                "," + csvNumber(period.min) + "," + csvNumber(period.max) + "," +
                std::to_string(period.count) + "," + formatNumber(period.expected) + "," +
                formatNumber(period.coverage) + "," + (period.valid ? "true" : "false") + "\n";
    }
    return {200, "text/csv; charset=utf-8; header=present", std::move(body)};
}

Poco::JSON::Object::Ptr periodJson(const airquality::Aggregate& period) {
    auto object = orderedObject();
    object->set("start", formatIsoTime(period.start));
    object->set("end", formatIsoTime(period.end));
    object->set("mean", valueOrNull(period.mean));
    object->set("min", valueOrNull(period.min));
    object->set("max", valueOrNull(period.max));
    object->set("count", period.count);
    object->set("expected", period.expected);
    object->set("coverage", period.coverage);
    object->set("valid", period.valid);
    return object;
}

}  // namespace

AirQualityAnswer aggregatesResource(AirQualityStore& store, std::int64_t id,
                                    const Poco::URI::QueryParameters& parameters,
                                    const std::string& serviceRoot) {
    const AirQualityParameters given(parameters, {"interval", "from", "to", "unit", "$resultFormat"});
    const airquality::Period period = parsePeriod(given.required("interval"));
    const Micros from = given.requiredTime("from");
    const Micros to = given.requiredTime("to");
    requireOrdered(from, to);
    const Micros start = airquality::periodStart(period, from);
    const Micros end = airquality::periodEnd(period, to - 1);
    if ((end - start) / airquality::kMicrosPerHour > kMostHours)
        throw ParameterError("to", "the periods from " + formatIsoTime(start) + " to " + formatIsoTime(end) +
                                       " hold more than ten years of hours; ask for less at a time");
    const auto format = given.text("$resultFormat");
    if (format && *format != "csv")
        throw ParameterError("$resultFormat",
                             quoteText(*format) + " is not served here: csv, or none for JSON");
    const auto rows = store.readingsStore().datastreams(Selection::id(id), std::nullopt, 1);
    if (rows.empty())
        return airQualityError(404, "no Datastream " + std::to_string(id));
    const DatastreamRow& datastream = rows.front();
    const auto quantity = quantityByName(datastream.quantity);
    std::string unit = quantity ? info(*quantity).unit : datastream.unit;
    std::optional<double> factor;
    if (const auto wanted = given.text("unit")) {
        if (*wanted != "ug/m3")
            throw ParameterError("unit",
                                 quoteText(*wanted) + " is not a unit served: ug/m3, for no2 and so2");
        factor = quantity ? airquality::microgramsPerCubicMetrePerPpb(*quantity) : std::nullopt;
        if (!factor)
            throw ParameterError("unit", "ug/m3 is for no2 and so2; Datastream " + std::to_string(id) +
                                             " measures " + datastream.quantity + " (" + unit + ")");
        unit = "ug/m3";
    }
    const auto timing = sensorTiming(store, id, end);
    if (!timing)
        return airQualityError(
            422, "Datastream " + std::to_string(id) +
                     " has no announced interval and fewer than two readings: its interval, which "
                     "the expected count and the coverage need, cannot be told from their spacing");
    auto periods = aggregates(store, id, start, end, timing->timing, period);
    if (factor)
        airquality::scaleValues(periods, *factor);
    if (format)
        return csv(periods, unit);
    auto object = orderedObject();
    object->set("Datastream@iot.id", id);
    object->set("Datastream@iot.navigationLink", serviceRoot + "/Datastreams(" + std::to_string(id) + ")");
    object->set("quantity", datastream.quantity);
    object->set("unit", unit);
    object->set("interval", periodName(period));
    object->set("from", formatIsoTime(start));
    object->set("to", formatIsoTime(end));
    setInterval(*object, timing);
    Poco::JSON::Array::Ptr values = new Poco::JSON::Array;
    for (const auto& aggregate : periods)
        values->add(periodJson(aggregate));
    object->set("value", values);
    return jsonAnswer(object);
}

}  // namespace citysense::api
