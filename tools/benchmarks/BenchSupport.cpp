#include "BenchSupport.h"

#include <sys/resource.h>
#include <time.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace citysense::bench {
namespace {

/// `member` of every run.
std::vector<double> each(const std::vector<Run>& runs, double Run::*member) {
    std::vector<double> values;
    for (const Run& run : runs)
        values.push_back(run.*member);
    return values;
}

double otherCpu(long pid) {
    return pid > 0 ? processCpuMicros(pid) : 0;
}

}  // namespace

Stopwatch::Stopwatch(long otherPid)
    : _otherPid(otherPid),
      _start(std::chrono::steady_clock::now()),
      _cpu(ownCpuMicros()),
      _otherCpu(otherCpu(otherPid)) {}

Run Stopwatch::finish(std::size_t items) const {
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - _start;
    const auto count = static_cast<double>(items);
    return {count / elapsed.count(),
            (ownCpuMicros() - _cpu) / count,
            (otherCpu(_otherPid) - _otherCpu) / count,
            {}};
}

const Run* Series::failed() const {
    const auto found =
        std::find_if(runs.begin(), runs.end(), [](const Run& run) { return !run.failure.empty(); });
    return found == runs.end() ? nullptr : &*found;
}

double Series::rate() const {
    return median(each(runs, &Run::rate));
}

double Series::cpuMicros() const {
    return median(each(runs, &Run::cpuMicros));
}

double Series::otherCpuMicros() const {
    return median(each(runs, &Run::otherCpuMicros));
}

std::string Series::rates() const {
    std::string text;
    for (const double rate : each(runs, &Run::rate))
        text += (text.empty() ? "" : ", ") + std::to_string(std::lround(rate));
    return text;
}

OptionSetter storeIn(std::string& target) {
    return [&target](const std::string& value) { target = value; };
}

OptionSetter storeIn(double& target) {
    return [&target](const std::string& value) { target = std::stod(value); };
}

OptionSetter storeIn(int& target) {
    return [&target](const std::string& value) { target = std::stoi(value); };
}

OptionSetter storeIn(long& target) {
    return [&target](const std::string& value) { target = std::stol(value); };
}

OptionSetter storeIn(unsigned& target) {
    return [&target](const std::string& value) { target = static_cast<unsigned>(std::stoul(value)); };
}

OptionSetter storeIn(std::size_t& target) {
    return [&target](const std::string& value) { target = std::stoul(value); };
}

void parseOptions(int argc, char** argv, const OptionSetters& setters,
                  const std::function<void(const std::string& word)>& positional) {
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word.rfind("--", 0) != 0) {
            if (!positional)
                throw std::invalid_argument("unexpected '" + word + "'");
            positional(word);
            continue;
        }
        const auto setter = setters.find(word);
        if (setter == setters.end())
            throw std::invalid_argument("unknown option " + word);
        if (i + 1 >= argc)
            throw std::invalid_argument(word + " needs a value");
        setter->second(argv[++i]);
    }
}

int benchmarkMain(const char* program, const std::function<void()>& parse, const std::function<int()>& run) {
    try {
        parse();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "%s: %s\n", program, error.what());
        return 64;
    }
    try {
        return run();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "%s: %s\n", program, error.what());
        return 1;
    }
}

std::string readPassword(const std::string& path) {
    std::ifstream file(path);
    std::string password;
    if (!std::getline(file, password) || password.empty())
        throw std::runtime_error("cannot read a password from " + path);
    return password;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double ownCpuMicros() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto micros = [](const timeval& time) { return time.tv_sec * 1e6 + time.tv_usec; };
    return micros(usage.ru_utime) + micros(usage.ru_stime);
}

double processCpuMicros(long pid) {
    // The process's CPU-time clock: every thread's, ended ones included, to the nanosecond, where
    // utime + stime of /proc/PID/stat are the same total rounded to clock ticks (10 ms: a gateway at
    // 230 readings/s spends some 25 of them in a 30 s window, so a tick either way was 4 %).
    clockid_t clock;
    timespec time{};
    if (::clock_getcpuclockid(static_cast<pid_t>(pid), &clock) != 0 || ::clock_gettime(clock, &time) != 0)
        throw std::runtime_error("process " + std::to_string(pid) + " is gone");
    return static_cast<double>(time.tv_sec) * 1e6 + static_cast<double>(time.tv_nsec) / 1e3;
}

}  // namespace citysense::bench
