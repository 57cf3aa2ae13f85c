// /latest.geojson: a GeoJSON FeatureCollection with one Feature per station: its position, the latest
// reading of each quantity with its age and whether it is stale, and its European Air Quality Index of
// the last whole hour. A handful of set-based queries, whatever the number of stations.
#include "AirQualityResources.h"
#include "HourlySeries.h"
#include "SensorIntervals.h"
#include "airquality/Calendar.h"
#include "airquality/Concentration.h"

#include <citysense/Format.h>
#include <citysense/Sample.h>

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

void writeGeometry(JsonWriter& out, const StationRow& station) {
    if (!station.hasPosition()) {
        out.null();
        return;
    }
    out.beginObject().key("type").string("Point").key("coordinates").beginArray();
    out.number(*station.longitude).number(*station.latitude);  // GeoJSON: longitude first
    out.endArray().endObject();
}

/// The sensor's timing as announced, or else from the median spacing of its last four readings.
std::optional<KnownTiming> latestTiming(const LatestReading& latest) {
    if (latest.announced)
        return KnownTiming{timingOf(*latest.announced), IntervalSource::Announced};
    std::vector<Micros> times = latest.earlierTimes;
    times.push_back(latest.time);
    if (const auto interval = medianSpacing(times))
        return KnownTiming{timingOf(*interval), IntervalSource::MedianSpacing};
    return std::nullopt;
}

/// Stale: older than two of the longest a reading stands (its interval, or a publish-on-change
/// sensor's maximum silence); null when that is not known or unbounded.
void writeStaleness(JsonWriter& out, const std::optional<KnownTiming>& timing, Micros age) {
    if (!timing || timing->timing.hold == airquality::kUnboundedHold)
        out.null();
    else
        out.boolean(age > 2 * timing->timing.hold);
}

void writeLatest(JsonWriter& out, const LatestReading& latest, Micros now) {
    const auto timing = latestTiming(latest);
    const Micros age = now - latest.time;
    const auto quantity = quantityByName(latest.quantity);
    out.beginObject();
    out.key("Datastream@iot.id").integer(latest.sensor);
    out.key("value").number(latest.value);
    out.key("unit").string(quantity ? std::string_view(info(*quantity).unit) : std::string_view(latest.unit));
    out.key("time").string(formatIsoTime(latest.time));
    out.key("age_seconds").number(static_cast<double>(age) / kMicrosPerSecond);
    out.key("stale");
    writeStaleness(out, timing, age);
    writeInterval(out, timing);
    out.key("quality").beginArray();
    for (const auto& name : qualityNames(latest.quality))
        out.string(name);
    out.endArray().endObject();
}

/// A NO2 or SO2 sensor with readings, and what it takes to sum its hour up.
struct Pollutant {
    const LatestReading* sensor;
    Quantity quantity;
    double factor;  ///< to µg/m³
    std::optional<KnownTiming> timing;
};

/// The readings of `pollutants` (with a timing) in the hour from `hour` and in the longest a reading
/// stands before it (a day at most): no reading before that stands into the hour. Sensors of like holds
/// are read together.
std::map<std::int64_t, std::vector<airquality::Reading>> readingsOfHour(
    AirQualityStore& store, std::vector<const Pollutant*> pollutants, Micros hour) {
    std::sort(pollutants.begin(), pollutants.end(), [](const Pollutant* a, const Pollutant* b) {
        return a->timing->timing.hold < b->timing->timing.hold;
    });
    std::map<std::int64_t, std::vector<airquality::Reading>> readings;
    for (std::size_t first = 0; first < pollutants.size(); first += kSensorsAQuery) {
        const std::size_t last = std::min(pollutants.size(), first + kSensorsAQuery);
        std::vector<std::int64_t> sensors;
        for (std::size_t at = first; at < last; ++at)
            sensors.push_back(pollutants[at]->sensor->sensor);
        const Micros before = std::min(pollutants[last - 1]->timing->timing.hold, kMostLookBack);
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
            pollutants.push_back({&sensor, *quantity, *factor, latestTiming(sensor)});
    }
    std::vector<const Pollutant*> timed;
    for (const Pollutant& pollutant : pollutants) {
        if (pollutant.timing)
            timed.push_back(&pollutant);
    }
    auto readings = readingsOfHour(store, timed, hour);
    std::map<std::int64_t, std::vector<airquality::PollutantHour>> hours;
    for (const Pollutant& pollutant : pollutants) {
        airquality::Aggregate aggregate;  // not valid, unless readings say otherwise
        if (pollutant.timing) {
            auto aggregates = airquality::aggregate(readings[pollutant.sensor->sensor], hour,
                                                    hour + airquality::kMicrosPerHour,
                                                    pollutant.timing->timing, airquality::Period::Hour);
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
    // Written as it goes: a Poco::JSON object per feature, value and index cost more than the queries.
    JsonWriter out;
    out.reserve(stations.size() * 512);
    out.beginObject();
    out.key("type").string("FeatureCollection");
    out.key("time").string(formatIsoTime(now));
    out.key("features").beginArray();
    const std::string things = serviceRoot + "/Things(";
    for (const StationRow& station : stations) {
        const std::string id = std::to_string(station.id);
        out.beginObject();
        out.key("type").string("Feature");
        out.key("id").integer(station.id);
        out.key("geometry");
        writeGeometry(out, station);
        out.key("properties").beginObject();
        out.key("station").string(station.path());
        out.key("Thing@iot.id").integer(station.id);
        out.key("Thing@iot.selfLink").string({things, id, ")"});
        out.key("latest").beginObject();
        for (const auto& [quantity, reading] : byStation[station.id]) {
            out.key(quantity);
            writeLatest(out, *reading, now);
        }
        out.endObject();
        out.key("eaqi");
        const auto index = indexes.find(station.id);
        if (index != indexes.end()) {
            out.beginObject();
            out.key("start").string(formatIsoTime(hour));
            out.key("end").string(formatIsoTime(hour + airquality::kMicrosPerHour));
            writeIndex(out, index->second);
            out.endObject();
        } else {
            out.null();
        }
        out.endObject().endObject();
    }
    out.endArray().endObject();
    return {200, "application/geo+json", out.take()};
}

}  // namespace citysense::api
