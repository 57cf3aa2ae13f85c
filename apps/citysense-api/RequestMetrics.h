// What citysense-api counts of the requests it answered: how many by status code, and how long they
// took (a Prometheus histogram), shown by /metrics; the total also by /health.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace citysense::api {

class RequestMetrics {
public:
    /// One request answered with `status` after `seconds`.
    void record(int status, double seconds);

    std::uint64_t requests() const;

    /// The Prometheus text format of everything counted.
    std::string prometheusText() const;

private:
    static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,  0.1,    0.25,  1,    5};

    mutable std::mutex _mutex;
    std::map<int, std::uint64_t> _byStatus;
    std::array<std::uint64_t, kBuckets.size()> _inBucket{};
    std::uint64_t _count = 0;
    double _sum = 0.0;
};

}  // namespace citysense::api
