// The iCE40 station board as the far side of an emulated FT2232H: station_ft2232h beside the
// chip's FIFO pins (testbench/board/ft2232h_board.hpp), so the bytes are the ones the iCE40 RTL
// writes through its 8-bit bridge.
#pragma once

#include "board/ft2232h_board.hpp"
#include "usb/board_link.hpp"

namespace dira::testbench::usb {

class Ft2232hBoardLink : public BoardLink {
public:
    // trigger_period_cycles: a trial every so many station cycles once start_triggers() is called
    // (a record is 36 bytes plus framing, the FIFO moves 2 bytes per 30 MHz cycle: 24 leaves room).
    explicit Ft2232hBoardLink(std::uint64_t trigger_period_cycles = 24);

    void run(std::uint64_t cycles) override;
    std::size_t readable() const override { return board_.chip().to_host().size(); }
    std::size_t read(std::uint8_t* into, std::size_t max) override;
    std::size_t write(const std::uint8_t* from, std::size_t n) override { return board_.chip().host_write({from, n}); }
    std::uint64_t cycles_since_input() const override { return board_.station_cycles() - last_input_cycle_; }
    std::uint64_t cycle() const override { return board_.station_cycles(); }
    std::uint32_t clock_hz() const override { return DIRA_ICE40_STATION_CLOCK_HZ; }
    std::uint64_t send_immediate_count() const override { return board_.siwu_pulses(); }
    std::size_t drop_from_host() override { return board_.chip().host_drop_received(); }

    void start_triggers() { board_.pins().triggers = true; }
    Ft2232hBoard& board() { return board_; }

private:
    Ft2232hBoard board_;
    std::uint64_t last_input_cycle_ = 0;
};

} // namespace dira::testbench::usb
