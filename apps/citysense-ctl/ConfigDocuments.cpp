#include "ConfigDocuments.h"

#include <engine/RemoteConfig.h>

namespace citysense {

namespace {

Station stationOf(const std::string& gateway) {
    Station station;
    const auto first = gateway.find('/');
    const auto second = first == std::string::npos ? first : gateway.find('/', first + 1);
    if (second == std::string::npos || gateway.find('/', second + 1) != std::string::npos)
        throw std::runtime_error("'" + gateway + "' is not SYSTEM/CITY/STREET");
    station.system = gateway.substr(0, first);
    station.city = gateway.substr(first + 1, second - first - 1);
    station.street = gateway.substr(second + 1);
    return station;
}

}  // namespace

GatewayDocuments readGatewayDocuments(mqtt::Client& client, const std::string& gateway,
                                      std::chrono::milliseconds patience) {
    const Station station = stationOf(gateway);
    const std::string desiredTopic = RemoteConfig::desiredTopic(station);
    const std::string reportedTopic = RemoteConfig::reportedTopic(station);
    client.paho().start_consuming();
    for (const std::string& topic : {desiredTopic, reportedTopic}) {
        if (!client.paho().subscribe(topic, 1)->wait_for(client.settings().connectTimeout))
            throw std::runtime_error("no answer to the subscription to " + topic);
    }
    GatewayDocuments documents;
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while ((!documents.desired || !documents.reported) && std::chrono::steady_clock::now() < deadline) {
        ::mqtt::const_message_ptr message;
        if (!client.paho().try_consume_message_for(&message, std::chrono::milliseconds(50)) || !message)
            continue;
        if (message->get_payload().empty())
            continue;
        if (message->get_topic() == desiredTopic) {
            documents.desired = message->get_payload_str();
        } else if (message->get_topic() == reportedTopic) {
            try {
                documents.reported = ReportedDocument::fromJson(message->get_payload_str());
            } catch (const DocumentError& error) {
                throw std::runtime_error(reportedTopic + ": " + error.what());
            }
        }
    }
    client.paho().stop_consuming();
    return documents;
}

void publishDesired(mqtt::Client& client, const std::string& gateway, const std::string& envelope) {
    const std::string topic = RemoteConfig::desiredTopic(stationOf(gateway));
    try {
        if (!client.paho()
                 .publish(topic, envelope.data(), envelope.size(), 1, true)
                 ->wait_for(client.settings().connectTimeout))
            throw std::runtime_error("no acknowledgement for " + topic);
    } catch (const ::mqtt::exception& error) {
        if (error.get_reason_code() >= 0x80)
            throw std::runtime_error("the broker refused " + topic + " (" + error.get_reason_code_str() +
                                     "): may this identity write the gateway's desired document?");
        throw std::runtime_error("cannot publish " + topic + ": " + client.explain(error));
    }
}

std::string stateOf(const GatewayDocuments& documents) {
    if (!documents.desired)
        return "none";
    DesiredDocument desired;
    try {
        desired = readUnverifiedDocument(*documents.desired);
    } catch (const DocumentError&) {
        return documents.reported ? reportStatusName(documents.reported->status) : "pending";
    }
    if (!documents.reported || documents.reported->version != desired.version ||
        documents.reported->request != desired.request)
        return "pending";
    return reportStatusName(documents.reported->status);
}

}  // namespace citysense
