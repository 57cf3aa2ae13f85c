// Files of one directory served over HTTP, safely: a request names a file by its path below the
// directory, already percent-decoded (Poco::URI), and is answered only when every segment of it is an
// ordinary name: no "..", ".", empty or hidden (".name") segment, no backslash, no NUL, so that no
// spelling of a way out (../, %2e%2e/, ..%2f, ..\) leaves the directory. Only regular files of the
// types below are served, with their Content-Type, X-Content-Type-Options: nosniff, an ETag and
// Last-Modified, and Cache-Control: no-cache (a browser asks again each time and gets a 304 while the
// file is unchanged); anything else is a 404. Symbolic links inside the directory are followed: whoever
// may put them there chose to serve their targets.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace citysense::api {

/// The file `relative` names below `root`, when it is a safe path as above (whether it exists or not).
std::optional<std::filesystem::path> pathBelow(const std::filesystem::path& root,
                                               const std::string& relative);

/// "text/html; charset=utf-8" for index.html, ...; none for a type that is not served.
std::optional<std::string> servedContentType(const std::filesystem::path& file);

class StaticFiles {
public:
    explicit StaticFiles(std::filesystem::path root);

    /// Answers a GET or HEAD of `relative` with the file, a 304, or a JSON 404; the status sent.
    /// `extraHeaders` go on a 200 and a 304 (a Content-Security-Policy, say).
    int serve(const std::string& relative, Poco::Net::HTTPServerRequest& request,
              Poco::Net::HTTPServerResponse& response,
              const std::vector<std::pair<std::string, std::string>>& extraHeaders = {}) const;

    const std::filesystem::path& root() const { return _root; }

private:
    std::filesystem::path _root;
};

/// Sends `body` as the complete answer (nothing but headers for a HEAD request).
void sendBody(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, int status,
              const std::string& contentType, const std::string& body);

}  // namespace citysense::api
