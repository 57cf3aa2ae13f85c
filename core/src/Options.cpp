#include <citysense/Options.h>
#include <citysense/Secret.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

namespace citysense {

const char* typeName(OptionType type) {
    switch (type) {
        case OptionType::String:
            return "string";
        case OptionType::Integer:
            return "integer";
        case OptionType::Number:
            return "number";
        case OptionType::Boolean:
            return "boolean";
        case OptionType::Duration:
            return "duration";
        case OptionType::List:
            return "list";
        case OptionType::Choice:
            return "choice";
        case OptionType::Size:
            return "size";
        case OptionType::Path:
            return "path";
        case OptionType::Secret:
            return "secret";
    }
    return "?";
}

namespace {

Option make(OptionType type, std::string name, std::string defaultValue, std::string description) {
    Option option;
    option.name = std::move(name);
    option.type = type;
    option.defaultValue = std::move(defaultValue);
    option.description = std::move(description);
    return option;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return "";
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

std::string join(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words) {
        if (!text.empty())
            text += ", ";
        text += word;
    }
    return text;
}

std::string formatBound(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

double parseDouble(const std::string& text) {
    const std::string trimmed = trim(text);
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(trimmed.c_str(), &end);
    if (trimmed.empty() || end != trimmed.c_str() + trimmed.size() || errno == ERANGE ||
        !std::isfinite(value))
        throw std::invalid_argument("'" + text + "' is not a number");
    return value;
}

std::int64_t parseInteger(const std::string& text) {
    const std::string trimmed = trim(text);
    char* end = nullptr;
    errno = 0;
    // Decimal, or hexadecimal with 0x (I2C addresses); never octal, so 010 is ten.
    const bool hex = trimmed.size() > 2 && trimmed[0] == '0' && (trimmed[1] == 'x' || trimmed[1] == 'X');
    const long long value = std::strtoll(trimmed.c_str(), &end, hex ? 16 : 10);
    if (trimmed.empty() || end != trimmed.c_str() + trimmed.size() || errno == ERANGE)
        throw std::invalid_argument("'" + text + "' is not an integer");
    return value;
}

bool parseBoolean(const std::string& text) {
    std::string word = trim(text);
    std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
    if (word == "true" || word == "yes" || word == "on" || word == "1")
        return true;
    if (word == "false" || word == "no" || word == "off" || word == "0")
        return false;
    throw std::invalid_argument("'" + text + "' is not a boolean (true/false, yes/no, on/off, 1/0)");
}

void checkRange(const Option& option, double value, const std::string& shown) {
    if (value < option.min || value > option.max) {
        const bool isDuration = option.type == OptionType::Duration;
        auto bound = [&](double limit) {
            return isDuration ? formatDuration(static_cast<Micros>(std::llround(limit * kMicrosPerSecond)))
                              : formatBound(limit);
        };
        std::string range;
        if (std::isinf(option.max))
            range = "at least " + bound(option.min);
        else if (std::isinf(option.min))
            range = "at most " + bound(option.max);
        else
            range = "between " + bound(option.min) + " and " + bound(option.max);
        throw std::invalid_argument(shown + " is out of range: must be " + range);
    }
}

std::string resolveAgainst(const std::string& baseDirectory, const std::string& path) {
    if (path.empty())
        return path;
    return (std::filesystem::path(baseDirectory) / path).lexically_normal().string();
}

const char* const kSecretFileSuffix = "_file";
const char* const kSecretVariableSuffix = "_env";

/// Parses the value of `key`, one of the option's keys.
OptionValue parseValue(const Option& option, const std::string& key, const std::string& text,
                       const std::string& baseDirectory) {
    switch (option.type) {
        case OptionType::String:
            return text;
        case OptionType::Integer: {
            const std::int64_t value = parseInteger(text);
            checkRange(option, static_cast<double>(value), text);
            return value;
        }
        case OptionType::Number: {
            const double value = parseDouble(text);
            checkRange(option, value, text);
            return value;
        }
        case OptionType::Boolean:
            return parseBoolean(text);
        case OptionType::Duration: {
            const Micros value = parseDuration(text);
            checkRange(option, static_cast<double>(value) / kMicrosPerSecond, text);
            return std::chrono::microseconds(value);
        }
        case OptionType::List: {
            auto items = splitList(text);
            if (!option.choices.empty()) {
                for (const auto& item : items) {
                    if (std::find(option.choices.begin(), option.choices.end(), item) == option.choices.end())
                        throw std::invalid_argument("'" + item + "' is not one of: " + join(option.choices));
                }
            }
            return items;
        }
        case OptionType::Choice: {
            const std::string word = trim(text);
            if (std::find(option.choices.begin(), option.choices.end(), word) == option.choices.end())
                throw std::invalid_argument("'" + text + "' is not one of: " + join(option.choices));
            return word;
        }
        case OptionType::Size: {
            const std::uint64_t value = parseByteSize(text);
            if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                throw std::invalid_argument("'" + text + "' is too large a size");
            checkRange(option, static_cast<double>(value), text);
            return static_cast<std::int64_t>(value);
        }
        case OptionType::Path:
            return resolveAgainst(baseDirectory, text);
        case OptionType::Secret:
            return key == option.name + kSecretFileSuffix ? resolveAgainst(baseDirectory, text) : text;
    }
    throw std::logic_error("unhandled option type");
}

const Option* findOption(const OptionTable& table, const std::string& key) {
    for (const auto& option : table) {
        const auto keys = option.keys();
        if (std::find(keys.begin(), keys.end(), key) != keys.end())
            return &option;
    }
    return nullptr;
}

/// Each Secret option is set by one of its keys at most.
void checkSecrets(const OptionTable& table, const std::map<std::string, std::string>& raw,
                  std::vector<OptionIssue>& issues) {
    const auto isSet = [&](const std::string& key) {
        const auto found = raw.find(key);
        return found != raw.end() && !found->second.empty();
    };
    for (const auto& option : table) {
        if (option.type != OptionType::Secret)
            continue;
        const auto keys = option.keys();
        if (isSet(keys[0]) && isSet(keys[1]))
            issues.push_back({keys[1], "give " + keys[0] + " or " + keys[1] + ", not both"});
    }
}

}  // namespace

Option Option::string(std::string name, std::string defaultValue, std::string description) {
    return make(OptionType::String, std::move(name), std::move(defaultValue), std::move(description));
}
Option Option::integer(std::string name, std::string defaultValue, std::string description) {
    return make(OptionType::Integer, std::move(name), std::move(defaultValue), std::move(description));
}
Option Option::number(std::string name, std::string defaultValue, std::string description) {
    return make(OptionType::Number, std::move(name), std::move(defaultValue), std::move(description));
}
Option Option::boolean(std::string name, std::string defaultValue, std::string description) {
    return make(OptionType::Boolean, std::move(name), std::move(defaultValue), std::move(description));
}
Option Option::duration(std::string name, std::string defaultValue, std::string description) {
    return make(OptionType::Duration, std::move(name), std::move(defaultValue), std::move(description));
}
Option Option::list(std::string name, std::string defaultValue, std::string description) {
    return make(OptionType::List, std::move(name), std::move(defaultValue), std::move(description));
}
Option Option::size(std::string name, std::string defaultValue, std::string description) {
    return make(OptionType::Size, std::move(name), std::move(defaultValue), std::move(description));
}
Option Option::path(std::string name, std::string defaultValue, std::string description) {
    return make(OptionType::Path, std::move(name), std::move(defaultValue), std::move(description));
}
Option Option::secret(std::string name, std::string description) {
    return make(OptionType::Secret, std::move(name), "", std::move(description));
}
Option Option::choice(std::string name, std::vector<std::string> choices, std::string defaultValue,
                      std::string description) {
    Option option =
        make(OptionType::Choice, std::move(name), std::move(defaultValue), std::move(description));
    option.choices = std::move(choices);
    return option;
}

std::vector<std::string> Option::keys() const {
    if (type == OptionType::Secret)
        return {name + kSecretFileSuffix, name + kSecretVariableSuffix};
    return {name};
}

Option& Option::range(double minimum, double maximum) {
    min = minimum;
    max = maximum;
    return *this;
}

Option& Option::atLeast(double minimum) {
    min = minimum;
    return *this;
}

Option& Option::allowed(std::vector<std::string> items) {
    choices = std::move(items);
    return *this;
}

Option& Option::mandatory() {
    required = true;
    return *this;
}

Option& Option::perQuantity() {
    quantityScoped = true;
    return *this;
}

OptionError::OptionError(std::string key, const std::string& message)
    : std::runtime_error(message), _key(std::move(key)) {}

Options Options::parse(const OptionTable& table, const std::map<std::string, std::string>& raw,
                       std::vector<OptionIssue>& issues, const std::string& baseDirectory) {
    Options options;
    options._baseDirectory = baseDirectory;
    for (const auto& option : table) {
        if (option.defaultValue.empty())
            continue;
        try {
            options._values[option.name] =
                parseValue(option, option.name, option.defaultValue, baseDirectory);
        } catch (const std::invalid_argument& error) {
            issues.push_back(
                {option.name, std::string("the plugin's own default is invalid: ") + error.what()});
        }
    }
    for (const auto& [key, text] : raw) {
        const Option* option = findOption(table, key);
        const auto dot = key.find('.');
        if (!option && dot != std::string::npos) {
            const std::string prefix = key.substr(0, dot);
            const Option* scoped = findOption(table, key.substr(dot + 1));
            if (scoped && scoped->quantityScoped) {
                if (!quantityByName(prefix)) {
                    issues.push_back(
                        {key, "'" + prefix + "' is not a quantity (known: " + quantityNames() + ")"});
                    continue;
                }
                option = scoped;
            }
        }
        if (!option) {
            std::vector<std::string> known;
            for (const auto& candidate : table) {
                for (const auto& name : candidate.keys())
                    known.push_back(candidate.quantityScoped ? name + " (or <quantity>." + name + ")" : name);
            }
            issues.push_back({key, "unknown option (known: " + join(known) + ")"});
            continue;
        }
        try {
            options._values[key] = parseValue(*option, key, text, baseDirectory);
        } catch (const std::invalid_argument& error) {
            issues.push_back({key, std::string("expected ") + typeName(option->type) + ": " + error.what()});
        }
    }
    for (const auto& option : table) {
        if (option.required && raw.find(option.name) == raw.end())
            issues.push_back({option.name, "missing: this option is required (" + option.description + ")"});
    }
    checkSecrets(table, raw, issues);
    return options;
}

bool Options::has(const std::string& key) const {
    return _values.count(key) != 0;
}

const OptionValue& Options::value(const std::string& key) const {
    const auto found = _values.find(key);
    if (found == _values.end())
        throw std::logic_error("option '" + key + "' has no value");
    return found->second;
}

namespace {

template <typename T>
const T& typed(const OptionValue& value, const std::string& key) {
    if (const T* typedValue = std::get_if<T>(&value))
        return *typedValue;
    throw std::logic_error("option '" + key + "' asked for with the wrong type");
}

}  // namespace

const std::string& Options::getString(const std::string& key) const {
    return typed<std::string>(value(key), key);
}
std::int64_t Options::getInt(const std::string& key) const {
    return typed<std::int64_t>(value(key), key);
}
double Options::getNumber(const std::string& key) const {
    return typed<double>(value(key), key);
}
bool Options::getBool(const std::string& key) const {
    return typed<bool>(value(key), key);
}
Micros Options::getDuration(const std::string& key) const {
    return typed<std::chrono::microseconds>(value(key), key).count();
}
const std::vector<std::string>& Options::getList(const std::string& key) const {
    return typed<std::vector<std::string>>(value(key), key);
}
std::uint64_t Options::getByteSize(const std::string& key) const {
    return static_cast<std::uint64_t>(typed<std::int64_t>(value(key), key));
}
const std::string& Options::getPath(const std::string& key) const {
    return typed<std::string>(value(key), key);
}

std::string Options::getSecret(const std::string& name) const {
    const std::string fileKey = name + kSecretFileSuffix;
    const std::string variableKey = name + kSecretVariableSuffix;
    const auto setting = [&](const std::string& key) { return has(key) ? getString(key) : std::string(); };
    try {
        if (!setting(fileKey).empty())
            return readSecretFile(setting(fileKey));
    } catch (const std::runtime_error& error) {
        throw OptionError(fileKey, error.what());
    }
    try {
        if (!setting(variableKey).empty())
            return readSecretVariable(setting(variableKey));
    } catch (const std::runtime_error& error) {
        throw OptionError(variableKey, error.what());
    }
    return "";
}

std::string Options::resolvePath(const std::string& path) const {
    return resolveAgainst(_baseDirectory, path);
}

std::string Options::keyFor(const std::string& key, Quantity quantity) const {
    std::string scoped = std::string(info(quantity).name) + "." + key;
    return has(scoped) ? scoped : key;
}

bool Options::has(const std::string& key, Quantity quantity) const {
    return has(keyFor(key, quantity));
}
const std::string& Options::getString(const std::string& key, Quantity quantity) const {
    return getString(keyFor(key, quantity));
}
double Options::getNumber(const std::string& key, Quantity quantity) const {
    return getNumber(keyFor(key, quantity));
}

std::vector<Quantity> Options::scopedQuantities() const {
    std::vector<Quantity> result;
    for (const auto& entry : _values) {
        const auto dot = entry.first.find('.');
        if (dot == std::string::npos)
            continue;
        const auto quantity = quantityByName(entry.first.substr(0, dot));
        if (quantity && std::find(result.begin(), result.end(), *quantity) == result.end())
            result.push_back(*quantity);
    }
    return result;
}

std::vector<std::string> tableProblems(const OptionTable& table) {
    std::vector<std::string> problems;
    std::set<std::string> names;
    for (const auto& option : table) {
        if (option.name.empty()) {
            problems.push_back("an option has no name");
        } else {
            for (const auto& key : option.keys()) {
                if (!names.insert(key).second)
                    problems.push_back("option '" + key + "' is declared twice");
            }
        }
        if (option.type == OptionType::Choice && option.choices.empty())
            problems.push_back("choice option '" + option.name + "' has no choices");
        if (option.defaultValue.empty())
            continue;
        try {
            parseValue(option, option.name, option.defaultValue, "");
        } catch (const std::invalid_argument& error) {
            problems.push_back("option '" + option.name + "' has an invalid default: " + error.what());
        }
    }
    return problems;
}

Micros parseDuration(const std::string& text) {
    const std::string trimmed = trim(text);
    if (trimmed == "0")
        return 0;
    std::size_t unitStart = 0;
    while (unitStart < trimmed.size() &&
           (std::isdigit(static_cast<unsigned char>(trimmed[unitStart])) || trimmed[unitStart] == '.'))
        ++unitStart;
    const std::string number = trimmed.substr(0, unitStart);
    const std::string unit = trimmed.substr(unitStart);
    static const std::pair<const char*, double> units[] = {
        {"us", 1.0}, {"ms", 1e3}, {"s", 1e6}, {"m", 60e6}, {"h", 3600e6}, {"d", 86400e6},
    };
    const auto found = std::find_if(std::begin(units), std::end(units),
                                    [&](const auto& candidate) { return unit == candidate.first; });
    if (number.empty() || found == std::end(units))
        throw std::invalid_argument("'" + text +
                                    "' is not a duration (a number and a unit: us, ms, s, m, h, d)");
    const double micros = parseDouble(number) * found->second;
    if (micros > 1e17)
        throw std::invalid_argument("'" + text + "' is too long a duration");
    return static_cast<Micros>(std::llround(micros));
}

std::string formatDuration(Micros duration) {
    static const std::pair<const char*, Micros> units[] = {
        {"d", 86400 * kMicrosPerSecond},
        {"h", 3600 * kMicrosPerSecond},
        {"m", 60 * kMicrosPerSecond},
        {"s", kMicrosPerSecond},
        {"ms", 1000},
        {"us", 1},
    };
    if (duration == 0)
        return "0";
    for (const auto& [name, size] : units) {
        if (duration % size == 0)
            return std::to_string(duration / size) + name;
    }
    return std::to_string(duration) + "us";
}

std::uint64_t parseByteSize(const std::string& text) {
    const std::string trimmed = trim(text);
    const std::string bad = "'" + text + "' is not a size (bytes, or a whole number with k, M or G)";
    std::size_t digits = 0;
    std::uint64_t value = 0;
    for (; digits < trimmed.size() && std::isdigit(static_cast<unsigned char>(trimmed[digits])); ++digits) {
        if (value > (std::numeric_limits<std::uint64_t>::max() - 9) / 10)
            throw std::invalid_argument(bad);
        value = value * 10 + static_cast<std::uint64_t>(trimmed[digits] - '0');
    }
    const std::string suffix = trimmed.substr(digits);
    int shift = 0;
    if (suffix == "k" || suffix == "K")
        shift = 10;
    else if (suffix == "M")
        shift = 20;
    else if (suffix == "G")
        shift = 30;
    else if (!suffix.empty())
        throw std::invalid_argument(bad);
    if (digits == 0 || value > (std::numeric_limits<std::uint64_t>::max() >> shift))
        throw std::invalid_argument(bad);
    return value << shift;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ',')) {
        item = trim(item);
        if (!item.empty())
            items.push_back(item);
    }
    return items;
}

}  // namespace citysense
