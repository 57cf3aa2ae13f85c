#include "CsvExport.h"

#include <citysense/Format.h>
#include <citysense/Sample.h>

#include <optional>

namespace citysense::api {

namespace {

/// One Datastream's readings, a chunk at a time.
class ReadingCursor {
public:
    ReadingCursor(ExportStore& store, const DatastreamRow& datastream, Micros from, Micros to)
        : _store(store), _datastream(datastream), _from(from), _to(to) {
        fill(std::nullopt);
    }

    const DatastreamRow& datastream() const { return _datastream; }
    /// The current reading; nullptr after the last.
    const ReadingRow* current() const { return _next < _chunk.size() ? &_chunk[_next] : nullptr; }

    void advance() {
        if (++_next < _chunk.size() || _chunk.size() < kExportChunk)
            return;
        fill(_chunk.back().key.time);
    }

private:
    void fill(std::optional<Micros> after) {
        _chunk = _store.readings(_datastream.id, _from, _to, after, kExportChunk);
        _next = 0;
    }

    ExportStore& _store;
    const DatastreamRow& _datastream;
    Micros _from;
    Micros _to;
    std::vector<ReadingRow> _chunk;
    std::size_t _next = 0;
};

std::string qualityText(std::uint16_t quality) {
    std::string text;
    for (const auto& name : qualityNames(quality))
        text += (text.empty() ? "" : "|") + name;
    return text;
}

/// The cursor whose current reading comes first by (time, Datastream); nullptr when all are done.
ReadingCursor* earliest(std::vector<ReadingCursor>& cursors) {
    ReadingCursor* first = nullptr;
    for (auto& cursor : cursors) {
        if (cursor.current() && (!first || cursor.current()->key.time < first->current()->key.time))
            first = &cursor;  // cursors are in Datastream order: the first of equal times wins
    }
    return first;
}

}  // namespace

std::string CsvExport::header() const {
    if (layout == Layout::Station)
        return "time,datastream,quantity,unit,value,quality\n";
    return "phenomenonTime," + csvField("result (" + datastreams.front().unit + ")") + ",resultQuality\n";
}

bool CsvExport::writeRows(ExportStore& store, std::ostream& out) const {
    std::vector<ReadingCursor> cursors;
    cursors.reserve(datastreams.size());
    for (const auto& datastream : datastreams)
        cursors.emplace_back(store, datastream, from, to);
    std::string text;
    while (ReadingCursor* cursor = earliest(cursors)) {
        const ReadingRow& reading = *cursor->current();
        text += formatIsoTime(reading.key.time);
        text += ',';
        if (layout == Layout::Station) {
            const DatastreamRow& datastream = cursor->datastream();
            text += std::to_string(datastream.id) + "," + csvField(datastream.quantity) + "," +
                    csvField(datastream.unit) + ",";
        }
        text += formatNumber(reading.value) + "," + qualityText(reading.quality) + "\n";
        cursor->advance();
        if (text.size() >= 64 * 1024) {
            if (!out.write(text.data(), static_cast<std::streamsize>(text.size())))
                return false;
            text.clear();
        }
    }
    return static_cast<bool>(out.write(text.data(), static_cast<std::streamsize>(text.size())));
}

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (const char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

}  // namespace citysense::api
