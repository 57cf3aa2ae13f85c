// The city soak's view of the database (SoakStore.h).
#include "SoakStore.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>

namespace citysense::bench {

namespace {

/// Runs `sql` and hands each row to `take` as it arrives from the server (mysql_use_result): the final
/// scan reads millions of rows without holding them.
void forEachRow(MariaDbConnection& db, const std::string& sql, const std::function<void(MYSQL_ROW)>& take) {
    if (mysql_real_query(db.handle(), sql.data(), sql.size()) != 0)
        db.fail(sql);
    MYSQL_RES* result = mysql_use_result(db.handle());
    if (!result)
        db.fail(sql);
    while (MYSQL_ROW row = mysql_fetch_row(result))
        take(row);
    const bool failed = mysql_errno(db.handle()) != 0;
    mysql_free_result(result);
    if (failed)
        db.fail(sql);
}

double loadAverage() {
    double load = 0;
    if (FILE* file = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(file, "%lf", &load) != 1)
            load = 0;
        std::fclose(file);
    }
    return load;
}

}  // namespace

SoakStore::SoakStore(const MariaDbAddress& address, SoakLedger& ledger, double pollMs, double lookbackSeconds)
    : _address(address), _ledger(ledger), _pollMs(pollMs), _lookbackSeconds(lookbackSeconds) {}

SoakStore::~SoakStore() {
    stop();
}

void SoakStore::start() {
    _thread = std::thread([this] {
        try {
            poll();
        } catch (const std::exception& error) {
            std::lock_guard<std::mutex> lock(_mutex);
            _error = error.what();
        }
    });
}

void SoakStore::stop() {
    _stopping = true;
    if (_thread.joinable())
        _thread.join();
}

std::vector<Micros> SoakStore::latencies(bool firstRound) {
    std::lock_guard<std::mutex> lock(_mutex);
    std::vector<Micros> sorted;
    if (firstRound)
        sorted = _firstRound;
    else
        for (const TimedLatency& seen : _laterRounds)
            sorted.push_back(seen.latency);
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

std::vector<TimedLatency> SoakStore::timedLaterRounds() {
    std::lock_guard<std::mutex> lock(_mutex);
    return _laterRounds;
}

std::vector<LoadSample> SoakStore::loads() {
    std::lock_guard<std::mutex> lock(_mutex);
    return _loads;
}

std::string SoakStore::error() {
    std::lock_guard<std::mutex> lock(_mutex);
    return _error;
}

std::vector<Micros> SoakStore::pollPeriods() {
    std::lock_guard<std::mutex> lock(_mutex);
    std::vector<Micros> sorted = _periods;
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

void SoakStore::refreshSensors(MariaDbConnection& db) {
    forEachRow(db,
               "SELECT sensors.id, stations.street, sensors.quantity FROM sensors JOIN stations ON "
               "stations.id = sensors.station_id",
               [&](MYSQL_ROW row) {
                   const auto gateway = gatewayOfStreet(row[1]);
                   const auto quantity = quantityIndex(row[2]);
                   if (gateway && quantity)
                       _sensors[std::strtoul(row[0], nullptr, 10)] = {*gateway, *quantity};
               });
}

std::optional<std::size_t> SoakStore::readingOf(MariaDbConnection& db, unsigned long sensor, Micros time) {
    auto found = _sensors.find(sensor);
    if (found == _sensors.end()) {
        refreshSensors(db);
        found = _sensors.find(sensor);
        if (found == _sensors.end())
            return std::nullopt;
    }
    return _ledger.plan().reading(found->second.first, found->second.second, time);
}

bool SoakStore::settled(std::size_t gateway, std::size_t round, bool publishingDone) const {
    for (std::size_t quantity = 0; quantity < soakQuantities().size(); ++quantity) {
        const std::size_t reading = _ledger.plan().reading(gateway, quantity, round);
        const bool published = _ledger.has(reading, SoakLedger::Published);
        if (!_ledger.has(reading, SoakLedger::Seen) && !_ledger.has(reading, SoakLedger::Refused) &&
            (published || !publishingDone))
            return false;
    }
    return true;
}

Micros SoakStore::oldestAwaited(Micros poll) {
    const SoakPlan& plan = _ledger.plan();
    const Micros oldest = poll - static_cast<Micros>(_lookbackSeconds * 1e6);
    const std::size_t slots = plan.gateways * plan.rounds;
    for (; _cursor < slots; ++_cursor) {
        const std::size_t round = _cursor / plan.gateways;
        const std::size_t gateway = _cursor % plan.gateways;
        const Micros time = plan.time(gateway, round);
        if (time >= oldest && !settled(gateway, round, time < poll - kMicrosPerSecond))
            return time;
    }
    return poll;
}

void SoakStore::poll() {
    MariaDbConnection db(_address, false);
    mysql_autocommit(db.handle(), 1);
    db.run("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    const auto period = std::chrono::microseconds(static_cast<Micros>(_pollMs * 1000));
    auto next = std::chrono::steady_clock::now();
    Micros previous = 0;
    while (!_stopping) {
        std::this_thread::sleep_until(next);
        next = std::max(next + period, std::chrono::steady_clock::now());
        const Micros poll = nowMicros();
        // The rows first, then the look-ups: a new sensor is a query of its own.
        std::vector<std::pair<unsigned long, Micros>> rows;
        forEachRow(db,
                   "SELECT sensor_id, time FROM readings WHERE time >= '" +
                       formatSeedTime(oldestAwaited(poll)) + "'",
                   [&](MYSQL_ROW row) {
                       if (const auto time = parseSeedTime(row[1]))
                           rows.emplace_back(std::strtoul(row[0], nullptr, 10), *time);
                   });
        std::vector<Micros> firstRound;
        std::vector<TimedLatency> laterRounds;
        for (const auto& [sensor, time] : rows) {
            const auto reading = readingOf(db, sensor, time);
            if (!reading || !_ledger.markFirst(*reading, SoakLedger::Seen))
                continue;
            if (_ledger.plan().roundOf(*reading) == 0)
                firstRound.push_back(poll - time);
            else
                laterRounds.push_back({time, poll - time});
        }
        const double load = loadAverage();
        _peakLoad = std::max(_peakLoad.load(), load);
        std::lock_guard<std::mutex> lock(_mutex);
        _firstRound.insert(_firstRound.end(), firstRound.begin(), firstRound.end());
        _laterRounds.insert(_laterRounds.end(), laterRounds.begin(), laterRounds.end());
        _seen += firstRound.size() + laterRounds.size();
        _loads.push_back({poll, load});
        if (previous)
            _periods.push_back(poll - previous);
        previous = poll;
    }
}

StoreCounts SoakStore::scan() {
    MariaDbConnection db(_address, false);
    refreshSensors(db);
    StoreCounts counts;
    std::vector<std::pair<unsigned long, Micros>> newSensorRows;  // of sensors made after the refresh
    const auto count = [&](unsigned long sensor, Micros time) {
        const auto found = _sensors.find(sensor);
        const auto reading = found != _sensors.end()
                                 ? _ledger.plan().reading(found->second.first, found->second.second, time)
                                 : std::nullopt;
        if (reading)
            _ledger.countStored(*reading);
        else
            ++counts.unexpected;
    };
    forEachRow(db, "SELECT sensor_id, time FROM readings", [&](MYSQL_ROW row) {
        ++counts.rows;
        const auto time = parseSeedTime(row[1]);
        const unsigned long sensor = std::strtoul(row[0], nullptr, 10);
        if (!time)
            ++counts.unexpected;
        else if (_sensors.count(sensor))
            count(sensor, *time);
        else
            newSensorRows.emplace_back(sensor, *time);
    });
    refreshSensors(db);
    for (const auto& [sensor, time] : newSensorRows)
        count(sensor, time);
    return counts;
}

std::size_t SoakStore::rows() {
    MariaDbConnection db(_address, false);
    return std::stoull(db.select("SELECT COUNT(*) FROM readings").at(0).at(0));
}

}  // namespace citysense::bench
