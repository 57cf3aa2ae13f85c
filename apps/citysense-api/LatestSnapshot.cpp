// /latest.geojson: a GeoJSON FeatureCollection with one Feature per station: its position, the latest
// reading of each quantity with its age and whether it is stale, and its European Air Quality Index of
// the last whole hour. A handful of set-based queries, whatever the number of stations.
#include "AirQualityResources.h"
#include "HourlySeries.h"
#include "airquality/Calendar.h"
#include "airquality/Concentration.h"

#include <citysense/Format.h>
#include <citysense/Sample.h>

#include <Poco/JSON/Array.h>

#include <map>

namespace citysense::api {

namespace {

// Stations asked of the store at once.
constexpr std::size_t kStationPage = 10000;

std::vector<StationRow> allStations(ReadingsStore& store) {
    std::vector<StationRow> stations;
    for (;;) {
        const auto page = store.things(
            Selection::all(),
            stations.empty() ? std::nullopt : std::optional<std::int64_t>(stations.back().id), kStationPage);
        stations.insert(stations.end(), page.begin(), page.end());
        if (page.size() < kStationPage)
            return stations;
    }
}

Poco::Dynamic::Var geometry(const StationRow& station) {
    if (!station.hasPosition())
        return {};
    Poco::JSON::Array::Ptr coordinates = new Poco::JSON::Array;
    coordinates->add(*station.longitude);  // GeoJSON: longitude first
    coordinates->add(*station.latitude);
    auto point = orderedObject();
    point->set("type", "Point");
    point->set("coordinates", coordinates);
    return point;
}

Poco::JSON::Object::Ptr latestJson(const LatestReading& latest, Micros now) {
    std::vector<Micros> times = latest.earlierTimes;
    times.push_back(latest.time);
    const auto interval = medianSpacing(times);
    const Micros age = now - latest.time;
    const auto quantity = quantityByName(latest.quantity);
    auto object = orderedObject();
    object->set("Datastream@iot.id", latest.sensor);
    object->set("value", latest.value);
    object->set("unit", quantity ? std::string(info(*quantity).unit) : latest.unit);
    object->set("time", formatIsoTime(latest.time));
    object->set("age_seconds", static_cast<double>(age) / kMicrosPerSecond);
    object->set("stale", interval ? Poco::Dynamic::Var(age > 2 * *interval) : Poco::Dynamic::Var());
    setInterval(*object, interval);
    Poco::JSON::Array::Ptr quality = new Poco::JSON::Array;
    for (const auto& name : qualityNames(latest.quality))
        quality->add(name);
    object->set("quality", quality);
    return object;
}

/// The index of each station with a NO2 or SO2 sensor, for the hour from `hour`.
std::map<std::int64_t, airquality::StationIndex> stationIndexes(AirQualityStore& store,
                                                                const std::vector<LatestReading>& latest,
                                                                Micros hour) {
    const Micros end = hour + airquality::kMicrosPerHour;
    std::map<std::int64_t, std::vector<airquality::Reading>> readings;
    for (const SensorReading& reading : store.readingsOfQuantities({Quantity::NO2, Quantity::SO2}, hour, end))
        readings[reading.sensor].push_back(reading.reading);
    std::map<std::int64_t, std::vector<airquality::PollutantHour>> hours;
    for (const LatestReading& sensor : latest) {
        const auto quantity = quantityByName(sensor.quantity);
        const auto factor = quantity ? airquality::microgramsPerCubicMetrePerPpb(*quantity) : std::nullopt;
        if (!factor)
            continue;
        std::vector<Micros> times = sensor.earlierTimes;
        times.push_back(sensor.time);
        const auto interval = medianSpacing(times);
        airquality::Aggregate aggregate;  // not valid, unless readings say otherwise
        if (interval) {
            auto aggregates = airquality::aggregate(readings[sensor.sensor], hour, end, timingOf(*interval),
                                                    airquality::Period::Hour);
            airquality::scaleValues(aggregates, *factor);
            aggregate = aggregates.front();
        }
        hours[sensor.station].push_back({*quantity, aggregate});
    }
    std::map<std::int64_t, airquality::StationIndex> indexes;
    for (const auto& [station, pollutantHours] : hours)
        indexes[station] = airquality::stationIndex(pollutantHours);
    return indexes;
}

}  // namespace

AirQualityAnswer latestSnapshot(AirQualityStore& store, const Poco::URI::QueryParameters& parameters,
                                const std::string& serviceRoot) {
    const AirQualityParameters given(parameters, {});
    const Micros now = nowMicros();
    const Micros hour = airquality::hourStart(now) - airquality::kMicrosPerHour;  // the last whole hour
    const auto stations = allStations(store.readings());
    const auto latest = store.latestReadings();
    const auto indexes = stationIndexes(store, latest, hour);
    // Each station's latest reading of each quantity (of two sensors of one quantity, the later).
    std::map<std::int64_t, std::map<std::string, const LatestReading*>> byStation;
    for (const LatestReading& reading : latest) {
        const LatestReading*& slot = byStation[reading.station][reading.quantity];
        if (!slot || slot->time < reading.time)
            slot = &reading;
    }
    Poco::JSON::Array::Ptr features = new Poco::JSON::Array;
    for (const StationRow& station : stations) {
        auto properties = orderedObject();
        properties->set("station", station.path());
        properties->set("Thing@iot.id", station.id);
        properties->set("Thing@iot.selfLink", serviceRoot + "/Things(" + std::to_string(station.id) + ")");
        auto values = orderedObject();
        for (const auto& [quantity, reading] : byStation[station.id])
            values->set(quantity, latestJson(*reading, now));
        properties->set("latest", values);
        const auto index = indexes.find(station.id);
        if (index != indexes.end()) {
            auto eaqi = orderedObject();
            eaqi->set("start", formatIsoTime(hour));
            eaqi->set("end", formatIsoTime(hour + airquality::kMicrosPerHour));
            setIndex(*eaqi, index->second);
            properties->set("eaqi", eaqi);
        } else {
            properties->set("eaqi", Poco::Dynamic::Var());
        }
        auto feature = orderedObject();
        feature->set("type", "Feature");
        feature->set("id", station.id);
        feature->set("geometry", geometry(station));
        feature->set("properties", properties);
        features->add(feature);
    }
    auto collection = orderedObject();
    collection->set("type", "FeatureCollection");
    collection->set("time", formatIsoTime(now));
    collection->set("features", features);
    return jsonAnswer(collection, "application/geo+json");
}

}  // namespace citysense::api
