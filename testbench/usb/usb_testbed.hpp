// A umockdev testbed holding emulated USB devices (usbdevfs_device.hpp): sysfs entries and
// /dev/bus/usb nodes that unmodified libusb (and libftdi on top of it) enumerate and open, with
// every usbdevfs ioctl answered by the device's model in a thread of its own (its device thread:
// two boards simulate on two cores, as two boards run side by side).
//
// The process must run under umockdev's preload library (umockdev-wrapper, which ctest sets up:
// tests/usb/CMakeLists.txt); child processes started from it inherit the testbed, so a `dira`
// command run from a test sees the emulated boards too.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "usb/usbdevfs_device.hpp"

namespace dira::testbench::usb {

class UsbTestbed {
public:
    // Throws std::runtime_error (saying how to run it) when not under umockdev's preload.
    UsbTestbed();
    ~UsbTestbed();
    UsbTestbed(const UsbTestbed&) = delete;
    UsbTestbed& operator=(const UsbTestbed&) = delete;

    // Plugs `device` into port `port` of root hub `bus`, at USB address `address`: from now on it is
    // /dev/bus/usb/BBB/AAA and /sys/bus/usb/devices/BUS-PORT. The testbed keeps the device.
    template <class Device>
    Device& plug(std::unique_ptr<Device> device, int bus, int address, int port = 1) {
        Device& d = *device;
        add(std::move(device), bus, address, port);
        return d;
    }
    // Pulls the cable: URBs in flight fail (-ESHUTDOWN), later ioctls say ENODEV, udev hears
    // "remove", and the sysfs entry and device node go away. The model stays (for its counters).
    void unplug(UsbdevfsDevice& device);

    // Runs `f` in `device`'s thread, where its model lives, and returns when it has run.
    void run(UsbdevfsDevice& device, const std::function<void()>& f);

private:
    class DeviceThread; // a GLib main context and the thread that runs it
    struct Plugged {
        std::unique_ptr<DeviceThread> thread;
        std::unique_ptr<UsbdevfsDevice> device;
        std::string syspath; // /sys/devices/...
        std::string devnode; // /dev/bus/usb/BBB/AAA
        bool present = true;
    };
    void add(std::unique_ptr<UsbdevfsDevice> device, int bus, int address, int port);
    Plugged& plugged(UsbdevfsDevice& device);

    void* testbed_ = nullptr; // UMockdevTestbed*
    std::map<UsbdevfsDevice*, Plugged> devices_;
};

} // namespace dira::testbench::usb
