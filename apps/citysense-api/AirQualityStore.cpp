#include "AirQualityStore.h"

#include <citysense/Sample.h>

#include <algorithm>

namespace citysense::api {

namespace {

// Bound with `&`: the quality bits that make a reading no measurement of the air.
constexpr std::int64_t kNotUsable = QualityOutOfRange | QualitySensorFault | QualityWarmingUp;

std::int64_t whole(const Row& row, std::size_t column) {
    return row[column].convert<Poco::Int64>();
}

double number(const Row& row, std::size_t column) {
    return row[column].convert<double>();
}

std::vector<Micros> times(const Rows& rows) {
    std::vector<Micros> result;
    result.reserve(rows.size());
    for (const Row& row : rows)
        result.push_back(whole(row, 0));
    return result;
}

std::vector<airquality::Reading> readingsOf(const Rows& rows) {
    std::vector<airquality::Reading> result;
    result.reserve(rows.size());
    for (const Row& row : rows)
        result.push_back({whole(row, 0), number(row, 1)});
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
    return readingsOf(_store.run(query));
}

std::optional<airquality::Reading> AirQualityStore::readingBefore(std::int64_t sensor, Micros time) {
    BoundQuery query;
    query.sql("SELECT ")
        .sql(_store.timeMicros())
        .sql(", r.value FROM readings r WHERE r.sensor_id = ")
        .value(sensor);
    _store.time(query.sql(" AND r.time < "), time);
    query.sql(" AND (r.quality & ").value(kNotUsable).sql(") = 0 ORDER BY r.time DESC LIMIT 1");
    const auto rows = readingsOf(_store.run(query));
    return rows.empty() ? std::nullopt : std::optional<airquality::Reading>(rows.front());
}

std::vector<Micros> AirQualityStore::timesBefore(std::int64_t sensor, Micros time, std::size_t count) {
    BoundQuery query;
    query.sql("SELECT ").sql(_store.timeMicros()).sql(" FROM readings r WHERE r.sensor_id = ").value(sensor);
    _store.time(query.sql(" AND r.time < "), time);
    query.sql(" ORDER BY r.time DESC LIMIT ").value(static_cast<std::int64_t>(count));
    return times(_store.run(query));
}

std::vector<Micros> AirQualityStore::timesFrom(std::int64_t sensor, Micros time, std::size_t count) {
    BoundQuery query;
    query.sql("SELECT ").sql(_store.timeMicros()).sql(" FROM readings r WHERE r.sensor_id = ").value(sensor);
    _store.time(query.sql(" AND r.time >= "), time);
    query.sql(" ORDER BY r.time LIMIT ").value(static_cast<std::int64_t>(count));
    return times(_store.run(query));
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
    // Each subquery is a descent of the primary key (sensor, time) for one sensor: the latest reading,
    // and the three before it, whose spacing tells the sensor's interval. ORDER BY ... LIMIT, not MAX():
    // MariaDB reads every reading of the sensor for a MAX() in a correlated subquery, and one for this.
    const bool sqlite = _store._sqlite;
    const char* open =
        sqlite ? "(SELECT m.time + 0" : "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', (SELECT m.time";
    const char* close = sqlite ? ")" : "))";
    BoundQuery query;
    query.sql("SELECT s.id, s.station_id, s.quantity, s.unit, ")
        .sql(_store.timeMicros())
        .sql(", r.value, r.quality");
    for (const char* offset : {"1", "2", "3"}) {
        query.sql(", ")
            .sql(open)
            .sql(" FROM readings m WHERE m.sensor_id = s.id ORDER BY m.time DESC LIMIT 1 OFFSET ")
            .sql(offset)
            .sql(close);
    }
    query.sql(
        " FROM sensors s JOIN readings r ON r.sensor_id = s.id AND r.time = "
        "(SELECT m.time FROM readings m WHERE m.sensor_id = s.id ORDER BY m.time DESC LIMIT 1) "
        "ORDER BY s.station_id, s.id");
    std::vector<LatestReading> result;
    for (const Row& row : _store.run(query)) {
        LatestReading latest{whole(row, 0),
                             whole(row, 1),
                             row[2].convert<std::string>(),
                             row[3].convert<std::string>(),
                             whole(row, 4),
                             number(row, 5),
                             static_cast<std::uint16_t>(whole(row, 6)),
                             {}};
        for (std::size_t column = 7; column < 10 && !row[column].isEmpty(); ++column)
            latest.earlierTimes.push_back(whole(row, column));
        result.push_back(std::move(latest));
    }
    return result;
}

std::vector<SensorReading> AirQualityStore::readingsOfSensors(const std::vector<std::int64_t>& sensors,
                                                              Micros from, Micros to) {
    std::vector<SensorReading> result;
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
        for (const Row& row : _store.run(query))
            result.push_back({whole(row, 0), {whole(row, 1), number(row, 2)}});
    }
    std::sort(result.begin(), result.end(), [](const SensorReading& a, const SensorReading& b) {
        return a.sensor != b.sensor ? a.sensor < b.sensor : a.reading.time < b.reading.time;
    });
    return result;
}

}  // namespace citysense::api
