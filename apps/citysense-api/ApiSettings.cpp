#include "ApiSettings.h"

#include <Poco/Net/IPAddress.h>

#include <filesystem>

namespace citysense::api {

const OptionTable& apiOptions(const std::string& kind) {
    static const OptionTable api = {
        Option::string("listen_address", "127.0.0.1", "Address the HTTP(S) server listens on (IPv4 or IPv6)"),
        Option::integer("port", "8280", "Port the server listens on (0 picks a free one)").range(0, 65535),
        Option::string("base_url", "",
                       "Start of the self and navigation links, e.g. https://data.example.org (empty: "
                       "from the Host header of each request)"),
        Option::path("certificate_file", "",
                     "PEM certificate (chain) of the server: set with key_file for HTTPS"),
        Option::path("key_file", "", "PEM private key of certificate_file"),
        Option::integer("threads", "8", "Requests answered at once, each with its own database session")
            .range(1, 256),
        Option::duration("drain_timeout", "10s",
                         "How long a stopping service lets the requests under way finish")
            .range(0, 600),
        Option::duration("embargo", "1h",
                         "Requests without a key with live:read see only readings older than this")
            .range(0, 366 * 86400),
        Option::path("keys_file", "",
                     "The API keys (hashes only), written by citysense-api keys add/revoke; empty: no "
                     "keys, every request is anonymous"),
        Option::string("rate_limit", "60/min, 2000/h",
                       "Requests an anonymous client address may make: token buckets, all apply"),
        Option::string("key_rate_limit", "60/min, 2000/h",
                       "Requests a key may make, unless it was given its own --rate"),
        Option::integer("rate_limit_clients", "100000",
                        "The most client addresses whose rate is tracked (the least recently seen go)")
            .range(1, 10000000),
        Option::path("web_dir", CITYSENSE_WEB_DIR, "The live map's page (/map/): the folder of its files"),
        Option::path("leaflet_dir", "/usr/share/javascript/leaflet",
                     "Leaflet's files for the map (Debian's libjs-leaflet)"),
        Option::string("map_tiles", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                       "The map's background tiles: a URL template with {z}, {x}, {y} (and {s}); empty: "
                       "none, for an air-gapped server"),
        Option::string("map_tiles_attribution", "\u00a9 OpenStreetMap contributors",
                       "The tiles' attribution, shown on the map (plain text)"),
        Option::choice("log_level", {"error", "warning", "notice", "information", "debug", "trace"},
                       "information", "Least severe log level written"),
    };
    static const OptionTable store = {
        Option::choice("connector", {"sqlite", "mysql"}, "sqlite", "sqlite (a file) or mysql (MariaDB)"),
        Option::string("connection", "",
                       "sqlite: the database file, opened read-only (a relative path: to the configuration "
                       "file's folder); mysql: a Poco connection string such as "
                       "host=127.0.0.1;port=3306;db=citysense;user=citysense_api (a user that may only "
                       "SELECT; no password in it)")
            .mandatory(),
        Option::secret("password", "mysql: the password of the connection's user"),
    };
    static const OptionTable none;
    if (kind == "api")
        return api;
    if (kind == "store")
        return store;
    if (kind == "live")
        return liveOptions();
    return none;
}

namespace {

std::string configDirectory(const ConfigDocument& document) {
    return std::filesystem::path(document.path).parent_path().string();
}

/// The section's options, its problems added to `issues`; a missing section is read as empty.
Options readSection(const ConfigDocument& document, const std::string& kind,
                    std::vector<ConfigIssue>& issues) {
    static const std::map<std::string, std::string> empty;
    const ConfigSection* section = document.find(kind, "");
    std::vector<OptionIssue> found;
    Options options =
        Options::parse(apiOptions(kind), section ? section->values : empty, found, configDirectory(document));
    for (const auto& issue : found)
        issues.push_back({"[" + kind + "]", issue.key, issue.message});
    return options;
}

template <typename Read>
auto readOr(std::vector<ConfigIssue>& issues, const std::string& section, Read read) -> decltype(read()) {
    try {
        return read();
    } catch (const std::logic_error&) {
        return {};  // the option did not parse: its problem is already an issue
    } catch (const OptionError& error) {
        issues.push_back({section, error.key(), error.what()});
        return {};
    }
}

MapSettings readMap(const Options& options, std::vector<ConfigIssue>& issues) {
    MapSettings map;
    map.webDirectory = options.has("web_dir") ? options.getPath("web_dir") : "";
    map.leafletDirectory = options.has("leaflet_dir") ? options.getPath("leaflet_dir") : "";
    map.tiles = options.has("map_tiles") ? options.getString("map_tiles") : "";
    map.tilesAttribution =
        options.has("map_tiles_attribution") ? options.getString("map_tiles_attribution") : "";
    // It goes into the page's Content-Security-Policy too: nothing that could end or add a directive.
    const bool web = (map.tiles.rfind("http://", 0) == 0 || map.tiles.rfind("https://", 0) == 0) &&
                     map.tiles.find_first_of(" \t;,'\"") == std::string::npos;
    if (!map.tiles.empty() &&
        (!web || map.tiles.find("{z}") == std::string::npos || map.tiles.find("{x}") == std::string::npos ||
         map.tiles.find("{y}") == std::string::npos))
        issues.push_back(
            {"[api]", "map_tiles",
             "'" + map.tiles + "' is not an http(s) URL template with {z}, {x} and {y} (empty: no tiles)"});
    return map;
}

ServerSettings readServer(const Options& options, std::vector<ConfigIssue>& issues) {
    ServerSettings server;
    const auto text = [&](const char* key) {
        return options.has(key) ? options.getString(key) : std::string();
    };
    server.listenAddress = text("listen_address");
    Poco::Net::IPAddress address;
    if (!Poco::Net::IPAddress::tryParse(server.listenAddress, address))
        issues.push_back({"[api]", "listen_address", "'" + server.listenAddress + "' is not an IP address"});
    server.port = static_cast<unsigned>(readOr(issues, "[api]", [&] { return options.getInt("port"); }));
    server.baseUrl = text("base_url");
    while (!server.baseUrl.empty() && server.baseUrl.back() == '/')
        server.baseUrl.pop_back();
    if (!server.baseUrl.empty() && server.baseUrl.rfind("http://", 0) != 0 &&
        server.baseUrl.rfind("https://", 0) != 0)
        issues.push_back(
            {"[api]", "base_url", "'" + server.baseUrl + "' does not start with http:// or https://"});
    server.certificateFile = options.has("certificate_file") ? options.getPath("certificate_file") : "";
    server.keyFile = options.has("key_file") ? options.getPath("key_file") : "";
    if (server.certificateFile.empty() != server.keyFile.empty())
        issues.push_back({"[api]", server.keyFile.empty() ? "key_file" : "certificate_file",
                          "certificate_file and key_file go together: set both for HTTPS, or neither"});
    for (const auto& [key, path] :
         {std::pair{"certificate_file", server.certificateFile}, {"key_file", server.keyFile}}) {
        std::error_code error;
        if (!path.empty() && !std::filesystem::is_regular_file(path, error))
            issues.push_back({"[api]", key, "no such file: " + path});
    }
    server.threads = static_cast<int>(readOr(issues, "[api]", [&] { return options.getInt("threads"); }));
    server.drainTimeout = readOr(issues, "[api]", [&] { return options.getDuration("drain_timeout"); });
    server.logLevel = text("log_level");
    server.map = readMap(options, issues);
    return server;
}

AccessSettings readAccess(const Options& options, std::vector<ConfigIssue>& issues) {
    AccessSettings access;
    access.embargo = readOr(issues, "[api]", [&] { return options.getDuration("embargo"); });
    access.keysFile = options.has("keys_file") ? options.getPath("keys_file") : "";
    for (const auto& [key, limit] :
         {std::pair{"rate_limit", &access.anonymousRate}, {"key_rate_limit", &access.keyRate}}) {
        if (!options.has(key))
            continue;
        try {
            *limit = parseRateLimit(options.getString(key));
        } catch (const std::invalid_argument& error) {
            issues.push_back({"[api]", key, error.what()});
        }
    }
    access.clients = static_cast<std::size_t>(
        readOr(issues, "[api]", [&] { return options.getInt("rate_limit_clients"); }));
    return access;
}

StoreSettings readStore(const Options& options, std::vector<ConfigIssue>& issues) {
    StoreSettings store;
    if (!options.has("connection") || !options.has("connector"))
        return store;  // already an issue
    store.sqlite = options.getString("connector") == "sqlite";
    store.connection =
        store.sqlite ? options.resolvePath(options.getString("connection")) : options.getString("connection");
    if (store.connection.find("password=") != std::string::npos)
        issues.push_back(
            {"[store]", "connection", "put the password in password_file or password_env, not here"});
    store.password = readOr(issues, "[store]", [&] { return options.getSecret("password"); });
    if (store.sqlite && !store.password.empty())
        issues.push_back({"[store]", options.has("password_file") ? "password_file" : "password_env",
                          "sqlite takes no password"});
    return store;
}

}  // namespace

ApiSettings readApiSettings(const ConfigDocument& document, std::vector<ConfigIssue>& issues) {
    for (const auto& section : document.sections) {
        if (section.values.count("") && section.name.empty())
            issues.push_back({"", section.kind, "a key outside any section", false, section.file});
        else if (section.kind != "api" && section.kind != "store" && section.kind != "live" &&
                 section.kind != "admin")
            issues.push_back(
                {section.label(), "", "unknown section (expected [api], [store], [live], [admin])"});
        else if (!section.name.empty())
            issues.push_back({section.label(), "", "write [" + section.kind + "], without a name"});
    }
    if (!document.find("store", ""))
        issues.push_back({"", "", "there is no [store] section (it names the readings store)"});
    ApiSettings settings;
    const Options api = readSection(document, "api", issues);
    settings.server = readServer(api, issues);
    settings.access = readAccess(api, issues);
    settings.server.admin = readAdminSettings(document, issues);
    settings.store = readStore(readSection(document, "store", issues), issues);
    settings.live = readLiveSettings(readSection(document, "live", issues), issues);
    settings.store.sessions = settings.server.threads;  // a request uses one session at a time
    attributeFiles(document, issues);
    return settings;
}

}  // namespace citysense::api
