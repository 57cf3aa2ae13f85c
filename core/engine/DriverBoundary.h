// What the host checks of every sample a driver delivers, before anything else sees it: filters
// index tables by quantity and sinks name the station, so a sample whose quantity is outside the
// quantity table or not among the driver's declared channels, or that has no source or no station,
// is dropped there and counted under a host reason in the driver's drop counts.
#pragma once

#include <citysense/Driver.h>

#include <bitset>

namespace citysense {

/// The host's reasons for a sample it drops at the driver boundary.
namespace boundary {
constexpr const char* kUnknownQuantity = "unknown_quantity";
constexpr const char* kUndeclaredQuantity = "undeclared_quantity";
constexpr const char* kNoSource = "no_source";
constexpr const char* kNoStation = "no_station";
}  // namespace boundary

class DriverBoundary {
public:
    /// Admits the quantities of `driver`'s channels (read once: they are fixed after configure()).
    explicit DriverBoundary(const Driver& driver);

    /// Removes the samples that fail a check from `batch`, counting each in the driver's drop counts.
    void admit(SampleBatch& batch) const;

private:
    /// The reason `sample` is dropped, with what is wrong in `detail`; nullptr if it passes.
    const char* problem(const Sample& sample, std::string& detail) const;

    const Driver& _driver;
    std::bitset<256> _declared;  ///< by Quantity, an 8-bit number
};

}  // namespace citysense
