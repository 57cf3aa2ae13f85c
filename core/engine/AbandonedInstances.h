// The instances the host gave up waiting for (CallWatch.h), for the rest of the process: each one's
// runner, plugin instance, library and whatever else its stuck thread may still use are kept here,
// never destroyed, and its final status is reported in /health and /metrics.
//
// Process-wide, because a stuck thread outlives the engine, the configuration and the application
// object that abandoned it: this registry is never destroyed (not even by static destructors, which
// run while the thread may still be blocked), and what it keeps stays reachable from it, so that
// LeakSanitizer does not report the deliberate leak.
#pragma once

#include "InstanceStatus.h"

#include <memory>
#include <mutex>
#include <vector>

namespace citysense {

class AbandonedInstances {
public:
    static AbandonedInstances& process();

    /// Keeps `remains` for good and reports `status` (state Abandoned) from now on.
    void keep(InstanceStatus status, std::shared_ptr<void> remains);

    /// Every instance abandoned so far, oldest first.
    std::vector<InstanceStatus> statuses() const;
    std::size_t count() const;

    /// Keeps the shared library at `path`, loaded already, mapped for good: a stuck thread returns
    /// into its code even after the registry that loaded it has unloaded it. Nothing if it cannot.
    static void pinLibrary(const std::string& path);

private:
    AbandonedInstances() = default;

    mutable std::mutex _mutex;
    std::vector<InstanceStatus> _statuses;
    std::vector<std::shared_ptr<void>> _remains;
};

}  // namespace citysense
