// The query string of citysense-api's air-quality resources, anyone's ("interval=1h&from=...&to=...",
// "year=2025&limits=2008/50/EC", the exports' "month=2025-03"): read as the resources read it. Each parameter
// is accepted or refused with a ParameterError; what is accepted is what it says (a time reads back as
// itself, a year is in range, an interval names itself).
#include <AirQualityParameters.h>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

constexpr int kThisYear = 2026;

template <typename Parse>
void tryParameter(Parse parse) {
    try {
        parse();
    } catch (const citysense::api::ParameterError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace citysense::api;
    Poco::URI::QueryParameters query;
    try {
        query = Poco::URI("/?" + std::string(reinterpret_cast<const char*>(data), size)).getQueryParameters();
    } catch (const Poco::SyntaxException&) {
        return 0;
    }
    try {
        const AirQualityParameters given(
            query, {"interval", "from", "to", "unit", "$resultFormat", "year", "limits", "month"});
        tryParameter([&] {
            const auto period = parsePeriod(given.required("interval"));
            if (parsePeriod(periodName(period)) != period)
                std::abort();
        });
        tryParameter([&] {
            const citysense::Micros from = given.requiredTime("from");
            const citysense::Micros to = given.requiredTime("to");
            if (citysense::parseIsoTime(citysense::formatIsoTime(from)) != from)
                std::abort();
            requireOrdered(from, to);
            if (from >= to)
                std::abort();
        });
        tryParameter([&] {
            const int year = parseYear(given.required("year"), kThisYear);
            if (year < 1970 || year > kThisYear)
                std::abort();
        });
        tryParameter([&] { parseLimitSet(given.text("limits")); });
        tryParameter([&] {
            const std::string month = given.required("month");
            if (citysense::formatIsoTime(parseMonth(month)).substr(0, 7) != month)
                std::abort();
        });
    } catch (const ParameterError&) {
    }
    return 0;
}
