// The INI reader of ConfigEntries.h.
#include "Config.h"
#include "ConfigEntries.h"

namespace citysense {

namespace {

constexpr const char* kSpace = " \t";

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string::npos)
        return "";
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

/// A value without its trailing comment: `;` after white space starts one (`interval = 5s ; why`).
std::string withoutComment(const std::string& value) {
    for (std::size_t at = value.find(';'); at != std::string::npos; at = value.find(';', at + 1)) {
        if (at > 0 && (value[at - 1] == ' ' || value[at - 1] == '\t'))
            return value.substr(0, at);
    }
    return value;
}

class IniReader {
public:
    IniReader(const std::string& path) : _path(path) {}

    std::vector<ConfigEntry> read(const std::string& text) {
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos)
                end = text.size();
            std::string line = text.substr(start, end - start);
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            ++_line;
            readLine(trimmed(line));
            start = end + 1;
        }
        return std::move(_entries);
    }

private:
    void readLine(const std::string& line) {
        if (line.empty() || line[0] == ';' || line[0] == '#')
            return;
        if (line[0] == '[')
            return readHeader(line);
        const auto equals = line.find('=');
        if (equals == std::string::npos)
            fail("'" + line + "' is neither a [section] nor a key = value line");
        const std::string key = trimmed(line.substr(0, equals));
        if (key.empty())
            fail("a key with an empty name (write key = value)");
        if (const std::string problem = nameProblem(key); !problem.empty())
            fail("key '" + key + "': " + problem);
        _entries.push_back({_section.empty() ? key : _section + "." + key,
                            trimmed(withoutComment(line.substr(equals + 1))), _line});
    }

    void readHeader(const std::string& line) {
        const auto close = line.find(']');
        if (close == std::string::npos)
            fail("'" + line + "' has no closing ']'");
        const std::string rest = trimmed(line.substr(close + 1));
        if (!rest.empty() && rest[0] != ';' && rest[0] != '#')
            fail("'" + rest + "' after the section header " + line.substr(0, close + 1));
        _section = trimmed(line.substr(1, close - 1));
        if (_section.empty())
            fail(
                "an empty section name: write [host], [driver.NAME], [filter.NAME], [sink.NAME] or "
                "[pipeline.NAME]");
        if (const std::string problem = nameProblem(_section); !problem.empty())
            fail("section [" + _section + "]: " + problem);
    }

    [[noreturn]] void fail(const std::string& message) const {
        std::string where = _path + ": line " + std::to_string(_line) + ": ";
        if (!_section.empty())
            where += "[" + _section + "] ";
        throw ConfigFileError(printable(where + message));  // it may quote the file's bytes
    }

    const std::string& _path;
    std::vector<ConfigEntry> _entries;
    std::string _section;
    int _line = 0;
};

}  // namespace

std::vector<ConfigEntry> readIniEntries(const std::string& path, const std::string& text) {
    return IniReader(path).read(text);
}

std::string nameProblem(const std::string& key) {
    std::size_t partStart = 0;
    for (std::size_t at = 0; at <= key.size(); ++at) {
        if (at == key.size() || key[at] == '.') {
            if (at == partStart)
                return at == 0            ? "a name may not begin with '.'"
                       : at == key.size() ? "a name may not end with '.'"
                                          : "a name may not contain '..'";
            partStart = at + 1;
            continue;
        }
        const auto byte = static_cast<unsigned char>(key[at]);
        if (byte < 0x20 || byte == 0x7f)
            return "a name may not contain a control character";
        if (byte == ' ' || std::string("[]=;#").find(key[at]) != std::string::npos)
            return std::string("a name may not contain '") + key[at] + "'";
    }
    return "";
}

std::string printable(const std::string& text) {
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\r')
            out += "\\r";
        else if (byte < 0x20 || byte == 0x7f)
            out += std::string("\\x") + kHex[byte >> 4] + kHex[byte & 0xf];
        else
            out += c;
    }
    return out;
}

}  // namespace citysense
