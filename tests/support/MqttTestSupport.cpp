#include "MqttTestSupport.h"

namespace citysense::test {

std::map<std::string, std::string> tlsOptions(const Broker& broker, const BrokerCredentials& credentials) {
    return {{"uri", broker.tlsUri()},
            {"username", credentials.username},
            {"password_file", credentials.passwordFile},
            {"ca_file", broker.caFile()}};
}

RunningDriver::RunningDriver(Driver& driver) : _driver(driver) {
    _thread = std::thread([this] {
        try {
            _driver.run(*this, _stop);
        } catch (const std::exception& error) {
            std::lock_guard<std::mutex> lock(_mutex);
            _failure = error.what();
        }
    });
}

RunningDriver::~RunningDriver() {
    _stop.requestStop();
    _thread.join();
}

void RunningDriver::emit(SampleBatch& batch) {
    std::lock_guard<std::mutex> lock(_mutex);
    _samples.insert(_samples.end(), batch.begin(), batch.end());
    batch.clear();
}

void RunningDriver::announce(const Announcement& announcement) {
    std::lock_guard<std::mutex> lock(_mutex);
    _announcements.push_back(announcement);
}

std::vector<Announcement> RunningDriver::announcements() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _announcements;
}

SampleBatch RunningDriver::samples() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _samples;
}

std::string RunningDriver::failure() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _failure;
}

}  // namespace citysense::test
