// A control channel: a sink's own connection to a server, lent to the host for messages about the
// station rather than readings (the operator's remote configuration, citysensed's RemoteConfig). A sink
// that keeps a connection a server can answer on, such as the mqtt sink, offers one through
// Sink::controlChannel(); the host then needs no second connection, and no second identity, of its own.
#pragma once

#include <functional>
#include <string>

namespace citysense {

class ControlChannel {
public:
    /// Takes each message on a subscribed topic. Called on a thread of the sink's or of its library's,
    /// possibly while the host calls the channel from another: keep it short and do not call back into
    /// the channel from it.
    using Receiver = std::function<void(const std::string& topic, const std::string& payload)>;

    virtual ~ControlChannel();

    /// Subscribes to `topic` (a topic, not a filter) at QoS 1, now if connected and again after every
    /// new connection, so that a retained message on it arrives at each one. `receiver` replaces the
    /// receiver of an earlier subscription to the same topic.
    virtual void subscribe(const std::string& topic, Receiver receiver) = 0;

    /// Ends every subscription: no receiver is called once this returns.
    virtual void unsubscribeAll() = 0;

    /// Publishes `payload` on `topic`, retained, at QoS 1: now if connected, otherwise at the next
    /// connection (only the latest payload of a topic waits). Never throws; failures are the sink's to
    /// log.
    virtual void publishRetained(const std::string& topic, const std::string& payload) = 0;
};

}  // namespace citysense
