// A server a test runs in the background (Mosquitto, MariaDB) from a temporary directory of its own:
// started on free loopback ports and waited for until it is ready, stopped with SIGTERM (SIGKILL when it
// hangs), started again as before. The destructor stops it and removes the directory with everything in it.
#pragma once

#include <sys/types.h>
#include <functional>
#include <string>
#include <vector>

namespace citysense::test {

class BackgroundServer {
public:
    BackgroundServer(const BackgroundServer&) = delete;
    BackgroundServer& operator=(const BackgroundServer&) = delete;

    const std::string& directory() const;

    /// Stops the server (SIGTERM) and waits for it to end; SIGKILL when it has not ended within a minute.
    void stop();
    /// Kills the server (SIGKILL), as a crash or a power cut would end it, and waits for it to end.
    void kill();
    /// Starts it again as it started last, on the same ports with the same state; returns once it is ready.
    /// A client's closing connection may hold a port for a moment, so a taken one is tried for 10 s.
    void start();
    bool running() const;

    /// Everything the server logged so far.
    std::string log() const;

protected:
    /// How to start the server and how to tell that it is ready.
    struct Launch {
        std::vector<std::string> command;
        std::string output;  ///< the file its standard output and error are appended to
        std::string log;     ///< the file it logs to (may be `output`)
        /// Whether it is ready, given what `output` and `log` gained since this start.
        std::function<bool(const std::string& logged)> ready;
    };

    /// Makes the directory, /tmp/citysense-NAME-XXXXXX.
    explicit BackgroundServer(const std::string& name);
    ~BackgroundServer();

    /// Starts the server on `count` free loopback ports: `launchOn(ports)` says how. When a port was taken
    /// meanwhile (the server ended saying "Address already in use"), chooses others, up to 10 times.
    void startOnFreePorts(std::size_t count,
                          const std::function<Launch(const std::vector<unsigned>& ports)>& launchOn);
    /// The command start() runs from now on, on the same ports (e.g. a cluster's first node, which
    /// founded the cluster, joins it when it starts again).
    void changeCommand(std::vector<std::string> command);
    /// The command start() runs.
    const std::vector<std::string>& launchedCommand() const;

private:
    /// Starts `_launch` and waits until it is ready: true; false when it ended because its address was in
    /// use; throws when it ended otherwise or was not ready within a minute (then it is stopped).
    bool launch();

    std::string _directory;
    Launch _launch;
    mutable pid_t _pid = -1;
};

}  // namespace citysense::test
