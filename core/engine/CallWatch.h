// Lets the host stop waiting for a runner's thread that is stuck in a call into its plugin. A
// thread blocked in a plugin's read() or write() cannot be killed; what the host can do is give up
// waiting at a deadline, leave the thread and its instance alone for good, and make sure that the
// thread, should the call ever return, touches nothing of the host again.
//
// The runner's thread makes every plugin call through call(); the stopping thread waits with
// waitUntil(). Abandoning happens only while the thread is inside a call, under the same lock that
// the thread takes on its way back, so the two never overlap: past abandonment, the stopping thread
// may take over whatever the runner's thread owned (its backlog, its spool).
#pragma once

#include <citysense/Time.h>

#include <condition_variable>
#include <mutex>
#include <string>

namespace citysense {

class CallWatch {
public:
    /// Thrown out of call() in a runner's thread that was abandoned during the call: the thread lets
    /// it unwind to its top (every catch-all on the way rethrows it) and ends there.
    struct Abandoned {};

    /// Runs `body`, a call into the plugin named `what` ("read()"), on the runner's thread.
    template <typename Body>
    void call(const char* what, Body&& body) {
        enter(what);
        try {
            body();
        } catch (...) {
            leave();
            throw;
        }
        leave();
    }

    /// For a plugin calling back into the host from inside a call (an event-driven driver's
    /// emit(), from any thread): runs `body` unless the runner was abandoned; false if it was.
    /// Abandoning waits for a `body` in progress.
    template <typename Body>
    bool unlessAbandoned(Body&& body) {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_abandoned)
            return false;
        body();
        return true;
    }

    /// The runner's thread has ended.
    void finished();

    /// Waits until the runner's thread has ended (true), or until `deadline` (a nowMicros() time)
    /// and then for as long as the thread runs host code. If the thread is inside a plugin call at or
    /// after the deadline, the runner is abandoned (false): the caller detaches the thread and keeps
    /// the instance alive for the rest of the process.
    bool waitUntil(Micros deadline);

    /// The call the runner was abandoned in ("write()").
    std::string abandonedIn() const;

private:
    void enter(const char* what);
    /// Throws Abandoned if the runner was abandoned meanwhile.
    void leave();

    mutable std::mutex _mutex;
    std::condition_variable _changed;
    const char* _inCall = nullptr;
    bool _finished = false;
    bool _abandoned = false;
};

}  // namespace citysense
