#include "DriverJournal.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>

namespace citysense {

DriverJournal::DriverJournal(std::string directory, std::vector<const SinkBacklog*> sinks,
                             Poco::Logger& logger)
    : _directory(std::move(directory)), _sinks(std::move(sinks)), _logger(logger) {}

DriverJournal::~DriverJournal() {
    if (!_spool)
        return;
    trim(true);
    if (_spool->pending() > 0)
        _logger.notice("the journal " + _directory + " keeps " + std::to_string(_spool->pending()) +
                       " samples not settled by every sink, to be replayed at the next start");
}

bool DriverJournal::existsIn(const std::string& directory) {
    std::error_code error;
    return std::filesystem::is_directory(directory, error);
}

bool DriverJournal::open() {
    try {
        _spool = std::make_unique<Spool>(
            _directory, kJournalSizeBound, _logger,
            [this](std::uint64_t count, SpoolLoss why) { forget(count, spoolLossName(why)); },
            SpoolFlush::Background);
    } catch (const std::runtime_error& error) {
        _logger.error(std::string("the journal is unavailable: ") + error.what() +
                      "; what the driver emits durably is not protected against a crash");
        return false;
    }
    _unentered = _spool->pending();
    return true;
}

SampleBatch DriverJournal::leftOver() {
    return _spool ? _spool->peek(static_cast<std::size_t>(_spool->pending())) : SampleBatch();
}

std::size_t DriverJournal::write(const SampleBatch& batch) {
    if (!_spool)
        return 0;
    std::size_t stored = batch.size();
    try {
        _spool->append(batch);
        if (_writeFailing)
            _logger.notice("writing to the journal again");
        _writeFailing = false;
    } catch (const SpoolWriteError& error) {
        stored = error.stored();
        if (!_writeFailing)
            _logger.error(std::string("cannot write to the journal: ") + error.what() +
                          "; what the driver emits durably is not protected against a crash");
        _writeFailing = true;
    }
    _unentered += stored;
    return stored;
}

void DriverJournal::handedOver(std::uint64_t count) {
    count = std::min(count, _unentered);
    if (count == 0)
        return;
    _unentered -= count;
    Entry entry{count, {}};
    entry.settledAt.reserve(_sinks.size());
    // Read after the samples were pushed: other drivers' samples pushed meanwhile only make the mark
    // later than needed, never earlier.
    for (const SinkBacklog* sink : _sinks)
        entry.settledAt.push_back(sink->pushed());
    _entries.push_back(std::move(entry));
}

void DriverJournal::trim(bool all) {
    if (!_spool)
        return;
    std::vector<std::uint64_t> settled;
    settled.reserve(_sinks.size());
    for (const SinkBacklog* sink : _sinks)
        settled.push_back(sink->settled());
    const auto isSettled = [&](const Entry& entry) {
        for (std::size_t i = 0; i < settled.size(); ++i)
            if (entry.settledAt[i] > settled[i])
                return false;
        return true;
    };
    // Settled entries stay settled (a sink's settled count only grows): the scan goes on where the last
    // one stopped, instead of walking the up to kTrimAtLeast entries before it again for each batch.
    while (_settledEntries < _entries.size() && isSettled(_entries[_settledEntries])) {
        _settledSamples += _entries[_settledEntries].samples;
        ++_settledEntries;
    }
    std::uint64_t count = _settledSamples;
    if (count == 0 || (!all && count < kTrimAtLeast))
        return;
    while (count > 0) {
        const SampleBatch head = _spool->peek(static_cast<std::size_t>(count));
        if (head.empty())
            break;
        _spool->consume(head.size());
        count -= std::min<std::uint64_t>(count, head.size());
        forget(head.size(), nullptr);
    }
}

void DriverJournal::forget(std::uint64_t count, const char* why) {
    if (why)
        _logger.warning("the journal dropped its " + std::to_string(count) + " oldest samples (" + why +
                        "): they are no longer protected against a crash");
    _settledEntries = 0;  // the entries change: trim() scans them again
    _settledSamples = 0;
    while (count > 0 && !_entries.empty()) {
        Entry& head = _entries.front();
        const std::uint64_t taken = std::min(count, head.samples);
        head.samples -= taken;
        count -= taken;
        if (head.samples == 0)
            _entries.pop_front();
    }
    _unentered -= std::min(count, _unentered);
}

std::uint64_t DriverJournal::pending() const {
    return _spool ? _spool->pending() : 0;
}

}  // namespace citysense
