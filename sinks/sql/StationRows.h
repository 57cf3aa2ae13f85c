// The rows of stations and sensors the sql sink writes readings and announcements against: found by
// their unique keys, made when they are not there yet (a row another writer made meanwhile is
// found, not made twice, even when it committed after the caller's transaction began). Within the
// caller's transaction; a row neither made nor found throws, so no reading is written against id 0.
#pragma once

#include <citysense/Sample.h>

#include <Poco/Data/Session.h>

#include <cstdint>
#include <string>

namespace citysense::sql {

/// "INSERT INTO <into> ..." that skips a row whose key is there and fails on anything else (unlike
/// INSERT IGNORE, which turns errors into warnings and cuts or zeroes what does not fit).
std::string insertUnlessPresent(bool sqlite, const std::string& into, const std::string& keyColumn);

/// The id of the station's row; a new row gets the station's position, when it has one.
std::int64_t stationRow(Poco::Data::Session& session, bool sqlite, const Station& station);

/// The id of the row of the sensor of `quantity` measured by `driver` ("driver.air") at station `station`.
std::int64_t sensorRow(Poco::Data::Session& session, bool sqlite, std::int64_t station, Quantity quantity,
                       const std::string& driver);

}  // namespace citysense::sql
