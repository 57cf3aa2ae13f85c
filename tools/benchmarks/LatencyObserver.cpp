// The end-to-end latency bench's second subscriber (LatencyObserver.h).
#include "LatencyObserver.h"

#include "BenchSupport.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>

namespace citysense::bench {

Micros parseSqlTime(const char* text) {
    int year, month, day, hour, minute, second;
    char fraction[8] = {0};
    const int fields = std::sscanf(text, "%d-%d-%d %d:%d:%d.%6[0-9]", &year, &month, &day, &hour, &minute,
                                   &second, fraction);
    if (fields < 6)
        throw std::runtime_error(std::string("cannot read the time ") + text);
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    Micros micros = 0;
    if (fields == 7) {
        std::string digits(fraction);
        digits.resize(6, '0');
        micros = std::atoll(digits.c_str());
    }
    return static_cast<Micros>(timegm(&tm)) * 1000000 + micros;
}

LatencyObserver::LatencyObserver(const ObserverSettings& settings)
    : _client(settings.uri, settings.username, ::mqtt::create_options(MQTTVERSION_3_1_1)) {
    _deliveries.reserve(1 << 20);
    _client.set_message_callback([this](::mqtt::const_message_ptr message) {
        const Micros delivered = nowMicros();
        // A tsv payload: "<UTC time>\t<value>"; anything else (an announcement) is not a reading.
        const std::string& payload = message->get_payload_str();
        if (payload.find('\t') == std::string::npos)
            return;
        try {
            const Micros time = parseSqlTime(payload.c_str());
            std::lock_guard<std::mutex> lock(_mutex);
            _deliveries.push_back({time, delivered});
        } catch (const std::runtime_error&) {
            // Nothing may unwind into paho's C code; a reading without a time is not measured.
        }
    });
    _client
        .connect(::mqtt::connect_options_builder()
                     .user_name(settings.username)
                     .password(readPassword(settings.passwordFile))
                     .clean_session(true)
                     .finalize())
        ->wait();
    _client.subscribe(settings.filter, 1)->wait();
}

LatencyObserver::~LatencyObserver() {
    try {
        _client.disconnect()->wait();
    } catch (const ::mqtt::exception&) {
    }
}

std::vector<Delivery> LatencyObserver::take() {
    std::vector<Delivery> taken;
    taken.reserve(1 << 20);
    std::lock_guard<std::mutex> lock(_mutex);
    taken.swap(_deliveries);
    return taken;
}

}  // namespace citysense::bench
