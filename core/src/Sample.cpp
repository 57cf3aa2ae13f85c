#include <citysense/Sample.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

namespace citysense {

bool Station::operator<(const Station& other) const {
    return std::tie(system, city, street) < std::tie(other.system, other.city, other.street);
}

std::string nameLengthProblem(const std::string& what, const std::string& name) {
    if (name.size() <= kMaxNameCharacters)  // fewer bytes, so fewer characters
        return {};
    // UTF-8: every byte but a continuation byte (10xxxxxx) starts a character.
    const auto characters = static_cast<std::size_t>(
        std::count_if(name.begin(), name.end(), [](char byte) { return (byte & 0xC0) != 0x80; }));
    if (characters <= kMaxNameCharacters)
        return {};
    return what + " is " + std::to_string(characters) + " characters long, longer than the " +
           std::to_string(kMaxNameCharacters) + " a name may have";
}

std::string stationNameProblem(const Station& station) {
    for (const auto& [what, name] : {std::pair<const char*, const std::string&>{"system", station.system},
                                     {"city", station.city},
                                     {"street", station.street}}) {
        if (std::string problem = nameLengthProblem(what, name); !problem.empty())
            return problem;
    }
    return {};
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
