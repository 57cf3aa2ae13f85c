#include "HostOptions.h"

#include "RemoteKeys.h"

namespace citysense {

namespace {

/// RemoteKeys::defaults() as a list option's default.
std::string defaultRemoteKeys() {
    std::string text;
    for (const auto& pattern : RemoteKeys::defaults())
        text += (text.empty() ? "" : ", ") + pattern;
    return text;
}

const char* const kEnabledDescription =
    "false mutes the instance without deleting its section: it is checked but not started, and its "
    "pipelines run without it";

}  // namespace

const OptionTable& hostOptions(const std::string& kind) {
    static const OptionTable host = {
        Option::string("system", "", "First topic level: the system, e.g. hypo_city").mandatory(),
        Option::string("city", "", "Second topic level: the city, e.g. city_01").mandatory(),
        Option::string("street", "", "Third topic level: the street, e.g. street_01").mandatory(),
        Option::number("latitude", "", "Station latitude in degrees (WGS 84)").range(-90, 90),
        Option::number("longitude", "", "Station longitude in degrees (WGS 84)").range(-180, 180),
        Option::list(
            "plugin_path", "",
            "Directories searched for plugins before the built-in locations (relative: to this file)"),
        Option::path("spool_dir", "/var/lib/citysense/spool",
                     "Directory of the durable spools, one subdirectory per sink (empty: no spools)"),
        Option::duration("shutdown_timeout", "10s",
                         "How long a stopping host goes on delivering what sinks still queue; what is left "
                         "then goes to the spool, or is dropped and counted without one")
            .range(0, 3600),
        Option::string("http_listen", "127.0.0.1:8180",
                       "Address of the HTTP health and metrics endpoint (host:port, [IPv6]:port; 'off' "
                       "for none)"),
        Option::choice(
            "remote_config", {"off", "on"}, "off",
            "on: take the operator's signed remote configuration over the control channel of "
            "the first sink that offers one (the mqtt sink); see remote_config_key and remote_keys"),
        Option::path("remote_config_key", "",
                     "The operator's Ed25519 public key (PEM) every remote configuration document must be "
                     "signed with; needed with remote_config = on"),
        Option::list("remote_keys", defaultRemoteKeys(),
                     "Patterns of the KIND.NAME.KEY the operator may change remotely ('*': any text); "
                     "plugins, paths, spools, credentials, addresses and [host] never are"),
        Option::choice("log_level", {"error", "warning", "notice", "information", "debug", "trace"},
                       "information", "Least severe log level written"),
        Option::integer("malloc_arenas", "0",
                        "Most malloc arenas the host's threads share (glibc's M_ARENA_MAX; 0: glibc's "
                        "own limit, 8 per core); 1 keeps a gateway's memory smallest")
            .range(0, 1024),
    };
    static const OptionTable driver = {
        Option::string("plugin", "", "The driver plugin this instance runs").mandatory(),
        Option::boolean("enabled", "true", kEnabledDescription),
        Option::duration("interval", "10s", "Time between reads of a polled driver").range(0.001, 86400),
        Option::duration("max_backoff", "5m", "Longest wait between retries of a failing driver")
            .range(0.001, 86400),
    };
    static const OptionTable filter = {
        Option::string("plugin", "", "The filter plugin this instance runs").mandatory(),
    };
    static const OptionTable sink = {
        Option::string("plugin", "", "The sink plugin this instance runs").mandatory(),
        Option::boolean("enabled", "true", kEnabledDescription),
        Option::integer("queue_size", "100000",
                        "Samples the sink's queue holds before the oldest are dropped")
            .range(1, 100000000),
        Option::integer("batch_size", "1000", "Most samples handed to the sink in one write")
            .range(1, 1000000),
        Option::duration("batch_interval", "0s",
                         "Longest wait for a write's batch to fill up to batch_size; 0 writes what is queued "
                         "at once")
            .range(0, 60),
        Option::duration("max_backoff", "30s", "Longest wait between retries of a failing sink")
            .range(0.001, 3600),
        Option::integer(
            "max_attempts", "10",
            "Failed writes of a sample, alone, before it may be set aside as one the sink can never "
            "write (only once the sink has taken another sample meanwhile); 0 retries forever")
            .range(0, 1000000),
        Option::boolean("spool", "true",
                        "Keep samples the sink cannot deliver in the durable spool under spool_dir"),
        Option::size("spool_size", "64M",
                     "Most bytes the sink's spool takes on disk; when full the oldest samples are dropped "
                     "and counted")
            .atLeast(4096),
        Option::size("dead_letter_size", "1M",
                     "Most bytes of the dead-letter file in the sink's spool directory (samples the sink can "
                     "never write); what does not fit is dropped and counted")
            .atLeast(4096),
    };
    static const OptionTable pipeline = {
        Option::list("drivers", "", "Driver instances feeding the pipeline, by section name").mandatory(),
        Option::list("filters", "", "Filter instances applied in order"),
        Option::list("sinks", "", "Sink instances receiving the pipeline's samples").mandatory(),
    };
    static const OptionTable none;
    if (kind == "host")
        return host;
    if (kind == "driver")
        return driver;
    if (kind == "filter")
        return filter;
    if (kind == "sink")
        return sink;
    if (kind == "pipeline")
        return pipeline;
    return none;
}

}  // namespace citysense
