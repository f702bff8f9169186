// The simulated boards as a device kind (transport/devices.hpp): "sim:alice" and "sim:bob", each a
// station board in the simulated lab, Verilated RTL unless the id ends in "?engine=model" (the HLS
// C++ station, testbench/board/model_board.hpp). Boards open at the same time share one lab, as two
// real boards share one experiment; the lab ends when its last board is closed.
#pragma once

#include "transport/devices.hpp"

namespace dira::sim {

transport::DeviceKind device_kind();
// Adds the sim kind to the program's kinds (transport::register_device_kind); the dira command
// calls it at start-up.
void register_device_kind();

} // namespace dira::sim
