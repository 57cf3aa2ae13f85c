#include "WholeResponse.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>

#include <sys/socket.h>
#include <algorithm>
#include <climits>
#include <sstream>

namespace citysense::api {

namespace {

/// Writes all of `bytes`: a socket may take less than it is given (TLS, a full send buffer).
void sendAll(Poco::Net::StreamSocket& socket, std::string_view bytes, int flags) {
    while (!bytes.empty()) {
        const int length = static_cast<int>(std::min<std::size_t>(bytes.size(), INT_MAX));
        const int sent = socket.sendBytes(bytes.data(), length, flags);
        if (sent <= 0)
            throw Poco::Net::NetException("the client's connection took no more of the response");
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
}

}  // namespace

void sendWhole(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               std::string_view body) {
    response.setChunkedTransferEncoding(false);
    response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    std::ostringstream header;
    response.write(header);
    // The socket of the connection: Poco's own WebSocket reaches it the same way.
    Poco::Net::StreamSocket& socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
    const bool head = request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD;
    // MSG_MORE: the header waits for the body, one segment less (ignored over TLS).
    sendAll(socket, header.str(), head || body.empty() ? 0 : MSG_MORE);
    if (!head)
        sendAll(socket, body, 0);
}

}  // namespace citysense::api
