// The whole simulated experiment: two Verilated station boards (Alice, Bob) in the lab model, with
// a host side that drains each board's USB FIFO chip as a host with enough queued transfers would.
// The sim transport (host/transport/sim_transport.hpp) reads from here through the same bytes a USB
// board would send.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "board/station_board.hpp"
#include "lab/lab_model.hpp"

namespace dira::lab {

struct SimLabConfig {
    LabConfig lab;
    std::uint32_t clock_hz = 250'000'000;
};

class SimLab {
public:
    explicit SimLab(const SimLabConfig& config);
    ~SimLab();

    // One station clock cycle for both boards and the lab.
    void tick();
    std::uint64_t cycle() const { return lab_.cycle(); }

    LabModel& lab() { return lab_; }
    const SimLabConfig& config() const { return config_; }
    testbench::StationBoard& board(StationId side) { return *boards_[static_cast<std::size_t>(side)]; }

    // Host side of each board's USB link: bytes received and not yet read by the host.
    std::size_t host_available(StationId side) const;
    std::size_t host_read(StationId side, std::uint8_t* into, std::size_t max);
    void host_write(StationId side, const std::uint8_t* bytes, std::size_t n);
    // Fault injection: the host stops reading this side for `cycles` station cycles (the FT601
    // buffer fills, the firmware sees back-pressure).
    void stall_host(StationId side, std::uint64_t cycles);

private:
    struct HostQueue {
        std::vector<std::uint8_t> bytes; // received from the board, not yet read by the host
        std::size_t read_at = 0;
        std::vector<std::uint8_t> outgoing; // written by the host, not yet taken by the FT601
        std::uint64_t stalled_until_cycle = 0;
    };
    void exchange(StationId side);

    SimLabConfig config_;
    LabModel lab_;
    std::array<std::unique_ptr<testbench::StationBoard>, 2> boards_;
    std::array<HostQueue, 2> host_;
};

} // namespace dira::lab
