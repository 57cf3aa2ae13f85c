// How many requests citysense-api answers at once: [api] threads, each with a database session at most.
// The server's pool has more threads than that when the live stream is on (one per open stream), so an
// ordinary request waits for a slot here; a live stream holds one only while it is admitted.
#pragma once

#include <condition_variable>
#include <mutex>

namespace citysense::api {

class RequestSlots {
public:
    explicit RequestSlots(int slots) : _free(slots) {}

    void acquire() {
        std::unique_lock<std::mutex> lock(_mutex);
        _freed.wait(lock, [&] { return _free > 0; });
        --_free;
    }

    void release() {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            ++_free;
        }
        _freed.notify_one();
    }

private:
    std::mutex _mutex;
    std::condition_variable _freed;
    int _free;
};

/// One slot, held from construction until release() or destruction.
class RequestSlot {
public:
    explicit RequestSlot(RequestSlots& slots) : _slots(slots) { _slots.acquire(); }
    ~RequestSlot() { release(); }
    RequestSlot(const RequestSlot&) = delete;
    RequestSlot& operator=(const RequestSlot&) = delete;

    void release() {
        if (_held)
            _slots.release();
        _held = false;
    }

private:
    RequestSlots& _slots;
    bool _held = true;
};

}  // namespace citysense::api
