#include "usb/station_board_link.hpp"

namespace dira::testbench::usb {
namespace {

// The trial's pins by cycle within the trial (docs/station.md, "Basis selector", "Readout
// capture"): a trigger high in cycle p is detected in p+2 and the trial opens in p+3; the readout
// strobe high from p+6 is detected from p+8, inside the default window [2, 24] after opening.
constexpr unsigned kTriggerCycles = 2, kReadoutAt = 6, kStrobeCycles = 2, kWeakSourceAt = 10;
constexpr std::uint64_t kIdleFlushCycles = 64; // ft2232h_sync_fifo_bridge's IDLE_FLUSH_CYCLES

} // namespace

StationBoardLink::StationBoardLink(const StationBoardLinkConfig& config) : config_(config), board_(config.board) {}

void StationBoardLink::start_triggers() {
    triggering_ = true;
    first_trigger_cycle_ = board_.cycle();
}

hls_station::StationPins StationBoardLink::pins(std::uint64_t cycle) {
    hls_station::StationPins p;
    if (!triggering_) return p;
    const std::uint64_t phase = (cycle - first_trigger_cycle_) % config_.trial_period_cycles;
    if (phase == 0) { // a new trial: its weak-source bit and its outcome (a 16-bit Galois LFSR)
        lfsr_ = (lfsr_ >> 1) ^ (-(lfsr_ & 1u) & 0xB400u);
        setting_source_bit_ = lfsr_ & 1u;
        outcome_bit_ = (lfsr_ >> 1) & 1u;
    }
    p.trigger = phase < kTriggerCycles;
    p.readout_valid = phase >= kReadoutAt && phase < kReadoutAt + kStrobeCycles;
    p.readout_bit = outcome_bit_;
    p.ws_strobe = phase >= kWeakSourceAt && phase < kWeakSourceAt + kStrobeCycles;
    p.ws_bit = setting_source_bit_;
    return p;
}

void StationBoardLink::run(std::uint64_t cycles) {
    for (std::uint64_t i = 0; i < cycles; ++i) {
        board_.set_pins(pins(board_.cycle()));
        board_.tick();
        if (board_.ft601().words_to_host() != words_to_host_) {
            words_to_host_ = board_.ft601().words_to_host();
            last_input_cycle_ = board_.cycle();
            unflushed_ = true;
        } else if (unflushed_ && board_.cycle() - last_input_cycle_ >= kIdleFlushCycles) {
            ++send_immediate_;
            unflushed_ = false;
        }
    }
}

} // namespace dira::testbench::usb
