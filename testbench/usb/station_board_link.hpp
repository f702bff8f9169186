// The AC701 station board as the far side of an emulated FT601: the Verilated station_core beside
// the FT601's FIFO bus model (testbench/board's StationBoard), so the bytes the emulated chip sends
// are the ones the station's RTL writes. The lab is a plain sequencer on the station's pins: a
// trigger every trial_period_cycles, the readout strobe inside the window, a weak-source bit per
// trial (the physics does not matter here; the link does).
#pragma once

#include <cstdint>

#include "board/station_board.hpp"
#include "usb/board_link.hpp"

namespace dira::testbench::usb {

struct StationBoardLinkConfig {
    StationBoardConfig board;
    // Cycles per trial: a record frame carries 8 records of 9 words plus its framing, about 9.6
    // words per record, and the FIFO moves a word per cycle: 12 keeps the link 80% busy.
    unsigned trial_period_cycles = 12;
};

class StationBoardLink : public BoardLink {
public:
    explicit StationBoardLink(const StationBoardLinkConfig& config = {});

    void run(std::uint64_t cycles) override;
    std::size_t readable() const override { return board_.host_readable(); }
    std::size_t read(std::uint8_t* into, std::size_t max) override { return board_.host_read(into, max); }
    std::size_t write(const std::uint8_t* from, std::size_t n) override { return board_.host_write(from, n); }
    std::uint64_t cycles_since_input() const override { return board_.cycle() - last_input_cycle_; }
    std::uint64_t cycle() const override { return board_.cycle(); }
    std::uint32_t clock_hz() const override { return config_.board.clock_hz; }
    std::size_t drop_from_host() override { return board_.ft601().host_drop_received(); }
    // Behind an emulated FT2232H this board stands in for the iCE40 station, whose 8-bit bridge
    // pulses SIWU# once the stream pauses for IDLE_FLUSH_CYCLES (64) with bytes handed to the chip
    // (rtl/board/ft2232h_sync_fifo_bridge.sv): the same rule, so register replies leave at once.
    std::uint64_t send_immediate_count() const override { return send_immediate_; }

    // The sequencer: triggers from the next cycle on, until stopped.
    void start_triggers();
    void stop_triggers() { triggering_ = false; }
    StationBoard& board() { return board_; }

private:
    hls_station::StationPins pins(std::uint64_t cycle);

    StationBoardLinkConfig config_;
    StationBoard board_;
    bool triggering_ = false;
    std::uint64_t first_trigger_cycle_ = 0;
    std::uint64_t last_input_cycle_ = 0;
    std::uint64_t words_to_host_ = 0;
    std::uint64_t send_immediate_ = 0;
    bool unflushed_ = false;
    std::uint32_t lfsr_ = 0xACE1u;
    bool setting_source_bit_ = false, outcome_bit_ = false;
};

} // namespace dira::testbench::usb
