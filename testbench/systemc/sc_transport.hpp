// The transport to a station board in the SystemC lab: the same bytes a USB board would send,
// through the FT601 model. Reading advances the simulation; a timeout is simulated lab time,
// kSimulatedNsPerWallMs nanoseconds per millisecond asked for, so that the host's timeouts (tuned
// for USB latencies) do not make the picosecond simulation crawl through idle milliseconds.
#pragma once

#include "systemc/lab_sc.hpp"
#include "transport/transport.hpp"

namespace dira::systemc {

inline constexpr std::uint64_t kSimulatedNsPerWallMs = 2000;

class ScTransport : public transport::Transport {
public:
    ScTransport(LabSc& lab, StationId side);
    const transport::DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t> bytes) override;
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override;

private:
    LabSc& lab_;
    StationId side_;
    transport::DeviceInfo info_;
};

// Runs the simulation for `duration_fs` more.
void advance(Fs duration_fs);

} // namespace dira::systemc
