#include "RetainedDocument.h"

#include <citysense/Format.h>

#include <stdexcept>

namespace citysense::mqtt {

void RetainedDocument::publish(Client& client, std::chrono::milliseconds timeout) const {
    if (!ready())
        return;
    try {
        if (!client.paho().publish(_topic, _payload.data(), _payload.size(), 1, true)->wait_for(timeout))
            throw std::runtime_error("cannot publish on " + _topic + ": no acknowledgement within " +
                                     formatDuration(timeout.count() * 1000));
    } catch (const ::mqtt::exception& error) {
        const std::string why = error.get_reason_code() >= 0x80 ? "refused (" + error.get_reason_code_str() +
                                                                      "): may this user publish there?"
                                                                : client.explain(error);
        throw std::runtime_error("cannot publish on " + _topic + ": " + why);
    }
}

}  // namespace citysense::mqtt
