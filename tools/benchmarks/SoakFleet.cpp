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

void FleetTally::countLag(Micros lag) {
    const auto ms = static_cast<std::size_t>(std::max<Micros>(0, lag) / 1000);
    ++lagMs[std::min(ms, kLagBuckets - 1)];
}

double FleetTally::lagPercentile(double p) const {
    std::size_t total = 0;
    for (const auto& bucket : lagMs)
        total += bucket;
    const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(total));
    std::size_t below = 0;
    for (std::size_t ms = 0; ms < kLagBuckets; ++ms) {
        below += lagMs[ms];
        if (below > rank)
            return static_cast<double>(ms + 1);
    }
    return 0;
}

double FleetTally::lagMax() const {
    for (std::size_t ms = kLagBuckets; ms > 0; --ms)
        if (lagMs[ms - 1])
            return static_cast<double>(ms);
    return 0;
}

void SoakFleet::ConnectListener::on_success(const ::mqtt::token&) {
    ++_fleet._tally.connected;
    ++_fleet._connectAnswers;
}

void SoakFleet::ConnectListener::on_failure(const ::mqtt::token&) {
    ++_fleet._tally.refused;
    ++_fleet._connectAnswers;
}

void SoakFleet::PublishListener::on_success(const ::mqtt::token& token) {
    _fleet._ledger.mark(readingOf(token), SoakLedger::Acknowledged);
    _fleet.answered();
}

void SoakFleet::PublishListener::on_failure(const ::mqtt::token& token) {
    _fleet._ledger.mark(readingOf(token), SoakLedger::Refused);
    _fleet.answered();
}

void SoakFleet::answered() {
    ++_answered;
    ++_tally.answered;
}

SoakFleet::SoakFleet(const FleetSettings& settings, SoakLedger& ledger, FleetTally& tally, std::size_t first,
                     std::size_t end, double connectRate)
    : _settings(settings), _ledger(ledger), _tally(tally), _first(first), _connectRate(connectRate) {
    std::ifstream identities(settings.identitiesFile);
    if (!identities)
        throw std::runtime_error("cannot read " + settings.identitiesFile);
    const std::size_t gateways = end - first;
    std::string line;
    for (std::size_t skipped = 0; skipped < first; ++skipped)
        if (!std::getline(identities, line))
            break;
    while (_clients.size() < gateways && std::getline(identities, line)) {
        std::istringstream words(line);
        std::string user, password;
        if (!(words >> user >> password))
            throw std::runtime_error(settings.identitiesFile + ": expected \"user password\": " + line);
        _clients.push_back(std::make_unique<::mqtt::async_client>(
            settings.uri, user, ::mqtt::create_options(MQTTVERSION_3_1_1, 100)));
        _clients.back()->set_connection_lost_handler([this](const std::string&) { ++_tally.lost; });
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
    const auto spacing = static_cast<Micros>(1e6 / _connectRate);
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
    while (_connectAnswers < _clients.size() && nowMicros() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

void SoakFleet::publish() {
    const SoakPlan& plan = _ledger.plan();
    const auto& quantities = soakQuantities();
    std::vector<std::string> prefixes;
    for (std::size_t i = 0; i < _clients.size(); ++i)
        prefixes.push_back(_settings.system + "/" + _settings.city + "/" + streetOfGateway(_first + i) + "/");
    for (std::size_t round = 0; round < plan.rounds; ++round) {
        for (std::size_t i = 0; i < _clients.size(); ++i) {
            const std::size_t g = _first + i;
            const Micros time = plan.time(g, round);
            sleepUntil(time);
            _tally.countLag(nowMicros() - time);
            auto& client = *_clients[i];
            for (std::size_t q = 0; q < quantities.size(); ++q) {
                const std::size_t reading = plan.reading(g, q, round);
                if (!client.is_connected()) {
                    ++_tally.skipped;
                    continue;
                }
                Sample sample{};
                sample.time = time;
                sample.value = quantities[q].value;
                const std::string payload = encodeTsv(sample);
                _ledger.mark(reading, SoakLedger::Published);
                ++_published;
                ++_tally.published;
                try {
                    client.publish(prefixes[i] + quantities[q].leaf, payload.data(), payload.size(), 1, false,
                                   context(reading), _publishListener);
                } catch (const ::mqtt::exception&) {
                    _ledger.mark(reading, SoakLedger::Refused);
                    answered();
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

}  // namespace citysense::bench
