// The gateway's side of remote configuration (DESIGN.md, Remote configuration). It subscribes, over a
// sink's control channel, to the station's retained desired document, config/SYSTEM/CITY/STREET/desired
// (outside the readings' prefix: see etc/mosquitto/README.md), and answers each new version on
// config/SYSTEM/CITY/STREET/reported, retained:
//   - a document that is too large, not JSON, unsigned or not signed with [host] remote_config_key, or
//     for another gateway: rejected, and nothing else read from it;
//   - a version no newer than the last one decided: ignored-stale (the same version and request again,
//     as after every reconnection or reload, silently);
//   - past its expiry: expired;
//   - otherwise every change is checked (an existing section; a key [host] remote_keys allows; a value
//     of one line) and the configuration with the changes is validated as `citysensed --check` does. Any
//     problem: rejected, with every problem by section and key, and nothing applied. None: the changes
//     are written as the conf.d fragment (RemoteFragment.h) and the host switches to the configuration
//     through its reload path, all or nothing: applied.
// Documents arrive on the channel's thread; the owner is woken and calls process() on its own, the
// thread that reloads.
#pragma once

#include "Config.h"
#include "Ed25519Key.h"
#include "InstanceStatus.h"
#include "Plan.h"
#include "SignedDocument.h"

#include <citysense/ControlChannel.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace citysense {

class RemoteConfig {
public:
    /// Validates the configuration with `candidate` in place of the remote fragment, as --check does,
    /// and returns the problems. With `commit` and no error, also writes the fragment and switches to
    /// the configuration before it returns.
    using Apply = std::function<std::vector<ConfigIssue>(const FragmentText& candidate, bool commit)>;

    /// For the configuration at `configPath`; `wake` is called, on the channel's thread, when a
    /// document has arrived. It must outlive the channels it used: their receivers call it.
    RemoteConfig(std::string configPath, std::function<void()> wake);
    RemoteConfig(const RemoteConfig&) = delete;
    RemoteConfig& operator=(const RemoteConfig&) = delete;

    /// Takes the settings of the configuration now running and its control channel (either may have
    /// changed with a reload): ends the subscription on the previous channel, which must still exist,
    /// and subscribes to the desired document on `channel`; with remote_config = off or no channel it
    /// listens on none. Throws KeyError, listening on none, when the key cannot be read.
    void use(const Station& station, const RemoteConfigSettings& settings, ControlChannel* channel);

    /// Decides on the document that arrived last, if one did, and publishes the report.
    void process(const Apply& apply);

    /// For /health and /metrics, as "remote_config": running while it listens on a channel, the last
    /// decision as its message, and the documents not applied counted by what was done with them
    /// ("rejected", "expired", "ignored_stale"). Callable from any thread.
    InstanceStatus status() const;

    static std::string desiredTopic(const Station& station);
    static std::string reportedTopic(const Station& station);

private:
    void received(const std::string& payload);
    void setState(InstanceState state);
    /// Decides on `payload` and says what was done; nothing for a repeat of the last decided version.
    std::optional<ReportedDocument> decide(const std::string& payload, const Apply& apply);
    /// Checks the changes themselves, before any validation: the problems that keep a change out of
    /// validation too (no such section, a key never changed remotely, a malformed name or value) go to
    /// `errors` and are taken out of `document`; the keys remote_keys does not allow, to `notAllowed`.
    void checkChanges(DesiredDocument& document, std::vector<ReportError>& errors,
                      std::vector<ReportError>& notAllowed) const;

    std::string _configPath;
    std::function<void()> _wake;
    Station _station;
    RemoteConfigSettings _settings;
    std::unique_ptr<Ed25519Key> _key;
    ControlChannel* _channel = nullptr;

    std::mutex _pendingMutex;
    std::optional<std::string> _pending;  ///< the newest document received and not yet decided

    mutable std::mutex _statusMutex;
    InstanceStatus _status;

    std::int64_t _appliedVersion = 0;  ///< the version of the fragment in use
    std::int64_t _decidedVersion = 0;  ///< the last version decided on, applied or not
    std::string _decidedRequest;
};

}  // namespace citysense
