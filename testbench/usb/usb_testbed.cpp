#include "usb/usb_testbed.hpp"

#include <umockdev.h>

#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace dira::testbench::usb {
namespace {

UMockdevTestbed* tb(void* p) { return static_cast<UMockdevTestbed*>(p); }

std::string padded(int n) {
    char s[8];
    std::snprintf(s, sizeof s, "%03d", n);
    return s;
}

} // namespace

class UsbTestbed::DeviceThread {
public:
    DeviceThread() : context_(g_main_context_new()), loop_(g_main_loop_new(context_, FALSE)) {
        thread_ = std::thread([this] {
            g_main_context_push_thread_default(context_);
            g_main_loop_run(loop_);
            g_main_context_pop_thread_default(context_);
        });
    }
    ~DeviceThread() {
        g_main_loop_quit(loop_);
        thread_.join();
        g_main_loop_unref(loop_);
        g_main_context_unref(context_);
    }

    void run(const std::function<void()>& f) {
        struct Call {
            const std::function<void()>* f = nullptr;
            std::mutex m;
            std::condition_variable cv;
            bool done = false;
            std::exception_ptr error;
        } call;
        call.f = &f;
        g_main_context_invoke(
            context_,
            +[](gpointer p) -> gboolean {
                auto& c = *static_cast<Call*>(p);
                try {
                    (*c.f)();
                } catch (...) {
                    c.error = std::current_exception();
                }
                std::lock_guard lock(c.m);
                c.done = true;
                c.cv.notify_one();
                return G_SOURCE_REMOVE;
            },
            &call);
        std::unique_lock lock(call.m);
        call.cv.wait(lock, [&] { return call.done; });
        if (call.error) std::rethrow_exception(call.error);
    }

private:
    GMainContext* context_;
    GMainLoop* loop_;
    std::thread thread_;
};

UsbTestbed::UsbTestbed() {
    testbed_ = umockdev_testbed_new();
    // True only when the preload redirects /sys into the testbed just made (umockdev checks the inode).
    if (!umockdev_in_mock_environment()) {
        g_object_unref(testbed_);
        throw std::runtime_error("the emulated USB devices need umockdev's preload library: run this program as "
                                 "`umockdev-wrapper PROGRAM` (ctest does; Debian package umockdev)");
    }
}

UsbTestbed::~UsbTestbed() {
    for (auto& [d, p] : devices_) {
        p.thread->run([&] { p.device.reset(); }); // its GLib sources live in its thread
        p.thread.reset();
        if (p.present) {
            umockdev_testbed_detach_ioctl(tb(testbed_), p.devnode.c_str(), nullptr);
            umockdev_testbed_remove_device(tb(testbed_), p.syspath.c_str());
        }
    }
    g_object_unref(testbed_);
}

UsbTestbed::Plugged& UsbTestbed::plugged(UsbdevfsDevice& device) {
    auto it = devices_.find(&device);
    if (it == devices_.end()) throw std::invalid_argument("that device is not plugged into this testbed");
    return it->second;
}

void UsbTestbed::run(UsbdevfsDevice& device, const std::function<void()>& f) { plugged(device).thread->run(f); }

void UsbTestbed::add(std::unique_ptr<UsbdevfsDevice> device, int bus, int address, int port) {
    const auto& d = device->description();
    const std::string name = std::to_string(bus) + "-" + std::to_string(port);
    const std::string devpath = "/devices/pci0000:00/0000:00:14.0/usb" + std::to_string(bus) + "/" + name;
    const std::string node = "bus/usb/" + padded(bus) + "/" + padded(address);
    char ids[64];
    std::snprintf(ids, sizeof ids, "A: idVendor=%04x\nA: idProduct=%04x\n", d.vendor_id, d.product_id);
    // umockdev-record format; the attributes are the ones libusb reads from sysfs.
    const std::string record = "P: " + devpath + "\nN: " + node + "\nE: DEVNAME=/dev/" + node +
                               "\nE: DEVTYPE=usb_device\nE: DRIVER=usb\nE: SUBSYSTEM=usb\nE: BUSNUM=" + padded(bus) +
                               "\nE: DEVNUM=" + padded(address) + "\nA: busnum=" + std::to_string(bus) +
                               "\nA: devnum=" + std::to_string(address) + "\n" + ids + "A: speed=" +
                               std::to_string(d.speed_mbps) + "\nA: bConfigurationValue=1\nA: dev=189:" +
                               std::to_string((bus - 1) * 128 + address - 1) + "\n";
    GError* error = nullptr;
    if (!umockdev_testbed_add_from_string(tb(testbed_), record.c_str(), &error)) {
        const std::string m = error ? error->message : "unknown error";
        if (error) g_error_free(error);
        throw std::runtime_error("umockdev refused the emulated device " + name + ": " + m);
    }
    const std::string syspath = "/sys" + devpath;
    std::vector<std::uint8_t> descriptors = d.descriptors; // the binary sysfs "descriptors" file
    umockdev_testbed_set_attribute_binary(tb(testbed_), syspath.c_str(), "descriptors", descriptors.data(),
                                          static_cast<gint>(descriptors.size()));
    const std::string devnode = "/dev/" + node;
    UsbdevfsDevice* raw = device.get();
    auto thread = std::make_unique<DeviceThread>();
    // umockdev listens for the node's ioctls in the thread-default context at attach time.
    thread->run([&] {
        if (!umockdev_testbed_attach_ioctl(tb(testbed_), devnode.c_str(), static_cast<UMockdevIoctlBase*>(raw->ioctl_handler()),
                                           &error)) {
            const std::string m = error ? error->message : "unknown error";
            if (error) g_error_free(error);
            throw std::runtime_error("umockdev could not attach the ioctl handler for " + devnode + ": " + m);
        }
    });
    devices_[raw] = Plugged{std::move(thread), std::move(device), syspath, devnode, true};
}

void UsbTestbed::unplug(UsbdevfsDevice& device) {
    Plugged& p = plugged(device);
    if (!p.present) return;
    p.thread->run([&] { device.disconnect(); });
    umockdev_testbed_uevent(tb(testbed_), p.syspath.c_str(), "remove");
    umockdev_testbed_detach_ioctl(tb(testbed_), p.devnode.c_str(), nullptr);
    umockdev_testbed_remove_device(tb(testbed_), p.syspath.c_str());
    p.present = false;
}

} // namespace dira::testbench::usb
