#include "AirQualityStore.h"

#include <citysense/Sample.h>

#include <Poco/Nullable.h>

#include <algorithm>

namespace citysense::api {

namespace {

// Bound with `&`: the quality bits that make a reading no measurement of the air.
constexpr std::int64_t kNotUsable = QualityOutOfRange | QualitySensorFault | QualityWarmingUp;

std::int64_t whole(const Row& row, std::size_t column) {
    return row[column].convert<Poco::Int64>();
}

/// Readings of the typed columns of a query's (time, value) rows.
std::vector<airquality::Reading> readingsOf(const std::vector<Poco::Int64>& times,
                                            const std::vector<double>& values) {
    std::vector<airquality::Reading> result(times.size());
    for (std::size_t at = 0; at < times.size(); ++at)
        result[at] = {times[at], values[at]};
    return result;
}

/// "?, ?, ?)": the ids, bound, and the closing parenthesis of an IN list.
void idList(BoundQuery& query, const std::vector<std::int64_t>& ids) {
    for (std::size_t at = 0; at < ids.size(); ++at)
        query.sql(at == 0 ? "" : ", ").value(ids[at]);
    query.sql(")");
}

}  // namespace

std::vector<airquality::Reading> AirQualityStore::readings(std::int64_t sensor, Micros from, Micros to,
                                                           std::size_t limit) {
    BoundQuery query;
    query.sql("SELECT ")
        .sql(_store.timeMicros())
        .sql(", r.value FROM readings r WHERE r.sensor_id = ")
        .value(sensor);
    _store.time(query.sql(" AND r.time >= "), from);
    _store.time(query.sql(" AND r.time < "), to);
    query.sql(" AND (r.quality & ").value(kNotUsable).sql(") = 0 ORDER BY r.time LIMIT ");
    query.value(static_cast<std::int64_t>(limit));
    // Typed columns, filled in bulk: a Dynamic::Var a value (ReadingsStore::run()) took most of a
    // sensor-year's aggregates.
    std::vector<Poco::Int64> times;
    std::vector<double> values;
    _store.select(query, times, values);
    return readingsOf(times, values);
}

std::optional<airquality::Reading> AirQualityStore::readingBefore(std::int64_t sensor, Micros time) {
    BoundQuery query;
    query.sql("SELECT ")
        .sql(_store.timeMicros())
        .sql(", r.value FROM readings r WHERE r.sensor_id = ")
        .value(sensor);
    _store.time(query.sql(" AND r.time < "), time);
    query.sql(" AND (r.quality & ").value(kNotUsable).sql(") = 0 ORDER BY r.time DESC LIMIT 1");
    std::vector<Poco::Int64> times;
    std::vector<double> values;
    _store.select(query, times, values);
    return times.empty() ? std::nullopt
                         : std::optional<airquality::Reading>(readingsOf(times, values).front());
}

std::vector<Micros> AirQualityStore::timesBefore(std::int64_t sensor, Micros time, std::size_t count) {
    BoundQuery query;
    query.sql("SELECT ").sql(_store.timeMicros()).sql(" FROM readings r WHERE r.sensor_id = ").value(sensor);
    _store.time(query.sql(" AND r.time < "), time);
    query.sql(" ORDER BY r.time DESC LIMIT ").value(static_cast<std::int64_t>(count));
    std::vector<Poco::Int64> times;
    _store.select(query, times);
    return {times.begin(), times.end()};
}

std::vector<Micros> AirQualityStore::timesFrom(std::int64_t sensor, Micros time, std::size_t count) {
    BoundQuery query;
    query.sql("SELECT ").sql(_store.timeMicros()).sql(" FROM readings r WHERE r.sensor_id = ").value(sensor);
    _store.time(query.sql(" AND r.time >= "), time);
    query.sql(" ORDER BY r.time LIMIT ").value(static_cast<std::int64_t>(count));
    std::vector<Poco::Int64> times;
    _store.select(query, times);
    return {times.begin(), times.end()};
}

std::map<std::int64_t, AnnouncedTiming> AirQualityStore::announcedTimings(
    const std::vector<std::int64_t>& sensors) {
    std::map<std::int64_t, AnnouncedTiming> result;
    for (std::size_t first = 0; first < sensors.size(); first += kSensorsAQuery) {
        BoundQuery query;
        query.sql("SELECT s.id, s.interval_us, s.on_change, s.max_silence_us FROM sensors s WHERE s.id IN (");
        idList(query, std::vector<std::int64_t>(
                          sensors.begin() + static_cast<std::ptrdiff_t>(first),
                          sensors.begin() +
                              static_cast<std::ptrdiff_t>(std::min(sensors.size(), first + kSensorsAQuery))));
        query.sql(" AND s.interval_us IS NOT NULL");
        for (const Row& row : _store.run(query)) {
            AnnouncedTiming timing{whole(row, 1), whole(row, 2) != 0, std::nullopt};
            if (!row[3].isEmpty())
                timing.maxSilence = whole(row, 3);
            result[whole(row, 0)] = timing;
        }
    }
    return result;
}

std::vector<LatestReading> AirQualityStore::latestReadings() {
    // One query: each sensor's latest reading is a descent of the primary key (sensor, time) and a
    // look-up of its row, with the timing its gateway announced. Only a sensor that announced none has
    // the three readings before its latest read too (three more descents), whose spacing tells its
    // interval: CASE reads them for it alone. ORDER BY ... LIMIT, not MAX(): MariaDB reads every
    // reading of the sensor for a MAX() in a correlated subquery.
    const bool sqlite = _store._sqlite;
    const char* open =
        sqlite ? "(SELECT m.time + 0" : "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', (SELECT m.time";
    const char* close = sqlite ? ")" : "))";
    BoundQuery query;
    query.sql("SELECT s.id, s.station_id, s.quantity, s.unit, ")
        .sql(_store.timeMicros())
        .sql(", r.value, r.quality, s.interval_us, s.on_change, s.max_silence_us");
    for (const char* offset : {"1", "2", "3"}) {
        query.sql(", CASE WHEN s.interval_us IS NULL THEN ")
            .sql(open)
            .sql(" FROM readings m WHERE m.sensor_id = s.id ORDER BY m.time DESC LIMIT 1 OFFSET ")
            .sql(offset)
            .sql(close)
            .sql(" END");
    }
    query.sql(
        " FROM sensors s JOIN readings r ON r.sensor_id = s.id AND r.time = "
        "(SELECT m.time FROM readings m WHERE m.sensor_id = s.id ORDER BY m.time DESC LIMIT 1) "
        "ORDER BY s.station_id, s.id");
    // Typed columns, filled in bulk: ten thousand sensors' rows as Dynamic::Vars cost more than the query.
    using Optional = Poco::Nullable<Poco::Int64>;
    std::vector<Poco::Int64> sensors, stations, times, qualities, onChange;
    std::vector<std::string> quantities, units;
    std::vector<double> values;
    std::vector<Optional> intervals, silences, earlier1, earlier2, earlier3;
    _store.select(query, sensors, stations, quantities, units, times, values, qualities, intervals, onChange,
                  silences, earlier1, earlier2, earlier3);
    std::vector<LatestReading> result(sensors.size());
    for (std::size_t at = 0; at < sensors.size(); ++at) {
        LatestReading& latest = result[at];
        latest.sensor = sensors[at];
        latest.station = stations[at];
        latest.quantity = std::move(quantities[at]);
        latest.unit = std::move(units[at]);
        latest.time = times[at];
        latest.value = values[at];
        latest.quality = static_cast<std::uint16_t>(qualities[at]);
        if (!intervals[at].isNull()) {
            latest.announced = AnnouncedTiming{intervals[at].value(), onChange[at] != 0, std::nullopt};
            if (!silences[at].isNull())
                latest.announced->maxSilence = silences[at].value();
        }
        for (const Optional* earlier : {&earlier1[at], &earlier2[at], &earlier3[at]}) {
            if (earlier->isNull())
                break;
            latest.earlierTimes.push_back(earlier->value());
        }
    }
    return result;
}

std::vector<SensorReading> AirQualityStore::readingsOfSensors(const std::vector<std::int64_t>& sensors,
                                                              Micros from, Micros to) {
    std::vector<SensorReading> result;
    std::vector<Poco::Int64> ids, times;
    std::vector<double> values;
    for (std::size_t first = 0; first < sensors.size(); first += kSensorsAQuery) {
        // A list of ids, not a join with sensors: MariaDB makes it one range of the primary key per
        // sensor, where a join reads every reading of each sensor.
        BoundQuery query;
        query.sql("SELECT r.sensor_id, ")
            .sql(_store.timeMicros())
            .sql(", r.value FROM readings r WHERE r.sensor_id IN (");
        idList(query, std::vector<std::int64_t>(
                          sensors.begin() + static_cast<std::ptrdiff_t>(first),
                          sensors.begin() +
                              static_cast<std::ptrdiff_t>(std::min(sensors.size(), first + kSensorsAQuery))));
        _store.time(query.sql(" AND r.time >= "), from);
        _store.time(query.sql(" AND r.time < "), to);
        query.sql(" AND (r.quality & ").value(kNotUsable).sql(") = 0");
        _store.select(query, ids, times, values);
        for (std::size_t at = 0; at < ids.size(); ++at)
            result.push_back({ids[at], {times[at], values[at]}});
    }
    std::sort(result.begin(), result.end(), [](const SensorReading& a, const SensorReading& b) {
        return a.sensor != b.sensor ? a.sensor < b.sensor : a.reading.time < b.reading.time;
    });
    return result;
}

}  // namespace citysense::api
