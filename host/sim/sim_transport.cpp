#include "sim/sim_transport.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "sim/simulate.hpp"

namespace dira::sim {

SimTransport::SimTransport(std::shared_ptr<LabSession> session, StationId side)
    : session_(std::move(session)), side_(side),
      info_{"sim", device_id(side),
            std::string(session_->lab.config().engine == testbench::StationEngine::rtl ? "Verilated station_core" : "HLS C++ station model") +
                " of " + station_name(side) + " in the simulated lab"} {
    if (session_->open[index(side)])
        throw Error(ErrorKind::busy, device_id(side) + " is already open in this lab: one board per station");
    session_->open[index(side)] = true;
}

SimTransport::~SimTransport() { session_->open[index(side_)] = false; }

void SimTransport::write(std::span<const std::uint8_t> bytes) {
    lab().host_write(side_, bytes.data(), bytes.size());
    if (twin_alone()) lab().host_write(twin(), bytes.data(), bytes.size());
}

// The twin's board answers and streams like its own; nobody reads it, so it is read and dropped.
void SimTransport::drain_twin() {
    std::uint8_t sink[4096];
    while (lab().host_read(twin(), sink, sizeof sink) > 0) {
    }
}

std::size_t SimTransport::read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) {
    const std::uint64_t budget_cycles = static_cast<std::uint64_t>(timeout.count()) * lab().config().clock_hz / 1000u;
    for (std::uint64_t c = 0; lab().host_available(side_) == 0 && c < budget_cycles;) {
        c += lab().advance();
        if (twin_alone()) drain_twin();
    }
    return lab().host_read(side_, into.data(), into.size());
}

bool SimTransport::start_triggers(std::uint64_t trials) {
    if (session_->triggers_started) return true;
    const std::uint64_t start = (lab().cycle() / kTriggerStartAlignCycles + 1) * kTriggerStartAlignCycles;
    while (lab().cycle() < start) {
        lab().advance();
        if (twin_alone()) drain_twin();
    }
    lab().lab().start_triggers(trials);
    session_->triggers_started = true;
    return true;
}

nlohmann::json SimTransport::simulated_lab() const { return lab_json(session_->seed, lab().config(), lab().lab().stats()); }

} // namespace dira::sim
