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

/// One line of an option table, as both formats print it.
struct OptionRow {
    std::string key;
    std::string type;
    std::string defaultText;  ///< empty: none
    std::string description;
};

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

std::string choicesText(const Option& option) {
    if (option.choices.empty())
        return "";
    std::string text = option.type == OptionType::List ? "; items from: " : "; one of: ";
    for (std::size_t i = 0; i < option.choices.size(); ++i)
        text += (i ? ", " : "") + option.choices[i];
    return text;
}

std::string descriptionOf(const Option& option) {
    if (option.type == OptionType::Secret) {
        const auto keys = option.keys();
        return option.description + "; set " + keys[0] +
               " to a file whose first line it is (not readable by every user), or " + keys[1] +
               " to the environment variable holding it";
    }
    return option.description + bounds(option) + choicesText(option);
}

OptionRow rowOf(const Option& option) {
    return {option.quantityScoped ? "[<quantity>.]" + option.name : option.name, typeName(option.type),
            option.required ? "required" : option.defaultValue, descriptionOf(option)};
}

std::vector<OptionRow> rowsOf(const OptionTable& table) {
    std::vector<OptionRow> rows;
    for (const auto& option : table)
        rows.push_back(rowOf(option));
    return rows;
}

void printTextRows(std::ostream& out, const std::vector<OptionRow>& rows) {
    for (const auto& row : rows)
        out << "  " << std::left << std::setw(26) << row.key << " " << std::setw(10) << row.type
            << std::setw(13) << (row.defaultText.empty() ? "-" : row.defaultText) << ' ' << row.description
            << "\n";
}

/// Table cells: a '|' would end the cell, a '<' would start an HTML tag.
std::string markdownCell(const std::string& text) {
    std::string cell;
    for (const char c : text) {
        if (c == '|')
            cell += "\\|";
        else if (c == '<')
            cell += "&lt;";
        else if (c == '>')
            cell += "&gt;";
        else
            cell += c;
    }
    return cell;
}

std::string markdownCode(const std::string& text) {
    std::string code;
    for (const char c : text)
        code += c == '|' ? std::string("\\|") : std::string(1, c);
    return "`" + code + "`";
}

void printMarkdownRows(std::ostream& out, const std::vector<OptionRow>& rows) {
    out << "| option | type | default | description |\n|---|---|---|---|\n";
    for (const auto& row : rows) {
        const std::string defaultCell = row.defaultText.empty()         ? ""
                                        : row.defaultText == "required" ? "required"
                                                                        : markdownCode(row.defaultText);
        out << "| " << markdownCode(row.key) << " | " << row.type << " | " << defaultCell << " | "
            << markdownCell(row.description) << " |\n";
    }
}

void printChannels(std::ostream& out, PluginRegistry& registry, const PluginEntry& entry,
                   DescribeFormat format) {
    auto driver = registry.createDriver(entry.name);
    driver->attach({"driver.describe", Station{}, nullptr});
    driver->logger().setLevel(Poco::Message::PRIO_WARNING);  // a probe: its notes would only confuse
    std::vector<OptionIssue> issues;
    const Options defaults = Options::parse(entry.options, {}, issues);
    const bool markdown = format == DescribeFormat::Markdown;
    try {
        if (!issues.empty())
            throw std::runtime_error("it needs options to be set: " + issues.front().key);
        driver->configure(defaults);
        out << "\nChannels with default options (" << (driver->eventDriven() ? "event-driven" : "polled")
            << "):\n";
        if (markdown)
            out << "\n| quantity | unit | range |\n|---|---|---|\n";
        for (const auto& channel : driver->channels()) {
            const QuantityInfo& quantity = info(channel.quantity);
            if (markdown)
                out << "| `" << quantity.name << "` | " << quantity.unit << " | " << channel.min << " to "
                    << channel.max << " |\n";
            else
                out << "  " << std::left << std::setw(18) << quantity.name << std::setw(6) << quantity.unit
                    << channel.min << " to " << channel.max << "\n";
        }
    } catch (...) {
        out << "\nChannels depend on the configuration (" << currentExceptionText() << ")\n";
    }
}

void printText(std::ostream& out, PluginRegistry& registry, const PluginEntry& entry) {
    const std::string kind = kindName(entry.kind);
    out << entry.name << " " << entry.version << " (" << kind << " plugin): " << entry.summary << "\n"
        << "file: " << entry.path << "\n\n"
        << "Options of a [" << kind << ".NAME] section:\n";
    printTextRows(out, {{"name", "type", "default", "description"}});
    printTextRows(out, rowsOf(hostOptions(kind)));
    printTextRows(out, rowsOf(entry.options));
    if (entry.kind == PluginKind::Driver)
        printChannels(out, registry, entry, DescribeFormat::Text);
}

void printMarkdown(std::ostream& out, PluginRegistry& registry, const PluginEntry& entry) {
    const std::string kind = kindName(entry.kind);
    std::string hostKeys;
    for (const auto& option : hostOptions(kind))
        hostKeys += (hostKeys.empty() ? "`" : ", `") + option.name + "`";
    out << "Besides the host's keys of every `[" << kind << ".NAME]` section (" << hostKeys
        << "; `citysensed --describe " << entry.name << "` lists them too):\n\n";
    printMarkdownRows(out, rowsOf(entry.options));
    if (entry.kind == PluginKind::Driver)
        printChannels(out, registry, entry, DescribeFormat::Markdown);
}

}  // namespace

bool printPluginDescription(std::ostream& out, PluginRegistry& registry, const std::string& name,
                            DescribeFormat format) {
    const PluginEntry* entry = registry.find(name);
    if (!entry)
        return false;
    if (format == DescribeFormat::Markdown)
        printMarkdown(out, registry, *entry);
    else
        printText(out, registry, *entry);
    return true;
}

}  // namespace citysense
