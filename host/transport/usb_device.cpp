#include "transport/usb_device.hpp"

#include <libusb.h>

#include "transport/ft60x_protocol.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

namespace dira::transport {
namespace {

constexpr std::size_t kSuperSpeedBulkPacketBytes = 1024;
constexpr std::size_t kDefaultUsbfsLimitBytes = 16u << 20; // the kernel's usbfs_memory_mb default

std::string speed_name(int speed) {
    switch (speed) {
    case LIBUSB_SPEED_LOW: return "Low Speed (1.5 Mbit/s)";
    case LIBUSB_SPEED_FULL: return "Full Speed (12 Mbit/s)";
    case LIBUSB_SPEED_HIGH: return "High Speed (480 Mbit/s): plug into a USB3 port for full rate";
    case LIBUSB_SPEED_SUPER: return "SuperSpeed (5 Gbit/s)";
    case LIBUSB_SPEED_SUPER_PLUS: return "SuperSpeed+ (10 Gbit/s)";
    default: return "unknown speed";
    }
}


std::string string_descriptor(libusb_device_handle* h, std::uint8_t index) {
    if (index == 0) return "";
    unsigned char buf[256];
    const int n = libusb_get_string_descriptor_ascii(h, index, buf, sizeof buf);
    return n > 0 ? std::string(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n)) : "";
}

// The FT601 configuration of an opened board, for the listing.
void read_chip(libusb_device_handle* h, UsbBoardInfo& b, const UsbConfig& config) {
    if (!config.ft60x_read_requests) return;
    std::uint8_t bytes[ft60x::kConfigBytes];
    const int n = libusb_control_transfer(h, ft60x::kConfigRequestType, ft60x::kConfigRequest, ft60x::kConfigReadValue, 0,
                                          bytes, sizeof bytes, 1000);
    if (n < 0) {
        b.configuration_error = usb_error(n, "reading the FT601 configuration of " + b.id());
        return;
    }
    try {
        const auto c = ft60x::Configuration::decode(std::span<const std::uint8_t>(bytes, static_cast<std::size_t>(n)));
        b.chip = "FT601: " + c.summary();
        b.configuration_error = ft60x::check_for_station(c, b.id());
    } catch (const Error& e) {
        b.configuration_error = e;
    }
}

struct ContextDeleter {
    void operator()(libusb_context* c) const { libusb_exit(c); }
};

} // namespace

std::string usb_port_path(void* device) {
    auto* dev = static_cast<libusb_device*>(device);
    std::uint8_t ports[8];
    const int n = libusb_get_port_numbers(dev, ports, sizeof ports);
    std::string s = std::to_string(libusb_get_bus_number(dev));
    for (int i = 0; i < n; ++i) s += (i == 0 ? "-" : ".") + std::to_string(ports[i]);
    return s;
}

Error no_such_board(const std::string& what, const UsbSelector& selector, std::uint16_t vendor_id, std::uint16_t product_id,
                    const std::vector<std::string>& seen) {
    std::ostringstream m;
    m << "no " << what << " " << (selector.serial ? "with serial '" + *selector.serial + "'" : "at that bus-address")
      << " (looked for USB ID " << std::hex << vendor_id << ":" << product_id << std::dec << "); ";
    if (seen.empty()) {
        m << "none is connected: check the cable and power, and `dira devices`";
    } else {
        m << "connected:";
        for (const auto& s : seen) m << " " << s;
    }
    return Error(ErrorKind::not_found, m.str());
}

Error unplugged_mid_stream(const std::string& id, std::uint64_t bytes) {
    return Error(ErrorKind::disconnected, id + " was unplugged or lost power mid-stream after " + std::to_string(bytes) +
                                              " bytes; the run cannot continue (every trial after the last stored one is "
                                              "lost): reconnect and start a new run");
}

Error usb_error(int code, const std::string& doing) {
    const std::string what = doing + ": " + libusb_error_name(code) + " (" + libusb_strerror(code) + ")";
    switch (code) {
    case LIBUSB_ERROR_ACCESS: return Error(ErrorKind::permission, what + ": no permission to use the board; " + kUdevInstallHint);
    case LIBUSB_ERROR_NO_DEVICE: return Error(ErrorKind::disconnected, what + ": the board is gone (unplugged or lost power); check the cable and power, then reconnect");
    case LIBUSB_ERROR_NOT_FOUND: return Error(ErrorKind::not_found, what + ": no such board, interface or endpoint; check --device and the board's FT601 configuration (245 mode, 1 channel)");
    case LIBUSB_ERROR_BUSY: return Error(ErrorKind::busy, what + ": another program (or another dira) holds the board; close it, or find it with `lsof /dev/bus/usb/*/*`");
    case LIBUSB_ERROR_TIMEOUT: return Error(ErrorKind::timeout, what + ": the board did not answer in time; is the FPGA configured and its FT601 clock running?");
    case LIBUSB_ERROR_NO_MEM: return Error(ErrorKind::io, what + ": out of memory for USB transfers; raise /sys/module/usbcore/parameters/usbfs_memory_mb or lower the queue");
    case LIBUSB_ERROR_NOT_SUPPORTED: return Error(ErrorKind::unsupported, what + ": this operation is not supported by the system's USB stack");
    case LIBUSB_ERROR_INVALID_PARAM: return Error(ErrorKind::internal, what + ": dira passed libusb a bad parameter (a bug: please report it)");
    case LIBUSB_ERROR_PIPE:
    case LIBUSB_ERROR_OVERFLOW:
    case LIBUSB_ERROR_IO:
    case LIBUSB_ERROR_INTERRUPTED:
    default: return Error(ErrorKind::device, what + ": the USB link misbehaved; replug the board, try another port or cable");
    }
}

TransferQueuePlan plan_transfer_queue(const UsbConfig& config, std::size_t usbfs_limit_bytes) {
    if (config.transfer_bytes == 0 || config.transfer_bytes % kSuperSpeedBulkPacketBytes != 0)
        throw Error(ErrorKind::invalid_argument, "USB transfer size must be a positive multiple of " +
                                                     std::to_string(kSuperSpeedBulkPacketBytes) + " bytes, got " +
                                                     std::to_string(config.transfer_bytes));
    if (config.max_transfers == 0) throw Error(ErrorKind::invalid_argument, "the USB transfer queue needs at least one transfer");
    if (!(config.usbfs_share > 0 && config.usbfs_share <= 1))
        throw Error(ErrorKind::invalid_argument, "usbfs share must be in (0, 1]");
    TransferQueuePlan plan{config.max_transfers, config.transfer_bytes};
    if (usbfs_limit_bytes == 0) return plan; // the administrator lifted the limit
    const auto budget = static_cast<std::size_t>(std::floor(static_cast<double>(usbfs_limit_bytes) * config.usbfs_share));
    const std::size_t fit = budget / config.transfer_bytes;
    if (fit == 0)
        throw Error(ErrorKind::invalid_argument,
                    "one USB transfer of " + std::to_string(config.transfer_bytes) + " bytes exceeds this board's share (" +
                        std::to_string(budget) + " bytes) of the usbfs limit; use smaller transfers or raise "
                        "/sys/module/usbcore/parameters/usbfs_memory_mb");
    plan.transfers = static_cast<unsigned>(std::min<std::size_t>(fit, config.max_transfers));
    return plan;
}

std::size_t usbfs_memory_limit_bytes(const std::string& sysfs_path) {
    std::ifstream in(sysfs_path);
    long long mb = -1;
    if (!(in >> mb) || mb < 0) return kDefaultUsbfsLimitBytes;
    return static_cast<std::size_t>(mb) << 20;
}

UsbSelector parse_usb_selector(const std::string& id, const std::string& transport) {
    const std::string prefix = transport + ":";
    if (id.rfind(prefix, 0) != 0 || id.size() == prefix.size())
        throw Error(ErrorKind::invalid_argument, "'" + id + "' is not a " + transport + " device id: use " + prefix + "SERIAL or " +
                                                     prefix + "BUS-ADDRESS (see `dira devices`)");
    const std::string rest = id.substr(prefix.size());
    UsbSelector s;
    const auto dash = rest.find('-');
    if (dash != std::string::npos && dash > 0 && dash + 1 < rest.size() &&
        rest.find_first_not_of("0123456789-") == std::string::npos && rest.find('-', dash + 1) == std::string::npos) {
        int bus = 0, address = 0;
        std::from_chars(rest.data(), rest.data() + dash, bus);
        std::from_chars(rest.data() + dash + 1, rest.data() + rest.size(), address);
        if (bus < 1 || bus > 255 || address < 1 || address > 127)
            throw Error(ErrorKind::invalid_argument, "'" + id + "': the USB bus is 1..255 and the address 1..127");
        s.bus_address = {bus, address};
        return s;
    }
    s.serial = rest;
    return s;
}

std::string UsbBoardInfo::id() const {
    return serial.empty() ? "usb:" + std::to_string(bus) + "-" + std::to_string(address) : "usb:" + serial;
}

std::vector<UsbBoardInfo> list_usb_boards(const UsbConfig& config) {
    libusb_context* raw = nullptr;
    if (const int rc = libusb_init(&raw); rc != 0) throw Error(ErrorKind::unsupported, usb_error(rc, "starting libusb").what());
    std::unique_ptr<libusb_context, ContextDeleter> ctx(raw);
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(ctx.get(), &list);
    if (n < 0) throw usb_error(static_cast<int>(n), "listing USB devices");
    std::vector<UsbBoardInfo> boards;
    for (ssize_t i = 0; i < n; ++i) {
        libusb_device* dev = list[i];
        libusb_device_descriptor desc{};
        if (libusb_get_device_descriptor(dev, &desc) != 0) continue;
        if (desc.idVendor != config.vendor_id || desc.idProduct != config.product_id) continue;
        UsbBoardInfo b;
        b.bus = libusb_get_bus_number(dev);
        b.address = libusb_get_device_address(dev);
        b.port_path = usb_port_path(dev);
        b.speed = speed_name(libusb_get_device_speed(dev));
        libusb_device_handle* h = nullptr;
        if (const int rc = libusb_open(dev, &h); rc != 0) {
            b.open_error = usb_error(rc, "opening the board on bus " + std::to_string(b.bus) + " address " + std::to_string(b.address));
        } else {
            b.serial = string_descriptor(h, desc.iSerialNumber);
            b.product = string_descriptor(h, desc.iProduct);
            read_chip(h, b, config);
            libusb_close(h);
        }
        boards.push_back(std::move(b));
    }
    libusb_free_device_list(list, 1);
    return boards;
}

} // namespace dira::transport
