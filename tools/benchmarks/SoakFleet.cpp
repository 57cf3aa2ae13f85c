// The city soak's gateways (SoakFleet.h).
#include "SoakFleet.h"

#include <payload/Tsv.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace citysense::bench {

namespace {

void sleepUntil(Micros time) {
    const Micros wait = time - nowMicros();
    if (wait > 0)
        std::this_thread::sleep_for(std::chrono::microseconds(wait));
}

void* context(std::size_t reading) {
    return reinterpret_cast<void*>(static_cast<std::uintptr_t>(reading));
}

std::size_t readingOf(const ::mqtt::token& token) {
    return static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(token.get_user_context()));
}

}  // namespace

void SoakFleet::ConnectListener::on_success(const ::mqtt::token&) {
    ++_fleet._connected;
}

void SoakFleet::ConnectListener::on_failure(const ::mqtt::token&) {
    ++_fleet._refused;
}

void SoakFleet::PublishListener::on_success(const ::mqtt::token& token) {
    _fleet._ledger.mark(readingOf(token), SoakLedger::Acknowledged);
    ++_fleet._answered;
}

void SoakFleet::PublishListener::on_failure(const ::mqtt::token& token) {
    _fleet._ledger.mark(readingOf(token), SoakLedger::Refused);
    ++_fleet._answered;
}

SoakFleet::SoakFleet(const FleetSettings& settings, SoakLedger& ledger)
    : _settings(settings), _ledger(ledger) {
    std::ifstream identities(settings.identitiesFile);
    if (!identities)
        throw std::runtime_error("cannot read " + settings.identitiesFile);
    const std::size_t gateways = ledger.plan().gateways;
    std::string line;
    while (_clients.size() < gateways && std::getline(identities, line)) {
        std::istringstream words(line);
        std::string user, password;
        if (!(words >> user >> password))
            throw std::runtime_error(settings.identitiesFile + ": expected \"user password\": " + line);
        _clients.push_back(std::make_unique<::mqtt::async_client>(
            settings.uri, user, ::mqtt::create_options(MQTTVERSION_3_1_1, 100)));
        _clients.back()->set_connection_lost_handler([this](const std::string&) { ++_lost; });
        _passwords.push_back(password);
    }
    if (_clients.size() < gateways)
        throw std::runtime_error(settings.identitiesFile + " holds " + std::to_string(_clients.size()) +
                                 " identities, not " + std::to_string(gateways));
}

SoakFleet::~SoakFleet() {
    disconnect();
}

void SoakFleet::connect(double timeoutSeconds) {
    const auto ssl = ::mqtt::ssl_options_builder()
                         .trust_store(_settings.caFile)
                         .ssl_version(MQTT_SSL_VERSION_TLS_1_2)
                         .enable_server_cert_auth(true)
                         .verify(true)
                         .finalize();
    const Micros start = nowMicros();
    const auto spacing = static_cast<Micros>(1e6 / _settings.connectRate);
    for (std::size_t i = 0; i < _clients.size(); ++i) {
        sleepUntil(start + static_cast<Micros>(i) * spacing);
        auto options = ::mqtt::connect_options_builder()
                           .clean_session()
                           .user_name(_clients[i]->get_client_id())
                           .password(_passwords[i])
                           .keep_alive_interval(std::chrono::seconds(60))
                           .connect_timeout(std::chrono::seconds(30))
                           .automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(30))
                           .ssl(ssl)
                           .finalize();
        _clients[i]->connect(options, nullptr, _connectListener);
    }
    const Micros deadline = nowMicros() + static_cast<Micros>(timeoutSeconds * 1e6);
    while (_connected + _refused < _clients.size() && nowMicros() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    _rampSeconds = static_cast<double>(nowMicros() - start) / 1e6;
}

void SoakFleet::publish() {
    const SoakPlan& plan = _ledger.plan();
    const auto& quantities = soakQuantities();
    std::vector<std::string> prefixes;
    for (std::size_t g = 0; g < plan.gateways; ++g)
        prefixes.push_back(_settings.system + "/" + _settings.city + "/" + streetOfGateway(g) + "/");
    _lags.reserve(plan.gateways * plan.rounds);
    for (std::size_t round = 0; round < plan.rounds; ++round) {
        for (std::size_t g = 0; g < plan.gateways; ++g) {
            const Micros time = plan.time(g, round);
            sleepUntil(time);
            _lags.push_back(nowMicros() - time);
            auto& client = *_clients[g];
            for (std::size_t q = 0; q < quantities.size(); ++q) {
                const std::size_t reading = plan.reading(g, q, round);
                if (!client.is_connected()) {
                    ++_skipped;
                    continue;
                }
                Sample sample{};
                sample.time = time;
                sample.value = quantities[q].value;
                const std::string payload = encodeTsv(sample);
                _ledger.mark(reading, SoakLedger::Published);
                ++_published;
                try {
                    client.publish(prefixes[g] + quantities[q].leaf, payload.data(), payload.size(), 1, false,
                                   context(reading), _publishListener);
                } catch (const ::mqtt::exception&) {
                    _ledger.mark(reading, SoakLedger::Refused);
                    ++_answered;
                }
            }
        }
    }
}

void SoakFleet::awaitAcknowledgements(double timeoutSeconds) {
    const Micros deadline = nowMicros() + static_cast<Micros>(timeoutSeconds * 1e6);
    while (_answered < _published && nowMicros() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

void SoakFleet::disconnect() {
    std::vector<::mqtt::token_ptr> tokens;
    for (auto& client : _clients) {
        if (!client->is_connected())
            continue;
        try {
            tokens.push_back(client->disconnect());
        } catch (const ::mqtt::exception&) {
        }
    }
    for (auto& token : tokens)
        token->wait_for(std::chrono::seconds(10));
    _clients.clear();
}

FleetCounts SoakFleet::counts() const {
    FleetCounts counts;
    counts.connected = _connected;
    counts.refused = _refused;
    counts.lost = _lost;
    counts.skipped = _skipped;
    counts.rampSeconds = _rampSeconds;
    std::vector<Micros> lags = _lags;
    std::sort(lags.begin(), lags.end());
    if (!lags.empty()) {
        counts.schedulingLagP99 = lags[std::min(lags.size() - 1, lags.size() * 99 / 100)];
        counts.schedulingLagMax = lags.back();
    }
    return counts;
}

}  // namespace citysense::bench
