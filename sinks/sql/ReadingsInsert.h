// Inserts readings with one multi-row statement of a fixed size, prepared once per connection and
// executed again with new values: preparing a statement of thousands of placeholders costs more than
// running it.
#pragma once

#include <citysense/Time.h>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <string>
#include <vector>

namespace citysense::sql {

struct ReadingRow {
    std::int64_t sensor;
    Micros time;
    double value;
    std::uint16_t quality;
};

/// The statement's text: `rows` rows of (sensor_id, time, value, quality), duplicates ignored.
std::string readingsInsertText(bool sqlite, std::size_t rows);

class ReadingsInsert {
public:
    /// MariaDB takes the time as DATETIME(6) text, SQLite's schema keeps integer microseconds.
    ReadingsInsert(Poco::Data::Session& session, bool sqlite, std::size_t rows);

    std::size_t rows() const { return _sensor.size(); }

    /// Inserts `rows()` rows of `all`, from `begin`.
    void execute(const std::vector<ReadingRow>& all, std::size_t begin);

private:
    bool _sqlite;
    // The statement is bound to these buffers' elements: they are sized once and never reallocated.
    std::vector<Poco::Int64> _sensor;
    std::vector<Poco::Int64> _micros;
    std::vector<std::string> _text;
    std::vector<double> _value;
    std::vector<Poco::UInt16> _quality;
    Poco::Data::Statement _statement;
};

}  // namespace citysense::sql
