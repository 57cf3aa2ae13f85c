#include "SpoolFormat.h"

#include <Poco/Checksum.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace citysense {

namespace {

constexpr std::uint16_t kNoSource = 0xffff;
constexpr std::size_t kSampleSize = 2 + 1 + 2 + 8 + 8;

std::size_t sourceSize(const Source& source) {
    const Station& station = source.station;
    return 4 * 4 + station.system.size() + station.city.size() + station.street.size() +
           source.instance.size() + 1 + 8 + 8;
}

template <typename T>
void put(std::string& out, T value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void putString(std::string& out, const std::string& text) {
    put(out, static_cast<std::uint32_t>(text.size()));
    out += text;
}

/// The sources a record lists, numbered in that order. A record mostly holds one gateway's message
/// (one source, or a few), where a scan finds them; one of a sink's spool may name a station a
/// sample, and past kScanned sources a hash map takes over.
class RecordSources {
public:
    /// The number of `source` in the list; kNoSource when it is not in it.
    std::uint16_t find(const Source* source) const {
        if (_numbers.empty()) {
            const auto found = std::find(_listed.begin(), _listed.end(), source);
            return found == _listed.end() ? kNoSource : static_cast<std::uint16_t>(found - _listed.begin());
        }
        const auto found = _numbers.find(source);
        return found == _numbers.end() ? kNoSource : found->second;
    }

    void add(const Source* source) {
        _listed.push_back(source);
        if (_listed.size() == kScanned + 1) {
            for (std::size_t i = 0; i < _listed.size(); ++i)
                _numbers.emplace(_listed[i], static_cast<std::uint16_t>(i));
        } else if (!_numbers.empty()) {
            _numbers.emplace(source, static_cast<std::uint16_t>(_listed.size() - 1));
        }
    }

    const std::vector<const Source*>& listed() const { return _listed; }

private:
    static constexpr std::size_t kScanned = 8;
    std::vector<const Source*> _listed;
    std::unordered_map<const Source*, std::uint16_t> _numbers;  ///< past kScanned sources
};

/// Reads a payload front to back; every read checks the bounds, so no content can crash it.
class Reader {
public:
    Reader(const char* data, std::size_t length) : _data(data), _left(length) {}

    template <typename T>
    T get(const char* what) {
        need(sizeof(T), what);
        T value;
        std::memcpy(&value, _data, sizeof value);
        advance(sizeof value);
        return value;
    }

    std::string getString(const char* what) {
        const auto length = get<std::uint32_t>(what);
        need(length, what);
        std::string text(_data, length);
        advance(length);
        return text;
    }

    std::size_t left() const { return _left; }

private:
    void need(std::size_t bytes, const char* what) const {
        if (bytes > _left)
            throw SpoolFormatError(std::string("the payload ends inside ") + what);
    }
    void advance(std::size_t bytes) {
        _data += bytes;
        _left -= bytes;
    }

    const char* _data;
    std::size_t _left;
};

}  // namespace

std::size_t encodeRecord(const SampleBatch& batch, std::size_t first, std::size_t maxBytes,
                         std::string& out) {
    // First decide how many samples fit, then write them.
    RecordSources sources;
    std::size_t size = kRecordHeaderSize + kMinPayloadSize;
    std::size_t count = 0;
    for (std::size_t i = first; i < batch.size() && count < kMaxSamplesPerRecord; ++i) {
        const Source* source = batch[i].source;
        const bool known = !source || sources.find(source) != kNoSource;
        const std::size_t extra = kSampleSize + (known ? 0 : sourceSize(*source));
        if (count > 0 && size + extra > maxBytes)
            break;
        if (!known)
            sources.add(source);
        size += extra;
        ++count;
    }
    // Straight into `out`: the header's length and checksum are filled in once the payload is there.
    const std::size_t start = out.size();
    out.reserve(start + size);
    out.append(kRecordHeaderSize, '\0');
    put(out, static_cast<std::uint32_t>(count));
    put(out, static_cast<std::uint16_t>(sources.listed().size()));
    for (const Source* source : sources.listed()) {
        putString(out, source->station.system);
        putString(out, source->station.city);
        putString(out, source->station.street);
        putString(out, source->instance);
        put(out, static_cast<std::uint8_t>(source->station.hasPosition));
        put(out, source->station.latitude);
        put(out, source->station.longitude);
    }
    for (std::size_t i = first; i < first + count; ++i) {
        const Sample& sample = batch[i];
        put(out, sample.source ? sources.find(sample.source) : kNoSource);
        put(out, static_cast<std::uint8_t>(sample.quantity));
        put(out, sample.quality);
        put(out, sample.value);
        put(out, static_cast<std::int64_t>(sample.time));
    }
    const char* payload = out.data() + start + kRecordHeaderSize;
    const auto length = static_cast<std::uint32_t>(out.size() - start - kRecordHeaderSize);
    const std::uint32_t header[] = {length, payloadChecksum(payload, length)};
    std::memcpy(&out[start], header, sizeof header);
    return count;
}

std::string encodeSegmentHeader(const SegmentHeader& header) {
    std::string out(kSpoolMagic, kSpoolMagicSize);
    put(out, header.samples);
    put(out, static_cast<std::uint32_t>(header.closed ? 1 : 0));
    put(out, payloadChecksum(out.data() + kSpoolMagicSize, out.size() - kSpoolMagicSize));
    return out;
}

bool decodeSegmentHeader(const char* bytes, SegmentHeader& header) {
    const char* fields = bytes + kSpoolMagicSize;
    std::uint32_t state = 0;
    std::uint32_t checksum = 0;
    std::memcpy(&header.samples, fields, 8);
    std::memcpy(&state, fields + 8, 4);
    std::memcpy(&checksum, fields + 12, 4);
    if (checksum != payloadChecksum(fields, 12) || state > 1)
        return false;
    header.closed = state == 1;
    return true;
}

RecordHeader decodeRecordHeader(const char* bytes) {
    RecordHeader header;
    std::memcpy(&header.length, bytes, 4);
    std::memcpy(&header.checksum, bytes + 4, 4);
    return header;
}

std::uint32_t payloadChecksum(const char* payload, std::size_t length) {
    Poco::Checksum checksum(Poco::Checksum::TYPE_CRC32);
    checksum.update(payload, static_cast<unsigned>(length));
    return checksum.checksum();
}

std::uint32_t payloadSampleCount(const char* payload) {
    std::uint32_t count = 0;
    std::memcpy(&count, payload, sizeof count);
    return count;
}

void decodePayload(const char* payload, std::size_t length, SampleBatch& out) {
    Reader reader(payload, length);
    const auto count = reader.get<std::uint32_t>("the sample count");
    const auto sourceCount = reader.get<std::uint16_t>("the source count");
    std::vector<const Source*> sources;
    for (std::uint16_t i = 0; i < sourceCount; ++i) {
        Station station;
        station.system = reader.getString("a source");
        station.city = reader.getString("a source");
        station.street = reader.getString("a source");
        const std::string instance = reader.getString("a source");
        station.hasPosition = reader.get<std::uint8_t>("a source") != 0;
        station.latitude = reader.get<double>("a source");
        station.longitude = reader.get<double>("a source");
        sources.push_back(Source::intern(station, instance));
    }
    if (reader.left() != std::size_t{count} * kSampleSize)
        throw SpoolFormatError("the payload holds " + std::to_string(reader.left()) + " bytes for " +
                               std::to_string(count) + " samples");
    const std::size_t quantityCount = quantities().size();
    SampleBatch samples;
    samples.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        Sample sample;
        const auto source = reader.get<std::uint16_t>("a sample");
        const auto quantity = reader.get<std::uint8_t>("a sample");
        if (source != kNoSource && source >= sources.size())
            throw SpoolFormatError("a sample refers to source " + std::to_string(source) + " of " +
                                   std::to_string(sources.size()));
        if (quantity >= quantityCount)
            throw SpoolFormatError("a sample has the unknown quantity " + std::to_string(quantity));
        sample.source = source == kNoSource ? nullptr : sources[source];
        sample.quantity = static_cast<Quantity>(quantity);
        sample.quality = reader.get<std::uint16_t>("a sample");
        sample.value = reader.get<double>("a sample");
        sample.time = reader.get<std::int64_t>("a sample");
        samples.push_back(sample);
    }
    out.insert(out.end(), samples.begin(), samples.end());
}

}  // namespace citysense
