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

#include <algorithm>
#include <map>

namespace citysense::api {

namespace {

// Stations asked of the store at once.
constexpr std::size_t kStationPage = 10000;
// The longest a reading before the hour is looked for: a sensor reporting less often than daily does
// not make the index.
constexpr Micros kMostLookBack = 24 * airquality::kMicrosPerHour;

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

/// The median spacing of the sensor's last four readings.
std::optional<Micros> intervalOf(const LatestReading& latest) {
    std::vector<Micros> times = latest.earlierTimes;
    times.push_back(latest.time);
    return medianSpacing(times);
}

Poco::JSON::Object::Ptr latestJson(const LatestReading& latest, Micros now) {
    const auto interval = intervalOf(latest);
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

/// A NO2 or SO2 sensor with readings, and what it takes to sum its hour up.
struct Pollutant {
    const LatestReading* sensor;
    Quantity quantity;
    double factor;  ///< to µg/m³
    std::optional<Micros> interval;
};

/// The readings of `pollutants` (with an interval) in the hour from `hour` and in the interval before
/// it: no reading before that stands into the hour. Sensors of like intervals are read together.
std::map<std::int64_t, std::vector<airquality::Reading>> readingsOfHour(
    AirQualityStore& store, std::vector<const Pollutant*> pollutants, Micros hour) {
    std::sort(pollutants.begin(), pollutants.end(),
              [](const Pollutant* a, const Pollutant* b) { return *a->interval < *b->interval; });
    std::map<std::int64_t, std::vector<airquality::Reading>> readings;
    for (std::size_t first = 0; first < pollutants.size(); first += kSensorsAQuery) {
        const std::size_t last = std::min(pollutants.size(), first + kSensorsAQuery);
        std::vector<std::int64_t> sensors;
        for (std::size_t at = first; at < last; ++at)
            sensors.push_back(pollutants[at]->sensor->sensor);
        const Micros before = std::min(*pollutants[last - 1]->interval, kMostLookBack);
        for (const SensorReading& reading :
             store.readingsOfSensors(sensors, hour - before, hour + airquality::kMicrosPerHour))
            readings[reading.sensor].push_back(reading.reading);
    }
    return readings;
}

/// The index of each station with a NO2 or SO2 sensor, for the hour from `hour`.
std::map<std::int64_t, airquality::StationIndex> stationIndexes(AirQualityStore& store,
                                                                const std::vector<LatestReading>& latest,
                                                                Micros hour) {
    std::vector<Pollutant> pollutants;
    for (const LatestReading& sensor : latest) {
        const auto quantity = quantityByName(sensor.quantity);
        const auto factor = quantity ? airquality::microgramsPerCubicMetrePerPpb(*quantity) : std::nullopt;
        if (factor)
            pollutants.push_back({&sensor, *quantity, *factor, intervalOf(sensor)});
    }
    std::vector<const Pollutant*> timed;
    for (const Pollutant& pollutant : pollutants) {
        if (pollutant.interval)
            timed.push_back(&pollutant);
    }
    auto readings = readingsOfHour(store, timed, hour);
    std::map<std::int64_t, std::vector<airquality::PollutantHour>> hours;
    for (const Pollutant& pollutant : pollutants) {
        airquality::Aggregate aggregate;  // not valid, unless readings say otherwise
        if (pollutant.interval) {
            auto aggregates = airquality::aggregate(readings[pollutant.sensor->sensor], hour,
                                                    hour + airquality::kMicrosPerHour,
                                                    timingOf(*pollutant.interval), airquality::Period::Hour);
            airquality::scaleValues(aggregates, pollutant.factor);
            aggregate = aggregates.front();
        }
        hours[pollutant.sensor->station].push_back({pollutant.quantity, aggregate});
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
    const auto stations = allStations(store.readingsStore());
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
