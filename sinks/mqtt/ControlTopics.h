// The mqtt sink's control channel (citysense/ControlChannel.h): the host's subscriptions and retained
// messages over the sink's own connection, so that a gateway keeps one identity and one connection. The
// sink tells it of each connection made and dropped; it subscribes again and sends what waits at each.
#pragma once

#include <citysense/ControlChannel.h>
#include <citysense/Plugin.h>
#include <mqtt-client/Publisher.h>

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

    /// A message arrived on the sink's connection (its publisher's message handler): hands it to the
    /// receiver of its topic.
    void received(const std::string& topic, const std::string& payload);
    /// The sink connected `publisher`: subscribes to every topic and publishes what waits.
    void connected(Publisher& publisher);
    /// The sink is about to drop its client: nothing is sent through it any more.
    void disconnected();

private:
    /// Publishes and waits briefly for the acknowledgement; false (logged) if it did not come.
    bool publishNow(const std::string& topic, const std::string& payload);
    void subscribeNow(const std::string& topic);

    const Plugin& _sink;
    /// Guards the receivers only: the publisher's reader takes it for each message, so it is never held
    /// while waiting for the broker (the reader also handles the acknowledgements).
    std::mutex _receiversMutex;
    std::map<std::string, Receiver> _receivers;
    std::mutex _clientMutex;  ///< guards the publisher and what waits for it
    Publisher* _publisher = nullptr;
    std::map<std::string, std::string> _waiting;  ///< retained messages for the next connection
};

}  // namespace citysense::mqtt
