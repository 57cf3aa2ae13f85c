// The first stage of reading a configuration: a file's text as a flat list of dotted keys
// ("driver.air.plugin") with their values and lines, checked for names that cannot be meant.
// Both formats produce it; Config.cpp groups it into sections. The readers are written here rather
// than taken from Poco::Util because Poco's INI reader keeps no line numbers, accepts empty and
// control-character names (which then recurse without end in AbstractConfiguration::keys), and its
// key enumeration scans the whole file for every section (quadratic in the number of sections);
// its XML configuration has no depth bound. Parsing the XML itself stays with Poco's SAX parser.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace citysense {

struct ConfigEntry {
    std::string key;  ///< dotted: "driver.air.temperature.mean"
    std::string value;
    int line = 0;
};

/// The bounds a configuration file must keep, checked before anything is built from it.
struct ConfigLimits {
    static constexpr std::size_t maxFileBytes = 16 * 1024 * 1024;
    static constexpr int maxXmlDepth = 16;  ///< a document element, section kind, name, and nested keys
};

/// Reads INI text: `[kind.name]` headers, `key = value` lines, `;` or `#` comment lines. Throws
/// ConfigFileError naming `path`, the line and what is wrong (an empty or malformed name, a header
/// without `]`, a key without `=`).
std::vector<ConfigEntry> readIniEntries(const std::string& path, const std::string& text);

/// Reads XML: below the document element, elements are sections and keys, text is a value. Throws
/// ConfigFileError naming `path` and the line for malformed XML, nesting deeper than maxXmlDepth,
/// attributes, an element that has both text and children, or an element that appears twice.
std::vector<ConfigEntry> readXmlEntries(const std::string& path, const std::string& text);

/// Why `key` (dotted) cannot be a configuration name, or empty when it can: every part must be
/// non-empty and free of white space, control bytes and the characters `[]=;#`.
std::string nameProblem(const std::string& key);

/// `text` with control bytes and DEL written as escapes (\n, \t, \x1b, \x00), so that no
/// byte of a configuration can move an operator's terminal or end a message early.
std::string printable(const std::string& text);

}  // namespace citysense
