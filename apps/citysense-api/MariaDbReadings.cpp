#include "MariaDbReadings.h"

#include "ReadingsStore.h"

#include <citysense/Time.h>

#include <Poco/Data/DataException.h>
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/MySQL/SessionImpl.h>

#include <mysql/mysql.h>

#include <algorithm>
#include <array>
#include <type_traits>
#include <utility>
#include <variant>

namespace citysense::api {

namespace {

/// Statements kept prepared on a connection: the shapes of page queries the requests ask for (with or
/// without a cursor, an embargo, a station list), the least recently used closed beyond this.
constexpr std::size_t kKeptStatements = 16;

[[noreturn]] void fail(const char* what, const char* error) {
    throw Poco::Data::DataException(std::string("MariaDB: ") + what + ": " + error);
}

/// A DATETIME column's value (UTC, as the store keeps it) in µs since 1970. The column as it is, not
/// TIMESTAMPDIFF() of it: the server then converts no time per row (an eighth of a page's query).
Micros microsOfDatetime(const MYSQL_TIME& time) {
    CalendarTime calendar;
    calendar.year = time.year;
    calendar.month = static_cast<int>(time.month);
    calendar.day = static_cast<int>(time.day);
    calendar.hour = static_cast<int>(time.hour);
    calendar.minute = static_cast<int>(time.minute);
    calendar.second = static_cast<int>(time.second);
    calendar.micros = static_cast<int>(time.second_part);
    return citysense::microsOf(calendar);
}

}  // namespace

/// One connection and the statements prepared on it, by their text.
class MariaDbReadings::Connection {
public:
    Connection(const std::string& connection, const std::function<void(Poco::Data::Session&)>& setUp)
        : _session(Poco::Data::MySQL::Connector::KEY, connection) {
        setUp(_session);
        _mysql = dynamic_cast<Poco::Data::MySQL::SessionImpl&>(*_session.impl()).handle();
    }

    ~Connection() {
        for (auto& [text, statement] : _statements)
            mysql_stmt_close(statement);
    }

    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void read(const BoundQuery& query, std::vector<ReadingRow>& rows, const ReadingVisitor& arrived) {
        MYSQL_STMT* statement = prepared(query.text());
        std::vector<BoundQuery::Value> values = query.values();  // bound by address while it runs
        std::vector<MYSQL_BIND> parameters(values.size());
        std::vector<unsigned long> lengths(values.size());
        for (std::size_t at = 0; at < values.size(); ++at) {
            MYSQL_BIND& parameter = parameters[at];
            std::visit(
                [&](auto& value) {
                    using Type = std::decay_t<decltype(value)>;
                    if constexpr (std::is_same_v<Type, std::string>) {
                        parameter.buffer_type = MYSQL_TYPE_STRING;
                        parameter.buffer = value.data();
                        lengths[at] = value.size();
                        parameter.length = &lengths[at];
                    } else {
                        parameter.buffer_type =
                            std::is_same_v<Type, double> ? MYSQL_TYPE_DOUBLE : MYSQL_TYPE_LONGLONG;
                        parameter.buffer = &value;
                    }
                },
                values[at]);
        }
        if (mysql_stmt_param_count(statement) != values.size() || mysql_stmt_field_count(statement) != 4)
            fail("a query of readings", "not four columns, or not one value a placeholder");
        long long sensor = 0, quality = 0;
        MYSQL_TIME time{};
        double value = 0;
        std::array<my_bool, 4> nulls{};
        std::array<MYSQL_BIND, 4> columns{};
        const auto column = [&](std::size_t at, enum_field_types type, void* buffer) {
            columns[at].buffer_type = type;
            columns[at].buffer = buffer;
            columns[at].is_null = &nulls[at];
        };
        column(0, MYSQL_TYPE_LONGLONG, &sensor);
        column(1, MYSQL_TYPE_DATETIME, &time);
        column(2, MYSQL_TYPE_DOUBLE, &value);
        column(3, MYSQL_TYPE_LONGLONG, &quality);
        if (mysql_stmt_bind_param(statement, parameters.data()) != 0 ||
            mysql_stmt_bind_result(statement, columns.data()) != 0 || mysql_stmt_execute(statement) != 0)
            fail("running a query of readings", mysql_stmt_error(statement));
        int status = 0;
        while ((status = mysql_stmt_fetch(statement)) == 0) {
            if (std::find(nulls.begin(), nulls.end(), 1) != nulls.end())
                fail("a reading", "a NULL column");
            rows.push_back({{sensor, microsOfDatetime(time)}, value, static_cast<std::uint16_t>(quality)});
            if (arrived)
                arrived(rows.back());
        }
        if (status != MYSQL_NO_DATA)
            fail("reading the rows of a query", mysql_stmt_error(statement));
    }

private:
    /// The statement of `text`, prepared the first time it is asked for.
    MYSQL_STMT* prepared(const std::string& text) {
        const auto kept = std::find_if(_statements.begin(), _statements.end(),
                                       [&](const auto& statement) { return statement.first == text; });
        if (kept != _statements.end()) {
            std::rotate(kept, kept + 1, _statements.end());  // the most recently used last
            return _statements.back().second;
        }
        if (_statements.size() == kKeptStatements) {
            mysql_stmt_close(_statements.front().second);
            _statements.erase(_statements.begin());
        }
        MYSQL_STMT* statement = mysql_stmt_init(_mysql);
        if (!statement)
            fail("a statement", mysql_error(_mysql));
        if (mysql_stmt_prepare(statement, text.data(), text.size()) != 0) {
            const std::string error = mysql_stmt_error(statement);
            mysql_stmt_close(statement);
            fail("preparing a query of readings", error.c_str());
        }
        _statements.emplace_back(text, statement);
        return statement;
    }

    Poco::Data::Session _session;
    MYSQL* _mysql = nullptr;
    std::vector<std::pair<std::string, MYSQL_STMT*>> _statements;  ///< the most recently used last
};

MariaDbReadings::MariaDbReadings(std::string connection, std::function<void(Poco::Data::Session&)> setUp,
                                 std::size_t idle)
    : _connection(std::move(connection)), _setUp(std::move(setUp)), _idleLimit(idle) {}

MariaDbReadings::~MariaDbReadings() = default;

void MariaDbReadings::read(const BoundQuery& query, std::vector<ReadingRow>& rows,
                           const ReadingVisitor& arrived) {
    const std::size_t before = rows.size();
    try {
        std::unique_ptr<Connection> connection = take();
        connection->read(query, rows, arrived);
        giveBack(std::move(connection));
        return;
    } catch (const Poco::Exception&) {
        // The server may have dropped this connection (a restart, an idle timeout), and so the others
        // kept: they go, and the query runs once more on a new one, unless rows were handed on already.
        std::lock_guard<std::mutex> lock(_mutex);
        _idle.clear();
        if (rows.size() != before)
            throw;
    }
    auto connection = std::make_unique<Connection>(_connection, _setUp);
    connection->read(query, rows, arrived);
    giveBack(std::move(connection));
}

std::unique_ptr<MariaDbReadings::Connection> MariaDbReadings::take() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (!_idle.empty()) {
            std::unique_ptr<Connection> connection = std::move(_idle.back());
            _idle.pop_back();
            return connection;
        }
    }
    return std::make_unique<Connection>(_connection, _setUp);
}

void MariaDbReadings::giveBack(std::unique_ptr<Connection> connection) {
    std::lock_guard<std::mutex> lock(_mutex);
    if (_idle.size() < _idleLimit)
        _idle.push_back(std::move(connection));
}

}  // namespace citysense::api
