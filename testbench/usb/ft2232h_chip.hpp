// The FTDI FT2232H (USB 2 high speed, two channels) seen from USB, emulated at usbdevfs for
// libftdi and libusb, with a simulated board behind channel A's FIFO (board_link.hpp). A stand-in
// for the chip, pinned to what FTDI and the open-source FTDI drivers document:
//  - ID 0403:6010, bcdDevice 0x0700 (libftdi takes that for TYPE_2232H); interface 0 is channel A
//    (bulk IN 0x81, bulk OUT 0x02), interface 1 channel B (0x83, 0x04); 512-byte packets.
//  - Vendor control requests (Linux drivers/usb/serial/ftdi_sio.h, libftdi ftdi.h): 0x00 reset
//    (wValue 1: drop the bytes from the host not yet given to the FPGA, 2: drop the bytes for the
//    host), 0x05 modem status, 0x09/0x0A latency timer, 0x0B bit mode (wValue: mode << 8 | mask),
//    0x90/0x91/0x92 EEPROM read word, write word, erase; the rest (baud, flow control, ...) taken.
//  - Every IN packet starts with two status bytes (modem status, bit 0 always 1; line status, THRE
//    and TEMT set while nothing waits to go to the FPGA: ftdi_sio.h "IN Endpoint"). A packet is
//    sent full (510 data bytes), or short when the latency timer runs out or the FPGA pulses SIWU#
//    (FT2232H datasheet: send immediate); a short packet ends the transfer. With no data the chip
//    sends the two status bytes alone every latency period. While bytes wait, the latency timer
//    runs on the board's clock (board_link.hpp), so the board's pace, not the host's, shapes the
//    packets; while none wait, on the host's.
//  - The EEPROM (a 93C56, 256 bytes, as on FTDI's FT2232H Mini Module) decides channel A's mode:
//    byte 0 bits 0..2 = 1 is "245 FIFO" (libftdi doc/EEPROM-structure); the synchronous FIFO runs
//    only with that and bit mode 0x40 (AN_130). Its strings and IDs are the chip's descriptors when
//    the image's checksum is good; otherwise the chip's defaults ("Dual RS232-HS", no serial). Like
//    the chip, the model reads its EEPROM at power-up only: after programming it, replug it.
//  - Without the synchronous FIFO the FPGA gets no clock: the board is not simulated then.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "usb/board_link.hpp"
#include "usb/stream_faults.hpp"
#include "usb/usbdevfs_device.hpp"

namespace dira::testbench::usb {

inline constexpr std::size_t kFt2232hEepromBytes = 256;
using Ft2232hEeprom = std::array<std::uint8_t, kFt2232hEepromBytes>;
Ft2232hEeprom blank_ft2232h_eeprom();

struct Ft2232hChipConfig {
    Ft2232hEeprom eeprom = blank_ft2232h_eeprom();
    std::uint64_t cycles_per_advance = 1024; // board cycles simulated per step of the device thread
};

class Ft2232hChip : public UsbdevfsDevice {
public:
    static constexpr std::size_t kPacketBytes = 512;
    static constexpr std::size_t kStatusBytes = 2;
    static constexpr std::size_t kPayloadBytes = kPacketBytes - kStatusBytes;

    struct ChipStats {
        std::uint64_t packets = 0, short_packets = 0;
        std::uint64_t status_bytes = 0;  // sent: two per packet
        std::uint64_t payload_bytes = 0; // the FPGA's bytes sent to the host
        std::uint64_t purged_bytes = 0;  // dropped by reset/purge requests
        std::uint64_t dropped_bytes = 0, corrupted_bytes = 0; // injected faults
        std::uint64_t eeprom_writes = 0;
    };

    Ft2232hChip(const Ft2232hChipConfig& config, std::unique_ptr<BoardLink> board);

    BoardLink& board() { return *board_; }
    const ChipStats& chip_stats() const { return chip_stats_; }
    const Ft2232hEeprom& eeprom() const { return eeprom_; }
    bool sync_fifo() const; // bit mode 0x40 on channel A with the EEPROM's 245 FIFO
    unsigned latency_timer_ms() const { return latency_ms_; }
    std::uint8_t bit_mode() const { return bit_mode_; }
    std::uint16_t flow_control() const { return flow_control_; }

    // Fault injection in the FPGA's byte stream (as for the FT601): the 510 payload bytes of the
    // packet that starts at the first payload boundary at or after `stream_offset` are lost; the
    // byte at `stream_offset` arrives with bit 0 flipped.
    void drop_packet_at(std::uint64_t stream_offset) { faults_.drop_packet_at(stream_offset); }
    void corrupt_byte_at(std::uint64_t stream_offset) { faults_.corrupt_byte_at(stream_offset); }
    void hold_board(bool held) { board_held_ = held; }

protected:
    std::optional<std::vector<std::uint8_t>> control_in(const SetupPacket& setup) override;
    bool control_out(const SetupPacket& setup, std::span<const std::uint8_t> data) override;
    std::size_t bulk_out(std::uint8_t endpoint, std::span<const std::uint8_t> data) override;
    InProgress bulk_in(std::uint8_t endpoint, std::span<std::uint8_t> room, std::size_t filled) override;
    bool advance() override;

private:
    std::array<std::uint8_t, kStatusBytes> status() const;
    bool latency_expired() const;
    void packet_sent(bool full);
    std::size_t take_from_fpga(std::uint8_t* into, std::size_t max);
    void purge_to_host();

    Ft2232hChipConfig config_;
    std::unique_ptr<BoardLink> board_;
    Ft2232hEeprom eeprom_;
    std::uint8_t channel_a_ = 0; // channel A's mode, as the chip read its EEPROM at power-up
    std::uint8_t bit_mode_ = 0, bit_mask_ = 0;
    unsigned latency_ms_ = 16; // the chip's default (FTDI AN232B-04)
    std::uint16_t flow_control_ = 0;
    std::uint64_t last_packet_cycle_ = 0;                     // board time of the last packet
    std::chrono::steady_clock::time_point last_packet_time_;  // host time, while the FIFO is off
    std::uint64_t siwu_seen_ = 0;
    StreamFaults faults_{kPayloadBytes};
    bool board_held_ = false;
    ChipStats chip_stats_;
};

} // namespace dira::testbench::usb
