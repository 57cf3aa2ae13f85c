#include "Subscriber.h"

#include "ServiceProcess.h"

namespace citysense::test {

Subscriber::Subscriber(const Broker& broker, const BrokerCredentials& credentials, const std::string& filter,
                       Session session, const std::string& clientId)
    : _client(broker.tlsUri(), clientId.empty() ? credentials.username : clientId) {
    _client.set_message_callback([this](::mqtt::const_message_ptr message) {
        std::lock_guard<std::mutex> lock(_mutex);
        _messages.push_back({message->get_topic(), message->to_string(), message->is_retained()});
    });
    // Subscribe again on every (re)connect: a persistent session keeps the subscription anyway.
    _client.set_connected_handler([this, filter](const std::string&) { _client.subscribe(filter, 1); });
    ::mqtt::ssl_options ssl;
    ssl.set_trust_store(broker.caFile());
    auto options = ::mqtt::connect_options_builder()
                       .user_name(credentials.username)
                       .password(credentials.password)
                       .clean_session(session == Session::Clean)
                       .automatic_reconnect(std::chrono::milliseconds(100), std::chrono::milliseconds(500))
                       .ssl(ssl)
                       .finalize();
    _client.connect(options)->wait();
    // The subscription is asynchronous; wait until the broker has it.
    eventually([this, filter] {
        try {
            return _client.subscribe(filter, 1)->wait_for(std::chrono::seconds(5));
        } catch (const ::mqtt::exception&) {
            return false;
        }
    });
}

Subscriber::~Subscriber() {
    try {
        _client.disconnect()->wait_for(std::chrono::seconds(2));
    } catch (const ::mqtt::exception&) {
    }
}

std::vector<ReceivedMessage> Subscriber::messages() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _messages;
}

std::size_t Subscriber::count() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _messages.size();
}

bool Subscriber::waitFor(const std::function<bool(const std::vector<ReceivedMessage>&)>& condition) const {
    return eventually([&] { return condition(messages()); });
}

bool Subscriber::waitForCount(std::size_t count) const {
    return eventually([&] { return this->count() >= count; });
}

}  // namespace citysense::test
