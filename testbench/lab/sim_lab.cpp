#include "lab/sim_lab.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "board/model_board.hpp"
#include "board/station_board.hpp"
#include "core/error.hpp"

namespace dira::lab {
namespace {

hls_station::StationPins to_pins(const StationInputs& in) {
    return {in.trigger, in.ws_bit, in.ws_strobe, in.readout_valid, in.readout_bit};
}

// Waits for an atomic to reach a value: a short spin (a block takes microseconds), then sleep in
// the kernel so an idle simulator does not burn a core.
void await(const std::atomic<std::uint64_t>& a, std::uint64_t value) {
    for (int spin = 0; spin < 4096; ++spin)
        if (a.load(std::memory_order_acquire) >= value) return;
    for (std::uint64_t seen = a.load(std::memory_order_acquire); seen < value; seen = a.load(std::memory_order_acquire))
        a.wait(seen, std::memory_order_acquire);
}

std::unique_ptr<testbench::SimBoard> make_board(testbench::StationEngine engine, const testbench::StationBoardConfig& config) {
    if (engine == testbench::StationEngine::model) return std::make_unique<testbench::ModelBoard>(config);
    if (!config.extractor) return std::make_unique<testbench::StationBoardNoExtractor>(config);
    return std::make_unique<testbench::StationBoard>(config);
}

} // namespace

SimLab::SimLab(const SimLabConfig& config)
    : config_(config), lab_(config.lab), block_cycles_(std::min(config.block_cycles, lab_.max_block_cycles())) {
    if (config.threads != 1 && config.threads != 2)
        throw Error(ErrorKind::invalid_argument, "the simulated lab runs on 1 or 2 threads, not " + std::to_string(config.threads));
    if (config.block_cycles == 0) throw Error(ErrorKind::invalid_argument, "block_cycles must be at least 1");
    for (auto side : kStations) {
        testbench::StationBoardConfig bc;
        bc.station_id = static_cast<std::uint8_t>(side);
        bc.clock_hz = config.clock_hz;
        bc.extractor = config.station_extractor;
        boards_[index(side)] = make_board(config.engine, bc);
        block_[index(side)].inputs.resize(block_cycles_);
        block_[index(side)].outputs.resize(block_cycles_);
    }
    if (config.threads == 2) worker_ = std::thread([this] { worker_loop(); });
}

SimLab::~SimLab() {
    if (worker_.joinable()) {
        stop_.store(true, std::memory_order_release);
        go_.fetch_add(1, std::memory_order_acq_rel);
        go_.notify_one();
        worker_.join();
    }
}

unsigned SimLab::advance() {
    const unsigned k = block_cycles_;
    auto& a = block_[index(StationId::alice)];
    auto& b = block_[index(StationId::bob)];
    lab_.plan(std::span(a.inputs).first(k), std::span(b.inputs).first(k));
    if (worker_.joinable()) {
        worker_cycles_.store(k, std::memory_order_relaxed);
        const std::uint64_t ticket = go_.fetch_add(1, std::memory_order_acq_rel) + 1;
        go_.notify_one();
        run_side(StationId::alice, k);
        await(done_, ticket);
    } else {
        run_side(StationId::alice, k);
        run_side(StationId::bob, k);
    }
    lab_.absorb(std::span<const StationOutputs>(a.outputs).first(k), std::span<const StationOutputs>(b.outputs).first(k));
    return k;
}

void SimLab::worker_loop() {
    for (std::uint64_t ticket = 1;; ++ticket) {
        await(go_, ticket);
        if (stop_.load(std::memory_order_acquire)) return;
        run_side(StationId::bob, worker_cycles_.load(std::memory_order_relaxed));
        done_.store(ticket, std::memory_order_release);
        done_.notify_one();
    }
}

// One station's part of a block: the pins the lab planned, the setting pins it drove (register
// outputs, known before each cycle runs), and the USB link after every cycle.
void SimLab::run_side(StationId side, unsigned cycles) {
    auto& board = *boards_[index(side)];
    SideBlock& blk = block_[index(side)];
    for (unsigned j = 0; j < cycles; ++j) {
        board.set_pins(to_pins(blk.inputs[j]));
        blk.outputs[j] = {board.setting_out(), board.setting_strobe()};
        board.tick();
        exchange(side);
    }
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
    if (board.cycle() < q.stalled_until_cycle) return;
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
    host_[index(side)].stalled_until_cycle = boards_[index(side)]->cycle() + cycles;
}

} // namespace dira::lab
