// The live map at /map/ (see README "The live map"): the page's own files from the web directory
// (web_dir: apps/citysense-api/web in the source tree, installed to share/citysense/web), Leaflet from
// Debian's libjs-leaflet under /map/leaflet/ (leaflet_dir), and /map/config.json, what the page needs
// to know of the configuration (the tile layer's URL template and attribution; none for an air-gapped
// server). "/map" is redirected to "/map/". The page loads nothing from anywhere else: every HTML answer
// carries a Content-Security-Policy that allows scripts, styles and connections to this server only, and
// images also from the tile server.
#pragma once

#include "ApiSettings.h"
#include "StaticFiles.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace citysense::api {

/// "https://*.tile.example.org" for "https://{s}.tile.example.org/{z}/{x}/{y}.png": what a
/// Content-Security-Policy allows images from; empty for no tiles.
std::string tileSource(const std::string& tiles);

class MapSite {
public:
    explicit MapSite(const MapSettings& settings);

    /// Whether `path` (decoded) is the map's: "/map" or anything below "/map/".
    static bool owns(const std::string& path);

    /// Answers a GET or HEAD of `path`, which owns() accepted; the status sent.
    int serve(const std::string& path, Poco::Net::HTTPServerRequest& request,
              Poco::Net::HTTPServerResponse& response) const;

private:
    MapSettings _settings;
    StaticFiles _page;
    StaticFiles _leaflet;
    std::string _contentSecurityPolicy;
};

}  // namespace citysense::api
