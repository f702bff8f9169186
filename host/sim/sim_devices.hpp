// The simulated boards as a device kind (transport/devices.hpp): "sim:alice" and "sim:bob", each a
// Verilated station board in the simulated lab (the HLS C++ station model with engine=model,
// testbench/board/model_board.hpp), with the lab's settings after a '?': "sim:alice?seed=7",
// "sim:bob?seed=7&engine=model". Boards open at the same time share one lab, as two real boards
// share one experiment (they must then name the same settings); the lab ends when its last board is
// closed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "lab/sim_lab.hpp"
#include "sim/sim_transport.hpp"
#include "transport/devices.hpp"

namespace dira::sim {

// What a sim: device id says: the side, and the lab's settings.
struct SimDeviceId {
    StationId side;
    std::uint64_t seed = 1;
    testbench::StationEngine engine = testbench::StationEngine::rtl;
};
// Parses "sim:alice", "sim:bob?seed=7&engine=model"; throws dira::Error(invalid_argument) naming what is wrong.
SimDeviceId parse_device_id(const std::string& id);

// A new lab from a seed and the lab's parameters (the models' seeds derived from `seed`).
std::shared_ptr<LabSession> new_lab(std::uint64_t seed, const lab::SimLabConfig& config);

transport::DeviceKind device_kind();
// Adds the sim kind to the program's kinds (transport::register_device_kind); the dira command
// calls it at start-up.
void register_device_kind();

} // namespace dira::sim
