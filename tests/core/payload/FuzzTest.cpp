// Decoders read whatever anyone publishes: mutated valid payloads of every format must come out as
// readings with a finite value and a time in range, or as a PayloadError, never as anything else.
// Under the sanitizer build this also shows that no byte string makes them read out of bounds.
#include "PluginHarness.h"

#include <citysense/Format.h>
#include <citysense/TopicTemplate.h>
#include <payload/Json.h>
#include <payload/Senml.h>
#include <payload/Tsv.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

namespace citysense {
namespace {

using test::testSample;

constexpr Micros kTime = 1795514400123456;
constexpr Micros kLastTime = 253402300799999999;
constexpr int kIterationsPerFormat = 5000;

struct Seed {
    PayloadFormat format;
    std::string payload;
};

std::vector<Seed> seeds() {
    const TopicTemplate tree(TopicTemplate::kDefault);
    const auto named = [&](Quantity quantity, double value, Micros time, std::uint16_t quality = QualityOk) {
        return NamedSample{tree.render(test::testStation(), quantity),
                           testSample(quantity, value, time, quality)};
    };
    return {
        {PayloadFormat::Tsv, encodeTsv(testSample(Quantity::Temperature, 28.91, kTime))},
        {PayloadFormat::Tsv, encodeTsv(testSample(Quantity::Pressure, -1.5e-05, kLastTime))},
        {PayloadFormat::Tsv, "2026-11-24 10:00:00\t101325\r\n"},
        {PayloadFormat::Json, encodeJson(testSample(Quantity::Humidity, 55.5, kTime, QualitySimulated))},
        {PayloadFormat::Json, encodeJson(testSample(Quantity::NO2, 1e-05, 0))},
        {PayloadFormat::Json, R"( {"time":"2026-11-24T11:00:00.5+01:00","value":-2E+2,"x":{"y":[1,true,null,)"
                              R"("\u00e9\ud83d\ude00\"\\\/"]},"quality":["ok","warming_up"]} )"},
        {PayloadFormat::Senml, encodeSenml({named(Quantity::Temperature, 28.91, kTime)})},
        {PayloadFormat::Senml,
         encodeSenml({named(Quantity::Temperature, 28.91, kTime),
                      named(Quantity::Humidity, 40, kTime + 1500000),
                      named(Quantity::WindSpeed, 3.25, kTime - 1, QualityOutOfRange | QualitySensorFault)})},
        {PayloadFormat::Senml, R"([{"bn":"a/","bt":1795514400,"bu":"Cel","bv":10,"n":"x","v":1.5,"ver":1},)"
                               R"({"n":"y","u":"%RH","v":-1,"t":-60,"s":3},{"v":0,"t":2.5e-1,"vs":"z"}])"},
        {PayloadFormat::Senml, R"([{"v":1},{"v":2,"t":-1},{"bt":253402300799.999999,"v":3}])"},
    };
}

// Fragments that tend to sit on the edges of a parser.
const std::string kTokens[] = {
    "[",
    "]",
    "{",
    "}",
    "\"",
    ",",
    ":",
    "\\",
    "\\u",
    "\\ud800",
    "\\udc00",
    "\\u0000",
    "NaN",
    "Infinity",
    "-Infinity",
    "nan",
    "inf",
    "1e999",
    "-1e400",
    "1e-400",
    "99999999999999999999999999999",
    "1e12",
    "-1e12",
    "0.0000005",
    "-",
    ".",
    "e",
    "true",
    "null",
    std::string("\0", 1),
    "\xff",
    "\xc0\x80",
    "\xed\xa0\x80",
    "\xf4\x90\x80\x80",
    "\xe2\x82",
    "\t",
    "\n",
    " ",
    "9999-12-31 23:59:59.999999",
    "1969-12-31T23:59:59Z",
    "+14:00",
    "\"bt\":-1e11,",
    "\"v\":",
    "\"x_\":1,",
    "\"quality\":[\"simulated\"],",
    std::string(20, '['),
    std::string(20, '{'),
};

const char kStructural[] = "[]{}\",:\\";

std::size_t below(std::mt19937& random, std::size_t bound) {
    return bound == 0 ? 0 : random() % bound;
}

void mutate(std::string& payload, std::mt19937& random) {
    const std::size_t pos = below(random, payload.size() + 1);
    switch (random() % 8) {
        case 0:
            if (!payload.empty())
                payload[below(random, payload.size())] ^= static_cast<char>(1u << (random() % 8));
            break;
        case 1:
            payload.resize(pos);
            break;
        case 2:
            payload.insert(pos, 1, static_cast<char>(random() % 256));
            break;
        case 3:
            payload.insert(pos, kTokens[below(random, std::size(kTokens))]);
            break;
        case 4:
        case 5: {
            const std::size_t at = payload.find_first_of(kStructural, pos);
            if (at == std::string::npos)
                break;
            if (random() % 2)
                payload.insert(at, 1, payload[at]);
            else
                payload.erase(at, 1);
            break;
        }
        case 6: {
            // A number replaced by an extreme one.
            const std::size_t start = payload.find_first_of("0123456789", pos);
            if (start == std::string::npos)
                break;
            const std::size_t end =
                std::min(payload.find_first_not_of("0123456789.eE+-", start), payload.size());
            static const char* const numbers[] = {
                "1e308", "1e309", "-1e400", "4.9e-324",  "123456789012345678901234",
                "0",     "-0",    "1e-7",   "268435455", "253402300800"};
            payload.replace(start, end - start, numbers[below(random, std::size(numbers))]);
            break;
        }
        default: {
            const std::size_t depth = 1 + below(random, 40);
            payload = std::string(depth, '[') + payload + std::string(depth, ']');
            break;
        }
    }
}

class Decoding {
public:
    void check(const std::string& payload, PayloadFormat format) {
        // An exactly sized copy: a std::string has a terminator behind its bytes, which would hide a
        // read one past the end from AddressSanitizer.
        const std::unique_ptr<char[]> bytes(new char[payload.size()]);
        std::copy(payload.begin(), payload.end(), bytes.get());
        try {
            const auto readings =
                decodePayload("fuzz/topic", std::string_view(bytes.get(), payload.size()), format);
            for (const auto& reading : readings) {
                EXPECT_TRUE(std::isfinite(reading.value)) << quoteText(payload, 400);
                EXPECT_GE(reading.time, 0) << quoteText(payload, 400);
                EXPECT_LE(reading.time, kLastTime) << quoteText(payload, 400);
            }
            EXPECT_LE(readings.size(), 10000u);
            ++_accepted;
        } catch (const PayloadError& error) {
            EXPECT_NE(std::string(error.what()), "") << quoteText(payload, 400);
            ++_refused;
        } catch (const std::exception& error) {
            ADD_FAILURE() << "not a PayloadError: " << error.what() << " for " << quoteText(payload, 400);
        } catch (...) {
            ADD_FAILURE() << "not even a std::exception for " << quoteText(payload, 400);
        }
    }

    int accepted() const { return _accepted; }
    int refused() const { return _refused; }

private:
    int _accepted = 0;
    int _refused = 0;
};

TEST(PayloadFuzz, SeedsAreValid) {
    for (const auto& seed : seeds()) {
        EXPECT_NO_THROW(decodePayload("fuzz/topic", seed.payload, seed.format)) << seed.payload;
        EXPECT_NO_THROW(decodePayload("fuzz/topic", seed.payload, PayloadFormat::Auto)) << seed.payload;
    }
}

TEST(PayloadFuzz, EveryTruncationIsReadOrRefused) {
    Decoding decoding;
    for (const auto& seed : seeds()) {
        for (std::size_t length = 0; length <= seed.payload.size(); ++length) {
            decoding.check(seed.payload.substr(0, length), seed.format);
            decoding.check(seed.payload.substr(length), PayloadFormat::Auto);
        }
    }
    EXPECT_GT(decoding.refused(), 0);
}

TEST(PayloadFuzz, MutatedPayloadsAreReadOrRefused) {
    const auto all = seeds();
    for (const auto format :
         {PayloadFormat::Tsv, PayloadFormat::Json, PayloadFormat::Senml, PayloadFormat::Auto}) {
        std::vector<std::string> pool;
        for (const auto& seed : all) {
            if (format == PayloadFormat::Auto || seed.format == format)
                pool.push_back(seed.payload);
        }
        std::mt19937 random(20261124 + static_cast<unsigned>(format));
        Decoding decoding;
        for (int i = 0; i < kIterationsPerFormat && !::testing::Test::HasFailure(); ++i) {
            std::string payload = pool[below(random, pool.size())];
            const std::size_t mutations = 1 + below(random, 4);
            for (std::size_t m = 0; m < mutations; ++m)
                mutate(payload, random);
            decoding.check(payload, format);
        }
        // Both outcomes occur, so the mutations explore near valid input rather than only noise.
        EXPECT_GT(decoding.accepted(), kIterationsPerFormat / 50) << payloadFormatName(format);
        EXPECT_GT(decoding.refused(), kIterationsPerFormat / 2) << payloadFormatName(format);
    }
}

TEST(PayloadFuzz, RandomBytesAreRefused) {
    std::mt19937 random(8428);
    Decoding decoding;
    for (int i = 0; i < 2000; ++i) {
        std::string payload(below(random, 64), '\0');
        for (auto& byte : payload)
            byte = random() % 2 ? kStructural[below(random, sizeof kStructural - 1)]
                                : static_cast<char>(random());
        decoding.check(payload, PayloadFormat::Auto);
        decoding.check(payload, PayloadFormat::Senml);
    }
    EXPECT_GT(decoding.refused(), 3900);
}

}  // namespace
}  // namespace citysense
