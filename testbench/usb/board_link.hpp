// The far side of an emulated USB FIFO chip: the FPGA board it is soldered to, simulated. The
// chip's own buffers sit between the FIFO pins and USB; a link exposes their host side (what the
// FPGA wrote into the chip, room for what the host sends) and runs the board's clock.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dira::testbench::usb {

class BoardLink {
public:
    virtual ~BoardLink() = default;
    // Simulates the board (and the chip's FIFO pins) for `cycles` station clock cycles.
    virtual void run(std::uint64_t cycles) = 0;
    // Bytes the FPGA has written into the chip's buffer toward the host.
    virtual std::size_t readable() const = 0;
    virtual std::size_t read(std::uint8_t* into, std::size_t max) = 0;
    // Bytes from the host into the chip's buffer toward the FPGA; returns how many fit.
    virtual std::size_t write(const std::uint8_t* from, std::size_t n) = 0;
    // Station cycles since the FPGA last wrote a byte into the chip (how long its FIFO has been
    // empty on the FPGA side).
    virtual std::uint64_t cycles_since_input() const = 0;
    // The board's time: station cycles simulated so far, and the station clock's rate. The chip's
    // own timers (an FT2232H's latency timer) run on it, so the board, not the host machine's
    // speed, decides how its bytes are packed.
    virtual std::uint64_t cycle() const = 0;
    virtual std::uint32_t clock_hz() const = 0;
    // Send-immediate requests the FPGA made (an FT2232H's SIWU# pulses); 0 where it has none.
    virtual std::uint64_t send_immediate_count() const { return 0; }
    // Drops what the host wrote that the FPGA has not read yet (a chip's purge); returns how many.
    virtual std::size_t drop_from_host() = 0;

    // A board that has sent nothing for this many cycles is idle: its state changes only when the
    // host writes to it. Chips then run it a slice per millisecond rather than flat out (a host's
    // write is still taken within that millisecond), so idle boards cost the machine little.
    static constexpr std::uint64_t kQuietCycles = 1u << 16;
    bool quiet() const { return readable() == 0 && cycles_since_input() >= kQuietCycles; }
};

} // namespace dira::testbench::usb
