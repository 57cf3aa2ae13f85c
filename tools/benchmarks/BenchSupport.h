// What the benchmarks share: timing a run (wall clock and CPU time) and the medians of a case's runs,
// reading options and the exit codes of main, the password of a provisioned identity, and the CPU time
// of this process or another one.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace citysense::bench {

/// One timed run: items per second and CPU time per item, or why it failed.
struct Run {
    double rate = 0;
    double cpuMicros = 0;       ///< microseconds per item, this process (every thread)
    double otherCpuMicros = 0;  ///< microseconds per item, the watched process (0 without one)
    std::string failure;        ///< empty when the run completed
};

/// Times a run from its construction: the wall clock, this process's CPU time and, with `otherPid` > 0,
/// that process's (a server's).
class Stopwatch {
public:
    explicit Stopwatch(long otherPid = 0);

    /// The run so far, over `items`.
    Run finish(std::size_t items) const;

private:
    long _otherPid;
    std::chrono::steady_clock::time_point _start;
    double _cpu;
    double _otherCpu;
};

/// The runs of one case, measured alternately with the other cases so that a disturbance on the
/// machine does not fall on one case only.
struct Series {
    std::string label;
    std::vector<Run> runs;

    /// The first failed run; nullptr when none failed.
    const Run* failed() const;
    double rate() const;  ///< the median
    double cpuMicros() const;
    double otherCpuMicros() const;
    /// Every run's rate, rounded, comma-separated: "41230, 40987, 41502".
    std::string rates() const;
};

/// What a benchmark does with the value of one "--name value" option.
using OptionSetter = std::function<void(const std::string& value)>;
/// What a benchmark does with each of its "--name value" options, by name.
using OptionSetters = std::map<std::string, OptionSetter>;

/// A setter that stores its value in `target`, which must outlive it: a string as it is, a number as
/// std::stod, std::stoi, std::stol or std::stoul (cast to unsigned for an unsigned) read it.
OptionSetter storeIn(std::string& target);
OptionSetter storeIn(double& target);
OptionSetter storeIn(int& target);
OptionSetter storeIn(long& target);
OptionSetter storeIn(unsigned& target);
OptionSetter storeIn(std::size_t& target);

/// Applies the "--name value" pairs of the command line to `setters`; a word without "--" goes to
/// `positional`. std::invalid_argument names an unknown option, a missing value or an unexpected word.
void parseOptions(int argc, char** argv, const OptionSetters& setters,
                  const std::function<void(const std::string& word)>& positional = nullptr);

/// The body of a benchmark's main: `parse`, whose exception is a usage error (exit 64), then `run`, whose
/// result is the exit code (an exception: exit 1). Errors go to stderr after `program`'s name.
int benchmarkMain(const char* program, const std::function<void()>& parse, const std::function<int()>& run);

/// The first line of a password file; throws std::runtime_error when there is none.
std::string readPassword(const std::string& path);

double median(std::vector<double> values);

/// utime + stime of this process, in microseconds (getrusage).
double ownCpuMicros();

/// The CPU time of process `pid` (all its threads), in microseconds, from its CPU-time clock.
double processCpuMicros(long pid);

}  // namespace citysense::bench
