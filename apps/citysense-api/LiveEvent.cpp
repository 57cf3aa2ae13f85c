#include "LiveEvent.h"

#include <citysense/Format.h>
#include <citysense/Sample.h>

#include <cmath>

namespace citysense::api {

std::string liveObservationData(std::int64_t datastream, std::int64_t thing, Quantity quantity, double value,
                                Micros time, std::uint16_t quality) {
    const QuantityInfo& property = info(quantity);
    std::string data = "{\"Datastream@iot.id\":" + std::to_string(datastream) +
                       ",\"Thing@iot.id\":" + std::to_string(thing) + ",\"ObservedProperty\":\"" +
                       property.name + "\",\"unit\":\"" + property.unit + "\",\"phenomenonTime\":\"" +
                       formatIsoTime(time) +
                       "\",\"result\":" + (std::isfinite(value) ? formatNumber(value) : std::string("null")) +
                       ",\"resultQuality\":[";
    const std::vector<std::string> flags = qualityNames(quality);
    for (std::size_t at = 0; at < flags.size(); ++at)
        data += (at ? ",\"" : "\"") + flags[at] + "\"";
    return data + "]}";
}

LiveEvent liveEvent(std::uint64_t id, Micros received, std::shared_ptr<const LiveObservation> observation) {
    auto text = std::make_shared<const std::string>(
        "id: " + std::to_string(id) + "\nevent: observation\ndata: " + observation->data + "\n\n");
    return {id, received, std::move(observation), std::move(text)};
}

}  // namespace citysense::api
