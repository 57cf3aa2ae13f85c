#include <payload/Payload.h>

#include <payload/Json.h>
#include <payload/Limits.h>
#include <payload/Senml.h>
#include <payload/Text.h>
#include <payload/Tsv.h>

namespace citysense {

void payload::checkSize(const char* format, std::string_view payload) {
    if (payload.size() > kMaxPayloadBytes)
        throw PayloadError(std::string(format) + ": payload of " + std::to_string(payload.size()) +
                           " bytes is over the limit of " + std::to_string(kMaxPayloadBytes));
}

PayloadFormat payloadFormatByName(const std::string& name) {
    for (const auto format :
         {PayloadFormat::Tsv, PayloadFormat::Json, PayloadFormat::Senml, PayloadFormat::Auto}) {
        if (name == payloadFormatName(format))
            return format;
    }
    throw std::invalid_argument("'" + name + "' is not a payload format (tsv, json, senml, auto)");
}

const char* payloadFormatName(PayloadFormat format) {
    switch (format) {
        case PayloadFormat::Tsv:
            return "tsv";
        case PayloadFormat::Json:
            return "json";
        case PayloadFormat::Senml:
            return "senml";
        case PayloadFormat::Auto:
            return "auto";
    }
    return "?";
}

std::vector<DecodedReading> decodePayload(std::string_view topic, std::string_view payload,
                                          PayloadFormat format) {
    if (format == PayloadFormat::Auto) {
        const std::string_view start = payload::trim(payload.substr(0, payload::kMaxPayloadBytes));
        const char first = start.empty() ? '\0' : start.front();
        format = first == '['   ? PayloadFormat::Senml
                 : first == '{' ? PayloadFormat::Json
                                : PayloadFormat::Tsv;
    }
    if (format == PayloadFormat::Senml)
        return decodeSenml(topic, payload);
    // Moved in, not copied from an initializer list: the name is a topic, too long to fit the string.
    std::vector<DecodedReading> readings;
    readings.push_back(format == PayloadFormat::Tsv ? decodeTsv(topic, payload) : decodeJson(topic, payload));
    return readings;
}

}  // namespace citysense
