#include "ExportService.h"

#include "AirQualityAnswer.h"
#include "CsvExport.h"
#include "ResourcePath.h"
#include "airquality/Calendar.h"
#include "query/QueryError.h"
#include "query/QueryOptions.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/HTTPServerSession.h>

#include <algorithm>

namespace citysense::api {

namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr const char* kStationExport = "Export";  ///< Things(id)/Export

/// An export's rows, or why there are none.
struct Prepared {
    std::optional<AirQualityAnswer> refusal;
    CsvExport csv;
    std::string filename;
};

Prepared refuse(AirQualityAnswer answer) {
    return {std::move(answer), {}, {}};
}

bool isCsvRequest(const Poco::URI::QueryParameters& parameters) {
    return std::any_of(parameters.begin(), parameters.end(), [](const auto& parameter) {
        return parameter.first == "$resultFormat" && parameter.second == "csv";
    });
}

/// Datastreams(id)/Observations?$resultFormat=csv[&from=&to=]: every other option is refused (the
/// export has no row cap and no other order).
Prepared datastreamExport(ExportStore& store, std::int64_t id, const Poco::URI::QueryParameters& parameters) {
    std::vector<QueryParameter> listed;
    for (const auto& [name, value] : parameters)
        listed.push_back({name, value});
    QueryOptions options;
    try {
        options = parseQueryOptions(listed);
    } catch (const QueryError& error) {
        return refuse(airQualityError(400, error.what(), error.option()));
    }
    for (const auto& parameter : listed) {
        if (!parameter.name.empty() && parameter.name[0] == '$' && parameter.name != "$resultFormat")
            return refuse(airQualityError(
                400,
                parameter.name +
                    ": not supported with $resultFormat=csv, which exports every reading of the range "
                    "from= to= in time order",
                parameter.name));
    }
    Poco::URI::QueryParameters range;
    for (const auto& parameter : options.parameters)
        range.emplace_back(parameter.name, parameter.value);
    const AirQualityParameters read(range, {"from", "to"});
    CsvExport csv;
    csv.from = read.time("from").value_or(0);
    csv.to = read.time("to").value_or(airquality::yearStart(9000));
    requireOrdered(csv.from, csv.to);
    csv.datastreams = store.readingsStore().datastreams(Selection::id(id), std::nullopt, 1);
    if (csv.datastreams.empty())
        return refuse(airQualityError(404, "no Datastream " + std::to_string(id)));
    return {std::nullopt, std::move(csv), "datastream-" + std::to_string(id) + "-observations.csv"};
}

/// Things(id)/Export?month=YYYY-MM
Prepared stationExport(ExportStore& store, std::int64_t id, const Poco::URI::QueryParameters& parameters) {
    const AirQualityParameters read(parameters, {"month"});
    const std::string month = read.required("month");
    CsvExport csv;
    csv.layout = CsvExport::Layout::Station;
    csv.from = parseMonth(month);
    csv.to = airquality::nextMonthStart(csv.from);
    if (store.readingsStore().things(Selection::id(id), std::nullopt, 1).empty())
        return refuse(airQualityError(404, "no Thing " + std::to_string(id)));
    const Selection ofThing = Selection::relatedTo(EntityType::Thing, id);
    for (auto page = store.readingsStore().datastreams(ofThing, std::nullopt, kExportChunk); !page.empty();
         page = store.readingsStore().datastreams(ofThing, page.back().id, kExportChunk)) {
        csv.datastreams.insert(csv.datastreams.end(), page.begin(), page.end());
    }
    return {std::nullopt, std::move(csv), "thing-" + std::to_string(id) + "-" + month + ".csv"};
}

/// The export `path` asks for; nothing when it is no export.
std::optional<Prepared> prepare(ExportStore& store, const std::string& path,
                                const Poco::URI::QueryParameters& parameters) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return std::nullopt;
    const std::string last = path.substr(slash + 1);
    const bool observations = last == "Observations" && isCsvRequest(parameters);
    if (!observations && last != kStationExport)
        return std::nullopt;
    try {
        const ResourcePath entity = parseResourcePath(path.substr(0, slash));
        const EntityType owner = observations ? EntityType::Datastream : EntityType::Thing;
        if (entity.set != owner || !entity.id || !entity.navigations.empty())
            return std::nullopt;
        const auto id = std::get<std::int64_t>(*entity.id);
        return observations ? datastreamExport(store, id, parameters) : stationExport(store, id, parameters);
    } catch (const MalformedPath& error) {
        return refuse(airQualityError(400, error.what()));
    } catch (const UnknownPath&) {
        return std::nullopt;
    } catch (const ParameterError& error) {
        return refuse(parameterAnswer(error));
    }
}

void send(HTTPServerResponse& response, const AirQualityAnswer& answer) {
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    response.setContentType(answer.contentType);
    response.setContentLength(static_cast<std::streamsize>(answer.body.size()));
    response.sendBuffer(answer.body.data(), answer.body.size());
}

}  // namespace

std::vector<std::pair<EntityType, std::string>> ExportService::resources() {
    return {{EntityType::Thing, kStationExport}};
}

std::optional<int> ExportService::serve(const std::string& path, const Poco::URI::QueryParameters& parameters,
                                        HTTPServerRequest& request, HTTPServerResponse& response) {
    auto prepared = prepare(_store, path, parameters);
    if (!prepared)
        return std::nullopt;
    if (prepared->refusal) {
        send(response, *prepared->refusal);
        return prepared->refusal->status;
    }
    response.setChunkedTransferEncoding(true);
    response.setContentType("text/csv; charset=utf-8; header=present");
    response.set("Content-Disposition", "attachment; filename=\"" + prepared->filename + "\"");
    std::ostream& out = response.send();  // for HEAD, a stream that writes nothing more
    if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD)
        return 200;
    const std::string header = prepared->csv.header();
    bool whole = false;
    try {
        whole = out.write(header.data(), static_cast<std::streamsize>(header.size())) &&
                prepared->csv.writeRows(_store, out);
    } catch (const Poco::Exception& error) {
        Poco::Logger::get("citysense-api")
            .error("the export " + prepared->filename + " ended part way: " + error.displayText());
    }
    if (!whole) {
        // Closed before the last chunk: the client can tell the file is not whole.
        if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request))
            impl->session().abort();
    }
    return 200;
}

}  // namespace citysense::api
