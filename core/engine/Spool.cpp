#include "Spool.h"

#include "SpoolFormat.h"
#include "SystemError.h"

#include <citysense/Time.h>

#include <Poco/Logger.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>
#include <vector>

namespace citysense {

namespace {

/// The bound is at least 4 KiB (Plan.cpp): it still has 8 segments.
constexpr std::uint64_t kMinSegmentSize = 512;
constexpr Micros kSyncInterval = kMicrosPerSecond;

/// How well a damaged segment's count is known.
enum class Count { Exact, AtLeast, Unknown };

/// ": 12 samples lost", ": at least 12 samples lost (...)".
std::string lossText(std::uint64_t lost, Count count) {
    switch (count) {
        case Count::Exact:
            return ": " + std::to_string(lost) + " samples lost";
        case Count::AtLeast:
            return ": at least " + std::to_string(lost) +
                   " samples lost (it was being written when the process stopped; its count is the one of "
                   "its last flush to disk)";
        case Count::Unknown:
            break;
    }
    return ": an unknown number of samples lost (neither its header nor the index counts them)";
}

}  // namespace

const char* spoolLossName(SpoolLoss why) {
    return why == SpoolLoss::Full ? "spool full" : "damaged in the spool";
}

Spool::Spool(std::string directory, std::uint64_t sizeBound, Poco::Logger& logger, LossHandler lost,
             SpoolFlush flush)
    : _directory(std::move(directory)),
      _sizeBound(sizeBound),
      _segmentSize(std::max(sizeBound / 8, kMinSegmentSize)),
      _logger(logger),
      _lost(std::move(lost)),
      _flusher(flush == SpoolFlush::Background ? std::make_unique<SpoolFlusher>(logger) : nullptr) {
    std::error_code error;
    std::filesystem::create_directories(_directory, error);
    if (error)
        throw std::runtime_error("cannot create spool " + _directory + ": " + error.message());
    lock();
    try {
        scan();
    } catch (...) {
        ::close(_lockFd);
        throw;
    }
    if (_pending > 0)
        _logger.information("spool " + _directory + " holds " + std::to_string(_pending) +
                            " samples to deliver first");
}

Spool::~Spool() {
    closeSegment();
    _flusher.reset();  // its last flushes done before another process may take the spool
    if (_readFd >= 0)
        ::close(_readFd);
    ::close(_lockFd);
}

void Spool::lock() {
    const std::string path = _directory + "/lock";
    _lockFd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (_lockFd < 0)
        throw std::runtime_error("cannot open " + path + ": " + systemError(errno));
    if (::flock(_lockFd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(_lockFd);
        if (error == EWOULDBLOCK)
            throw std::runtime_error("spool " + _directory + " is in use by another process");
        throw std::runtime_error("cannot lock " + path + ": " + systemError(error));
    }
}

void Spool::scan() {
    SpoolIndex read;
    const std::string problem = readSpoolIndex(_directory, read);
    SpoolIndex listed = read;
    if (!problem.empty())
        _logger.error("spool index " + problem + "; the counts of damaged segments are unknown");
    std::vector<std::uint64_t> numbers;
    for (const auto& entry : std::filesystem::directory_iterator(_directory)) {
        std::uint64_t number = 0;
        switch (parseSegmentFileName(entry.path().filename().string(), number)) {
            case SegmentName::Segment:
                numbers.push_back(number);
                break;
            case SegmentName::Malformed:
                _logger.error("spool file " + entry.path().string() +
                              " is not named like a segment (20 digits, from 1); left alone, not replayed");
                break;
            case SegmentName::Other:
                break;
        }
    }
    std::sort(numbers.begin(), numbers.end());
    for (const std::uint64_t number : numbers) {
        _nextNumber = std::max(_nextNumber, number + 1);
        const auto found = listed.find(number);
        scanSegment(number, found == listed.end() ? nullptr : &found->second);
        if (found != listed.end())
            listed.erase(found);
    }
    for (const auto& [number, samples] : listed) {
        _logger.error("spool segment " + _directory + "/" + segmentFileName(number) + " (in the index with " +
                      std::to_string(samples) + " samples) is missing" + lossText(samples, Count::Exact));
        lose(samples, SpoolLoss::Damaged);
    }
    // From now on every segment found is closed, and the index counts each as it was read: damage
    // found here is counted once, not again at the next start.
    _index.clear();
    for (const SpoolSegment& segment : _segments)
        _index[segment.number] = segment.total;
    if (_index != read || !problem.empty())
        saveIndex();
}

void Spool::scanSegment(std::uint64_t number, const std::uint64_t* listed) {
    SpoolSegment segment;
    segment.number = number;
    segment.path = _directory + "/" + segmentFileName(number);
    const std::string inIndex = listed ? " (in the index with " + std::to_string(*listed) + " samples)" : "";
    const SegmentScan scan = scanSegmentFile(segment);
    switch (scan.state) {
        case SegmentState::Unreadable:
            _logger.error("spool segment " + segment.path + inIndex + " cannot be read (" + scan.problem +
                          "); left alone, not replayed" + (listed ? lossText(*listed, Count::Exact) : ""));
            if (listed)
                lose(*listed, SpoolLoss::Damaged);
            return;
        case SegmentState::Foreign:
            if (!listed) {
                _logger.error("spool segment " + segment.path +
                              " is not a spool segment (wrong magic); left alone, not replayed");
                return;
            }
            _logger.error("spool segment " + segment.path + inIndex + " lost its header (wrong magic)" +
                          lossText(*listed, Count::Exact) + "; deleted");
            lose(*listed, SpoolLoss::Damaged);
            ::unlink(segment.path.c_str());
            return;
        case SegmentState::Empty:
            if (listed)
                _logger.error("spool segment " + segment.path + inIndex + " is cut to " +
                              std::to_string(segment.bytes) + " bytes" + lossText(*listed, Count::Exact) +
                              "; deleted");
            else
                _logger.warning("spool segment " + segment.path + " is cut to " +
                                std::to_string(segment.bytes) +
                                " bytes, short of its header: it was being created when the process stopped "
                                "(nothing in it), or was cut since (what it held is unknown); deleted");
            if (listed)
                lose(*listed, SpoolLoss::Damaged);
            ::unlink(segment.path.c_str());
            return;
        case SegmentState::Valid:
            break;
    }
    Count count = Count::Unknown;
    std::uint64_t recorded = 0;
    if (listed) {
        count = Count::Exact;
        recorded = *listed;
    } else if (scan.headerIntact) {
        count = scan.header.closed ? Count::Exact : Count::AtLeast;
        recorded = scan.header.samples;
    }
    const std::uint64_t lost = recorded > segment.samples ? recorded - segment.samples : 0;
    const bool headerDamaged = scan.format == 2 && !scan.headerIntact;
    if (!scan.problem.empty()) {
        // What follows the damage cannot be trusted, not even the counts in it.
        _logger.error("spool segment " + segment.path + " at byte " + std::to_string(segment.end) + ": " +
                      scan.problem + "; skipping the rest of the segment (" +
                      std::to_string(segment.bytes - segment.end) + " bytes" +
                      (headerDamaged ? ", and its header is damaged" : "") + ")" + lossText(lost, count));
    } else if (lost > 0) {
        _logger.error("spool segment " + segment.path + " holds " + std::to_string(segment.samples) +
                      " samples of the " + std::to_string(recorded) + " it had (cut at the end of a record)" +
                      lossText(lost, count));
    } else if (headerDamaged) {
        _logger.error(
            "spool segment " + segment.path + inIndex + ": its header is damaged (bad checksum)" +
            (listed ? "; its records are all there" : "; its records are read, their count unknown"));
    }
    lose(lost, SpoolLoss::Damaged);
    if (segment.samples == 0) {
        ::unlink(segment.path.c_str());
        return;
    }
    _pending += segment.samples;
    _bytes += segment.bytes;
    _segments.push_back(std::move(segment));
}

void Spool::lose(std::uint64_t count, SpoolLoss why) {
    if (count > 0)
        _lost(count, why);
}

void Spool::saveIndex() {
    try {
        writeSpoolIndex(_directory, _index);
    } catch (const std::runtime_error& error) {
        // An index that lists a deleted segment would count its delivered samples as lost.
        ::unlink((_directory + "/index").c_str());
        _logger.error(std::string("cannot write the spool index: ") + error.what() +
                      "; removed it: damage to the segments until it is written again costs an unknown "
                      "number of samples");
    }
}

int Spool::readDescriptor(const SpoolSegment& segment) {
    if (_readFd >= 0 && _readNumber == segment.number)
        return _readFd;
    if (_readFd >= 0)
        ::close(_readFd);
    _readFd = ::open(segment.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (_readFd < 0)
        throw std::runtime_error("cannot open it: " + systemError(errno));
    _readNumber = segment.number;
    return _readFd;
}

bool Spool::readRecord(SpoolSegment& segment, std::uint64_t offset, std::uint64_t samplesBefore,
                       const Record*& record) {
    if (_cached.valid && _cached.segment == segment.number && _cached.offset == offset) {
        record = &_cached;
        return true;
    }
    _cached.valid = false;
    _cached.samples.clear();
    std::string problem;
    try {
        problem = readRecordAt(readDescriptor(segment), offset, segment.end, _cached.samples, _cached.next);
    } catch (const std::runtime_error& error) {
        problem = error.what();
    }
    if (!problem.empty()) {
        damaged(segment, offset, samplesBefore, problem);
        return false;
    }
    _cached.valid = true;
    _cached.segment = segment.number;
    _cached.offset = offset;
    record = &_cached;
    return true;
}

void Spool::damaged(SpoolSegment& segment, std::uint64_t offset, std::uint64_t samplesBefore,
                    const std::string& what) {
    const std::uint64_t lost = segment.samples - std::min(samplesBefore, segment.samples);
    _logger.error("spool segment " + segment.path + " at byte " + std::to_string(offset) + ": " + what +
                  "; skipping the rest of the segment" + lossText(lost, Count::Exact));
    if (&segment == &_segments.front() && offset == segment.offset)
        _headSkip = 0;
    segment.end = offset;
    segment.samples -= lost;
    segment.total -= std::min(lost, segment.total);
    _pending -= lost;
    if (&segment == &_segments.back() && _writeFd >= 0) {
        closeSegment();  // never append after damage
    } else if (_index.count(segment.number)) {
        _index[segment.number] = segment.total;  // counted now, not again after a restart
        saveIndex();
    }
    lose(lost, SpoolLoss::Damaged);
}

SampleBatch Spool::peek(std::size_t most) {
    SampleBatch out;
    _peeked.clear();
    for (std::size_t i = 0; i < _segments.size() && out.size() < most; ++i) {
        SpoolSegment& segment = _segments[i];
        std::uint64_t offset = segment.offset;
        std::uint64_t skip = i == 0 ? _headSkip : 0;
        std::uint64_t before = 0;
        while (offset < segment.end && out.size() < most) {
            const Record* record = nullptr;
            if (!readRecord(segment, offset, before, record))
                break;
            const auto& samples = record->samples;
            if (skip > 0 && skip >= samples.size()) {
                // Consumed whole by discard(): the head moves past it for good.
                skip -= samples.size();
                offset = segment.offset = record->next;
                _headSkip = skip;
                continue;
            }
            const std::size_t from = static_cast<std::size_t>(skip);
            const std::size_t take = std::min(samples.size() - from, most - out.size());
            out.insert(out.end(), samples.begin() + static_cast<std::ptrdiff_t>(from),
                       samples.begin() + static_cast<std::ptrdiff_t>(from + take));
            _peeked.push_back({segment.number, offset, record->next, take, from + take == samples.size()});
            before += samples.size() - from;
            offset = record->next;
            skip = 0;
        }
    }
    while (!_segments.empty() && _segments.front().offset >= _segments.front().end)
        retireHead();
    return out;
}

void Spool::consume(std::size_t count) {
    // Advances over the records the peek covered without reading them again: damage found only now
    // would cost samples already delivered, or move the count on to samples never delivered.
    std::size_t used = 0;
    for (; used < _peeked.size(); ++used) {
        Peeked& step = _peeked[used];
        if (_segments.empty())
            break;
        SpoolSegment& head = _segments.front();
        if (step.segment != head.number || step.offset != head.offset)
            continue;  // dropped since the peek to stay within the bound, and counted then
        if (count == 0 && step.samples > 0)
            break;
        const std::uint64_t taken = std::min<std::uint64_t>(count, step.samples);
        count -= static_cast<std::size_t>(taken);
        step.samples -= taken;
        head.samples -= std::min(taken, head.samples);
        _pending -= std::min(taken, _pending);
        if (step.samples > 0 || !step.toEnd) {
            _headSkip += taken;  // consumed in part: the step is the last the peek covered
            if (step.samples > 0)
                break;
            continue;
        }
        head.offset = step.next;
        _headSkip = 0;
        if (head.offset >= head.end)
            retireHead();
    }
    _peeked.erase(_peeked.begin(), _peeked.begin() + static_cast<std::ptrdiff_t>(used));
    while (!_segments.empty() && _segments.front().offset >= _segments.front().end)
        retireHead();
}

void Spool::discard(std::uint64_t count) {
    _peeked.clear();
    count = std::min(count, _pending);
    while (count > 0 && !_segments.empty()) {
        SpoolSegment& head = _segments.front();
        if (count >= head.samples) {
            count -= head.samples;
            retireHead();
            continue;
        }
        head.samples -= count;
        _headSkip += count;
        _pending -= count;
        count = 0;
    }
}

void Spool::retireHead() {
    const SpoolSegment& head = _segments.front();
    if (_segments.size() == 1 && _writeFd >= 0) {
        ::close(_writeFd);  // deleted next: nothing in it needs to reach the disk
        _writeFd = -1;
        _unsynced = false;
    }
    if (_readFd >= 0 && _readNumber == head.number) {
        ::close(_readFd);
        _readFd = -1;
    }
    if (_cached.valid && _cached.segment == head.number)
        _cached.valid = false;
    // Out of the index first: a crash in between replays the segment, rather than count it as lost.
    if (_index.erase(head.number))
        saveIndex();
    if (::unlink(head.path.c_str()) != 0 && errno != ENOENT)
        _logger.error("cannot delete spool segment " + head.path + " (" + systemError(errno) +
                      "): what it still holds will be delivered again after a restart");
    _bytes -= std::min(head.bytes, _bytes);
    _pending -= std::min(head.samples, _pending);
    _headSkip = 0;
    _segments.pop_front();
}

void Spool::dropHead() {
    const std::uint64_t lost = _segments.front().samples;
    retireHead();
    lose(lost, SpoolLoss::Full);
}

void Spool::makeRoom(std::uint64_t recordBytes) {
    // The segment written to goes last, and only when it alone outgrows the bound.
    while (_bytes + recordBytes > _sizeBound && _segments.size() > 1)
        dropHead();
    if (_bytes + recordBytes > _sizeBound && _segments.front().samples > 0) {
        dropHead();
        startSegment();
    }
    // Records are at most a segment, an eighth of the bound, so only a single sample with kilobytes of
    // source names can still be over the bound here: it is written, and the bound overshoots by that much.
}

void Spool::append(const SampleBatch& batch) {
    std::size_t stored = 0;
    std::string& record = _record;
    while (stored < batch.size()) {
        record.clear();
        std::size_t count = 0;
        try {
            // Records fill what is left of the segment written to. One that does not fit starts the
            // next segment, and one larger than a whole segment (a sample with long source names)
            // gets a segment of its own.
            if (_writeFd >= 0 && _segments.back().bytes >= _segmentSize)
                closeSegment();
            if (_writeFd < 0)
                startSegment();
            const std::uint64_t used = _segments.back().bytes;
            count = encodeRecord(batch, stored, static_cast<std::size_t>(_segmentSize - used), record);
            if (used > kSegmentHeaderSize && used + record.size() > _segmentSize) {
                closeSegment();
                startSegment();
                record.clear();
                count = encodeRecord(batch, stored,
                                     static_cast<std::size_t>(_segmentSize - kSegmentHeaderSize), record);
            }
            makeRoom(record.size());
            writeRecord(record, count);
        } catch (const std::runtime_error& error) {
            throw SpoolWriteError(error.what(), stored);
        }
        stored += count;
    }
    syncIfDue();
}

void Spool::startSegment() {
    SpoolSegment segment;
    segment.number = _nextNumber++;
    segment.path = _directory + "/" + segmentFileName(segment.number);
    const int fd = createSegmentFile(segment.path);
    // The new name must survive a power loss as well as the records written into the file.
    const int directory = ::open(_directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory >= 0) {
        flushToDisk(directory, SpoolFlusher::Kind::Directory, _directory);
        ::close(directory);
    }
    segment.bytes = segment.end = segment.offset = kSegmentHeaderSize;
    _bytes += segment.bytes;
    _segments.push_back(std::move(segment));
    _writeFd = fd;
    _unsynced = true;
}

void Spool::closeSegment() {
    if (_writeFd < 0)
        return;
    const SpoolSegment& segment = _segments.back();
    sync(true);
    ::close(_writeFd);
    _writeFd = -1;
    _index[segment.number] = segment.total;
    saveIndex();
}

void Spool::writeRecord(const std::string& record, std::size_t samples) {
    SpoolSegment& segment = _segments.back();
    try {
        // One write(2) per record: once it returns, the kernel has the record, so a SIGKILL cannot
        // lose it; only a power loss can, up to the last sync (see syncIfDue()).
        writeAllAt(_writeFd, record.data(), record.size(), segment.bytes);
    } catch (const std::system_error& error) {
        // Cut a partial record off again, or at least never append after it.
        if (::ftruncate(_writeFd, static_cast<off_t>(segment.bytes)) != 0)
            closeSegment();
        throw std::runtime_error("cannot write " + segment.path + ": " + error.code().message());
    }
    segment.bytes += record.size();
    segment.end = segment.bytes;
    segment.samples += samples;
    segment.total += samples;
    _pending += samples;
    _bytes += record.size();
    _unsynced = true;
}

void Spool::syncIfDue() {
    if (!_unsynced || _writeFd < 0)
        return;
    const bool due = steadyMicros() - _lastSync >= kSyncInterval;
    if (due && !(_flusher && _flusher->busy()))
        sync();
    else if (_flusher)  // no other call may come: the flusher does it when due, or after the running one
        _flusher->flushLater(_writeFd, _segments.back().path, _lastSync + kSyncInterval);
}

void Spool::sync(bool closing) {
    // fdatasync at most once a second: a power loss may cost the last second of an outage, a
    // crash of the process nothing. The header's count goes with it, so that damage found after a
    // crash costs at least a known number of samples.
    const SpoolSegment& segment = _segments.back();
    try {
        writeSegmentHeader(_writeFd, {segment.total, closing});
    } catch (const std::system_error& error) {
        _logger.error("cannot write the header of spool segment " + segment.path + ": " +
                      error.code().message());
    }
    flushToDisk(_writeFd, SpoolFlusher::Kind::File, segment.path);
    _unsynced = false;
    _lastSync = steadyMicros();
}

void Spool::flushToDisk(int fd, SpoolFlusher::Kind kind, const std::string& path) {
    if (_flusher)
        _flusher->flush(fd, kind, path);
    else
        SpoolFlusher::flushNow(fd, kind, path, _logger);
}

}  // namespace citysense
