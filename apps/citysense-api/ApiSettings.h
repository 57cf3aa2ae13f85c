// citysense-api's configuration: the [api] section (where it listens, the base URL of its links, TLS,
// and who may see what: keys, the embargo, rate limits), the [store] section (the readings store it
// reads), the optional [live] section (the live stream's subscription: LiveSettings.h) and the optional
// [admin] section (gateways' remote configuration: AdminSettings.h), each validated against its option
// table. Every problem of the file is collected at once, naming its file, section and key.
#pragma once

#include "AdminSettings.h"
#include "LiveSettings.h"
#include "RateLimit.h"

#include <engine/Config.h>

#include <citysense/Options.h>

#include <string>
#include <vector>

namespace citysense::api {

/// The live map's files and its tile layer (MapSite.h).
struct MapSettings {
    std::string webDirectory;      ///< the page's files
    std::string leafletDirectory;  ///< leaflet.js, leaflet.css, images/
    std::string tiles;             ///< "https://tile.openstreetmap.org/{z}/{x}/{y}.png"; empty: no tiles
    std::string tilesAttribution;  ///< plain text shown with the tiles
};

struct ServerSettings {
    std::string listenAddress;
    unsigned port = 0;
    std::string baseUrl;          ///< self links start with it; empty: derived from each request's Host
    std::string certificateFile;  ///< with keyFile: HTTPS; both empty: HTTP
    std::string keyFile;
    int threads = 0;
    Micros drainTimeout = 0;
    std::string logLevel;
    MapSettings map;
    AdminSettings admin;  ///< [admin]: the gateway configuration routes
};

/// Who may read what, and how often: what a SIGHUP changes in a running service.
struct AccessSettings {
    Micros embargo = 0;       ///< anonymous requests see only readings older than this
    std::string keysFile;     ///< empty: no keys, every request is anonymous
    RateLimit anonymousRate;  ///< per client address, without a key
    RateLimit keyRate;        ///< per key, unless the key has its own
    std::size_t clients = 0;  ///< the most client addresses whose buckets are kept
};

struct StoreSettings {
    bool sqlite = true;
    std::string connection;  ///< sqlite: the database file; mysql: the Poco connection string
    std::string password;    ///< mysql only, read from password_file or password_env
    int sessions = 0;        ///< the most the pool opens: one per request thread
};

struct ApiSettings {
    ServerSettings server;
    AccessSettings access;
    StoreSettings store;
    LiveSettings live;
};

/// The option tables of "api", "store" and "live" (empty for any other section kind).
const OptionTable& apiOptions(const std::string& kind);

/// Validates `document` and reads it; every problem goes to `issues` (see hasErrors()).
ApiSettings readApiSettings(const ConfigDocument& document, std::vector<ConfigIssue>& issues);

}  // namespace citysense::api
