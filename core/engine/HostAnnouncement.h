// What a host announces about itself to each of its sinks (Announcement.h), read from its plan: the
// station and its position ([host] latitude, longitude), and for each series a sink receives, from
// which driver it comes, its effective reporting interval and how long it may stay quiet.
//
// The interval of a series is its driver's interval, or the period of the last window filter of its
// pipeline; behind a deadband filter it is published on change, quiet for up to the deadband's
// max_silence (unbounded without one). Only polled drivers are announced: an event-driven driver
// reports when its hardware or its source does (an ingest's mqtt_source relays other stations), so
// the host knows no interval for it. A convert filter's quantities are not announced. A sink reached
// by no polled driver gets an announcement without channels if the station has a position, and none
// otherwise.
#pragma once

#include "Plan.h"
#include "PluginRegistry.h"

#include <citysense/Announcement.h>
#include <citysense/Driver.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace citysense {

/// The channels of a driver instance ("driver.air"), or nothing when it is not running or is event-driven.
using PolledChannels = std::function<std::vector<Channel>(const std::string& driver)>;

/// The announcement for each sink of the plan that gets one, by qualified name ("sink.out").
std::map<std::string, Announcement> hostAnnouncements(const Plan& plan, const PluginRegistry& registry,
                                                      const PolledChannels& channelsOf);

}  // namespace citysense
