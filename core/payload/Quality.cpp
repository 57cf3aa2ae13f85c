#include <payload/Quality.h>

#include <citysense/Format.h>
#include <citysense/Sample.h>

#include <utility>
#include <vector>

namespace citysense::payload {

namespace {

// The inverse of qualityNames(), built from it so the two cannot drift apart.
const std::vector<std::pair<std::string, std::uint16_t>>& flagsByName() {
    static const std::vector<std::pair<std::string, std::uint16_t>> flags = [] {
        std::vector<std::pair<std::string, std::uint16_t>> table{{"ok", QualityOk}};
        for (int bit = 0; bit < 16; ++bit) {
            const auto flag = static_cast<std::uint16_t>(1u << bit);
            const auto names = qualityNames(flag);
            if (names.size() == 1 && names.front() != "ok")
                table.emplace_back(names.front(), flag);
        }
        return table;
    }();
    return flags;
}

}  // namespace

std::optional<std::uint16_t> qualityFlag(std::string_view name) {
    for (const auto& [flagName, flag] : flagsByName()) {
        if (flagName == name)
            return flag;
    }
    return std::nullopt;
}

std::string knownQualities() {
    std::string names;
    for (const auto& [name, flag] : flagsByName())
        names += (names.empty() ? "" : ", ") + name;
    return names;
}

std::string qualityArray(std::uint16_t quality) {
    std::string text = "[";
    for (const auto& name : qualityNames(quality))
        text += (text.size() > 1 ? "," : "") + jsonString(name);
    return text + "]";
}

}  // namespace citysense::payload
