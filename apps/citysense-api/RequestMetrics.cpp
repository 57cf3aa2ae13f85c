#include "RequestMetrics.h"

#include <citysense/Format.h>

#include <sstream>

namespace citysense::api {

void RequestMetrics::record(int status, double seconds) {
    std::lock_guard<std::mutex> lock(_mutex);
    ++_byStatus[status];
    for (std::size_t at = 0; at < kBuckets.size(); ++at) {
        if (seconds <= kBuckets[at])
            ++_inBucket[at];
    }
    ++_count;
    _sum += seconds;
}

std::uint64_t RequestMetrics::requests() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _count;
}

std::string RequestMetrics::prometheusText() const {
    std::lock_guard<std::mutex> lock(_mutex);
    std::ostringstream out;
    out << "# HELP citysense_api_requests_total Requests answered, by HTTP status code\n"
        << "# TYPE citysense_api_requests_total counter\n";
    for (const auto& [status, count] : _byStatus)
        out << "citysense_api_requests_total{code=\"" << status << "\"} " << count << "\n";
    out << "# HELP citysense_api_request_duration_seconds Time from a request's arrival to its answer\n"
        << "# TYPE citysense_api_request_duration_seconds histogram\n";
    for (std::size_t at = 0; at < kBuckets.size(); ++at)
        out << "citysense_api_request_duration_seconds_bucket{le=\"" << formatNumber(kBuckets[at]) << "\"} "
            << _inBucket[at] << "\n";
    out << "citysense_api_request_duration_seconds_bucket{le=\"+Inf\"} " << _count << "\n"
        << "citysense_api_request_duration_seconds_sum " << formatNumber(_sum) << "\n"
        << "citysense_api_request_duration_seconds_count " << _count << "\n";
    return out.str();
}

}  // namespace citysense::api
