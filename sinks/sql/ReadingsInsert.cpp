#include "ReadingsInsert.h"

namespace citysense::sql {

using Poco::Data::Keywords::use;

std::string readingsInsertText(bool sqlite, std::size_t rows) {
    // A reading whose key is stored already (a replay) is skipped; anything else that fails is an error.
    std::string text = "INSERT INTO readings (sensor_id, time, value, quality) VALUES ";
    for (std::size_t i = 0; i < rows; ++i)
        text += i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)";
    return text + (sqlite ? " ON CONFLICT DO NOTHING" : " ON DUPLICATE KEY UPDATE sensor_id = sensor_id");
}

ReadingsInsert::ReadingsInsert(Poco::Data::Session& session, bool sqlite, std::size_t rows)
    : _sqlite(sqlite),
      _sensor(rows),
      _micros(rows),
      _text(rows),
      _value(rows),
      _quality(rows),
      _statement(session) {
    _statement << readingsInsertText(sqlite, rows);
    for (std::size_t i = 0; i < rows; ++i) {
        _statement, use(_sensor[i]);
        if (_sqlite)
            _statement, use(_micros[i]);
        else
            _statement, use(_text[i]);
        _statement, use(_value[i]), use(_quality[i]);
    }
}

void ReadingsInsert::execute(const std::vector<ReadingRow>& all, std::size_t begin) {
    for (std::size_t i = 0; i < rows(); ++i) {
        const ReadingRow& row = all[begin + i];
        _sensor[i] = row.sensor;
        if (_sqlite)
            _micros[i] = row.time;
        else
            _text[i] = formatSeedTime(row.time);
        _value[i] = row.value;
        _quality[i] = row.quality;
    }
    _statement.execute();
}

}  // namespace citysense::sql
