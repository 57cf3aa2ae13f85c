#include <citysense/DropCounts.h>
#include <citysense/Format.h>

#include <Poco/Logger.h>

#include <algorithm>

namespace citysense {

namespace {

/// A detail is for a log line: a hostile payload quoted in it must not make a long one.
constexpr std::size_t kLongestDetail = 300;

std::string cut(std::string_view detail) {
    if (detail.size() <= kLongestDetail)
        return std::string(detail);
    return std::string(detail.substr(0, kLongestDetail)) + "...";
}

}  // namespace

bool DropCounts::isReason(std::string_view reason) {
    return !reason.empty() && reason.size() <= kLongestReason &&
           std::all_of(reason.begin(), reason.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

DropCounts::DropCounts(std::string instance, Micros logInterval, std::function<Micros()> clock)
    : _instance(std::move(instance)), _logInterval(logInterval), _clock(std::move(clock)) {}

void DropCounts::add(std::string_view reason, std::uint64_t count, std::string_view detail) {
    if (count == 0)
        return;
    std::string text = cut(detail);
    std::vector<std::string> lines;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        Reason& entry = entryFor(reason, text);
        const bool first = entry.total == 0;
        entry.total += count;
        entry.unlogged += count;
        entry.lastDetail = std::move(text);
        const Micros now = _clock();
        if (first) {
            lines.push_back("dropped " + std::to_string(count) + " (" + entry.name + ")" +
                            (entry.lastDetail.empty() ? "" : ": " + entry.lastDetail));
            entry.unlogged = 0;
            entry.lastLogged = now;
        } else if (now - entry.lastLogged >= _logInterval) {
            lines = takeSummaries(false);
        }
    }
    log(lines);
}

DropCounts::Reason& DropCounts::entryFor(std::string_view reason, std::string& detail) {
    if (isReason(reason)) {
        if (Reason* found = find(reason))
            return *found;
        const std::size_t named = _reasons.size() - (find(kOtherReason) ? 1 : 0);
        if (named < kMostReasons) {
            _reasons.emplace_back(std::string(reason));
            return _reasons.back();
        }
    }
    detail = quoteText(reason, kLongestReason) + (detail.empty() ? "" : ": " + detail);
    if (Reason* other = find(kOtherReason))
        return *other;
    _reasons.emplace_back(kOtherReason);
    return _reasons.back();
}

DropCounts::Reason* DropCounts::find(std::string_view reason) {
    for (Reason& entry : _reasons) {
        if (entry.name == reason)
            return &entry;
    }
    return nullptr;
}

std::vector<std::string> DropCounts::takeSummaries(bool all) {
    std::vector<std::string> lines;
    const Micros now = _clock();
    for (Reason& entry : _reasons) {
        if (entry.unlogged == 0 || (!all && now - entry.lastLogged < _logInterval))
            continue;
        lines.push_back("dropped " + std::to_string(entry.unlogged) + " more (" + entry.name + ", " +
                        std::to_string(entry.total) + " in all)" +
                        (entry.lastDetail.empty() ? "" : "; the last: " + entry.lastDetail));
        entry.unlogged = 0;
        entry.lastLogged = now;
    }
    return lines;
}

void DropCounts::logDueSummaries() {
    std::vector<std::string> lines;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        lines = takeSummaries(false);
    }
    log(lines);
}

void DropCounts::logAllSummaries() {
    std::vector<std::string> lines;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        lines = takeSummaries(true);
    }
    log(lines);
}

void DropCounts::log(const std::vector<std::string>& lines) const {
    if (lines.empty())
        return;
    Poco::Logger& logger = Poco::Logger::get(_instance);
    for (const std::string& line : lines)
        logger.warning(line);
}

std::map<std::string, std::uint64_t> DropCounts::byReason() const {
    std::lock_guard<std::mutex> lock(_mutex);
    std::map<std::string, std::uint64_t> counts;
    for (const Reason& entry : _reasons)
        counts[entry.name] = entry.total;
    return counts;
}

std::uint64_t DropCounts::count(std::string_view reason) const {
    std::lock_guard<std::mutex> lock(_mutex);
    for (const Reason& entry : _reasons) {
        if (entry.name == reason)
            return entry.total;
    }
    return 0;
}

}  // namespace citysense
