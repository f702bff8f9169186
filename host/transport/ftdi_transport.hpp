// The `ftdi` transport: the iCE40 station board, whose FPGA talks to an FTDI FT2232H (the FT2232H
// Mini Module on the HX8K breakout, docs/boards.md) in 245 synchronous FIFO mode, through libftdi1.
//
// How the chip is driven, from FTDI's AN_130 ("FT2232H Used in an FT245 Style Synchronous FIFO
// Mode"): only channel A has the mode; its EEPROM must say "245 FIFO" (checked at open: a chip
// set otherwise is refused with what to change); the software resets the bit mode (0x00), waits
// 10 ms, and sets bit mode 0x40 (synchronous FIFO, all eight data lines), then a latency timer,
// 64 KiB USB transfers and RTS/CTS flow control (AN_130 section 4.1 code, 4.2 "Getting the best
// performance"). The chip is purged before the FIFO starts, so no byte of an earlier session
// reaches this one, and its bit mode is reset at close (the FPGA then sees no CLKOUT and stops).
//
// Every 512-byte USB packet from the chip starts with two status bytes (modem and line status:
// Linux's drivers/usb/serial/ftdi_sio.h, "IN Endpoint"); libftdi's ftdi_read_data removes them
// (src/ftdi.c: it skips 2 bytes at the start of each max_packet_size chunk of a transfer), so what
// read() returns is the FPGA's byte stream alone. The chip also sends the two bytes alone every
// latency-timer period when it has no data: ftdi_read_data then returns 0 bytes, and read() keeps
// waiting until its timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "transport/transport.hpp"
#include "transport/usb_device.hpp"
#include "transport/usb_ids.hpp"

struct ftdi_context;

namespace dira::transport {

struct FtdiConfig {
    // FTDI's default ID for an FT2232H (the Mini Module ships with it; so does the breakout's own
    // FT2232H, which the EEPROM check tells apart: its channel A is not a 245 FIFO).
    std::uint16_t vendor_id = kFtdiVendorId;
    std::uint16_t product_id = kFt2232hProductId;
    // The chip sends a short packet when this long has passed without a full one (1..255 ms). The
    // bridge's SIWU# pulse sends register replies at once; this bounds everything else.
    unsigned latency_timer_ms = 2;
    // USB read and write request size (AN_130 4.2: 64 KiB), a multiple of the 512-byte packet.
    std::size_t transfer_bytes = 64 * 1024;
    // A USB request the chip does not answer in this long means the chip is gone or wedged (it
    // answers every read within a latency-timer period, with status bytes at least).
    std::chrono::milliseconds usb_timeout{5000};
};

// What an FT2232H's EEPROM says its channel A is (libftdi's CHANNEL_IS_* values; the FT2232H
// EEPROM holds it in bits 0..2 of byte 0: libftdi doc/EEPROM-structure).
std::string ft2232h_channel_name(int channel_type);

// A board as discovery sees it (nothing is streamed; its channel A is claimed for a moment to read
// the EEPROM, so a board another program holds shows as busy).
struct FtdiBoardInfo {
    int bus = 0;
    int address = 0;
    std::string port_path;
    std::string manufacturer, product, serial;
    std::string chip;                          // "FT2232H, EEPROM channel A: 245 FIFO"
    std::optional<Error> open_error;           // could not be opened (permission, busy, ...)
    std::optional<Error> configuration_error;  // not usable as a station (EEPROM, chip type)
    std::string id() const;                    // "ftdi:SERIAL" or "ftdi:BUS-ADDRESS"
};

// Every device with the configured IDs. Never throws for one device; throws dira::Error
// (unsupported) if libftdi cannot start.
std::vector<FtdiBoardInfo> list_ftdi_boards(const FtdiConfig& config = {});

class FtdiTransport : public Transport {
public:
    // Opens "ftdi:SERIAL" or "ftdi:BUS-ADDRESS", checks the chip and its EEPROM, and starts the
    // synchronous FIFO. Throws dira::Error: not_found, permission (with the udev rule), busy,
    // device (a chip not set up for the station: says what to change), disconnected.
    explicit FtdiTransport(const std::string& device_id, const FtdiConfig& config = {});
    ~FtdiTransport() override; // resets the bit mode, purges, closes
    FtdiTransport(const FtdiTransport&) = delete;
    FtdiTransport& operator=(const FtdiTransport&) = delete;

    const DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t> bytes) override;
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override;

    std::uint64_t bytes_in() const { return bytes_in_; }
    std::uint64_t bytes_out() const { return bytes_out_; }

private:
    void open(const UsbSelector& selector);
    void start_fifo();
    [[noreturn]] void fail(int code, const std::string& doing);

    FtdiConfig config_;
    DeviceInfo info_;
    ftdi_context* ftdi_ = nullptr;
    bool open_ = false;
    std::optional<Error> failure_; // the link broke (unplugged): every later call says so
    std::uint64_t bytes_in_ = 0, bytes_out_ = 0;
};

} // namespace dira::transport
