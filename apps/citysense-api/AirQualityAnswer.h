// What citysense-api's air-quality resources answer (a status, a content type, a body), and the parts
// they share: JSON text, the error bodies, values that may be missing, the interval of a sensor.
#pragma once

#include "AirQualityParameters.h"
#include "JsonObjects.h"
#include "JsonWriter.h"
#include "SensorIntervals.h"
#include "airquality/Eaqi.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace citysense::api {

struct AirQualityAnswer {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
};

/// 200 with the object as JSON.
AirQualityAnswer jsonAnswer(const Poco::JSON::Object::Ptr& object,
                            const char* contentType = "application/json");

/// {"code":STATUS,"type":"error","message":"..."}, with "parameter" when one is to blame.
AirQualityAnswer airQualityError(int status, const std::string& message,
                                 const std::optional<std::string>& parameter = std::nullopt);
AirQualityAnswer parameterAnswer(const ParameterError& error);

/// The value, or JSON null.
Poco::Dynamic::Var valueOrNull(const std::optional<double>& value);

/// Sets "sensor_interval_seconds" and "interval_source" ("announced" or "median_spacing"; both null when
/// the sensor announced no interval and has fewer than two readings).
void setInterval(Poco::JSON::Object& object, const std::optional<KnownTiming>& timing);
/// Writes setInterval()'s members into the object open in `out` (for answers written as they go).
void writeInterval(JsonWriter& out, const std::optional<KnownTiming>& timing);

/// Sets "band" ({"name":"Fair","number":2,"colour":"#50CCAA"}, null when no pollutant's hour is
/// valid), "pollutant" (the one that set it) and "incomplete".
void setIndex(Poco::JSON::Object& object, const airquality::StationIndex& index);
/// Writes setIndex()'s members into the object open in `out`.
void writeIndex(JsonWriter& out, const airquality::StationIndex& index);

}  // namespace citysense::api
