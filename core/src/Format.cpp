#include <citysense/Format.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace citysense {

std::string formatNumber(double value) {
    if (!std::isfinite(value))
        return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

std::string formatFixed(double value, int precision) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", precision, value);
    return text;
}

namespace {

const Station& stationOf(const Sample& sample) {
    static const Station unknown;
    return sample.source ? sample.source->station : unknown;
}

}  // namespace

std::string formatSeedLine(const Sample& sample, int precision) {
    const Station& station = stationOf(sample);
    const QuantityInfo& quantity = info(sample.quantity);
    std::string line;
    line.reserve(160);
    line += "System: " + station.system;
    line += "\tCity: " + station.city;
    line += "\tStreet: " + station.street;
    line += std::string("\tSensorType: ") + quantity.category;
    line += std::string("\tDataType: ") + quantity.measurement;
    line += "\tSensorData: " + formatFixed(sample.value, precision);
    line += "\tTimeStamp: " + formatSeedTime(sample.time);
    return line;
}

std::string jsonString(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                    out += escaped;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string quoteText(std::string_view text, std::size_t limit) {
    static const char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i == limit) {
            out += "...";
            break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c > 0x7e) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0x0f];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string formatJsonLine(const Sample& sample) {
    const Station& station = stationOf(sample);
    const QuantityInfo& quantity = info(sample.quantity);
    std::string quality;
    for (const auto& name : qualityNames(sample.quality))
        quality += (quality.empty() ? "" : ",") + jsonString(name);
    // JSON has no NaN or infinity: such a value is written as null, its quality says why.
    const std::string value = std::isfinite(sample.value) ? formatNumber(sample.value) : "null";
    std::string line =
        "{\"system\":" + jsonString(station.system) + ",\"city\":" + jsonString(station.city) +
        ",\"street\":" + jsonString(station.street) + ",\"quantity\":" + jsonString(quantity.name) +
        ",\"unit\":" + jsonString(quantity.unit) + ",\"value\":" + value +
        ",\"timestamp\":" + jsonString(formatIsoTime(sample.time)) + ",\"quality\":[" + quality + "]";
    if (sample.source)
        line += ",\"source\":" + jsonString(sample.source->instance);
    return line + "}";
}

}  // namespace citysense
