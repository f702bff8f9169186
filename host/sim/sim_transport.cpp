#include "sim/sim_transport.hpp"

#include <algorithm>

namespace dira::sim {

SimTransport::SimTransport(std::shared_ptr<lab::SimLab> lab, StationId side)
    : lab_(std::move(lab)), side_(side),
      info_{"sim", device_id(side),
            std::string(lab_->config().engine == testbench::StationEngine::rtl ? "Verilated station_core" : "HLS C++ station model") +
                " of " + station_name(side) + " in the simulated lab"} {}

void SimTransport::write(std::span<const std::uint8_t> bytes) { lab_->host_write(side_, bytes.data(), bytes.size()); }

std::size_t SimTransport::read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) {
    const std::uint64_t budget_cycles =
        static_cast<std::uint64_t>(timeout.count()) * lab_->config().clock_hz / 1000u;
    for (std::uint64_t c = 0; lab_->host_available(side_) == 0 && c < budget_cycles;) c += lab_->advance();
    return lab_->host_read(side_, into.data(), into.size());
}

} // namespace dira::sim
