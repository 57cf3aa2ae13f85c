#include "GillFrame.h"

namespace citysense::windsonic {

FrameParse parseGillFrame(std::string_view line) {
    line = withoutLineEnd(line);
    const std::size_t end = line.rfind(kEtx);
    const std::size_t start = end == std::string_view::npos ? line.rfind(kStx) : line.rfind(kStx, end);
    if (start == std::string_view::npos)
        return malformed("no <STX> (start of frame)");
    if (end == std::string_view::npos)
        return malformed("no <ETX> (end of frame)");

    const std::string_view body = line.substr(start + 1, end - start - 1);
    const std::string_view checkText = line.substr(end + 1);
    const auto check = parseHexByte(checkText);
    if (!check)
        return malformed("checksum " + quoteText(checkText) + " is not two hex digits");
    if (*check != xorOf(body))
        return badChecksum(*check, xorOf(body));

    std::vector<std::string_view> fields = splitFields(body);
    if (fields.size() > 1 && fields.back().empty())
        fields.pop_back();  // the comma before <ETX>
    if (fields.size() != 5)
        return malformed("5 fields expected (node, direction, speed, units, status), " +
                         std::to_string(fields.size()) + " found");
    const std::string_view node = fields[0];
    const std::string_view direction = fields[1];
    const std::string_view speed = fields[2];
    const std::string_view units = fields[3];
    const std::string_view status = fields[4];

    if (node.size() != 1 || node[0] < 'A' || node[0] > 'Z')
        return malformed("node address " + quoteText(node) + " is not a letter A-Z");
    if (!isTwoDigits(status))
        return malformed("status " + quoteText(status) + " is not two digits");
    if (status != "00")
        return faultFrame(status, gillStatusText(status).value_or("unknown status"));

    const auto perUnit = metresPerSecondPer(units);
    if (!perUnit)
        return malformed("units " + quoteText(units) + " are not M, N, P, K or F");
    std::optional<double> degrees;
    if (!direction.empty()) {
        degrees = parseDirection(direction);
        if (!degrees)
            return malformed("direction " + quoteText(direction) +
                             " is not degrees from 0 to 539 (the polar format is needed, not UV)");
    }
    const auto value = parseDecimal(speed);
    if (!value)
        return malformed("speed " + quoteText(speed) + " is not a decimal number");
    return validFrame(status, *value * *perUnit, degrees);
}

}  // namespace citysense::windsonic
