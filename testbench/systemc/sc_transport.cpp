#include "systemc/sc_transport.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace dira::systemc {
namespace {

// The simulation advances in slices this long while the host waits for bytes.
constexpr Fs kSliceFs = 200 * kFsPerNs;
// A board that cannot take the host's bytes for this long of lab time is stuck.
constexpr Fs kWriteTimeoutFs = 1'000'000 * kFsPerNs;

} // namespace

void advance(Fs duration_fs) { sc_core::sc_start(fs_time(duration_fs)); }

ScTransport::ScTransport(LabSc& lab, StationId side)
    : lab_(lab), side_(side),
      info_{"systemc", std::string("systemc:") + station_name(side),
            std::string("Verilated station_core (SystemC) of ") + station_name(side) + " in the SystemC lab"} {}

void ScTransport::write(std::span<const std::uint8_t> bytes) {
    StationSc& station = lab_.station(side_);
    std::size_t sent = 0;
    for (Fs waited = 0; sent < bytes.size(); waited += kSliceFs) {
        sent += station.host_write(bytes.data() + sent, bytes.size() - sent);
        if (sent == bytes.size()) break;
        if (waited >= kWriteTimeoutFs)
            throw Error(ErrorKind::timeout, info_.id + ": the FT601 took no bytes for 1 ms of lab time");
        advance(kSliceFs);
    }
}

std::size_t ScTransport::read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) {
    StationSc& station = lab_.station(side_);
    const Fs budget = static_cast<Fs>(timeout.count()) * kSimulatedNsPerWallMs * kFsPerNs;
    for (Fs waited = 0; station.host_readable() == 0 && waited < budget; waited += kSliceFs) advance(kSliceFs);
    return station.host_read(into.data(), into.size());
}

} // namespace dira::systemc
