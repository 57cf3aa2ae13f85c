// GPIO edge events. Drivers read an EdgeSource; the Linux one is a libgpiod 1.6 line request, tests
// use a scripted source (citysense/testing/ScriptedEdgeSource.h) with its own virtual clock.
#pragma once

#include <citysense/Time.h>
#include <citysense/bus/BusError.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace citysense {

struct EdgeEvent {
    Micros time;  ///< on the source's clock (CLOCK_MONOTONIC for Linux lines)
    bool rising;
};

class EdgeSource {
public:
    virtual ~EdgeSource();

    /// The next edge, waiting at most `timeout`; nothing when none came in that time.
    virtual std::optional<EdgeEvent> next(Micros timeout) = 0;

    /// The current time on the clock event times use.
    virtual Micros now() const = 0;

    /// "gpiochip0 line 17", for messages.
    virtual std::string describe() const = 0;
};

enum class Edges { Rising, Falling, Both };

enum class Bias { AsIs, PullUp, PullDown };

struct GpioLineSpec {
    std::string chip;  ///< chip label (e.g. "pinctrl-bcm2711"), name ("gpiochip0"), path or number
    std::string line;  ///< line offset ("17") or line name ("GPIO17")
    Edges edges = Edges::Falling;
    Bias bias = Bias::AsIs;
};

/// Requests edge events on a line. A factory registered for `spec.chip` wins (tests); otherwise
/// libgpiod opens the chip. Throws BusError naming the chip and line.
std::unique_ptr<EdgeSource> openEdgeSource(const GpioLineSpec& spec);

using EdgeSourceFactory = std::function<std::unique_ptr<EdgeSource>(const GpioLineSpec&)>;

/// Makes openEdgeSource() use `factory` for chip `chip`; an empty factory removes it.
void registerEdgeSource(const std::string& chip, EdgeSourceFactory factory);

}  // namespace citysense
