// The `sim` transport: a simulated station board (Verilated RTL or the HLS C++ model) inside the simulated lab (testbench/lab/sim_lab.hpp),
// reached through exactly the bytes a USB board would send. Reading advances the simulation: a
// timeout is simulated time at the station clock, so a test behaves the same on a fast or slow host.
#pragma once

#include <memory>
#include <string>

#include "dira/register_map.hpp"
#include "lab/sim_lab.hpp"
#include "transport/transport.hpp"

namespace dira::sim {

// The device id of a simulated board: "sim:alice", "sim:bob".
inline std::string device_id(StationId side) { return std::string("sim:") + station_name(side); }

class SimTransport : public transport::Transport {
public:
    SimTransport(std::shared_ptr<lab::SimLab> lab, StationId side);

    const transport::DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t> bytes) override;
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override;

    // The lab this board is in (shared with the other station's board when both are open).
    lab::SimLab& lab() const { return *lab_; }

private:
    std::shared_ptr<lab::SimLab> lab_;
    StationId side_;
    transport::DeviceInfo info_;
};

} // namespace dira::sim
