// A response whose body is whole in memory, sent as the socket takes it: the header, then the body in
// one write. Poco's sendBuffer() passes both through a 4 KB stream buffer, so a page of 1,000
// Observations (350 KB) was 86 send() calls, each a loopback segment that woke the client.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string_view>

namespace citysense::api {

/// Sends the status and headers set on `response`, with the Content-Length of `body`, then `body`
/// (only the header for a HEAD request). `request` is the one `response` answers, as Poco's
/// HTTPServer hands it to a handler.
void sendWhole(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               std::string_view body);

}  // namespace citysense::api
