#include "StaticFiles.h"

#include "SensingService.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <array>
#include <chrono>
#include <fstream>
#include <sstream>
#include <utility>

namespace citysense::api {

namespace {

// The largest file served: the page's own files and Leaflet are far smaller.
constexpr std::uintmax_t kLargestFile = 16 * 1024 * 1024;

constexpr std::array<std::pair<const char*, const char*>, 9> kContentTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
}};

bool safeSegment(const std::string& segment) {
    return !segment.empty() && segment.front() != '.' && segment.find('\\') == std::string::npos &&
           segment.find('\0') == std::string::npos;
}

std::int64_t secondsSinceEpoch(std::filesystem::file_time_type time) {
    // file_time_type's clock has no portable epoch in C++17: measure from now on both clocks.
    const auto system =
        std::chrono::system_clock::now() + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                               time - std::filesystem::file_time_type::clock::now());
    return std::chrono::duration_cast<std::chrono::seconds>(system.time_since_epoch()).count();
}

int notFound(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const JsonAnswer answer = errorAnswer(404, "no such file");
    sendBody(request, response, answer.status, "application/json", answer.body);
    return answer.status;
}

}  // namespace

std::optional<std::filesystem::path> pathBelow(const std::filesystem::path& root,
                                               const std::string& relative) {
    std::filesystem::path path = root;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = relative.find('/', start);
        const std::string segment = relative.substr(start, end == std::string::npos ? end : end - start);
        if (!safeSegment(segment))
            return std::nullopt;
        path /= segment;
        if (end == std::string::npos)
            return path;
        start = end + 1;
    }
}

std::optional<std::string> servedContentType(const std::filesystem::path& file) {
    const std::string extension = file.extension().string();
    for (const auto& [suffix, type] : kContentTypes) {
        if (extension == suffix)
            return std::string(type);
    }
    return std::nullopt;
}

StaticFiles::StaticFiles(std::filesystem::path root) : _root(std::move(root)) {}

int StaticFiles::serve(const std::string& relative, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response,
                       const std::vector<std::pair<std::string, std::string>>& extraHeaders) const {
    const auto path = pathBelow(_root, relative);
    const auto type = path ? servedContentType(*path) : std::nullopt;
    std::error_code error;
    if (!type || !std::filesystem::is_regular_file(*path, error))
        return notFound(request, response);
    const std::uintmax_t size = std::filesystem::file_size(*path, error);
    const auto modified = std::filesystem::last_write_time(*path, error);
    if (error || size > kLargestFile)
        return notFound(request, response);
    const std::int64_t seconds = secondsSinceEpoch(modified);
    std::ostringstream tag;
    tag << '"' << std::hex << size << '-' << seconds << '"';
    response.set("ETag", tag.str());
    response.set("Last-Modified", Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(seconds),
                                                                  Poco::DateTimeFormat::HTTP_FORMAT));
    response.set("Cache-Control", "no-cache");
    response.set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : extraHeaders)
        response.set(name, value);
    if (request.get("If-None-Match", "") == tag.str()) {
        response.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
        response.setContentLength(0);
        response.send();
        return 304;
    }
    std::ifstream file(*path, std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (!file.good() && !file.eof())
        return notFound(request, response);
    sendBody(request, response, 200, *type, body);
    return 200;
}

void sendBody(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, int status,
              const std::string& contentType, const std::string& body) {
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType(contentType);
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD)
        response.send();
    else
        response.sendBuffer(body.data(), body.size());
}

}  // namespace citysense::api
