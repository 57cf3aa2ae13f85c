#include "RetainedDocument.h"

#include <citysense/Format.h>

#include <stdexcept>

namespace citysense::mqtt {

void RetainedDocument::publish(Publisher& publisher, std::chrono::milliseconds timeout) const {
    if (!ready())
        return;
    const Publisher::Answer answer = publisher.publishAndWait(_topic, _payload, 1, true, timeout);
    switch (answer.kind) {
        case Publisher::Answer::Kind::Acknowledged:
        case Publisher::Answer::Kind::Sent:
            return;
        case Publisher::Answer::Kind::Refused:
            throw std::runtime_error("cannot publish on " + _topic + ": refused (" +
                                     Publisher::reasonText(answer.reasonCode) +
                                     "): may this user publish there?");
        case Publisher::Answer::Kind::TimedOut:
            throw std::runtime_error("cannot publish on " + _topic + ": no acknowledgement within " +
                                     formatDuration(timeout.count() * 1000));
        case Publisher::Answer::Kind::Lost:
            throw std::runtime_error("cannot publish on " + _topic + ": connection to " +
                                     publisher.describe() + " lost");
    }
}

}  // namespace citysense::mqtt
