#include "DriverBoundary.h"

#include <algorithm>
#include <string>

namespace citysense {

DriverBoundary::DriverBoundary(const Driver& driver) : _driver(driver) {
    static_assert(sizeof(Quantity) == 1, "_declared has a bit for every 8-bit Quantity");
    for (const Channel& channel : driver.channels())
        _declared.set(static_cast<std::size_t>(channel.quantity));
}

const char* DriverBoundary::problem(const Sample& sample, std::string& detail) const {
    const auto number = static_cast<unsigned>(sample.quantity);
    if (number >= quantities().size()) {
        detail = "quantity " + std::to_string(number) + " is not in the quantity table";
        return boundary::kUnknownQuantity;
    }
    if (!_declared.test(number)) {
        detail = std::string(info(sample.quantity).name) + " is not among the driver's channels";
        return boundary::kUndeclaredQuantity;
    }
    if (!sample.source) {
        detail = std::string("a ") + info(sample.quantity).name + " sample without a source";
        return boundary::kNoSource;
    }
    const Station& station = sample.source->station;
    if (station.system.empty() || station.city.empty() || station.street.empty()) {
        detail = std::string("a ") + info(sample.quantity).name + " sample of station '" + station.system +
                 "/" + station.city + "/" + station.street + "' (a level is empty)";
        return boundary::kNoStation;
    }
    return nullptr;
}

void DriverBoundary::admit(SampleBatch& batch) const {
    std::string detail;
    const auto dropped = [&](const Sample& sample) {
        const char* reason = problem(sample, detail);
        if (reason)
            _driver.countDropped(reason, 1, detail);
        return reason != nullptr;
    };
    batch.erase(std::remove_if(batch.begin(), batch.end(), dropped), batch.end());
}

}  // namespace citysense
