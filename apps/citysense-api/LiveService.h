// GET /v1.1/live: the readings as they arrive, as Server-Sent Events (text/event-stream), for keys with
// the live:read scope (none: 401, without the scope: 403), of the stations the key may see:
//     id: 1765015200123457
//     event: observation
//     data: {"Datastream@iot.id":3,"Thing@iot.id":1,"ObservedProperty":"no2","unit":"ppb",
//            "phenomenonTime":"2026-12-06T10:00:00.123456Z","result":12.5,"resultQuality":["ok"]}
// Filters, each a comma-separated list, all optional: things=1,2, datastreams=3,4, quantities=no2,so2.
// A client that sends Last-Event-ID gets the kept events after it first; when the window no longer
// reaches back to it, an `event: gap` says so before them. A comment line (": keep-alive") follows any
// silence of keepalive_interval. A stream ends when the key is revoked or expires (checked every
// second), when the client lets queue_events events wait (a slow consumer: counted), or when the
// service stops.
//
// A stream's request is answered on a server thread, which hands the connection, with the answer's
// head, to the one writer thread of every stream (LiveWriter) and is free again at once: the streams
// take none of the server threads and database sessions requests need, and an event is formatted
// once, collected once and written to each client in one write with whatever else came with it.
#pragma once

#include "AccessControl.h"
#include "LiveFeed.h"
#include "LiveHub.h"
#include "LiveSettings.h"
#include "LiveWriter.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <memory>

namespace citysense::api {

class LiveService {
public:
    /// Subscribes (in the background) when the stream is enabled.
    LiveService(const LiveSettings& settings, ReadingsStore& store, AccessControl& access);
    ~LiveService();

    /// Opens the stream, and hands its connection to the writer (or refuses it); the status answered.
    /// `admitted`: the request passed AccessControl::admit().
    int serve(const Admission& admitted, const Poco::URI::QueryParameters& parameters,
              Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    /// Ends every stream and refuses new ones: the service is stopping.
    void endAll() { _hub.endAll(); }

    /// The Prometheus text of the streams and, when enabled, of the subscription.
    std::string prometheusText() const;

private:
    const LiveSettings _settings;
    LiveHub _hub;
    std::unique_ptr<LiveWriter> _writer;  ///< when enabled
    std::unique_ptr<LiveFeed> _feed;      ///< when enabled; stops before the writer
};

}  // namespace citysense::api
