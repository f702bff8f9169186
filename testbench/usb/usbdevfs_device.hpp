// An emulated USB device at the Linux usbdevfs boundary: what the kernel's usbfs driver
// (drivers/usb/core/devio.c) does for a program that opened /dev/bus/usb/BBB/DDD, answered inside
// a umockdev testbed (usb_testbed.hpp) so that unmodified libusb and libftdi run against it.
//
// This class is the kernel's half: capabilities, interface claims, URB submission, reaping and
// discarding, standard control requests (string descriptors), and a disconnect. A chip model
// derives from it and supplies what the chip does (vendor control requests, bulk endpoints, the
// board behind it). Every call happens in the testbed's device thread (UsbTestbed::run).
//
// Where umockdev forces a difference from the kernel, and how it is bridged:
//  - The device node is a regular file, so poll() on it never waits and never reports POLLERR.
//    libusb therefore asks REAPURBNDELAY in a loop; when nothing is reapable and URBs are in
//    flight, the answer (EAGAIN) is held back for up to kReapWaitMicroseconds or until an URB
//    completes, standing in for the kernel's poll() wait. A disconnect cannot raise POLLERR: the
//    URBs in flight complete with -ESHUTDOWN (what an xHCI controller gives URBs flushed at a
//    disconnect), which libusb turns into LIBUSB_TRANSFER_NO_DEVICE, and every later ioctl fails
//    with ENODEV.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace dira::testbench::usb {

// A control transfer's setup stage (USB 2.0 spec, 9.3).
struct SetupPacket {
    std::uint8_t request_type = 0;
    std::uint8_t request = 0;
    std::uint16_t value = 0;
    std::uint16_t index = 0;
    std::uint16_t length = 0;
    bool device_to_host() const { return (request_type & 0x80) != 0; }
    bool vendor() const { return (request_type & 0x60) == 0x40; }
};

// What the kernel shows of a device in sysfs and in its descriptors.
struct DeviceDescription {
    std::uint16_t vendor_id = 0;
    std::uint16_t product_id = 0;
    int speed_mbps = 480;                // sysfs "speed": 12, 480, 5000
    std::vector<std::uint8_t> descriptors; // device descriptor then the configuration descriptor
    std::vector<std::string> strings;    // string descriptor i (1-based) is strings[i - 1]
};

class UsbdevfsDevice {
public:
    // How long a REAPURBNDELAY that finds nothing waits for a completion (see above).
    static constexpr long kReapWaitMicroseconds = 1000;

    struct Stats {
        std::uint64_t urbs_submitted = 0;
        std::uint64_t urbs_completed = 0;
        std::uint64_t urbs_discarded = 0;
        std::uint64_t bytes_in = 0;  // device to host, completed bulk IN data
        std::uint64_t bytes_out = 0; // host to device, accepted bulk OUT data
        std::uint64_t opens = 0;     // file descriptors opened on the node
    };

    explicit UsbdevfsDevice(DeviceDescription description);
    virtual ~UsbdevfsDevice();
    UsbdevfsDevice(const UsbdevfsDevice&) = delete;
    UsbdevfsDevice& operator=(const UsbdevfsDevice&) = delete;

    const DeviceDescription& description() const { return description_; }
    bool connected() const { return connected_; }
    const Stats& stats() const { return stats_; }
    // Interfaces claimed by any open file descriptor.
    bool interface_claimed(int interface) const;

    // --- used by UsbTestbed ----------------------------------------------------------------
    // The handler umockdev sends this device's ioctls to (a UMockdevIoctlBase*).
    void* ioctl_handler() const { return handler_; }
    // The cable is pulled: URBs in flight fail, every later ioctl says ENODEV.
    void disconnect();

protected:
    // --- the chip ---------------------------------------------------------------------------
    // A vendor (or class) control request. IN: the bytes to return (nullopt stalls). OUT: `data`
    // is the data stage; return false to stall.
    virtual std::optional<std::vector<std::uint8_t>> control_in(const SetupPacket& setup) = 0;
    virtual bool control_out(const SetupPacket& setup, std::span<const std::uint8_t> data) = 0;
    // Bulk OUT data on `endpoint`: returns how many of the bytes the chip took (the URB completes
    // once all are taken; the rest are offered again later).
    virtual std::size_t bulk_out(std::uint8_t endpoint, std::span<const std::uint8_t> data) = 0;
    // The oldest bulk IN URB on `endpoint` is being filled: `filled` bytes are in it already and
    // `room` is the rest of its buffer. The chip adds what it sends now and says whether the
    // transfer ends here (a short packet, or the buffer is full); a discarded URB keeps its bytes.
    struct InProgress {
        std::size_t added = 0;
        bool ends = false;
    };
    virtual InProgress bulk_in(std::uint8_t endpoint, std::span<std::uint8_t> room, std::size_t filled) = 0;
    // The program discarded (cancelled) the oldest IN URB on `endpoint` with `filled` bytes in it.
    virtual void in_discarded(std::uint8_t endpoint, std::size_t filled) {
        (void)endpoint;
        (void)filled;
    }
    // Runs the chip and the board behind it for a while; called while URBs are in flight. Returns
    // false when the board cannot run now: the next call comes a millisecond later (or at the next
    // ioctl), not at once.
    virtual bool advance() = 0;
    // Every file descriptor on the device was closed (the program ended or closed its handle).
    virtual void all_closed() {}

    // Completes waiting URBs the chip can now serve. Chips call it after a state change that
    // happened outside a URB (a test hook, a timer).
    void service();

private:
    struct Client;
    struct Urb;
    static int on_ioctl(void* handler, void* client, void* self);
    static void on_client_connected(void* handler, void* client, void* self);
    static void on_client_notify(void* client, void* pspec, void* self);
    static int on_idle(void* self);
    static int on_reap_timeout(void* self);
    static int on_retry(void* self);

    Client& track(void* client); // the state of an open file descriptor, made on first sight
    bool handle_ioctl(void* client);
    int claim(void* client_ptr, Client& client, int interface); // 0 or an errno
    int submit_urb(void* client_ptr, Client& client, void* resolved_urb); // 0 or an errno
    bool standard_control(Urb& urb, const SetupPacket& setup);
    void complete(Urb urb, int status, std::size_t actual);
    void reap(Client& client, void* resolved_pointer, bool nonblocking);
    void answer_parked_reaper(Client& client);
    void client_gone(void* client);
    void ensure_idle_running();

    DeviceDescription description_;
    int interface_count_ = 0;
    std::map<std::uint8_t, int> endpoint_interface_; // endpoint address -> interface number
    void* handler_ = nullptr; // UMockdevIoctlBase*
    bool connected_ = true;
    std::map<void*, std::unique_ptr<Client>> clients_;
    std::vector<Urb> in_flight_;
    void* idle_source_ = nullptr; // GSource*: runs advance() while URBs wait
    void* reap_timer_ = nullptr;  // GSource*: answers held-back REAPURBNDELAYs
    void* retry_timer_ = nullptr; // GSource*: restarts the idle step after advance() said "not now"
    Stats stats_;
};

} // namespace dira::testbench::usb
