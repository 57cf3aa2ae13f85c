#include "Describe.h"

#include <engine/CurrentException.h>
#include <engine/HostOptions.h>

#include <Poco/Logger.h>

#include <cmath>
#include <iomanip>
#include <sstream>

namespace citysense {

void printPluginList(std::ostream& out, const PluginRegistry& registry) {
    for (const auto* entry : registry.plugins()) {
        out << std::left << std::setw(16) << entry->name << std::setw(8) << kindName(entry->kind)
            << std::setw(9) << entry->version << entry->summary << "\n"
            << std::string(33, ' ') << entry->path << "\n";
    }
    if (registry.plugins().empty())
        out << "no plugins found\n";
    for (const auto& error : registry.errors())
        out << "error: " << error.path << ": " << error.message << "\n";
}

namespace {

std::string bounds(const Option& option) {
    if (std::isinf(option.min) && std::isinf(option.max))
        return "";
    const auto text = [&](double value) {
        if (option.type == OptionType::Duration)
            return formatDuration(static_cast<Micros>(std::llround(value * kMicrosPerSecond)));
        std::ostringstream number;
        number << value;
        return number.str();
    };
    if (std::isinf(option.max))
        return " (at least " + text(option.min) + ")";
    if (std::isinf(option.min))
        return " (at most " + text(option.max) + ")";
    return " (" + text(option.min) + " to " + text(option.max) + ")";
}

void printOption(std::ostream& out, const Option& option) {
    std::string name = option.quantityScoped ? "[<quantity>.]" + option.name : option.name;
    std::string defaultText = option.required               ? "required"
                              : option.defaultValue.empty() ? "-"
                                                            : option.defaultValue;
    out << "  " << std::left << std::setw(26) << name << " " << std::setw(10) << typeName(option.type)
        << std::setw(13) << defaultText << ' ' << option.description << bounds(option);
    if (!option.choices.empty()) {
        out << (option.type == OptionType::List ? "; items from: " : "; one of: ");
        for (std::size_t i = 0; i < option.choices.size(); ++i)
            out << (i ? ", " : "") << option.choices[i];
    }
    out << "\n";
}

void printChannels(std::ostream& out, PluginRegistry& registry, const PluginEntry& entry) {
    auto driver = registry.createDriver(entry.name);
    driver->attach({"driver.describe", Station{}, nullptr});
    driver->logger().setLevel(Poco::Message::PRIO_WARNING);  // a probe: its notes would only confuse
    std::vector<OptionIssue> issues;
    const Options defaults = Options::parse(entry.options, {}, issues);
    try {
        if (!issues.empty())
            throw std::runtime_error("it needs options to be set: " + issues.front().key);
        driver->configure(defaults);
        out << "\nChannels with default options (" << (driver->eventDriven() ? "event-driven" : "polled")
            << "):\n";
        for (const auto& channel : driver->channels()) {
            const QuantityInfo& quantity = info(channel.quantity);
            out << "  " << std::left << std::setw(18) << quantity.name << std::setw(6) << quantity.unit
                << channel.min << " to " << channel.max << "\n";
        }
    } catch (...) {
        out << "\nChannels depend on the configuration (" << currentExceptionText() << ")\n";
    }
}

}  // namespace

bool printPluginDescription(std::ostream& out, PluginRegistry& registry, const std::string& name) {
    const PluginEntry* entry = registry.find(name);
    if (!entry)
        return false;
    const std::string kind = kindName(entry->kind);
    out << entry->name << " " << entry->version << " (" << kind << " plugin): " << entry->summary << "\n"
        << "file: " << entry->path << "\n\n"
        << "Options of a [" << kind << ".NAME] section:\n";
    out << "  " << std::left << std::setw(26) << "name"
        << " " << std::setw(10) << "type" << std::setw(14) << "default"
        << "description\n";
    for (const auto& option : hostOptions(kind))
        printOption(out, option);
    for (const auto& option : entry->options)
        printOption(out, option);
    if (entry->kind == PluginKind::Driver)
        printChannels(out, registry, *entry);
    return true;
}

}  // namespace citysense
