#include "AirQualityAnswer.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace citysense::api {

AirQualityAnswer jsonAnswer(const Poco::JSON::Object::Ptr& object, const char* contentType) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(object, out);
    return {200, contentType, out.str()};
}

AirQualityAnswer airQualityError(int status, const std::string& message,
                                 const std::optional<std::string>& parameter) {
    auto object = orderedObject();
    object->set("code", status);
    object->set("type", "error");
    if (parameter)
        object->set("parameter", *parameter);
    object->set("message", message);
    AirQualityAnswer answer = jsonAnswer(object);
    answer.status = status;
    return answer;
}

AirQualityAnswer parameterAnswer(const ParameterError& error) {
    return airQualityError(400, error.what(), error.parameter());
}

Poco::Dynamic::Var valueOrNull(const std::optional<double>& value) {
    return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

void setInterval(Poco::JSON::Object& object, const std::optional<KnownTiming>& timing) {
    if (timing) {
        object.set("sensor_interval_seconds",
                   static_cast<double>(timing->timing.interval) / kMicrosPerSecond);
        object.set("interval_source", intervalSourceName(timing->source));
    } else {
        object.set("sensor_interval_seconds", Poco::Dynamic::Var());
        object.set("interval_source", Poco::Dynamic::Var());
    }
}

void writeInterval(JsonWriter& out, const std::optional<KnownTiming>& timing) {
    if (timing) {
        out.key("sensor_interval_seconds")
            .number(static_cast<double>(timing->timing.interval) / kMicrosPerSecond);
        out.key("interval_source").string(intervalSourceName(timing->source));
    } else {
        out.key("sensor_interval_seconds").null();
        out.key("interval_source").null();
    }
}

void setIndex(Poco::JSON::Object& object, const airquality::StationIndex& index) {
    if (index.band) {
        auto band = orderedObject();
        band->set("name", airquality::bandName(*index.band));
        band->set("number", static_cast<int>(*index.band));
        band->set("colour", airquality::bandColour(*index.band));
        object.set("band", band);
    } else {
        object.set("band", Poco::Dynamic::Var());
    }
    object.set("pollutant", index.pollutant ? Poco::Dynamic::Var(std::string(info(*index.pollutant).name))
                                            : Poco::Dynamic::Var());
    object.set("incomplete", index.incomplete);
}

void writeIndex(JsonWriter& out, const airquality::StationIndex& index) {
    out.key("band");
    if (index.band) {
        out.beginObject();
        out.key("name").string(airquality::bandName(*index.band));
        out.key("number").integer(static_cast<int>(*index.band));
        out.key("colour").string(airquality::bandColour(*index.band));
        out.endObject();
    } else {
        out.null();
    }
    out.key("pollutant");
    if (index.pollutant)
        out.string(info(*index.pollutant).name);
    else
        out.null();
    out.key("incomplete").boolean(index.incomplete);
}

}  // namespace citysense::api
