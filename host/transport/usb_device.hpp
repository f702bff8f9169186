// A station board on USB: an FPGA behind an FTDI FT601 USB3 FIFO bridge in 245 synchronous FIFO
// mode (docs/station.md, "FT601 bridge"), reached with libusb-1.0. docs/host.md ("USB") documents
// the IDs, interfaces and endpoints below, the udev rule and what was tested where.
//
// This header holds what is pure logic (configuration, device ids, error mapping, sizing of the
// transfer queue) so it can be tested on a machine without a board; usb_transport.hpp opens boards.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "transport/usb_ids.hpp"

namespace dira::transport {

struct UsbConfig {
    // FTDI's FT601 defaults (the chip's EEPROM can be given other IDs; so can --usb-vid/--usb-pid).
    std::uint16_t vendor_id = kFtdiVendorId;
    std::uint16_t product_id = kFt601ProductId;
    // FT601, one channel in 245 mode: interface 0 carries the chip's session commands (EP 0x01 OUT,
    // EP 0x81 IN notifications), interface 1 the FIFO data (EP 0x02 OUT toward the FPGA, EP 0x82 IN).
    int control_interface = 0;
    int data_interface = 1;
    std::uint8_t request_endpoint = 0x01; // session requests (FT60x read requests)
    std::uint8_t out_endpoint = 0x02;     // register commands toward the FPGA
    std::uint8_t in_endpoint = 0x82;      // frames from the FPGA
    // FT60x chips deliver IN data only against a read request written to `request_endpoint` first
    // (what FTDI's D3XX driver does for each read). Off for a plain bulk FIFO bridge.
    bool ft60x_read_requests = true;
    // The asynchronous bulk IN queue: transfers of this size, as many as fit the budget below.
    std::size_t transfer_bytes = 256 * 1024; // a multiple of 1024 (SuperSpeed bulk packets)
    unsigned max_transfers = 16;
    // Share of Linux's usbfs memory limit (usbfs_memory_mb, 16 MiB by default) one board may use:
    // a quarter leaves room for Alice and Bob in one process and for other programs.
    double usbfs_share = 0.25;
    std::chrono::milliseconds write_timeout{1000};
};

// The transfer queue a board gets: depth x bytes, kept below its share of the usbfs limit.
struct TransferQueuePlan {
    unsigned transfers = 0;
    std::size_t transfer_bytes = 0;
    std::size_t total_bytes() const { return transfers * transfer_bytes; }
};
// Throws dira::Error(invalid_argument) when even one transfer does not fit or the size is not a
// multiple of 1024.
TransferQueuePlan plan_transfer_queue(const UsbConfig& config, std::size_t usbfs_limit_bytes);

// Linux's usbfs limit for this machine: /sys/module/usbcore/parameters/usbfs_memory_mb (0 there
// means no limit); the kernel's 16 MiB default when the file is absent.
std::size_t usbfs_memory_limit_bytes(const std::string& sysfs_path = "/sys/module/usbcore/parameters/usbfs_memory_mb");

// What --device takes for a USB board: "usb:SERIAL" (the FT601's serial number string), or
// "usb:BUS-ADDRESS" (e.g. "usb:3-7") for a board whose serial cannot be read; the same after
// "ftdi:" for a board behind an FT2232H (ftdi_transport.hpp).
struct UsbSelector {
    std::optional<std::string> serial;
    std::optional<std::pair<int, int>> bus_address;
};
// Throws dira::Error(invalid_argument) for an id that is not "<transport>:SERIAL" or
// "<transport>:BUS-ADDRESS".
UsbSelector parse_usb_selector(const std::string& device_id, const std::string& transport = "usb");

// A board as discovery sees it, before anything is opened for streaming.
struct UsbBoardInfo {
    int bus = 0;
    int address = 0;
    std::string port_path;        // e.g. "3-1.4"
    std::string serial;           // empty when it could not be read
    std::string product;
    std::string speed;            // "SuperSpeed (5 Gbit/s)", ...
    std::optional<Error> open_error; // why the board could not be opened to read its strings
    std::string chip;             // "FT601: 245 mode, 1 channel, 100 MHz FIFO clock" (empty if unread)
    std::optional<Error> configuration_error; // why the chip's configuration does not fit the station
    std::string id() const;       // "usb:SERIAL" or "usb:BUS-ADDRESS"
};

// Lists the boards with the configured IDs, with their FT601 configuration read (no interface is
// claimed: a board in use by another program is listed too). Never throws for an individual board
// (open_error, configuration_error say what is wrong); throws dira::Error(unsupported) if libusb
// cannot start at all.
std::vector<UsbBoardInfo> list_usb_boards(const UsbConfig& config = {});

// Turns a libusb error code into a dira::Error whose kind a program can act on and whose message
// says what to do (udev rule, unplug, ...). `doing` says what was attempted, e.g. "opening usb:X".
Error usb_error(int libusb_code, const std::string& doing);

// No board matched `selector` among the devices with the given USB ID: says what was looked for and
// what is connected (`seen`: serials or bus-addresses), or that nothing is. `what` names the board.
Error no_such_board(const std::string& what, const UsbSelector& selector, std::uint16_t vendor_id, std::uint16_t product_id,
                    const std::vector<std::string>& seen);

// A board that went away while streaming (the message both USB transports give).
Error unplugged_mid_stream(const std::string& device_id, std::uint64_t bytes_received);

// The port path of a device, e.g. "3-1.4" (libusb_device*).
std::string usb_port_path(void* libusb_device);

// The udev rule file shipped in udev/ and where it goes.
inline constexpr const char* kUdevRuleFile = "udev/60-dira.rules";
inline constexpr const char* kUdevInstallHint =
    "install the udev rule: sudo cp udev/60-dira.rules /etc/udev/rules.d/ && sudo udevadm control --reload "
    "&& sudo udevadm trigger, then unplug and replug the board (and be in the plugdev group)";

} // namespace dira::transport
