#include "MapSite.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace citysense::api {

namespace {

constexpr const char* kMapPath = "/map";
constexpr const char* kLeafletPrefix = "leaflet/";

}  // namespace

std::string tileSource(const std::string& tiles) {
    const std::size_t scheme = tiles.find("://");
    if (tiles.empty() || scheme == std::string::npos)
        return "";
    const std::size_t hostEnd = tiles.find('/', scheme + 3);
    std::string origin = tiles.substr(0, hostEnd);
    const std::size_t subdomain = origin.find("{s}");
    if (subdomain != std::string::npos)
        origin.replace(subdomain, 3, "*");
    return origin;
}

MapSite::MapSite(const MapSettings& settings)
    : _settings(settings), _page(settings.webDirectory), _leaflet(settings.leafletDirectory) {
    const std::string tiles = tileSource(settings.tiles);
    _contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:" +
        (tiles.empty() ? "" : " " + tiles) +
        "; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

bool MapSite::owns(const std::string& path) {
    const std::string prefix = std::string(kMapPath) + "/";
    return path == kMapPath || path.compare(0, prefix.size(), prefix) == 0;
}

int MapSite::serve(const std::string& path, Poco::Net::HTTPServerRequest& request,
                   Poco::Net::HTTPServerResponse& response) const {
    if (path == kMapPath) {
        response.set("Location", std::string(kMapPath) + "/");
        sendBody(request, response, 301, "text/plain; charset=utf-8", "the map is at /map/\n");
        return 301;
    }
    const std::string relative = path.substr(std::string(kMapPath).size() + 1);
    if (relative == "config.json") {
        Poco::JSON::Object config;
        config.set("tiles", _settings.tiles);
        config.set("tilesAttribution", _settings.tilesAttribution);
        std::ostringstream body;
        config.stringify(body);
        response.set("Cache-Control", "no-cache");
        sendBody(request, response, 200, "application/json", body.str());
        return 200;
    }
    if (relative.compare(0, std::string(kLeafletPrefix).size(), kLeafletPrefix) == 0)
        return _leaflet.serve(relative.substr(std::string(kLeafletPrefix).size()), request, response);
    const std::string file = relative.empty() ? "index.html" : relative;
    if (file.size() > 5 && file.compare(file.size() - 5, 5, ".html") == 0)
        return _page.serve(file, request, response, {{"Content-Security-Policy", _contentSecurityPolicy}});
    return _page.serve(file, request, response);
}

}  // namespace citysense::api
