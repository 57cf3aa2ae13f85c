// Plugin options: each plugin declares its options once, in an OptionTable. The host validates a
// configuration section against the table (unknown keys, types, ranges), fills in defaults, prints
// the table for `citysensed --describe`, and hands the plugin the parsed Options.
//
// Sizes, paths and secrets have types of their own, so that every plugin reads them alike: a size
// takes k, M and G; a relative path is relative to the configuration file's folder, wherever the
// host runs; a secret comes from a file only its owner may read or from the environment, and never
// appears in a message.
#pragma once

#include <citysense/Quantity.h>
#include <citysense/Time.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace citysense {

enum class OptionType {
    String,
    Integer,
    Number,
    Boolean,
    Duration,  ///< a number with a unit: 250us, 500ms, 10s, 1.5m, 2h, 1d
    List,      ///< comma-separated words
    Choice,    ///< one word out of a fixed set
    Size,      ///< bytes: a whole number, optionally with k, M or G (powers of 1024): 4096, 8k, 64M
    Path,      ///< a file or directory; a relative one is relative to the configuration file's folder
    Secret,    ///< a password: set as `<name>_file` (a Path) or `<name>_env` (an environment variable)
};

const char* typeName(OptionType type);

/// One option of a plugin. Build it with the static constructors and chain the modifiers:
///   Option::number("mean", "", "Mean value").perQuantity()
///   Option::duration("interval", "10s", "Time between reads").range(0.001, 86400)
///   Option::number("stddev", "", "Spread").atLeast(0)
///   Option::size("spool_size", "64M", "Most bytes on disk").atLeast(4096)
///   Option::secret("password", "Password at the broker")
struct Option {
    std::string name;
    OptionType type = OptionType::String;
    std::string defaultValue;  ///< as written in a configuration; empty: no default
    std::string description;
    double min = -std::numeric_limits<double>::infinity();  ///< Integer/Number/Size; seconds for Duration
    double max = std::numeric_limits<double>::infinity();
    std::vector<std::string> choices;  ///< Choice: the allowed words; List: allowed items (empty: any)
    bool required = false;
    bool quantityScoped = false;  ///< also accepted as `<quantity>.<name>`, overriding the plain one

    static Option string(std::string name, std::string defaultValue, std::string description);
    static Option integer(std::string name, std::string defaultValue, std::string description);
    static Option number(std::string name, std::string defaultValue, std::string description);
    static Option boolean(std::string name, std::string defaultValue, std::string description);
    static Option duration(std::string name, std::string defaultValue, std::string description);
    static Option list(std::string name, std::string defaultValue, std::string description);
    static Option choice(std::string name, std::vector<std::string> choices, std::string defaultValue,
                         std::string description);
    static Option size(std::string name, std::string defaultValue, std::string description);
    static Option path(std::string name, std::string defaultValue, std::string description);
    /// A secret `name` ("password") is set with one of two keys: `<name>_file`, a file whose first
    /// line it is (not readable by every user), or `<name>_env`, the environment variable holding it.
    /// Plugins read it with Options::getSecret(name) when they configure or open.
    static Option secret(std::string name, std::string description);

    /// The keys a configuration sets this option with: its name, or a Secret's two keys.
    std::vector<std::string> keys() const;

    Option& range(double minimum, double maximum);
    Option& atLeast(double minimum);
    Option& allowed(std::vector<std::string> items);
    Option& mandatory();
    Option& perQuantity();
};

using OptionTable = std::vector<Option>;

/// A configuration error attributable to one key (or, with an empty key, to the whole section).
/// Plugins throw it from configure() for errors the table cannot express.
class OptionError : public std::runtime_error {
public:
    OptionError(std::string key, const std::string& message);
    const std::string& key() const { return _key; }

private:
    std::string _key;
};

/// One problem found while validating a section.
struct OptionIssue {
    std::string key;
    std::string message;
};

using OptionValue = std::variant<std::string, std::int64_t, double, bool, std::chrono::microseconds,
                                 std::vector<std::string>>;

/// The validated options of one plugin instance. Every option with a default has a value.
/// Asking for an option the table does not declare, or with the wrong type, is a programming
/// error and throws std::logic_error.
class Options {
public:
    /// Validates raw key/value pairs against the table. Problems are appended to `issues`; the
    /// returned Options hold whatever parsed cleanly. Relative paths are resolved against
    /// `baseDirectory`, the configuration file's folder (empty: left as written).
    static Options parse(const OptionTable& table, const std::map<std::string, std::string>& raw,
                         std::vector<OptionIssue>& issues, const std::string& baseDirectory = "");

    bool has(const std::string& key) const;
    const std::string& getString(const std::string& key) const;
    std::int64_t getInt(const std::string& key) const;
    double getNumber(const std::string& key) const;
    bool getBool(const std::string& key) const;
    Micros getDuration(const std::string& key) const;
    const std::vector<std::string>& getList(const std::string& key) const;
    std::uint64_t getByteSize(const std::string& key) const;
    /// A Path option, resolved against the configuration file's folder.
    const std::string& getPath(const std::string& key) const;

    /// A Secret option, read now: the first line of `<name>_file` or the value of `<name>_env`;
    /// empty when neither is set. Throws OptionError naming the key, and the file, when the file
    /// cannot be read, is readable by every user or is empty, or the variable is unset or empty.
    std::string getSecret(const std::string& name) const;

    /// A path written in a value that is not a Path option (e.g. a database file in a connection
    /// string), resolved the way Path options are; empty stays empty.
    std::string resolvePath(const std::string& path) const;

    /// For quantity-scoped options: `<quantity>.<key>` if set, else `<key>`.
    bool has(const std::string& key, Quantity quantity) const;
    const std::string& getString(const std::string& key, Quantity quantity) const;
    double getNumber(const std::string& key, Quantity quantity) const;

    /// The key a quantity-scoped value is read from: `<quantity>.<key>` if set, else `<key>` (for
    /// naming the right key in an OptionError).
    std::string keyFor(const std::string& key, Quantity quantity) const;

    /// The quantities named in `<quantity>.<key>` entries that were set, for plugins that check
    /// overrides refer to quantities they actually produce.
    std::vector<Quantity> scopedQuantities() const;

private:
    const OptionValue& value(const std::string& key) const;

    std::map<std::string, OptionValue> _values;
    std::string _baseDirectory;
};

/// What is wrong with an option table itself (duplicate or empty names, a choice without choices, a
/// default that does not parse), one message each; empty when the table is sound. The host refuses
/// to load a plugin whose table has problems.
std::vector<std::string> tableProblems(const OptionTable& table);

/// Parses a duration such as "500ms"; throws std::invalid_argument with a readable message.
Micros parseDuration(const std::string& text);

/// Formats a duration the way a configuration writes it ("500ms", "10s", "1m").
std::string formatDuration(Micros duration);

/// Parses a size such as "64M" (a whole number of bytes, optionally with k or K, M or G: powers of
/// 1024); throws std::invalid_argument with a readable message.
std::uint64_t parseByteSize(const std::string& text);

/// Splits "a, b,c" into {"a", "b", "c"}; empty items are dropped.
std::vector<std::string> splitList(const std::string& text);

}  // namespace citysense
