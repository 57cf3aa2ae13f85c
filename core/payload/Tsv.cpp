#include <payload/Tsv.h>

#include <payload/Limits.h>
#include <payload/Text.h>

#include <citysense/Format.h>

namespace citysense {

using namespace payload;

std::string encodeTsv(const Sample& sample) {
    return formatSeedTime(sample.time) + "\t" + formatNumber(sample.value);
}

DecodedReading decodeTsv(std::string_view topic, std::string_view payload) {
    checkSize("tsv", payload);
    const std::string_view text = trim(payload);
    if (text.empty())
        throw PayloadError("tsv: empty payload");
    const auto tab = text.find('\t');
    if (tab == std::string_view::npos)
        throw PayloadError("tsv: no tab between time and value in " + quoteText(text, 60));
    const std::string_view timeText = text.substr(0, tab);
    const std::string_view valueText = text.substr(tab + 1);

    DecodedReading reading;
    reading.name = std::string(topic);
    const auto time = parseSeedTime(timeText);
    if (!time)
        throw PayloadError("tsv: bad timestamp " + quoteText(timeText, 40) +
                           " (expected YYYY-MM-DD HH:MM:SS.ffffff, UTC)");
    if (!inTimeRange(*time))
        throw PayloadError("tsv: timestamp " + quoteText(timeText, 40) + " is before 1970");
    reading.time = *time;
    if (valueText.empty() || numberLength(valueText) != valueText.size())
        throw PayloadError("tsv: bad value " + quoteText(valueText, 40) +
                           " (expected a number such as 28.91 or -1.5e-05)");
    if (!toDouble(valueText, reading.value))
        throw PayloadError("tsv: value " + quoteText(valueText, 40) + " is out of range");
    return reading;
}

}  // namespace citysense
