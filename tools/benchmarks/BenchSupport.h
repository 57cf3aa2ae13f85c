// What the benchmarks share: the password of a provisioned identity, medians, and CPU time of this
// process or another one.
#pragma once

#include <string>
#include <vector>

namespace citysense::bench {

/// The first line of a password file; throws std::runtime_error when there is none.
std::string readPassword(const std::string& path);

double median(std::vector<double> values);

/// utime + stime of this process, in microseconds (getrusage).
double ownCpuMicros();

/// utime + stime of process `pid`, in microseconds, from /proc/PID/stat (clock-tick resolution).
double processCpuMicros(long pid);

}  // namespace citysense::bench
