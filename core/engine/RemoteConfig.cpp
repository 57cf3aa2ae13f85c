#include "RemoteConfig.h"

#include "ConfigEntries.h"
#include "RemoteFragment.h"
#include "RemoteKeys.h"

#include <Poco/Logger.h>

#include <algorithm>

namespace citysense {

namespace {

std::string stationPath(const Station& station) {
    return station.system + "/" + station.city + "/" + station.street;
}

bool oneLine(const std::string& value) {
    return std::none_of(value.begin(), value.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

Poco::Logger& log() {
    return Poco::Logger::get("remote_config");
}

}  // namespace

RemoteConfig::RemoteConfig(std::string configPath, std::function<void()> wake)
    : _configPath(std::move(configPath)), _wake(std::move(wake)) {
    const RemoteFragmentOrigin origin = readRemoteFragmentOrigin(remoteFragmentPath(_configPath));
    _appliedVersion = _decidedVersion = origin.version;
    _decidedRequest = origin.request;
    _status.name = "remote_config";
    _status.plugin = "host";
    _status.state = InstanceState::Stopped;
}

InstanceStatus RemoteConfig::status() const {
    std::lock_guard<std::mutex> lock(_statusMutex);
    return _status;
}

void RemoteConfig::setState(InstanceState state) {
    std::lock_guard<std::mutex> lock(_statusMutex);
    _status.state = state;
}

std::string RemoteConfig::desiredTopic(const Station& station) {
    return "config/" + stationPath(station) + "/desired";
}

std::string RemoteConfig::reportedTopic(const Station& station) {
    return "config/" + stationPath(station) + "/reported";
}

void RemoteConfig::use(const Station& station, const RemoteConfigSettings& settings,
                       ControlChannel* channel) {
    if (_channel && (_channel != channel || !settings.enabled))
        _channel->unsubscribeAll();
    _channel = nullptr;
    _station = station;
    _settings = settings;
    _key.reset();
    setState(InstanceState::Stopped);
    if (!settings.enabled)
        return;
    _key = std::make_unique<Ed25519Key>(Ed25519Key::readPublic(settings.keyPath));
    if (!channel) {
        log().warning("remote_config = on, but no sink offers a control channel (the mqtt sink does)");
        return;
    }
    _channel = channel;
    setState(InstanceState::Running);
    _channel->subscribe(desiredTopic(station),
                        [this](const std::string&, const std::string& payload) { received(payload); });
}

void RemoteConfig::received(const std::string& payload) {
    if (payload.empty())
        return;  // the operator cleared the retained document
    {
        std::lock_guard<std::mutex> lock(_pendingMutex);
        // One byte more than is read is enough to say it is too large.
        _pending = payload.substr(0, kMaxSignedDocumentBytes + 1);
    }
    _wake();
}

void RemoteConfig::process(const Apply& apply) {
    std::optional<std::string> payload;
    {
        std::lock_guard<std::mutex> lock(_pendingMutex);
        std::swap(payload, _pending);
    }
    if (!payload || !_settings.enabled || !_key)
        return;
    std::optional<ReportedDocument> report = decide(*payload, apply);
    if (!report)
        return;
    report->time = nowMicros();
    std::string message = "version " + std::to_string(report->version) + " (request " + report->request +
                          "): " + reportStatusName(report->status);
    for (const auto& error : report->errors)
        message += "; " + (error.section.empty() ? "" : error.section + " ") +
                   (error.key.empty() ? "" : error.key + ": ") + error.message;
    {
        std::lock_guard<std::mutex> lock(_statusMutex);
        _status.message = printable(message);
        if (report->status != ReportStatus::Applied) {
            std::string reason = reportStatusName(report->status);
            std::replace(reason.begin(), reason.end(), '-', '_');
            ++_status.droppedByReason[reason];
        }
    }
    if (report->status == ReportStatus::Applied)
        log().information(message);
    else
        log().warning(printable(message));
    if (_channel)
        _channel->publishRetained(reportedTopic(_station), report->toJson());
}

std::optional<ReportedDocument> RemoteConfig::decide(const std::string& payload, const Apply& apply) {
    ReportedDocument report;
    report.gateway = stationPath(_station);
    report.appliedVersion = _appliedVersion;
    DesiredDocument document;
    try {
        document = openSignedDocument(payload, *_key);
    } catch (const DocumentError& error) {
        // What the document claims, so the operator can tell which one was refused; nothing else of
        // an unverified document is used.
        try {
            const DesiredDocument claimed = readUnverifiedDocument(payload);
            report.version = claimed.version;
            report.request = claimed.request;
        } catch (const DocumentError&) {
        }
        report.status = ReportStatus::Rejected;
        report.errors.push_back({"", "", error.what()});
        return report;
    }
    report.version = document.version;
    report.request = document.request;
    if (document.gateway != stationPath(_station)) {
        report.status = ReportStatus::Rejected;
        report.errors.push_back(
            {"", "",
             "the document is for " + document.gateway + ", not this gateway (" + report.gateway + ")"});
        return report;
    }
    if (document.version == _decidedVersion && document.request == _decidedRequest)
        return std::nullopt;
    if (document.version <= _decidedVersion) {
        report.status = ReportStatus::IgnoredStale;
        report.errors.push_back({"", "",
                                 "version " + std::to_string(document.version) + " is not newer than " +
                                     std::to_string(_decidedVersion) +
                                     ", the last one decided; send a new version"});
        return report;
    }
    _decidedVersion = document.version;
    _decidedRequest = document.request;
    if (nowMicros() > document.expires) {
        report.status = ReportStatus::Expired;
        report.errors.push_back({"", "", "expired at " + formatIsoTime(document.expires)});
        return report;
    }
    // Keys remote_keys does not allow are validated all the same, so that an unknown key is reported
    // as unknown; the rest never reach the validation, which would act on them (a plugin path).
    std::vector<ReportError> notAllowed;
    checkChanges(document, report.errors, notAllowed);
    const bool commit = report.errors.empty() && notAllowed.empty();
    const std::vector<ConfigIssue> issues =
        apply({remoteFragmentPath(_configPath), renderRemoteFragment(document)}, commit);
    for (const auto& issue : issues) {
        if (!issue.warning)
            report.errors.push_back({issue.section, issue.key, issue.message});
    }
    for (const auto& refused : notAllowed) {
        const bool validationSaid = std::any_of(issues.begin(), issues.end(), [&](const ConfigIssue& issue) {
            return issue.section == refused.section && issue.key == refused.key;
        });
        if (!validationSaid)
            report.errors.push_back(refused);
    }
    if (!report.errors.empty()) {
        report.status = ReportStatus::Rejected;
        return report;
    }
    report.status = ReportStatus::Applied;
    report.appliedVersion = _appliedVersion = document.version;
    return report;
}

void RemoteConfig::checkChanges(DesiredDocument& document, std::vector<ReportError>& errors,
                                std::vector<ReportError>& notAllowed) const {
    ConfigDocument base;
    try {
        base = readConfigFile(_configPath, {remoteFragmentPath(_configPath), ""});
    } catch (const ConfigFileError& error) {
        errors.push_back({"", "", error.what()});
        document.changes.clear();
        return;
    }
    const RemoteKeys keys(_settings.keys);
    for (auto section = document.changes.begin(); section != document.changes.end();) {
        const std::string& name = section->first;
        const std::string label = "[" + name + "]";
        const auto dot = name.find('.');
        if (dot == std::string::npos || !nameProblem(name).empty() ||
            !base.find(name.substr(0, dot), name.substr(dot + 1))) {
            errors.push_back({label, "", "this gateway's configuration has no such section"});
            section = document.changes.erase(section);
            continue;
        }
        auto& values = section->second;
        for (auto value = values.begin(); value != values.end();) {
            const std::string& key = value->first;
            std::string problem = nameProblem(key);
            if (problem.empty() && RemoteKeys::never(name, key))
                problem = RemoteKeys::kNeverReason;
            else if (problem.empty() && !oneLine(value->second))
                problem = "a value is one line without control characters";
            if (!problem.empty()) {
                errors.push_back({label, key, problem});
                value = values.erase(value);
                continue;
            }
            if (!keys.allows(name, key))
                notAllowed.push_back({label, key, RemoteKeys::kNotAllowedReason});
            ++value;
        }
        ++section;
    }
}

}  // namespace citysense
