// The readings store as citysense-api reads it: the stations, sensors and readings tables of sql/
// (SQLite opened read-only, or MariaDB as a user that should only be allowed to SELECT), through a
// pool of Poco Data sessions shared by the request threads. Every query is a BoundQuery. Collections
// come a page at a time, in id order (readings: by time then sensor, or by result then time then
// sensor, either way), after a key given by the page before: keyset paging, which stays correct
// while rows are added. A $filter becomes part of the WHERE clause (EntityFilter). On MariaDB the
// pages of Observations are read through statements kept prepared (MariaDbReadings), the rest
// through the pool.
#pragma once

#include "ApiSettings.h"
#include "BoundQuery.h"
#include "EntityFilter.h"
#include "ObservationOrder.h"
#include "SensingModel.h"
#include "query/Expression.h"

#include <Poco/Data/SessionPool.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace citysense::api {

struct StationRow {
    std::int64_t id = 0;
    std::string system, city, street;
    std::optional<double> latitude, longitude;

    /// "hypo_city/city_01/street_01"
    std::string path() const { return system + "/" + city + "/" + street; }
    bool hasPosition() const { return latitude && longitude; }
};

struct DatastreamRow {
    std::int64_t id = 0;
    std::int64_t stationId = 0;
    std::string stationPath;
    std::string quantity;
    std::string unit;
    std::string driver;         ///< the driver instance, e.g. "driver.air"
    std::int64_t sensorId = 0;  ///< the Sensor entity (see SensingModel.h)
};

struct SensorRow {
    std::int64_t id = 0;
    std::int64_t stationId = 0;
    std::string stationPath;
    std::string driver;
};

struct ReadingRow {
    ObservationKey key;
    double value = 0.0;
    std::uint16_t quality = 0;
};

/// Which rows a query asks for: all, one by id, those related to one entity (the rows of the
/// collection `Things(1)/Datastreams` are the Datastreams related to Thing 1), or several by id (the
/// entities an $expand embeds in a page: things(), datastreams() and sensors() only).
struct Selection {
    enum class By { All, Id, Related, Ids } by = By::All;
    EntityType related = EntityType::Thing;  ///< with By::Related
    std::int64_t key = 0;                    ///< the id, or the related entity's id
    std::vector<std::int64_t> keys;          ///< with By::Ids

    static Selection all() { return {}; }
    static Selection id(std::int64_t id) { return {By::Id, EntityType::Thing, id, {}}; }
    static Selection relatedTo(EntityType type, std::int64_t id) { return {By::Related, type, id, {}}; }
    static Selection ids(std::vector<std::int64_t> ids) {
        return {By::Ids, EntityType::Thing, 0, std::move(ids)};
    }
};

/// Which page of Observations: the readings `filter` accepts, in `order`, after `after`.
struct ObservationPage {
    const Expression* filter = nullptr;  ///< nullptr: every reading
    ObservationOrder order;
    std::optional<ObservationCursor> after;  ///< none: from the first
    std::int64_t skip = 0;                   ///< readings passed over first ($skip: read and dropped)
    std::size_t limit = 0;
};

/// How many Observations a collection holds: exact, or the table statistics' estimate.
struct ObservationCount {
    std::int64_t value = 0;
    bool estimate = false;
};

/// What is handed each reading of a query as soon as it is read, before the next.
using ReadingVisitor = std::function<void(const ReadingRow&)>;

/// A query's rows, each value read out of the session (empty for NULL).
using Row = std::vector<Poco::Dynamic::Var>;
using Rows = std::vector<Row>;

class MariaDbReadings;

class ReadingsStore {
public:
    /// Prepares the pool; connects only when a query first needs a session. Throws std::runtime_error
    /// when a SQLite file does not exist (opening it would create an empty one).
    explicit ReadingsStore(const StoreSettings& settings);
    ~ReadingsStore();
    ReadingsStore(const ReadingsStore&) = delete;
    ReadingsStore& operator=(const ReadingsStore&) = delete;

    /// "sqlite /var/lib/citysense/readings.sqlite", "mysql host=...;db=citysense;user=...": for logs.
    const std::string& description() const { return _description; }

    /// Whether a trivial query succeeds now (on a new pool if the current one failed).
    bool reachable();

    // Each returns at most `limit` rows with ids after `after` (none: from the first), in id order,
    // those `filter` accepts (nullptr: all; throws QueryError for a filter they cannot answer). A
    // Selection the collection has no relation for returns nothing.
    std::vector<StationRow> things(const Selection& selection, std::optional<std::int64_t> after,
                                   std::size_t limit, const Expression* filter = nullptr);
    /// The stations with a position, those in `area` when there is one.
    std::vector<StationRow> locations(const Selection& selection, std::optional<std::int64_t> after,
                                      std::size_t limit, const GeoArea* area = nullptr);
    std::vector<DatastreamRow> datastreams(const Selection& selection, std::optional<std::int64_t> after,
                                           std::size_t limit, const Expression* filter = nullptr);
    std::vector<SensorRow> sensors(const Selection& selection, std::optional<std::int64_t> after,
                                   std::size_t limit);
    /// The ObservedProperty ids (SensingModel.h) of the quantities some sensors row measures.
    std::vector<std::int64_t> observedProperties(const Selection& selection,
                                                 std::optional<std::int64_t> after, std::size_t limit);
    /// The readings of `page`; Selection::id is not used here (see observation()). Throws QueryError
    /// for a filter Observations cannot answer. Each reading is also handed to `arrived` as soon as it
    /// is read: on MariaDB while the server still sends the next ones, so that the caller's work on
    /// them overlaps the server's.
    std::vector<ReadingRow> observations(const Selection& selection, const ObservationPage& page,
                                         const ReadingVisitor& arrived = nullptr);
    /// How many readings observations() pages through: for all readings without a filter on MariaDB
    /// (and no station list limiting the request), the estimate of the table statistics (a COUNT(*)
    /// reads the whole table); otherwise exact.
    ObservationCount countObservations(const Selection& selection, const Expression* filter);
    std::optional<ReadingRow> observation(const ObservationKey& key);

private:
    friend class AirQualityStore;  // its queries use run(), timeMicros() and time()
    friend class ExportStore;      // and so do the CSV exports'
    friend class LiveStore;        // and so does the live stream's look-up of sensors
    class Pool;

    /// Runs `work` on a session of the pool. When it fails, the pool is replaced (its sessions may be
    /// connections the server dropped) and `work` tried once more; a second failure throws.
    void onSession(const std::function<void(Poco::Data::Session&)>& work);
    /// `asked`, restricted to what the request this thread answers may read (ReadingsAccess.h).
    BoundQuery restricted(const BoundQuery& asked) const;
    /// Runs `query`, restricted(), on a session (as onSession()).
    Rows run(const BoundQuery& query);
    /// Runs `query`, restricted(), into typed columns (BoundQuery::extract()), which are emptied first.
    template <typename... Column>
    void select(const BoundQuery& asked, std::vector<Column>&... columns) {
        const BoundQuery query = restricted(asked);
        onSession([&](Poco::Data::Session& session) {
            (columns.clear(), ...);
            query.extract(session, columns...);
        });
    }

    /// Appends the condition of the readings `selection` and `filter` ask for; false when the selection
    /// has none.
    bool whereObservations(BoundQuery& query, const Selection& selection, const Expression* filter) const;

    /// What a filter's SQL needs to know of this store's dialect.
    FilterDialect filterDialect() const;

    /// The time column of readings, in µs since 1970, as the dialect selects it.
    const char* timeMicros() const;
    /// A time as the dialect binds it for a comparison with readings.time.
    BoundQuery& time(BoundQuery& query, Micros value) const;

    bool _sqlite;
    std::string _description;
    std::string _connection;
    int _sessions = 0;
    std::mutex _poolMutex;
    std::shared_ptr<Pool> _pool;                ///< a request keeps the pool it took a session from alive
    std::unique_ptr<MariaDbReadings> _mariaDb;  ///< MariaDB only: what observations() reads through
};

}  // namespace citysense::api
