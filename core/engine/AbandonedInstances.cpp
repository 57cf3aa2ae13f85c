#include "AbandonedInstances.h"

#include <dlfcn.h>

namespace citysense {

AbandonedInstances& AbandonedInstances::process() {
    // Deliberately never deleted: see the header.
    static AbandonedInstances* const instances = new AbandonedInstances;
    return *instances;
}

void AbandonedInstances::keep(InstanceStatus status, std::shared_ptr<void> remains) {
    std::lock_guard<std::mutex> lock(_mutex);
    status.state = InstanceState::Abandoned;
    _statuses.push_back(std::move(status));
    _remains.push_back(std::move(remains));
}

std::vector<InstanceStatus> AbandonedInstances::statuses() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _statuses;
}

std::size_t AbandonedInstances::count() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _statuses.size();
}

void AbandonedInstances::pinLibrary(const std::string& path) {
    // One more reference to a loaded library, never released: its code stays mapped.
    dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
}

}  // namespace citysense
