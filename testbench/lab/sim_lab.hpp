// The whole simulated experiment: two station boards (Alice, Bob) in the lab model, with
// a host side that drains each board's USB FIFO chip as a host with enough queued transfers would.
// The sim transport (host/sim/sim_transport.hpp) reads from here through the same bytes a USB
// board would send.
//
// The two stations only meet through the lab (LabModel), block by block, so each runs its block in
// its own thread: two cores simulate two stations. The records do not depend on the thread count or
// the block length.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "board/sim_board.hpp"
#include "dira/station_timing.hpp"
#include "lab/lab_model.hpp"

namespace dira::lab {

struct SimLabConfig {
    LabConfig lab;
    std::uint32_t clock_hz = kDefaultClockHz;
    // 1: both stations in the calling thread. 2: Bob's board in a thread of its own; it pays on an idle
    // machine with two free cores, and costs on a busy one (the threads hand over every block).
    unsigned threads = 1;
    unsigned block_cycles = 8;     // at most LabModel::max_block_cycles()
    // Verilated RTL boards or the HLS C++ station model: the same records and bytes either way.
    testbench::StationEngine engine = testbench::StationEngine::rtl;
    // Stations with their extraction engine (as built for the AC701); false for runs that extract on
    // the host, which `dira simulate` does: the Verilated station simulates 1.7x faster without it.
    bool station_extractor = true;
};

class SimLab {
public:
    explicit SimLab(const SimLabConfig& config);
    ~SimLab();
    SimLab(const SimLab&) = delete;
    SimLab& operator=(const SimLab&) = delete;

    // Simulates the next block of cycles (both boards and the lab); returns how many.
    unsigned advance();
    std::uint64_t cycle() const { return lab_.cycle(); }

    LabModel& lab() { return lab_; }
    const SimLabConfig& config() const { return config_; }
    testbench::SimBoard& board(StationId side) { return *boards_[index(side)]; }

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
    struct SideBlock {
        std::vector<StationInputs> inputs;
        std::vector<StationOutputs> outputs;
    };
    void run_side(StationId side, unsigned cycles);
    void exchange(StationId side);
    void worker_loop();

    SimLabConfig config_;
    LabModel lab_;
    unsigned block_cycles_;
    std::array<std::unique_ptr<testbench::SimBoard>, 2> boards_;
    std::array<HostQueue, 2> host_;
    std::array<SideBlock, 2> block_;

    // Bob's thread (threads == 2): runs his half of each block when `go_` moves past `done_`.
    std::thread worker_;
    std::atomic<std::uint64_t> go_{0};
    std::atomic<std::uint64_t> done_{0};
    std::atomic<unsigned> worker_cycles_{0};
    std::atomic<bool> stop_{false};
};

} // namespace dira::lab
