// Things(id)/Compliance?year=YYYY[&limits=2008/50/EC|2024/2881]: the station's NO2 and SO2 Datastreams
// against every limit of the set, counted from valid hours only (airquality/Compliance.h), in µg/m³.
#include "AirQualityResources.h"
#include "PollutantSeries.h"
#include "airquality/Calendar.h"
#include "airquality/Compliance.h"

#include <Poco/JSON/Array.h>

#include <algorithm>

namespace citysense::api {

namespace {

Poco::JSON::Object::Ptr limitJson(const airquality::LimitResult& result) {
    auto object = orderedObject();
    object->set("averaging", airquality::averagingName(result.limit.averaging));
    object->set("threshold", result.limit.threshold);
    object->set("allowed", result.limit.allowedExceedances);
    object->set("exceedances", result.exceedances);
    object->set("valid_periods", result.validPeriods);
    object->set("periods", result.periods);
    object->set("data_capture", result.dataCapture);
    if (result.limit.averaging == airquality::Averaging::Year)
        object->set("mean", valueOrNull(result.mean));
    object->set("verdict", airquality::verdictName(result.verdict));
    return object;
}

}  // namespace

AirQualityAnswer complianceResource(AirQualityStore& store, std::int64_t thing,
                                    const Poco::URI::QueryParameters& parameters,
                                    const std::string& serviceRoot) {
    const AirQualityParameters given(parameters, {"year", "limits"});
    const int year = parseYear(given.required("year"), airquality::yearOf(nowMicros()));
    const airquality::LimitSet& limits = parseLimitSet(given.text("limits"));
    const auto stations = store.readingsStore().things(Selection::id(thing), std::nullopt, 1);
    if (stations.empty())
        return airQualityError(404, "no Thing " + std::to_string(thing));
    auto object = orderedObject();
    object->set("Thing@iot.id", thing);
    object->set("Thing@iot.navigationLink", serviceRoot + "/Things(" + std::to_string(thing) + ")");
    object->set("station", stations.front().path());
    object->set("year", year);
    object->set("limits", limits.name);
    object->set("limits_description", limits.description);
    object->set("unit", "ug/m3");
    Poco::JSON::Array::Ptr datastreams = new Poco::JSON::Array;
    for (const PollutantSeries& series :
         pollutantSeries(store, thing, airquality::yearStart(year), airquality::yearStart(year + 1))) {
        const auto pollutant = std::find_if(limits.pollutants.begin(), limits.pollutants.end(),
                                            [&](const airquality::PollutantLimits& candidate) {
                                                return candidate.quantity == series.quantity;
                                            });
        if (pollutant == limits.pollutants.end())
            continue;
        const airquality::ComplianceResult result = airquality::compliance(*pollutant, series.hours);
        auto entry = orderedObject();
        entry->set("Datastream@iot.id", series.datastream.id);
        entry->set("quantity", series.datastream.quantity);
        setInterval(*entry, series.timing);
        Poco::JSON::Array::Ptr limitResults = new Poco::JSON::Array;
        for (const auto& limit : result.limits)
            limitResults->add(limitJson(limit));
        entry->set("limits", limitResults);
        entry->set("alert_threshold", valueOrNull(result.alertThreshold));
        entry->set("alert_episodes", result.alertEpisodes);
        datastreams->add(entry);
    }
    object->set("datastreams", datastreams);
    return jsonAnswer(object);
}

}  // namespace citysense::api
