// The iCE40 station board seen from the FT2232H's FIFO pins: station_ft2232h (station_core behind
// the 8-bit FT2232H bridge, rtl/board), Verilated, on its two clocks, beside a model of the
// FT2232H's channel A in 245 synchronous FIFO mode, with a trial sequencer on the lab pins. The
// board test (tests/timing/test_ft2232h_board.cpp) reaches it byte by byte; the emulated FT2232H
// (testbench/usb/ft2232h_chip.hpp) puts USB in front of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>

class Vstation_ft2232h;
class VerilatedContext;

namespace dira::testbench {

// The FT2232H's channel A in 245 synchronous FIFO mode, seen from its pins (FT2232H datasheet):
// TXE# low while the chip can take a byte, a byte moves in at each CLKOUT rising edge with WR# and
// TXE# low; RXF# low while a byte waits, driven on the bus while OE# is low, a byte moves out at
// each rising edge with OE#, RD# and RXF# low. TXE# and RXF# change only after an edge. Misuse of
// the bus by the FPGA throws std::logic_error.
class Ft2232hFifoPins {
public:
    static constexpr std::size_t kBufferBytes = 4096; // the FT2232H's buffer each way, per channel
    // Once high, TXE# stays high for at least this many edges. FTDI documents no shortest TXE#
    // high time; the bridge's write replay needs two (docs/boards.md, "The 8-bit bridge"), which
    // is an assumption about the chip to confirm on a board, not a fact from its datasheet.
    static constexpr unsigned kTxeMinHighEdges = 2;

    bool txe_n() const { return txe_n_; }
    bool rxf_n() const { return rxf_n_; }
    // What the FPGA reads on the bus: its own byte, the chip's, or the pull-ups.
    std::uint8_t bus(bool fpga_drives, std::uint8_t fpga_byte, bool oe_n) const;
    // The rising edge, judged with what the FPGA drove during the cycle before it.
    void edge(bool wr_n, bool rd_n, bool oe_n, bool data_oe, std::uint8_t data);
    // TXE# high for the next `cycles` edges, as a host that stops reading would cause.
    void stall(unsigned cycles) { stall_cycles_ = cycles; }

    // The host side: bytes the FPGA sent, and bytes toward the FPGA (host_write takes what fits).
    std::deque<std::uint8_t>& to_host() { return to_host_; }
    const std::deque<std::uint8_t>& to_host() const { return to_host_; }
    std::size_t host_write(std::span<const std::uint8_t> bytes);
    // Drops the bytes from the host the FPGA has not read yet; returns how many.
    std::size_t host_drop_received() {
        const std::size_t n = to_fpga_.size();
        to_fpga_.clear();
        return n;
    }
    std::uint64_t edges() const { return edges_; }
    // Edges with WR# low that the chip ignored, TXE# being high.
    std::uint64_t refused_writes() const { return refused_writes_; }

private:
    std::deque<std::uint8_t> to_host_, to_fpga_;
    bool txe_n_ = true, rxf_n_ = true;
    unsigned stall_cycles_ = 0;
    unsigned txe_high_left_ = 0; // more edges TXE# stays high for
    std::uint64_t edges_ = 0, refused_writes_ = 0;
};

// The station's lab pins, cycle by cycle: a weak-source bit every 8 cycles, a trigger every
// trigger_period cycles (when enabled), a readout strobe 12 cycles after each setting strobe.
struct Ft2232hLabPins {
    std::uint64_t trigger_period = 150;
    bool triggers = false;
    std::uint64_t cycle = 0, trigger_phase = 0, readout_at = UINT64_MAX;
    std::uint32_t lfsr = 0xACE1u;
    bool ws_bit = false;

    void drive(Vstation_ft2232h& m);
};

// station_ft2232h on its two clocks (the iCE40 board's station clock and the FT2232H's CLKOUT),
// with the chip's FIFO pins beside it.
class Ft2232hBoard {
public:
    Ft2232hBoard();
    ~Ft2232hBoard();
    Ft2232hBoard(const Ft2232hBoard&) = delete;
    Ft2232hBoard& operator=(const Ft2232hBoard&) = delete;

    // Advances to the next clock edge (the earlier of the two clocks); returns true when it was a
    // station clock edge.
    bool step();
    std::uint64_t station_cycles() const { return station_cycles_; }

    Ft2232hFifoPins& chip() { return chip_; }
    const Ft2232hFifoPins& chip() const { return chip_; }
    Ft2232hLabPins& pins() { return pins_; }
    unsigned siwu_pulses() const { return siwu_pulses_; }

private:
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vstation_ft2232h> m_;
    Ft2232hFifoPins chip_;
    Ft2232hLabPins pins_;
    std::uint64_t next_station_ps_ = 0, next_usb_ps_ = 0;
    std::uint64_t station_cycles_ = 0;
    unsigned siwu_pulses_ = 0;
};

} // namespace dira::testbench
