#include "DriverJournal.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>

namespace citysense {

DriverJournal::DriverJournal(std::string directory, std::vector<const SinkBacklog*> sinks,
                             Poco::Logger& logger)
    : _directory(std::move(directory)),
      _sinks(std::move(sinks)),
      _logger(logger),
      _settledNow(_sinks.size()) {}

DriverJournal::~DriverJournal() {
    if (!_spool)
        return;
    trim();
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
    _entries.push_back(count);
    // Read after the samples were pushed: other drivers' samples pushed meanwhile only make the mark
    // later than needed, never earlier.
    for (const SinkBacklog* sink : _sinks)
        _settledAt.push_back(sink->pushed());
}

void DriverJournal::trim() {
    if (!_spool)
        return;
    if (_entries.empty())
        return;
    for (std::size_t i = 0; i < _sinks.size(); ++i)
        _settledNow[i] = _sinks[i]->settled();
    const auto headIsSettled = [&] {
        for (std::size_t i = 0; i < _sinks.size(); ++i)
            if (_settledAt[i] > _settledNow[i])
                return false;
        return true;
    };
    std::uint64_t count = 0;
    while (!_entries.empty() && headIsSettled()) {
        count += _entries.front();
        dropHeadEntry();
    }
    _spool->discard(count);
}

void DriverJournal::forget(std::uint64_t count, const char* why) {
    _logger.warning("the journal dropped its " + std::to_string(count) + " oldest samples (" + why +
                    "): they are no longer protected against a crash");
    while (count > 0 && !_entries.empty()) {
        std::uint64_t& head = _entries.front();
        const std::uint64_t taken = std::min(count, head);
        head -= taken;
        count -= taken;
        if (head == 0)
            dropHeadEntry();
    }
    _unentered -= std::min(count, _unentered);
}

void DriverJournal::dropHeadEntry() {
    _entries.pop_front();
    _settledAt.erase(_settledAt.begin(), _settledAt.begin() + static_cast<std::ptrdiff_t>(_sinks.size()));
}

std::uint64_t DriverJournal::pending() const {
    return _spool ? _spool->pending() : 0;
}

}  // namespace citysense
