// The `usb` transport: one station board behind an FT601 (usb_device.hpp), through libusb-1.0.
//
// Streaming: a bounded queue of asynchronous bulk IN transfers (plan_transfer_queue: below the
// usbfs limit). A completed transfer waits, with its data, until read() has handed all of it over,
// and only then is resubmitted: when the host falls behind, the queue runs dry, the FT601 fills and
// the firmware drops records and counts them (RECORDS_DROPPED) instead of the host buffering
// without bound. Everything runs in the caller's thread (libusb events are handled inside read()
// and write()); one UsbTransport must not be used from two threads at once.
//
// Zero-length packets: an IN transfer that completes with no data (a ZLP ends a transfer whose
// length is a multiple of the packet size) is counted and resubmitted; OUT transfers ask for a ZLP
// when their length is a multiple of the packet size, so a FIFO bridge never waits for more.
//
// The chip (docs/host.md, "FT601: what dira sends"): at open, the FT601's configuration is read
// and a chip not in 245 mode with one channel is refused with what to change; the IN pipe is
// flushed (as FTDI's driver does when it opens the chip) so nothing a previous session left in
// the chip reaches this one. At close, the queued reads are cancelled and the IN pipe's session
// is stopped and flushed, so no read request of this session outlives it.
//
// Failures: unplugging ends the stream with dira::Error(disconnected) once the data that did arrive
// has been read (never a silent short read); a write that does not complete in time is
// dira::Error(timeout) saying what was pending; other transfer failures are dira::Error(device).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "transport/ft60x_protocol.hpp"
#include "transport/transport.hpp"
#include "transport/usb_device.hpp"

struct libusb_context;
struct libusb_device_handle;
struct libusb_transfer;

namespace dira::transport {

struct UsbStreamStats {
    std::uint64_t bytes_in = 0;
    std::uint64_t transfers_completed = 0;
    std::uint64_t zero_length_transfers = 0;
    std::uint64_t bytes_out = 0;
};

class UsbTransport : public Transport {
public:
    // Opens the board `device_id` ("usb:SERIAL" or "usb:BUS-ADDRESS"), claims its interfaces and
    // starts the IN queue. Throws dira::Error: not_found (no such board: lists what is there),
    // permission (with the udev rule), busy, disconnected, device (among others: a chip not
    // configured for the station, saying what to change).
    explicit UsbTransport(const std::string& device_id, const UsbConfig& config = {});
    ~UsbTransport() override; // cancels and reaps every transfer, releases the interfaces
    UsbTransport(const UsbTransport&) = delete;
    UsbTransport& operator=(const UsbTransport&) = delete;

    const DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t> bytes) override;
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override;

    const TransferQueuePlan& queue() const { return plan_; }
    // The FT601's configuration as read at open (absent with ft60x_read_requests off).
    const std::optional<ft60x::Configuration>& chip_configuration() const { return chip_config_; }
    const UsbStreamStats& stats() const { return stats_; }

    struct Slot; // one IN transfer with its buffer (and its FT60x read request)

private:
    void open_device(const UsbSelector& selector);
    void check_chip_configuration();
    // Writes one FT60x session command for the IN pipe; returns the libusb result.
    int send_session_command(ft60x::SessionCommandCode command, std::uint32_t length, unsigned timeout_ms);
    void start_queue();
    void submit(Slot& slot);
    void handle_events(std::chrono::milliseconds timeout);
    void throw_if_failed();
    Error unplugged() const;
    void cancel_and_reap();

    UsbConfig config_;
    DeviceInfo info_;
    TransferQueuePlan plan_;
    libusb_context* ctx_ = nullptr;
    libusb_device_handle* handle_ = nullptr;
    std::vector<int> claimed_;
    std::vector<std::unique_ptr<Slot>> slots_;
    std::deque<Slot*> completed_; // transfers whose data read() has not finished handing over
    std::size_t completed_offset_ = 0; // bytes of completed_.front() already handed over
    unsigned in_flight_ = 0;
    std::uint32_t request_index_ = 0;
    std::optional<Error> failure_; // the first transfer failure (disconnect, stall, ...)
    std::optional<ft60x::Configuration> chip_config_;
    bool session_started_ = false; // the IN pipe was flushed at open: stop its session at close
    UsbStreamStats stats_;

    friend void usb_transfer_done(libusb_transfer* t);
};

} // namespace dira::transport
