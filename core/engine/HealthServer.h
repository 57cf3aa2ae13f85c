// The HTTP endpoint for health and metrics, on loopback by default:
//   GET /health   JSON: overall status and every instance's state and counters (503 while one fails),
//                 and apart, under "abandoned", the instances given up at a stop or reload
//   GET /metrics  Prometheus text format: samples read, delivered, dropped, spooled, failures, queue
//                 and spool depths, what each instance dropped by reason and counted of other events
//                 by name, abandoned instances
#pragma once

#include "HttpResponder.h"
#include "InstanceStatus.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace citysense {

using StatusSource = std::function<std::vector<InstanceStatus>()>;

std::string healthJson(const std::vector<InstanceStatus>& instances);
std::string prometheusText(const std::vector<InstanceStatus>& instances);

class HealthServer {
public:
    /// Listens on `address` ("127.0.0.1:8180"; port 0 picks a free one) with the bounds of
    /// HttpResponder; /metrics also counts what it refused. Throws std::runtime_error naming the
    /// address when it cannot.
    HealthServer(const std::string& address, StatusSource source);
    ~HealthServer();

    const std::string& address() const { return _address; }
    /// The port actually bound.
    unsigned port() const;

private:
    std::string _address;
    HttpRefusals _refusals;
    std::unique_ptr<HttpResponder> _responder;
};

}  // namespace citysense
