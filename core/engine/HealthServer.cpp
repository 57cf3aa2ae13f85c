#include "HealthServer.h"

#include <citysense/Format.h>

#include <algorithm>
#include <sstream>

namespace citysense {

namespace {

bool failing(const InstanceStatus& status) {
    return status.state == InstanceState::Failing;
}

enum class Kind { Driver, Filter, Sink };

Kind kindOf(const InstanceStatus& status) {
    if (status.name.rfind("driver.", 0) == 0)
        return Kind::Driver;
    return status.name.rfind("filter.", 0) == 0 ? Kind::Filter : Kind::Sink;
}

bool abandoned(const InstanceStatus& status) {
    return status.state == InstanceState::Abandoned;
}

std::string label(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

using Metric = std::uint64_t InstanceStatus::*;

void family(std::ostringstream& out, const std::vector<InstanceStatus>& instances, const char* name,
            const char* type, const char* help, Metric metric, Kind kind) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
    for (const auto& status : instances) {
        if (kindOf(status) == kind && !abandoned(status))
            out << name << "{instance=\"" << label(status.name) << "\",plugin=\"" << label(status.plugin)
                << "\"} " << status.*metric << "\n";
    }
}

void droppedByReasonFamily(std::ostringstream& out, const std::vector<InstanceStatus>& instances) {
    out << "# HELP citysense_dropped_total What an instance dropped, by reason: messages, frames or samples "
           "its plugin rejected, or samples the host refused at the driver boundary\n"
        << "# TYPE citysense_dropped_total counter\n";
    for (const auto& status : instances) {
        for (const auto& [reason, count] : status.droppedByReason)
            out << "citysense_dropped_total{instance=\"" << label(status.name) << "\",plugin=\""
                << label(status.plugin) << "\",reason=\"" << label(reason) << "\"} " << count << "\n";
    }
}

void eventsFamily(std::ostringstream& out, const std::vector<InstanceStatus>& instances) {
    out << "# HELP citysense_events_total What an instance counted of events that are not drops, by name: "
           "e.g. a sql sink's failover to another server or transaction run again after a conflict\n"
        << "# TYPE citysense_events_total counter\n";
    for (const auto& status : instances) {
        if (abandoned(status))
            continue;  // its successor of the same name has the series
        for (const auto& [event, count] : status.events)
            out << "citysense_events_total{instance=\"" << label(status.name) << "\",plugin=\""
                << label(status.plugin) << "\",event=\"" << label(event) << "\"} " << count << "\n";
    }
}

std::string countsJson(const std::map<std::string, std::uint64_t>& counts) {
    std::string out = "{";
    for (const auto& [name, count] : counts)
        out += (out.size() > 1 ? "," : "") + jsonString(name) + ":" + std::to_string(count);
    return out + "}";
}

}  // namespace

void instanceJson(std::ostringstream& out, const InstanceStatus& status) {
    out << "{\"name\":" << jsonString(status.name) << ",\"plugin\":" << jsonString(status.plugin)
        << ",\"state\":\"" << stateName(status.state) << "\",\"message\":" << jsonString(status.message)
        << ",\"failures\":" << status.failures;
    if (kindOf(status) == Kind::Driver)
        out << ",\"read\":" << status.read << ",\"journal_pending\":" << status.journalPending;
    else if (kindOf(status) == Kind::Sink)
        out << ",\"delivered\":" << status.delivered << ",\"dropped\":" << status.dropped
            << ",\"queued\":" << status.queued << ",\"spooled\":" << status.spooled
            << ",\"spool_pending\":" << status.spoolPending << ",\"spool_damaged\":" << status.spoolDamaged
            << ",\"dead_lettered\":" << status.deadLettered;
    out << ",\"dropped_by_reason\":" << countsJson(status.droppedByReason)
        << ",\"events\":" << countsJson(status.events) << "}";
}

std::string healthJson(const std::vector<InstanceStatus>& instances) {
    const bool anyFailing = std::any_of(instances.begin(), instances.end(), failing);
    std::ostringstream out;
    out << "{\"status\":\"" << (anyFailing ? "failing" : "ok") << "\"";
    // An abandoned instance may share its name with the one that replaced it: listed apart.
    for (const bool listAbandoned : {false, true}) {
        out << (listAbandoned ? ",\"abandoned\":[" : ",\"instances\":[");
        const char* separator = "";
        for (const auto& status : instances) {
            if (abandoned(status) == listAbandoned) {
                out << separator;
                instanceJson(out, status);
                separator = ",";
            }
        }
        out << "]";
    }
    out << "}";
    return out.str();
}

std::string prometheusText(const std::vector<InstanceStatus>& instances) {
    std::ostringstream out;
    out << "# HELP citysense_instance_failing 1 while the instance is failing and backing off\n"
        << "# TYPE citysense_instance_failing gauge\n";
    for (const auto& status : instances) {
        if (!abandoned(status))
            out << "citysense_instance_failing{instance=\"" << label(status.name) << "\",plugin=\""
                << label(status.plugin) << "\"} " << (failing(status) ? 1 : 0) << "\n";
    }
    out << "# HELP citysense_abandoned_instances_total Instances given up at a stop or reload, stuck in a "
           "call into their plugin (listed under \"abandoned\" in /health)\n"
        << "# TYPE citysense_abandoned_instances_total counter\n"
        << "citysense_abandoned_instances_total "
        << std::count_if(instances.begin(), instances.end(), abandoned) << "\n";
    family(out, instances, "citysense_failures_total", "counter", "Failed reads of a driver",
           &InstanceStatus::failures, Kind::Driver);
    family(out, instances, "citysense_samples_read_total", "counter", "Samples a driver read",
           &InstanceStatus::read, Kind::Driver);
    family(out, instances, "citysense_journal_depth", "gauge",
           "Samples a driver's journal holds (drivers that emit durably; trimmed at each emit of what every "
           "sink settled)",
           &InstanceStatus::journalPending, Kind::Driver);
    family(out, instances, "citysense_sink_failures_total", "counter", "Failed writes of a sink",
           &InstanceStatus::failures, Kind::Sink);
    family(out, instances, "citysense_samples_delivered_total", "counter", "Samples a sink delivered",
           &InstanceStatus::delivered, Kind::Sink);
    family(out, instances, "citysense_samples_dropped_total", "counter",
           "Samples a sink dropped (queue or spool full, undeliverable at shutdown, or refused by the sink "
           "without room in a dead-letter file)",
           &InstanceStatus::dropped, Kind::Sink);
    family(out, instances, "citysense_queue_depth", "gauge", "Samples waiting in a sink's queue",
           &InstanceStatus::queued, Kind::Sink);
    family(out, instances, "citysense_samples_spooled_total", "counter",
           "Samples a sink wrote to its durable spool", &InstanceStatus::spooled, Kind::Sink);
    family(out, instances, "citysense_spool_depth", "gauge", "Samples waiting in a sink's durable spool",
           &InstanceStatus::spoolPending, Kind::Sink);
    family(out, instances, "citysense_samples_spool_damaged_total", "counter",
           "Samples a sink's durable spool lost to damage on the disk", &InstanceStatus::spoolDamaged,
           Kind::Sink);
    family(out, instances, "citysense_samples_dead_lettered_total", "counter",
           "Samples a sink can never write, set aside in its dead-letter file", &InstanceStatus::deadLettered,
           Kind::Sink);
    droppedByReasonFamily(out, instances);
    eventsFamily(out, instances);
    return out.str();
}

namespace {

HttpAnswer answer(const std::string& method, const std::string& target, const StatusSource& source) {
    if (method != "GET" && method != "HEAD")
        return {405, "text/plain", "only GET and HEAD are served here\n", "GET, HEAD"};
    if (target == "/health") {
        const auto instances = source();
        const bool anyFailing = std::any_of(instances.begin(), instances.end(), failing);
        return {anyFailing ? 503 : 200, "application/json", healthJson(instances) + "\n"};
    }
    if (target == "/metrics")
        return {200, "text/plain; version=0.0.4", prometheusText(source())};
    return {404, "text/plain", "no such resource: " + target + " (try /health or /metrics)\n"};
}

void refusalFamily(std::ostringstream& out, const HttpRefusals& refusals) {
    out << "# HELP citysense_http_refused_total Requests the health endpoint refused or cut off\n"
        << "# TYPE citysense_http_refused_total counter\n";
    const std::pair<const char*, std::uint64_t> reasons[] = {{"timeout", refusals.timeout},
                                                             {"too_large", refusals.tooLarge},
                                                             {"malformed", refusals.malformed},
                                                             {"too_many", refusals.tooMany}};
    for (const auto& [reason, count] : reasons)
        out << "citysense_http_refused_total{reason=\"" << reason << "\"} " << count << "\n";
}

}  // namespace

HealthServer::HealthServer(const std::string& address, StatusSource source) : _address(address) {
    try {
        _responder = std::make_unique<HttpResponder>(
            address,
            [this, source = std::move(source)](const std::string& method, const std::string& target) {
                HttpAnswer reply = answer(method, target, source);
                if (target == "/metrics" && reply.status == 200) {
                    std::ostringstream refusals;
                    refusalFamily(refusals, _refusals);
                    reply.body += refusals.str();
                }
                return reply;
            },
            _refusals);
    } catch (const std::runtime_error& error) {
        throw std::runtime_error("health endpoint on " + std::string(error.what()));
    }
}

HealthServer::~HealthServer() = default;

unsigned HealthServer::port() const {
    return _responder->port();
}

}  // namespace citysense
