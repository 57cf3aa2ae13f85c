// What the payload tests share: times at the edges, values and qualities that must round-trip, and
// decoding one payload to one reading or to its error message.
#pragma once

#include "PluginHarness.h"

#include <citysense/TopicTemplate.h>
#include <payload/Payload.h>

#include <gtest/gtest.h>

#include <cstring>

namespace citysense::payloadtest {

// 2026-11-24 10:00:00.123456 UTC
constexpr Micros kTime = 1795514400123456;
// 9999-12-31 23:59:59.999999 UTC, the last time a payload may carry
constexpr Micros kLastTime = 253402300799999999;
constexpr const char* kTopic = "hypo_city/city_01/street_01/temperature/celcius";

inline std::uint64_t bitsOf(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

inline DecodedReading decodeOne(std::string_view payload, PayloadFormat format,
                                std::string_view topic = kTopic) {
    const auto readings = decodePayload(topic, payload, format);
    EXPECT_EQ(readings.size(), 1u) << payload;
    return readings.empty() ? DecodedReading{} : readings.front();
}

inline std::string decodeError(std::string_view payload, PayloadFormat format) {
    return test::errorOf([&] { decodePayload(kTopic, payload, format); });
}

inline std::string topicOf(Quantity quantity) {
    return TopicTemplate(TopicTemplate::kDefault).render(test::testStation(), quantity);
}

inline const double kValues[] = {
    28.91,
    1e-05,
    -17.25,
    0.1 + 0.2,
    -0.0,
    0.0,
    1.7976931348623157e308,
    -4.9406564584124654e-324,
    123456789012345678.0,
    101325,
    -1e-300,
};
inline const std::uint16_t kQualities[] = {
    QualityOk,
    QualitySimulated,
    QualityOutOfRange | QualitySensorFault,
    QualityWarmingUp | QualityClockUnsynchronised | QualitySimulated,
};

}  // namespace citysense::payloadtest
