// The ingest-throughput bench's gateways (IngestFlood.h).
#include "IngestFlood.h"

#include "SoakLedger.h"

#include <citysense/Sample.h>
#include <payload/Tsv.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace citysense::bench {

void IngestFlood::Acknowledgements::on_success(const ::mqtt::token&) {
    ++_flood._acknowledged;
    _flood.answered(_gateway);
}

void IngestFlood::Acknowledgements::on_failure(const ::mqtt::token&) {
    ++_flood._refused;
    _flood.answered(_gateway);
}

void IngestFlood::answered(Gateway& gateway) {
    if (gateway.inflight-- == _settings.window) {
        std::lock_guard<std::mutex> lock(_mutex);
        _room.notify_one();
    }
}

IngestFlood::IngestFlood(const FloodSettings& settings) : _settings(settings), _base(nowMicros()) {
    std::ifstream identities(settings.identitiesFile);
    if (!identities)
        throw std::runtime_error("cannot read " + settings.identitiesFile);
    std::string line;
    while (_gateways.size() < settings.gateways && std::getline(identities, line)) {
        std::istringstream words(line);
        auto gateway = std::make_unique<Gateway>();
        std::string user;
        if (!(words >> user >> gateway->password))
            throw std::runtime_error(settings.identitiesFile + ": expected \"user password\": " + line);
        gateway->client = std::make_unique<::mqtt::async_client>(
            settings.uri, user, ::mqtt::create_options(MQTTVERSION_3_1_1, static_cast<int>(settings.window)));
        gateway->prefix = "hypo_city/city_01/" + streetOfGateway(_gateways.size()) + "/";
        gateway->listener = std::make_unique<Acknowledgements>(*this, *gateway);
        _gateways.push_back(std::move(gateway));
    }
    if (_gateways.size() < settings.gateways)
        throw std::runtime_error(settings.identitiesFile + " holds " + std::to_string(_gateways.size()) +
                                 " identities, not " + std::to_string(settings.gateways));
}

IngestFlood::~IngestFlood() {
    std::vector<::mqtt::token_ptr> tokens;
    for (auto& gateway : _gateways) {
        try {
            if (gateway->client->is_connected())
                tokens.push_back(gateway->client->disconnect());
        } catch (const ::mqtt::exception&) {
        }
    }
    for (auto& token : tokens)
        token->wait_for(std::chrono::seconds(10));
}

void IngestFlood::connect() {
    std::vector<::mqtt::token_ptr> tokens;
    for (auto& gateway : _gateways)
        tokens.push_back(gateway->client->connect(::mqtt::connect_options_builder()
                                                      .clean_session()
                                                      .user_name(gateway->client->get_client_id())
                                                      .password(gateway->password)
                                                      .max_inflight(static_cast<int>(_settings.window))
                                                      .finalize()));
    for (auto& token : tokens)
        if (!token->wait_for(std::chrono::seconds(30)))
            throw std::runtime_error("a gateway did not connect within 30 s");
}

void IngestFlood::publishUntil(Micros until) {
    const auto& quantities = soakQuantities();
    while (nowMicros() < until && !_stopping) {
        bool any = false;
        for (auto& gateway : _gateways) {
            // Up to the window, a few at a time, so that every connection gets its turn.
            for (int burst = 0; burst < 10 && gateway->inflight < _settings.window; ++burst) {
                const std::size_t reading = gateway->next++;
                Sample sample{};
                sample.time = _base + static_cast<Micros>(reading / quantities.size());
                sample.value = quantities[reading % quantities.size()].value;
                const std::string payload = encodeTsv(sample);
                ++gateway->inflight;
                ++_published;
                any = true;
                try {
                    gateway->client->publish(gateway->prefix + quantities[reading % quantities.size()].leaf,
                                             payload.data(), payload.size(), 1, false, nullptr,
                                             *gateway->listener);
                } catch (const ::mqtt::exception&) {
                    ++_refused;
                    --gateway->inflight;
                }
            }
        }
        if (!any) {
            std::unique_lock<std::mutex> lock(_mutex);
            _room.wait_for(lock, std::chrono::milliseconds(1));
        }
    }
    const Micros deadline = nowMicros() + 30 * kMicrosPerSecond;
    while (_acknowledged + _refused < _published && nowMicros() < deadline && !_stopping)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace citysense::bench
