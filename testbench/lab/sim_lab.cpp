#include "lab/sim_lab.hpp"

#include <cstring>

namespace dira::lab {
namespace {

hls_station::StationPins to_pins(const StationInputs& in) {
    return {in.trigger, in.ws_bit, in.ws_strobe, in.readout_valid, in.readout_bit};
}

} // namespace

SimLab::SimLab(const SimLabConfig& config) : config_(config), lab_(config.lab) {
    for (auto side : kStations) {
        testbench::StationBoardConfig bc;
        bc.station_id = static_cast<std::uint8_t>(side);
        bc.clock_hz = config.clock_hz;
        boards_[index(side)] = std::make_unique<testbench::StationBoard>(bc);
    }
}

SimLab::~SimLab() = default;

void SimLab::tick() {
    std::array<StationOutputs, 2> out;
    for (auto side : kStations) {
        auto& b = *boards_[index(side)];
        b.set_pins(to_pins(lab_.inputs(side)));
        out[index(side)] = {b.setting_out(), b.setting_strobe()};
    }
    for (auto& b : boards_) b->tick();
    lab_.end_cycle(out[0], out[1]);
    for (auto side : kStations) exchange(side);
}

// The host's USB stack at work: hand the FT601 what the host wrote as it makes room, and take
// what the FT601 received (unless the host is stalled).
void SimLab::exchange(StationId side) {
    auto& board = *boards_[index(side)];
    HostQueue& q = host_[index(side)];
    if (!q.outgoing.empty()) {
        const std::size_t taken = board.host_write(q.outgoing.data(), q.outgoing.size());
        q.outgoing.erase(q.outgoing.begin(), q.outgoing.begin() + static_cast<std::ptrdiff_t>(taken));
    }
    if (lab_.cycle() < q.stalled_until_cycle) return;
    // A host with transfers queued reads whatever the FT601 holds, every cycle.
    const std::size_t n = board.host_readable();
    if (n == 0) return;
    const std::size_t at = q.bytes.size();
    q.bytes.resize(at + n);
    q.bytes.resize(at + board.host_read(q.bytes.data() + at, n));
}

std::size_t SimLab::host_available(StationId side) const {
    const HostQueue& q = host_[index(side)];
    return q.bytes.size() - q.read_at;
}

std::size_t SimLab::host_read(StationId side, std::uint8_t* into, std::size_t max) {
    HostQueue& q = host_[index(side)];
    const std::size_t n = std::min(max, q.bytes.size() - q.read_at);
    std::memcpy(into, q.bytes.data() + q.read_at, n);
    q.read_at += n;
    if (q.read_at == q.bytes.size()) {
        q.bytes.clear();
        q.read_at = 0;
    }
    return n;
}

void SimLab::host_write(StationId side, const std::uint8_t* bytes, std::size_t n) {
    auto& out = host_[index(side)].outgoing;
    out.insert(out.end(), bytes, bytes + n);
}

void SimLab::stall_host(StationId side, std::uint64_t cycles) {
    host_[index(side)].stalled_until_cycle = lab_.cycle() + cycles;
}

} // namespace dira::lab
