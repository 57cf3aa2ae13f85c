// citysense-api's CSV exports, streamed with chunked transfer encoding and no row cap:
//   Datastreams(id)/Observations?$resultFormat=csv[&from=&to=]   one Datastream's readings
//   Things(id)/Export?month=YYYY-MM                               a station's month, every Datastream
// It answers these requests itself, refusals included (a 400 naming the parameter, a 404 for a missing
// Thing or Datastream): the CSV is written to the connection as it is read from the store. A client
// that goes away ends the export; a store that fails part way through ends the connection without the
// last chunk, so the client can tell the file is cut short.
#pragma once

#include "ExportStore.h"

#include <Poco/URI.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace citysense::api {

class ExportService {
public:
    explicit ExportService(ReadingsStore& store) : _store(store) {}

    /// `path`: below "/v1.1/", percent-decoded. When it is an export, answers the request and returns
    /// the status sent; nothing for any other path. Throws Poco::Exception when the store fails before
    /// anything is sent.
    std::optional<int> serve(const std::string& path, const Poco::URI::QueryParameters& parameters,
                             Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    /// The resources of their own serve() answers, each after an entity of a set: {Thing, "Export"}.
    /// (The Datastream export is a format of the Datastreams(id)/Observations navigation.)
    static std::vector<std::pair<EntityType, std::string>> resources();

private:
    ExportStore _store;
};

}  // namespace citysense::api
