// A GPIO edge source that plays a script on a virtual clock, for testing drivers of pulse sensors
// deterministically: next() never sleeps, it advances the clock to the next edge or by the timeout.
#pragma once

#include <citysense/bus/Gpio.h>

#include <deque>
#include <mutex>

namespace citysense::testing {

class ScriptedEdgeSource : public EdgeSource {
public:
    explicit ScriptedEdgeSource(Micros start = 0) : _now(start) {}

    /// Appends an edge; edges must be added in time order.
    void add(EdgeEvent event);

    /// Appends `count` falling edges `period` apart, the first at `first`.
    void addPulses(Micros first, Micros period, int count);

    /// Pops the next edge if it comes within `timeout` (the clock moves to it), else moves the clock
    /// on by `timeout` and returns nothing.
    std::optional<EdgeEvent> next(Micros timeout) override;
    Micros now() const override;
    std::string describe() const override { return "scripted edge source"; }

    /// Edges not yet consumed.
    std::size_t pending() const;

private:
    mutable std::mutex _mutex;
    std::deque<EdgeEvent> _events;
    Micros _now;
};

}  // namespace citysense::testing
