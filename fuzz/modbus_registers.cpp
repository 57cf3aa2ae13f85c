// The modbus_wind driver's register logic: any register map and any answer from the bus (too few or
// too many registers, any counts, a failed request) gives a reading or an error, never a crash, and a
// direction always in [0, 360). libmodbus checks the RTU frames themselves (CRC, length, function).
#include <ModbusMaster.h>
#include <WindRegisters.h>

#include <citysense/Options.h>
#include <citysense/bus/BusError.h>

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

namespace {

using namespace citysense::modbus_wind;

/// A bus whose every answer the fuzzer chooses.
class FuzzedMaster : public ModbusMaster {
public:
    explicit FuzzedMaster(FuzzedDataProvider& input) : _input(input) {}

    std::vector<std::uint16_t> readRegisters(RegisterKind kind, int address, int count) override {
        if (_input.ConsumeBool())
            throw citysense::BusError(describeRead(kind, address, count) + ": no answer");
        std::vector<std::uint16_t> values(_input.ConsumeIntegralInRange<std::size_t>(0, 4));
        for (auto& value : values)
            value = _input.ConsumeIntegral<std::uint16_t>();
        return values;
    }

private:
    FuzzedDataProvider& _input;
};

std::optional<int> fuzzedRegister(FuzzedDataProvider& input) {
    if (input.ConsumeBool())
        return std::nullopt;
    return input.ConsumeIntegralInRange<int>(0, 0xFFFF);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider input(data, size);
    RegisterMap map;
    map.kind = input.ConsumeBool() ? RegisterKind::Holding : RegisterKind::Input;
    map.speedRegister = fuzzedRegister(input);
    map.speedScale = input.ConsumeFloatingPointInRange<double>(0.0, 100.0);
    map.directionRegister = fuzzedRegister(input);
    map.directionScale = input.ConsumeFloatingPointInRange<double>(0.0, 100.0);
    try {
        const WindRegisters registers(map);
        FuzzedMaster master(input);
        const WindReading reading = registers.read(master);
        if (reading.direction && !(*reading.direction >= 0.0 && *reading.direction < 360.0))
            std::abort();
    } catch (const citysense::OptionError&) {
    } catch (const citysense::BusError&) {
    }
    return 0;
}
