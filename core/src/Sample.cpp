#include <citysense/Sample.h>

#include <map>
#include <memory>
#include <mutex>
#include <tuple>

namespace citysense {

bool Station::operator<(const Station& other) const {
    return std::tie(system, city, street) < std::tie(other.system, other.city, other.street);
}

const Source* Source::intern(const Station& station, const std::string& instance) {
    static std::mutex mutex;
    static std::map<std::pair<Station, std::string>, std::unique_ptr<Source>> sources;
    std::lock_guard<std::mutex> lock(mutex);
    auto& slot = sources[{station, instance}];
    if (!slot)
        slot.reset(new Source{station, instance});
    return slot.get();
}

std::vector<std::string> qualityNames(std::uint16_t quality) {
    static const std::pair<Quality, const char*> names[] = {
        {QualityOutOfRange, "out_of_range"},
        {QualitySensorFault, "sensor_fault"},
        {QualityWarmingUp, "warming_up"},
        {QualitySimulated, "simulated"},
        {QualityClockUnsynchronised, "clock_unsynchronised"},
        {QualityPartial, "partial"},
    };
    std::vector<std::string> result;
    for (const auto& [flag, name] : names) {
        if (quality & flag)
            result.emplace_back(name);
    }
    if (result.empty())
        result.emplace_back("ok");
    return result;
}

}  // namespace citysense
