// The end-to-end latency bench's look into the gateway's sink queue (QueueWatch.h).
#include "QueueWatch.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <chrono>
#include <istream>
#include <stdexcept>

namespace citysense::bench {

QueueWatch::QueueWatch(unsigned port, std::string instance)
    : _port(port), _prefix("citysense_queue_depth{instance=\"" + std::move(instance) + "\"") {
    _thread = std::thread([this] {
        while (!_stopping) {
            const Micros at = nowMicros();
            try {
                const double now = depth();
                std::lock_guard<std::mutex> lock(_mutex);
                _depths.emplace_back(at, now);
            } catch (const Poco::Exception&) {
                // A host that is busy or not up yet: the next reading tells.
            } catch (const std::runtime_error&) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
}

QueueWatch::~QueueWatch() {
    _stopping = true;
    _thread.join();
}

std::vector<std::pair<Micros, double>> QueueWatch::take() {
    std::vector<std::pair<Micros, double>> taken;
    std::lock_guard<std::mutex> lock(_mutex);
    taken.swap(_depths);
    return taken;
}

double QueueWatch::depth() {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(_port));
    session.setTimeout(Poco::Timespan(1, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/metrics");
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    std::string line;
    while (std::getline(body, line)) {
        if (line.rfind(_prefix, 0) != 0)
            continue;
        try {
            return std::stod(line.substr(line.rfind(' ') + 1));
        } catch (const std::logic_error&) {  // std::invalid_argument, std::out_of_range
            ++_malformed;
        }
    }
    throw std::runtime_error("no " + _prefix + "} in the gateway's /metrics");
}

}  // namespace citysense::bench
