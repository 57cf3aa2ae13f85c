#include "InstanceStatus.h"

namespace citysense {

const char* stateName(InstanceState state) {
    switch (state) {
        case InstanceState::Starting:
            return "starting";
        case InstanceState::Running:
            return "running";
        case InstanceState::Failing:
            return "failing";
        case InstanceState::Stopped:
            return "stopped";
        case InstanceState::Abandoned:
            return "abandoned";
    }
    return "?";
}

}  // namespace citysense
