// The `sim` transport: a simulated station board (Verilated RTL or the HLS C++ model) inside the simulated lab (testbench/lab/sim_lab.hpp),
// reached through exactly the bytes a USB board would send. Reading advances the simulation: a
// timeout is simulated time at the station clock, so a test behaves the same on a fast or slow host.
//
// One lab, two ways to hold it. Both boards open in one process share one lab (`dira simulate`,
// `dira run --alice sim:alice --bob sim:bob`). A board open alone (`dira station serve --device
// sim:alice`, the other station's board served by another process) still runs in a whole lab: its
// twin, the other side's board, gets the same register writes and its output is discarded, so the
// pair is measured by both stations as in the shared lab. With the sequencer started at a fixed
// cycle (start_triggers), the two ways give the same records from the same seed.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "dira/register_map.hpp"
#include "lab/sim_lab.hpp"
#include "transport/transport.hpp"

namespace dira::sim {

// The device id of a simulated board: "sim:alice", "sim:bob".
inline std::string device_id(StationId side) { return std::string("sim:") + station_name(side); }

// The lab's sequencer starts at the first block boundary at or past a multiple of this many cycles
// after it is asked to: both stations are armed well before it (a few thousand cycles of register
// traffic), and the trigger cycles, hence every record, do not depend on how the host's register
// traffic interleaved (one process or two).
inline constexpr std::uint64_t kTriggerStartAlignCycles = std::uint64_t{1} << 16;

// One simulated lab and what its boards share.
struct LabSession {
    LabSession(std::uint64_t run_seed, const lab::SimLabConfig& seeded_config) : seed(run_seed), lab(seeded_config) {}
    std::uint64_t seed;              // the run's seed (lab::derive_seed made each model's from it)
    lab::SimLab lab;
    bool triggers_started = false;   // once per lab, whichever board asks first
    std::array<bool, 2> open{};      // a board of this side is open on this lab
};

class SimTransport : public transport::Transport {
public:
    SimTransport(std::shared_ptr<LabSession> session, StationId side);
    ~SimTransport() override;

    const transport::DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t> bytes) override;
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override;
    bool start_triggers(std::uint64_t trials) override;
    nlohmann::json simulated_lab() const override;

    // The lab this board is in (shared with the other station's board when both are open).
    lab::SimLab& lab() const { return session_->lab; }

private:
    bool twin_alone() const { return !session_->open[index(twin())]; }
    StationId twin() const { return side_ == StationId::alice ? StationId::bob : StationId::alice; }
    void drain_twin();

    std::shared_ptr<LabSession> session_;
    StationId side_;
    transport::DeviceInfo info_;
};

} // namespace dira::sim
