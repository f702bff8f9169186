// The `sim` transport: a Verilated station board inside the simulated lab (testbench/lab/sim_lab.hpp),
// reached through exactly the bytes a USB board would send. Reading advances the simulation: a
// timeout is simulated time at the station clock, so a test behaves the same on a fast or slow host.
#pragma once

#include <memory>

#include "dira/register_map.hpp"
#include "lab/sim_lab.hpp"
#include "transport/transport.hpp"

namespace dira::transport {

class SimTransport : public Transport {
public:
    SimTransport(std::shared_ptr<lab::SimLab> lab, StationId side);

    const DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t> bytes) override;
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override;

private:
    std::shared_ptr<lab::SimLab> lab_;
    StationId side_;
    DeviceInfo info_;
};

} // namespace dira::transport
