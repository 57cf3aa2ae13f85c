#include "WindFrame.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace citysense::windsonic {

namespace {

constexpr std::size_t kMaxNumberLength = 10;
constexpr double kWrapAroundLimit = 540.0;

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

}  // namespace

FrameParse malformed(std::string error) {
    return {std::nullopt, FrameProblem::Malformed, std::move(error)};
}

FrameParse badChecksum(std::uint8_t sent, std::uint8_t computed) {
    auto hex = [](std::uint8_t value) {
        char text[3];
        std::snprintf(text, sizeof text, "%02X", value);
        return std::string(text);
    };
    return {std::nullopt, FrameProblem::BadChecksum,
            "checksum " + hex(sent) + " does not match the frame's " + hex(computed)};
}

FrameParse faultFrame(std::string_view status, std::string statusText) {
    WindFrame frame;
    frame.speed = std::numeric_limits<double>::quiet_NaN();
    frame.fault = true;
    frame.status = std::string(status);
    frame.statusText = std::move(statusText);
    return {std::move(frame), FrameProblem::None, {}};
}

FrameParse validFrame(std::string_view status, double speed, std::optional<double> direction) {
    WindFrame frame;
    frame.speed = speed;
    frame.direction = direction;
    frame.status = std::string(status);
    frame.statusText = "OK";
    return {std::move(frame), FrameProblem::None, {}};
}

std::optional<double> metresPerSecondPer(std::string_view unit) {
    // WindSonic manual, "Wind speed and units"; the factors are exact by definition of the units.
    struct Unit {
        std::string_view letter;
        double metresPerSecond;
    };
    static constexpr Unit kUnits[] = {
        {"M", 1.0},              // metres per second
        {"N", 1852.0 / 3600.0},  // knots
        {"P", 0.44704},          // miles per hour
        {"K", 1.0 / 3.6},        // kilometres per hour
        {"F", 0.3048 / 60.0},    // feet per minute
    };
    for (const Unit& known : kUnits) {
        if (unit == known.letter)
            return known.metresPerSecond;
    }
    return std::nullopt;
}

std::optional<std::string> gillStatusText(std::string_view code) {
    // WindSonic manual, section 11.5 "Status".
    struct Status {
        std::string_view code;
        const char* text;
    };
    static constexpr Status kStatuses[] = {
        {"00", "OK"},
        {"01", "axis 1 failed: insufficient samples on the U axis"},
        {"02", "axis 2 failed: insufficient samples on the V axis"},
        {"04", "axis 1 and 2 failed: insufficient samples on both axes"},
        {"08", "NVM error: NVM checksum failed"},
        {"09", "ROM error: ROM checksum failed"},
    };
    for (const Status& known : kStatuses) {
        if (code == known.code)
            return std::string(known.text);
    }
    return std::nullopt;
}

std::optional<double> parseDecimal(std::string_view text) {
    if (text.empty() || text.size() > kMaxNumberLength)
        return std::nullopt;
    bool digit = false;
    bool point = false;
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            digit = true;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            return std::nullopt;
        }
    }
    if (!digit)
        return std::nullopt;
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::optional<double> parseDirection(std::string_view text) {
    const auto degrees = parseDecimal(text);
    if (!degrees || *degrees >= kWrapAroundLimit)
        return std::nullopt;
    return std::fmod(*degrees, 360.0);
}

std::uint8_t xorOf(std::string_view text) {
    std::uint8_t sum = 0;
    for (const char c : text)
        sum ^= static_cast<std::uint8_t>(c);
    return sum;
}

bool isTwoDigits(std::string_view text) {
    return text.size() == 2 && text[0] >= '0' && text[0] <= '9' && text[1] >= '0' && text[1] <= '9';
}

std::optional<std::uint8_t> parseHexByte(std::string_view text) {
    if (text.size() != 2)
        return std::nullopt;
    const int high = hexValue(text[0]);
    const int low = hexValue(text[1]);
    if (high < 0 || low < 0)
        return std::nullopt;
    return static_cast<std::uint8_t>(high * 16 + low);
}

std::vector<std::string_view> splitFields(std::string_view text) {
    std::vector<std::string_view> fields;
    for (;;) {
        const std::size_t comma = text.find(',');
        fields.push_back(text.substr(0, comma));
        if (comma == std::string_view::npos)
            return fields;
        text.remove_prefix(comma + 1);
    }
}

std::string_view withoutLineEnd(std::string_view text) {
    while (!text.empty() &&
           (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

}  // namespace citysense::windsonic
