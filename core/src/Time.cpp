#include <citysense/Time.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace citysense {

Micros nowMicros() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

Micros steadyMicros() {
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

namespace {

std::string format(Micros time, char dateTimeSeparator, const char* suffix) {
    Micros seconds = time / kMicrosPerSecond;
    Micros fraction = time % kMicrosPerSecond;
    if (fraction < 0) {
        fraction += kMicrosPerSecond;
        --seconds;
    }
    const std::time_t clock = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&clock, &utc);
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d%c%02d:%02d:%02d.%06lld%s", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, dateTimeSeparator, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<long long>(fraction), suffix);
    return text;
}

}  // namespace

std::string formatSeedTime(Micros time) {
    return format(time, ' ', "");
}

std::string formatIsoTime(Micros time) {
    return format(time, 'T', "Z");
}

}  // namespace citysense
