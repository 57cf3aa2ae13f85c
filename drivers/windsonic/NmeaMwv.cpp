#include "NmeaMwv.h"

namespace citysense::windsonic {

namespace {

/// "IIMWV", "WIMWV": a talker of two capital letters and the sentence MWV.
bool isMwvAddress(std::string_view address) {
    return address.size() == 5 && address[0] >= 'A' && address[0] <= 'Z' && address[1] >= 'A' &&
           address[1] <= 'Z' && address.substr(2) == "MWV";
}

}  // namespace

FrameParse parseMwvSentence(std::string_view line) {
    line = withoutLineEnd(line);
    const std::size_t star = line.rfind('*');
    const std::size_t dollar = star == std::string_view::npos ? line.rfind('$') : line.rfind('$', star);
    if (dollar == std::string_view::npos)
        return malformed("no '$' (start of sentence)");
    if (star == std::string_view::npos)
        return malformed("no '*' (checksum delimiter)");

    const std::string_view body = line.substr(dollar + 1, star - dollar - 1);
    const std::string_view checkText = line.substr(star + 1);
    const auto check = parseHexByte(checkText);
    if (!check)
        return malformed("checksum " + quoteText(checkText) + " is not two hex digits");
    if (*check != xorOf(body))
        return badChecksum(*check, xorOf(body));

    const std::vector<std::string_view> fields = splitFields(body);
    if (!isMwvAddress(fields[0]))
        return malformed("not an MWV sentence: " + quoteText(fields[0]));
    if (fields.size() != 6)
        return malformed("6 fields expected (address, angle, reference, speed, units, status), " +
                         std::to_string(fields.size()) + " found");
    const std::string_view angle = fields[1];
    const std::string_view reference = fields[2];
    const std::string_view speed = fields[3];
    const std::string_view units = fields[4];
    const std::string_view status = fields[5];

    if (status == "V")
        return faultFrame(status, "data void");
    if (isTwoDigits(status) && status != "00")  // the WindSonic's NMEA formats with Gill status codes
        return faultFrame(status, gillStatusText(status).value_or("unknown status"));
    if (status != "A" && status != "00")
        return malformed("status " + quoteText(status) + " is not A, V or a Gill status code");

    if (reference != "R" && reference != "T")
        return malformed("reference " + quoteText(reference) + " is not R or T");
    // NMEA 0183 names statute miles per hour S; the Gill letters (P for mph, F) are taken too.
    const auto perUnit = units == "S" ? std::optional<double>(0.44704) : metresPerSecondPer(units);
    if (!perUnit)
        return malformed("units " + quoteText(units) + " are not M, N, K, S, P or F");
    std::optional<double> degrees;
    if (!angle.empty()) {
        degrees = parseDirection(angle);
        if (!degrees)
            return malformed("angle " + quoteText(angle) + " is not degrees from 0 to 539");
    }
    const auto value = parseDecimal(speed);
    if (!value)
        return malformed("speed " + quoteText(speed) + " is not a decimal number");
    return validFrame(status, *value * *perUnit, degrees);
}

}  // namespace citysense::windsonic
