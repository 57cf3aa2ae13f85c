// A CSV export of readings, streamed: the readings of one or more Datastreams over a time range, read
// from the store a chunk per Datastream at a time and merged in (time, Datastream) order, so an export
// of any length holds at most one chunk of each Datastream in memory. Two layouts:
//   Observations  phenomenonTime,result (UNIT),resultQuality          (one Datastream)
//   Station       time,datastream,quantity,unit,value,quality         (every Datastream of a station)
// A quality is its flag names joined by '|' ("ok", "out_of_range|simulated").
#pragma once

#include "ExportStore.h"

#include <ostream>
#include <string>
#include <vector>

namespace citysense::api {

/// Readings read a query at most.
constexpr std::size_t kExportChunk = 10000;

struct CsvExport {
    enum class Layout { Observations, Station };

    Layout layout = Layout::Observations;
    std::vector<DatastreamRow> datastreams;  ///< one for Layout::Observations
    Micros from = 0;                         ///< the readings with from <= time < to
    Micros to = 0;

    /// The header line, with its newline.
    std::string header() const;

    /// Writes every row after the header. False when `out` failed (the client went away): the export
    /// stopped there. Store errors are thrown (Poco::Exception).
    bool writeRows(ExportStore& store, std::ostream& out) const;
};

/// `text` as a CSV field: quoted, its quotes doubled, when it holds a comma, a quote or a line break.
std::string csvField(const std::string& text);

}  // namespace citysense::api
