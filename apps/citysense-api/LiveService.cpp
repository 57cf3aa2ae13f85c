#include "LiveService.h"

#include "SensingService.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/NumberParser.h>

#include <sstream>

namespace citysense::api {

namespace {

// How long the writer gathers events before it writes them: a burst costs each client one write, not
// one per event, for at most this much latency.
constexpr Micros kGatherTime = 20 * 1000;

using Poco::Net::HTTPServerResponse;

int answer(HTTPServerResponse& response, int status, const std::string& message) {
    const std::string body = errorAnswer(status, message).body;
    if (status == 401)
        response.set("WWW-Authenticate",
                     "Bearer error=\"invalid_token\", error_description=\"" + message + "\"");
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.sendBuffer(body.data(), body.size());
    return status;
}

}  // namespace

LiveService::LiveService(const LiveSettings& settings, ReadingsStore& store, AccessControl& access)
    : _settings(settings), _hub(settings.windowEvents, settings.windowAge, settings.queueEvents) {
    if (!settings.enabled)
        return;
    _writer = std::make_unique<LiveWriter>(_hub, kGatherTime, settings.keepAlive,
                                           [&access] { return access.keys(); });
    _feed = std::make_unique<LiveFeed>(settings, store, _hub);
}

LiveService::~LiveService() = default;

int LiveService::serve(const Admission& admitted, const Poco::URI::QueryParameters& parameters,
                       Poco::Net::HTTPServerRequest& request, HTTPServerResponse& response) {
    if (!admitted.key)
        return answer(response, 401, "the live stream needs an API key with the live:read scope");
    const ApiKey& key = *admitted.key;
    if (!key.allows(kLiveRead))
        return answer(response, 403, "this API key does not have the live:read scope");
    if (!_settings.enabled)
        return answer(response, 404, "the live stream is not enabled on this server");
    LiveFilter filter;
    try {
        filter = readLiveFilter(parameters);
    } catch (const std::invalid_argument& error) {
        return answer(response, 400, error.what());
    }
    filter.stations = key.stations;
    std::optional<std::uint64_t> after;
    if (request.has("Last-Event-ID")) {
        Poco::UInt64 id = 0;
        if (!Poco::NumberParser::tryParseUnsigned64(request.get("Last-Event-ID"), id))
            return answer(response, 400, "Last-Event-ID: not an event id of this stream");
        after = id;
    }
    const int keyLimit = key.maxStreams ? *key.maxStreams : _settings.maxStreamsPerKey;
    LiveHub::Opening opening =
        _hub.open(std::move(filter), key.name, keyLimit, _settings.maxStreams, after, steadyMicros());
    switch (opening.refusal) {
        case LiveHub::Refusal::None:
            break;
        case LiveHub::Refusal::KeyLimit:
            return answer(response, 429,
                          "this API key has " + std::to_string(keyLimit) +
                              " live streams open already, as many as it may: close one first");
        case LiveHub::Refusal::TotalLimit:
            return answer(response, 503,
                          "the server has as many live streams open as it may: try again later");
        case LiveHub::Refusal::Ended:
            return answer(response, 503, "the service is stopping");
    }
    const std::shared_ptr<LiveStream> stream = opening.stream;
    response.setStatus(HTTPServerResponse::HTTP_OK);
    response.setContentType("text/event-stream; charset=utf-8");
    response.set("Cache-Control", "no-cache");
    response.set("X-Accel-Buffering", "no");  // for a proxy in front: pass events on at once
    response.setKeepAlive(false);             // the body ends when the connection does
    response.setChunkedTransferEncoding(false);
    if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD) {
        response.send();
        _hub.close(stream);
        return 200;
    }
    // The head, and what comes before the live events, go out on the writer's thread too.
    std::ostringstream preamble;
    response.write(preamble);
    preamble << "retry: 2000\n\n";
    if (opening.gap)
        preamble << "event: gap\ndata: " << *opening.gap << "\n\n";
    for (const LiveEvent& event : opening.backlog)
        preamble << *event.text;
    try {
        Poco::Net::StreamSocket socket =
            static_cast<Poco::Net::HTTPServerRequestImpl&>(request).detachSocket();
        socket.setNoDelay(true);  // an event goes out when written, not after the client's delayed ACK
        _writer->attach({stream, std::move(socket), preamble.str(), opening.backlog.size(), key});
    } catch (const Poco::Exception&) {
        _hub.close(stream);  // the client went away
    }
    return 200;
}

std::string LiveService::prometheusText() const {
    return _hub.prometheusText() + (_feed ? _feed->prometheusText() : "");
}

}  // namespace citysense::api
