// The bytes an emulated chip takes from the FPGA toward the host, with faults injected on the way:
// a packet lost (its bytes are read from the board and dropped) and a bit flipped. Positions count
// every byte the FPGA wrote, dropped ones included.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "usb/board_link.hpp"

namespace dira::testbench::usb {

class StreamFaults {
public:
    explicit StreamFaults(std::size_t packet_bytes) : packet_bytes_(packet_bytes) {}

    // The packet that starts at the first packet boundary at or after `stream_offset` is lost.
    void drop_packet_at(std::uint64_t stream_offset);
    // The byte at `stream_offset` arrives with bit 0 flipped.
    void corrupt_byte_at(std::uint64_t stream_offset);
    // The next byte from the FPGA belongs to a lost packet.
    bool drop_due() const { return !drops_.empty() && drops_.front() <= position_; }

    // Up to `max` bytes from the board into `into`, faults applied; returns how many arrived.
    std::size_t take(BoardLink& board, std::uint8_t* into, std::size_t max);

    std::uint64_t delivered() const { return delivered_; }
    std::uint64_t dropped() const { return dropped_; }
    std::uint64_t corrupted() const { return corrupted_; }

private:
    std::size_t packet_bytes_;
    std::vector<std::uint64_t> drops_, corruptions_; // sorted stream offsets
    std::uint64_t position_ = 0, delivered_ = 0, dropped_ = 0, corrupted_ = 0;
};

} // namespace dira::testbench::usb
