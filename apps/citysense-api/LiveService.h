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
// Each stream is answered by a server thread of its own, which waits for its events and writes them:
// the HTTPServer's pool has [live] max_streams threads beyond [api] threads, and ordinary requests
// keep to [api] threads (RequestSlots), so streams never take the threads and database sessions
// requests need. One thread per stream keeps writing simple (blocking writes, TLS included); the
// events are queued once per stream without waiting (LiveHub), so a slow stream never holds up others.
#pragma once

#include "AccessControl.h"
#include "LiveFeed.h"
#include "LiveHub.h"
#include "LiveSettings.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <functional>
#include <memory>

namespace citysense::api {

class LiveService {
public:
    /// Subscribes (in the background) when the stream is enabled.
    LiveService(const LiveSettings& settings, ReadingsStore& store, AccessControl& access);
    ~LiveService();

    /// Serves the stream (or refuses it), until it ends; the status answered. `admitted`: the request
    /// passed AccessControl::admit(); `release` is called once the stream is open, before it waits.
    int serve(const Admission& admitted, const Poco::URI::QueryParameters& parameters,
              Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              const std::function<void()>& release);

    /// Ends every stream and refuses new ones: the service is stopping.
    void endAll() { _hub.endAll(); }

    /// The Prometheus text of the streams and, when enabled, of the subscription.
    std::string prometheusText() const;

    /// Server threads the streams may take: 0 when the stream is off.
    int threads() const { return _settings.enabled ? _settings.maxStreams : 0; }

private:
    const LiveSettings _settings;
    AccessControl& _access;
    LiveHub _hub;
    std::unique_ptr<LiveFeed> _feed;
};

}  // namespace citysense::api
