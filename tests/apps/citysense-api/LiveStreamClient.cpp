#include "LiveStreamClient.h"

#include <Poco/Net/NetException.h>
#include <Poco/String.h>

#include <sys/socket.h>

namespace citysense::test {

LiveStreamClient::LiveStreamClient(unsigned port, const std::string& target,
                                   const std::map<std::string, std::string>& headers, int receiveBuffer)
    : _socket(Poco::Net::SocketAddress::IPv4) {
    if (receiveBuffer > 0)
        _socket.setReceiveBufferSize(receiveBuffer);
    _socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    for (const auto& [name, value] : headers)
        request += name + ": " + value + "\r\n";
    request += "\r\n";
    _socket.sendBytes(request.data(), static_cast<int>(request.size()));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    const std::optional<std::string> statusLine = line(deadline);
    if (!statusLine || statusLine->size() < 12)
        throw std::runtime_error("no answer to GET " + target);
    _status = std::stoi(statusLine->substr(9, 3));
    std::size_t length = 0;
    while (const auto header = line(deadline)) {
        if (header->empty())
            break;
        if (Poco::icompare(header->substr(0, 15), "Content-Length:") == 0)
            length = std::stoul(header->substr(15));
    }
    if (_status != 200) {
        while (_buffer.size() < length && receive(deadline)) {
        }
        _body = _buffer.substr(0, length);
    }
}

std::optional<std::string> LiveStreamClient::line(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        const auto end = _buffer.find('\n');
        if (end != std::string::npos) {
            std::string text = _buffer.substr(0, end);
            _buffer.erase(0, end + 1);
            if (!text.empty() && text.back() == '\r')
                text.pop_back();
            return text;
        }
        if (_closed && !_buffer.empty())
            _buffer += '\n';  // the last line, cut short
        else if (!receive(deadline))
            return std::nullopt;
    }
}

bool LiveStreamClient::receive(std::chrono::steady_clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
    if (_closed || left.count() <= 0 ||
        !_socket.poll(Poco::Timespan(left.count()), Poco::Net::Socket::SELECT_READ))
        return false;
    char chunk[65536];
    int received = 0;
    try {
        received = _socket.receiveBytes(chunk, sizeof chunk);
    } catch (const Poco::Net::NetException&) {
        received = 0;
    }
    if (received <= 0) {
        _closed = true;
        return false;
    }
    _buffer.append(chunk, static_cast<std::size_t>(received));
    return true;
}

std::optional<SseEvent> LiveStreamClient::next(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    SseEvent event;
    bool any = false;
    while (const auto text = line(deadline)) {
        if (text->empty()) {
            if (any)
                return event;
            continue;
        }
        any = true;
        const auto colon = text->find(':');
        const std::string field = text->substr(0, colon);
        std::string value = colon == std::string::npos ? "" : text->substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.erase(0, 1);
        if (field.empty()) {
            event.type = "comment";
            event.data = value;
        } else if (field == "id") {
            event.id = value;
        } else if (field == "event") {
            event.type = value;
        } else if (field == "data") {
            event.data += value;
        }
    }
    return std::nullopt;
}

std::optional<SseEvent> LiveStreamClient::nextEvent(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return std::nullopt;
        std::optional<SseEvent> event = next(left);
        if (!event || (event->type != "comment" && !event->type.empty()))
            return event;
    }
}

bool LiveStreamClient::endsWithin(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (line(deadline)) {
    }
    return _closed;
}

}  // namespace citysense::test
