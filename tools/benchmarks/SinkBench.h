// What the sink benchmarks share: the samples they write, the sink loaded as citysensed loads it, and
// timing its write()s.
#pragma once

#include "BenchSupport.h"

#include <citysense/Sink.h>
#include <citysense/Time.h>
#include <engine/PluginRegistry.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace citysense::bench {

/// The batch size the sink benchmarks write, as a gateway's engine hands batches to its sinks.
constexpr std::size_t kBatch = 1000;

/// The gateway the sink benchmarks write for: hypo_city/city_01/street_01.
const Station& benchStation();

/// `count` samples of driver `driver` in batches of kBatch: every quantity in turn, distinct values,
/// a millisecond apart from `firstTime`.
std::vector<SampleBatch> makeBatches(std::size_t count, const std::string& driver, Micros firstTime);

/// Writes `batches` to an open `sink` under a Stopwatch watching `otherPid`, then closes it: the run, or
/// one saying which batch's write() failed.
Run timeWrites(Sink& sink, const std::vector<SampleBatch>& batches, long otherPid = 0);

/// The sink plugin `plugin` loaded from the build's plugin directory into `registry` (which must outlive
/// it), attached as sink.bench of benchStation(), configured with `raw` and opened.
std::unique_ptr<Sink> openSink(PluginRegistry& registry, const std::string& plugin,
                               const std::map<std::string, std::string>& raw);

}  // namespace citysense::bench
