// The FTDI FT601 (USB 3 to 32-bit FIFO bridge) seen from USB, emulated at usbdevfs for libusb,
// with a simulated board behind its FIFO (board_link.hpp). A stand-in for the chip, pinned to what
// FTDI and the open-source FT60x drivers say it does (host/transport/ft60x_protocol.hpp has the
// sources):
//  - SuperSpeed, ID 0403:601F; interface 0 is the session interface (EP 0x01 bulk OUT for session
//    commands, EP 0x81 interrupt IN for notifications), interface 1 the FIFO data: per channel one
//    bulk OUT (0x02..0x05) and one bulk IN (0x82..0x85) endpoint, 1024-byte packets (LeechCore
//    fpga_libusb.h; USB 3.2 spec: SuperSpeed bulk packets are 1024 bytes). The channel
//    configuration decides which of them exist.
//  - The chip configuration (FT_60XCONFIGURATION, 152 bytes) answers vendor request 0xCF, wValue 1.
//  - In 245 mode the chip sends IN data only against read requests (session command 1) for that
//    pipe, each request one transfer; when the FIFO runs empty during a transfer the chip ends it
//    with a short packet and the request is used up (the "cancel session on underrun" behaviour
//    the optional feature DISABLE_CANCEL_SESSION_UNDERRUN turns off). "Runs empty" is modelled as
//    kUnderrunCycles station cycles without a byte from the FPGA (the datasheet gives no figure).
//  - Session command 3 (flush) on the IN pipe ends its session: pending requests are dropped and
//    the data the chip holds for the pipe is discarded. Command 0 has no known effect of its own.
//  - A chip in 600 mode, or without the pipes dira uses, moves no data on them (the FPGA speaks 245).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "transport/ft60x_protocol.hpp"
#include "usb/board_link.hpp"
#include "usb/stream_faults.hpp"
#include "usb/usbdevfs_device.hpp"

namespace dira::testbench::usb {

struct Ft601ChipConfig {
    transport::ft60x::Configuration chip; // what the chip's EEPROM holds (strings included)
    std::uint64_t cycles_per_advance = 2048; // board cycles simulated per step of the device thread
};

// Default strings of an FT601 as dira's tests use them (serial given per board).
transport::ft60x::Configuration ft601_configuration(const std::string& serial);

class Ft601Chip : public UsbdevfsDevice {
public:
    static constexpr std::uint64_t kUnderrunCycles = 64;
    static constexpr std::size_t kPacketBytes = 1024;

    struct ChipStats {
        std::vector<transport::ft60x::SessionCommand> session_commands; // in arrival order
        std::uint64_t read_requests = 0;
        std::uint64_t flushed_bytes = 0;   // discarded by flush commands
        std::uint64_t dropped_bytes = 0;   // lost to injected packet drops
        std::uint64_t corrupted_bytes = 0; // altered by injected faults
        std::uint64_t stream_bytes = 0;    // taken from the FPGA toward the host
    };

    Ft601Chip(const Ft601ChipConfig& config, std::unique_ptr<BoardLink> board);

    BoardLink& board() { return *board_; }
    const ChipStats& chip_stats() const { return chip_stats_; }
    std::size_t pending_read_requests() const { return requests_.size(); }

    // Fault injection, in the stream of bytes the chip takes from the FPGA toward the host: the
    // 1024-byte packet that starts at the first packet boundary at or after `stream_offset` is lost
    // on the way; the byte at `stream_offset` arrives with bit 0 flipped.
    void drop_packet_at(std::uint64_t stream_offset) { faults_.drop_packet_at(stream_offset); }
    void corrupt_byte_at(std::uint64_t stream_offset) { faults_.corrupt_byte_at(stream_offset); }
    // Holds the board's clock (the chip still answers USB): a test's way to order events between
    // the host and the board.
    void hold_board(bool held) { board_held_ = held; }

protected:
    std::optional<std::vector<std::uint8_t>> control_in(const SetupPacket& setup) override;
    bool control_out(const SetupPacket& setup, std::span<const std::uint8_t> data) override;
    std::size_t bulk_out(std::uint8_t endpoint, std::span<const std::uint8_t> data) override;
    InProgress bulk_in(std::uint8_t endpoint, std::span<std::uint8_t> room, std::size_t filled) override;
    void in_discarded(std::uint8_t endpoint, std::size_t filled) override;
    bool advance() override;

private:
    bool pipes_work() const;
    void session_command(const transport::ft60x::SessionCommand& c);
    std::size_t take_from_fpga(std::uint8_t* into, std::size_t max);

    Ft601ChipConfig config_;
    std::unique_ptr<BoardLink> board_;
    std::deque<std::uint32_t> requests_; // read requests for the IN pipe, bytes each; front is current
    StreamFaults faults_{kPacketBytes};
    ChipStats chip_stats_;
    bool board_held_ = false;
};

} // namespace dira::testbench::usb
