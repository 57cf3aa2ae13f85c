// Runs a real service of this build (citysensed, citysense-api) as a service would run: in the
// background, signalled, its log captured in a file.
#pragma once

#include <citysense/Time.h>

#include <sys/types.h>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace citysense::test {

class ServiceProcess {
public:
    /// Starts `program` (a program of this build's bin/) with `arguments`; `environment` is added to
    /// this process's environment.
    explicit ServiceProcess(const std::vector<std::string>& arguments,
                            const std::map<std::string, std::string>& environment = {},
                            const std::string& program = "citysensed");
    ~ServiceProcess();  ///< kills the process if it still runs
    ServiceProcess(const ServiceProcess&) = delete;
    ServiceProcess& operator=(const ServiceProcess&) = delete;

    void signal(int number);

    /// The process id, for a test's helper that signals the process itself (e.g. SIGHUP from a script).
    pid_t pid() const { return _pid; }

    /// Waits for the process to end; its exit code (128 + signal when killed).
    int wait();

    /// Like wait(), but for at most `limit`: -1 if the process still runs then (a hang, not a timing
    /// check: give a generous limit).
    int waitAtMost(std::chrono::seconds limit);

    /// Everything the process wrote to standard output and error so far.
    std::string log() const;

    /// Polls the log until it holds `text`; false after a generous limit.
    bool waitForLog(const std::string& text) const;

    /// The port of the health endpoint, from the log line announcing it; 0 if none came.
    unsigned healthPort() const;

private:
    pid_t _pid = -1;
    std::string _logPath;
    bool _ended = false;
    int _exitCode = -1;
};

/// GET http://127.0.0.1:port/path: the body, and the status in `status`.
std::string httpGet(unsigned port, const std::string& path, int& status);

/// Polls `condition` every few milliseconds; false after a generous limit (a hang, not a timing check).
bool eventually(const std::function<bool()>& condition);

}  // namespace citysense::test
