// The mqtt sink's control channel (citysense/ControlChannel.h): the host's subscriptions and retained
// messages over the sink's own connection, so that a gateway keeps one identity and one connection. The
// sink tells it of each connection made and dropped; it subscribes again and sends what waits at each.
#pragma once

#include <citysense/ControlChannel.h>
#include <citysense/Plugin.h>
#include <mqtt-client/Connection.h>

#include <map>
#include <mutex>
#include <string>

namespace citysense::mqtt {

class ControlTopics : public ControlChannel {
public:
    /// Logs as `sink`, the sink that owns it.
    explicit ControlTopics(const Plugin& sink) : _sink(sink) {}

    void subscribe(const std::string& topic, Receiver receiver) override;
    void unsubscribeAll() override;
    void publishRetained(const std::string& topic, const std::string& payload) override;

    /// The sink connected `client`: subscribes to every topic and publishes what waits.
    void connected(Client& client);
    /// The sink is about to drop its client: nothing is sent through it any more.
    void disconnected();

private:
    /// Publishes and waits briefly for the acknowledgement; false (logged) if it did not come.
    bool publishNow(const std::string& topic, const std::string& payload);
    void subscribeNow(const std::string& topic);

    const Plugin& _sink;
    /// Guards the receivers only: paho's thread takes it for each message, so it is never held while
    /// waiting for the broker (paho's thread also handles the acknowledgements).
    std::mutex _receiversMutex;
    std::map<std::string, Receiver> _receivers;
    std::mutex _clientMutex;  ///< guards the client and what waits for it
    Client* _client = nullptr;
    std::map<std::string, std::string> _waiting;  ///< retained messages for the next connection
};

}  // namespace citysense::mqtt
