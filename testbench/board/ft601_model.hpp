// Ft601Model: the FTDI FT601 USB 3.0 bridge seen from its FIFO bus, in 245 synchronous FIFO mode
// with the 32-bit bus, for the board model (StationBoard) and the bridge's C-simulation tests.
//
// The chip side, one USB clock cycle at a time (FT600/FT601 datasheet, "FT245 Synchronous FIFO"):
//  - TX (FPGA to host, the USB IN direction): TXE_N is low while the TX buffer has room for a
//    word; a word moves into the buffer at each rising edge where WR_N and TXE_N are low, with
//    the bytes that BE marks valid.
//  - RX (host to FPGA): RXF_N is low while the RX buffer holds a whole word; the chip drives that
//    word on DATA while OE_N is low, and a word leaves the buffer at each rising edge where OE_N,
//    RD_N and RXF_N are low. Only whole 32-bit words are offered to the FPGA: trailing bytes of a
//    host write wait until the word is complete (register commands are whole words).
//  - TXE_N, RXF_N and DATA change only after a rising edge; they reflect the buffers after it.
// The model checks the FPGA's half of the protocol and throws Ft601ProtocolError on misuse: bus
// contention (the FPGA drives DATA while OE_N is low), RD_N low while OE_N is high, WR_N low
// while OE_N is low, WR_N and RD_N low together.
//
// Fault injection: stall_tx() holds TXE_N high for a number of USB cycles or until release_tx(),
// as a host that stops reading would.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "station/ft601_bridge.hpp"

namespace dira::testbench {

using hls_station::Ft601ChipPins;
using hls_station::Ft601FpgaPins;

struct Ft601ProtocolError : std::logic_error {
    using std::logic_error::logic_error;
};

// A bounded FIFO of bytes.
class ByteRing {
public:
    explicit ByteRing(std::size_t capacity_bytes);
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return data_.size(); }
    std::size_t free() const { return data_.size() - size_; }
    void push(std::uint8_t b);
    std::uint8_t at(std::size_t i) const { return data_[(head_ + i) % data_.size()]; }
    std::size_t pop(std::uint8_t* dst, std::size_t max);
    void drop(std::size_t n);

private:
    std::vector<std::uint8_t> data_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

struct Ft601Config {
    std::size_t tx_buffer_bytes = 16 * 1024; // toward the host
    std::size_t rx_buffer_bytes = 16 * 1024; // from the host
};

class Ft601Model {
public:
    explicit Ft601Model(const Ft601Config& config = {});

    // --- the FIFO bus ---------------------------------------------------------------------
    // What the chip drives during the current USB cycle.
    const Ft601ChipPins& pins() const { return chip_; }
    // The rising USB clock edge that ends the current cycle. fpga_after_edge: the FPGA's bus
    // outputs (registers) as they are after the edge; the model remembers them, since they are
    // what the FPGA drives during the next cycle, whose edge this call will judge next time.
    void clock(const Ft601FpgaPins& fpga_after_edge);

    // --- the host side (USB) --------------------------------------------------------------
    std::size_t host_readable() const { return tx_.size(); }
    std::size_t host_read(std::uint8_t* dst, std::size_t max) { return tx_.pop(dst, max); }
    // Returns how many bytes the RX buffer accepted (all of them unless it is full).
    std::size_t host_write(const std::uint8_t* src, std::size_t n);
    std::size_t host_writable() const { return rx_.free(); }
    // Drops what the host wrote and the FPGA has not taken yet; returns how many bytes.
    std::size_t host_drop_received() {
        const std::size_t n = rx_.size();
        rx_.drop(n);
        return n;
    }

    // --- fault injection ------------------------------------------------------------------
    // TXE_N high for the next `usb_cycles` USB cycles (from the next clock edge on).
    void stall_tx(std::uint64_t usb_cycles) { stall_cycles_ = usb_cycles; }
    void stall_tx_until_released() { stall_held_ = true; }
    void release_tx() {
        stall_held_ = false;
        stall_cycles_ = 0;
    }
    bool tx_stalled() const { return stall_held_ || stall_cycles_ > 0; }

    // --- statistics -----------------------------------------------------------------------
    std::uint64_t usb_cycles() const { return usb_cycles_; }
    std::uint64_t words_to_host() const { return words_to_host_; }
    std::uint64_t words_from_host() const { return words_from_host_; }
    std::uint64_t cycles_tx_busy() const { return cycles_tx_busy_; } // cycles with TXE_N high

    // The value the FPGA reads on DATA while nobody drives it (pull-ups).
    static constexpr std::uint32_t kUndrivenBus = 0xFFFFFFFFu;

private:
    void check_protocol(const Ft601FpgaPins& fpga) const;
    void update_pins();

    ByteRing tx_;
    ByteRing rx_;
    Ft601ChipPins chip_;
    Ft601FpgaPins fpga_; // what the FPGA drives during the current cycle
    std::uint64_t stall_cycles_ = 0;
    bool stall_held_ = false;
    std::uint64_t usb_cycles_ = 0;
    std::uint64_t words_to_host_ = 0;
    std::uint64_t words_from_host_ = 0;
    std::uint64_t cycles_tx_busy_ = 0;
};

} // namespace dira::testbench
