#include "usb/usbdevfs_device.hpp"

#include "usb/usb_descriptors.hpp"

// <sys/ioctl.h> first: <linux/usbdevice_fs.h> builds its request numbers from its macros.
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>

#include <umockdev.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <set>
#include <stdexcept>

#include "core/byte_order.hpp"

namespace dira::testbench::usb {
namespace {

using Clock = std::chrono::steady_clock;

// What drivers/usb/core/devio.c (proc_get_capabilities) reports for a device on an xHCI
// controller: xHCI sets no_stop_on_short (so no BULK_CONTINUATION) and has a scatter-gather
// table (BULK_SCATTER_GATHER): libusb then sends each bulk transfer as one URB.
constexpr std::uint32_t kXhciCapabilities = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                                            USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_BULK_SCATTER_GATHER;

constexpr std::uint8_t kDescriptorDevice = 1, kDescriptorConfiguration = 2, kDescriptorString = 3,
                       kDescriptorInterface = 4, kDescriptorEndpoint = 5;
constexpr std::uint8_t kRequestGetStatus = 0, kRequestGetDescriptor = 6, kRequestGetConfiguration = 8;
constexpr std::size_t kDeviceDescriptorBytes = 18;
constexpr std::uint16_t kLanguageEnglishUs = 0x0409;

// USBDEVFS_GET_SPEED answers (enum usb_device_speed).
int kernel_speed_code(int mbps) {
    switch (mbps) {
    case 12: return 2;    // USB_SPEED_FULL
    case 480: return 3;   // USB_SPEED_HIGH
    case 5000: return 5;  // USB_SPEED_SUPER
    default: return 0;
    }
}

std::size_t ioctl_arg_size(unsigned long request) { return (request >> _IOC_SIZESHIFT) & ((1u << _IOC_SIZEBITS) - 1); }

UMockdevIoctlData* resolve(UMockdevIoctlData* data, std::size_t offset, std::size_t len) {
    GError* error = nullptr;
    UMockdevIoctlData* r = umockdev_ioctl_data_resolve(data, offset, len, &error);
    if (error) {
        const std::string m = error->message;
        g_error_free(error);
        throw std::runtime_error("umockdev could not read the client's memory: " + m);
    }
    return r;
}

} // namespace

struct UsbdevfsDevice::Urb {
    UMockdevIoctlData* data = nullptr;   // the struct usbdevfs_urb, resolved (one reference held)
    UMockdevIoctlData* buffer = nullptr; // its buffer (control and OUT URBs), a child of `data`
    // An IN URB's data, kept here and copied into the program's buffer when it is reaped: only the
    // bytes that came are copied then, not the whole buffer at submission and again at reaping.
    std::vector<std::uint8_t> staged;
    void* client = nullptr;
    std::uint8_t endpoint = 0;
    std::size_t length = 0;
    std::size_t done = 0; // OUT bytes the chip has taken

    usbdevfs_urb* header() const { return reinterpret_cast<usbdevfs_urb*>(data->data); }
    std::uint8_t* bytes() const { return buffer ? buffer->data : nullptr; }
    bool is_in() const { return (endpoint & 0x80) != 0; }
};

struct UsbdevfsDevice::Client {
    std::vector<Urb> completed; // reapable, in completion order
    std::set<int> claimed;
    bool last_reap_found = false;
    UMockdevIoctlClient* parked = nullptr;     // a REAPURBNDELAY held back (see the header)
    UMockdevIoctlData* parked_pointer = nullptr;
    Clock::time_point parked_until{};
};

UsbdevfsDevice::UsbdevfsDevice(DeviceDescription description) : description_(std::move(description)) {
    if (description_.descriptors.size() < kDeviceDescriptorBytes + 9)
        throw std::invalid_argument("a USB device needs a device and a configuration descriptor");
    const auto& d = description_.descriptors;
    int current_interface = -1;
    for (std::size_t i = kDeviceDescriptorBytes; i + 2 < d.size() && d[i] >= 2; i += d[i]) {
        if (d[i + 1] == kDescriptorInterface) {
            current_interface = d[i + 2];
            interface_count_ = std::max(interface_count_, current_interface + 1);
        } else if (d[i + 1] == kDescriptorEndpoint && current_interface >= 0) {
            endpoint_interface_[d[i + 2]] = current_interface;
        }
    }
    handler_ = g_object_new(UMOCKDEV_TYPE_IOCTL_BASE, nullptr);
    g_signal_connect(handler_, "handle-ioctl", G_CALLBACK(+[](UMockdevIoctlBase* h, UMockdevIoctlClient* c, gpointer self) -> gboolean {
                         return on_ioctl(h, c, self);
                     }),
                     this);
    g_signal_connect(handler_, "client-connected", G_CALLBACK(+[](UMockdevIoctlBase* h, UMockdevIoctlClient* c, gpointer self) {
                         on_client_connected(h, c, self);
                     }),
                     this);
}

UsbdevfsDevice::~UsbdevfsDevice() {
    for (void* source : {idle_source_, reap_timer_, retry_timer_})
        if (source) {
            g_source_destroy(static_cast<GSource*>(source));
            g_source_unref(static_cast<GSource*>(source));
        }
    for (auto& u : in_flight_) g_object_unref(u.data);
    for (auto& [c, client] : clients_) {
        for (auto& u : client->completed) g_object_unref(u.data);
        g_signal_handlers_disconnect_by_data(c, this);
        g_object_unref(c);
    }
    g_signal_handlers_disconnect_by_data(handler_, this);
    g_object_unref(handler_);
}

bool UsbdevfsDevice::interface_claimed(int interface) const {
    return std::any_of(clients_.begin(), clients_.end(), [&](const auto& c) { return c.second->claimed.count(interface) != 0; });
}

// --- GLib entry points ---------------------------------------------------------------------

int UsbdevfsDevice::on_ioctl(void*, void* client, void* self) {
    return static_cast<UsbdevfsDevice*>(self)->handle_ioctl(client) ? TRUE : FALSE;
}

void UsbdevfsDevice::on_client_connected(void*, void* client, void* self) {
    static_cast<UsbdevfsDevice*>(self)->track(client);
}

UsbdevfsDevice::Client& UsbdevfsDevice::track(void* client) {
    auto it = clients_.find(client);
    if (it != clients_.end()) return *it->second;
    g_object_ref(client); // released in client_gone() or the destructor
    g_signal_connect(client, "notify::connected", G_CALLBACK(+[](GObject* c, GParamSpec* p, gpointer s) { on_client_notify(c, p, s); }),
                     this);
    ++stats_.opens;
    return *clients_.emplace(client, std::make_unique<Client>()).first->second;
}

void UsbdevfsDevice::on_client_notify(void* client, void*, void* self) {
    if (!umockdev_ioctl_client_get_connected(static_cast<UMockdevIoctlClient*>(client)))
        static_cast<UsbdevfsDevice*>(self)->client_gone(client);
}

int UsbdevfsDevice::on_idle(void* self) {
    auto& dev = *static_cast<UsbdevfsDevice*>(self);
    bool more = false;
    if (dev.connected_ && !dev.in_flight_.empty()) {
        more = dev.advance();
        dev.service();
        if (more && dev.connected_ && !dev.in_flight_.empty()) return G_SOURCE_CONTINUE;
    }
    g_source_unref(static_cast<GSource*>(dev.idle_source_));
    dev.idle_source_ = nullptr;
    if (!more && dev.connected_ && !dev.in_flight_.empty() && !dev.retry_timer_) {
        GSource* s = g_timeout_source_new(1);
        g_source_set_callback(s, +[](gpointer d) -> gboolean { return on_retry(d); }, &dev, nullptr);
        g_source_attach(s, g_main_context_get_thread_default());
        dev.retry_timer_ = s;
    }
    return G_SOURCE_REMOVE;
}

int UsbdevfsDevice::on_reap_timeout(void* self) {
    auto& dev = *static_cast<UsbdevfsDevice*>(self);
    const auto now = Clock::now();
    bool waiting = false;
    for (auto& [c, client] : dev.clients_) {
        if (!client->parked) continue;
        if (now >= client->parked_until) {
            UMockdevIoctlClient* parked = client->parked;
            client->parked = nullptr;
            client->last_reap_found = false;
            umockdev_ioctl_client_complete(parked, -1, EAGAIN);
        } else {
            waiting = true;
        }
    }
    if (waiting) return G_SOURCE_CONTINUE;
    g_source_unref(static_cast<GSource*>(dev.reap_timer_));
    dev.reap_timer_ = nullptr;
    return G_SOURCE_REMOVE;
}

int UsbdevfsDevice::on_retry(void* self) {
    auto& dev = *static_cast<UsbdevfsDevice*>(self);
    g_source_unref(static_cast<GSource*>(dev.retry_timer_));
    dev.retry_timer_ = nullptr;
    dev.service(); // what a timer of the chip's own may have made ready
    dev.ensure_idle_running();
    return G_SOURCE_REMOVE;
}

void UsbdevfsDevice::ensure_idle_running() {
    if (idle_source_ || in_flight_.empty() || !connected_) return;
    GSource* s = g_idle_source_new();
    g_source_set_callback(s, +[](gpointer self) -> gboolean { return on_idle(self); }, this, nullptr);
    g_source_attach(s, g_main_context_get_thread_default());
    idle_source_ = s; // our reference, dropped when the source ends
}

// --- ioctls --------------------------------------------------------------------------------

bool UsbdevfsDevice::handle_ioctl(void* client_ptr) {
    auto* client = static_cast<UMockdevIoctlClient*>(client_ptr);
    const unsigned long request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
    Client& cl = track(client_ptr);
    auto done = [&](long result, int error) { umockdev_ioctl_client_complete(client, result, error); };
    try {
        const std::size_t size = ioctl_arg_size(request);
        UMockdevIoctlData* data = size > 0 ? resolve(arg, 0, size) : nullptr;
        if (!connected_ && request != USBDEVFS_REAPURBNDELAY && request != USBDEVFS_REAPURB) {
            done(-1, ENODEV);
            return true;
        }
        switch (request) {
        case USBDEVFS_GET_CAPABILITIES:
            *reinterpret_cast<std::uint32_t*>(data->data) = kXhciCapabilities;
            done(0, 0);
            return true;
        case USBDEVFS_GET_SPEED:
            done(kernel_speed_code(description_.speed_mbps), 0);
            return true;
        case USBDEVFS_CLAIMINTERFACE:
        case USBDEVFS_DISCONNECT_CLAIM: {
            const int iface = static_cast<int>(*reinterpret_cast<std::uint32_t*>(data->data));
            const int error = claim(client_ptr, cl, iface);
            done(error ? -1 : 0, error);
            return true;
        }
        case USBDEVFS_RELEASEINTERFACE: {
            const int iface = static_cast<int>(*reinterpret_cast<std::uint32_t*>(data->data));
            const bool held = cl.claimed.erase(iface) != 0;
            done(held ? 0 : -1, held ? 0 : EINVAL);
            return true;
        }
        case USBDEVFS_GETDRIVER: // no kernel driver is bound to an emulated device
        case USBDEVFS_IOCTL:
            done(-1, ENODATA);
            return true;
        case USBDEVFS_CONNECTINFO:
            reinterpret_cast<usbdevfs_connectinfo*>(data->data)->devnum = 0;
            reinterpret_cast<usbdevfs_connectinfo*>(data->data)->slow = 0;
            done(0, 0);
            return true;
        case USBDEVFS_SETINTERFACE:
        case USBDEVFS_SETCONFIGURATION:
        case USBDEVFS_CLEAR_HALT:
        case USBDEVFS_RESETEP:
        case USBDEVFS_RESET:
            done(0, 0);
            return true;
        case USBDEVFS_SUBMITURB: {
            const int error = submit_urb(client_ptr, cl, data);
            done(error ? -1 : 0, error);
            service();
            ensure_idle_running();
            return true;
        }
        case USBDEVFS_REAPURB:
        case USBDEVFS_REAPURBNDELAY:
            if (cl.parked) { // cannot happen with one thread per fd; answer the older one first
                umockdev_ioctl_client_complete(cl.parked, -1, EAGAIN);
                cl.parked = nullptr;
            }
            cl.parked = client;
            cl.parked_pointer = data;
            reap(cl, data, request == USBDEVFS_REAPURBNDELAY);
            return true;
        case USBDEVFS_DISCARDURB: {
            const auto address = *reinterpret_cast<unsigned long*>(arg->data);
            auto u = std::find_if(in_flight_.begin(), in_flight_.end(),
                                  [&](const Urb& x) { return x.client == client_ptr && x.data->client_addr == address; });
            if (u == in_flight_.end()) {
                done(-1, EINVAL); // already completed (devio.c: the URB is no longer pending)
                return true;
            }
            Urb urb = *u;
            const bool oldest_on_endpoint = std::none_of(in_flight_.begin(), u, [&](const Urb& x) { return x.endpoint == urb.endpoint; });
            in_flight_.erase(u);
            ++stats_.urbs_discarded;
            if (urb.is_in() && oldest_on_endpoint) in_discarded(urb.endpoint, urb.done);
            complete(urb, -ENOENT, urb.done);
            done(0, 0);
            return true;
        }
        default:
            done(-1, ENOTTY);
            return true;
        }
    } catch (const std::exception&) {
        done(-1, EFAULT);
        return true;
    }
}

int UsbdevfsDevice::claim(void* client_ptr, Client& cl, int interface) {
    if (interface_count_ <= interface || interface < 0) return ENOENT; // devio.c claimintf: no such interface
    for (auto& [other, c] : clients_)
        if (other != client_ptr && c->claimed.count(interface)) return EBUSY;
    cl.claimed.insert(interface);
    return 0;
}

int UsbdevfsDevice::submit_urb(void* client_ptr, Client& cl, void* resolved) {
    auto* data = static_cast<UMockdevIoctlData*>(resolved);
    auto* header = reinterpret_cast<usbdevfs_urb*>(data->data);
    if (header->type != USBDEVFS_URB_TYPE_CONTROL) {
        // devio.c: an endpoint the configuration does not have is ENOENT; its interface is claimed
        // on first use if the program did not (checkintf, with a warning in the kernel log).
        const auto iface = endpoint_interface_.find(header->endpoint);
        if (iface == endpoint_interface_.end()) return ENOENT;
        if (!cl.claimed.count(iface->second))
            if (const int error = claim(client_ptr, cl, iface->second)) return error;
    }
    Urb urb;
    urb.data = data;
    urb.client = client_ptr;
    urb.endpoint = header->endpoint;
    urb.length = header->buffer_length > 0 ? static_cast<std::size_t>(header->buffer_length) : 0;
    const bool in = header->type != USBDEVFS_URB_TYPE_CONTROL && (header->endpoint & 0x80) != 0;
    urb.buffer = urb.length > 0 && !in ? resolve(data, offsetof(usbdevfs_urb, buffer), urb.length) : nullptr;
    g_object_ref(data);
    ++stats_.urbs_submitted;
    header->actual_length = 0;
    header->status = 0;
    if (header->type == USBDEVFS_URB_TYPE_CONTROL) {
        if (urb.length < 8) {
            complete(urb, -EINVAL, 0);
            return 0;
        }
        const std::uint8_t* b = urb.bytes();
        SetupPacket setup{b[0], b[1], load_le<std::uint16_t>(b + 2), load_le<std::uint16_t>(b + 4), load_le<std::uint16_t>(b + 6)};
        const std::size_t room = std::min<std::size_t>(setup.length, urb.length - 8);
        if ((setup.request_type & 0x60) == 0) { // standard request
            if (!standard_control(urb, setup)) complete(urb, -EPIPE, 0);
            return 0;
        }
        if (setup.device_to_host()) {
            const auto reply = control_in(setup);
            if (!reply) {
                complete(urb, -EPIPE, 0);
                return 0;
            }
            const std::size_t n = std::min(room, reply->size());
            std::memcpy(urb.bytes() + 8, reply->data(), n);
            complete(urb, 0, n);
        } else {
            const bool ok = control_out(setup, std::span<const std::uint8_t>(urb.bytes() + 8, room));
            complete(urb, ok ? 0 : -EPIPE, ok ? room : 0);
        }
        return 0;
    }
    in_flight_.push_back(urb);
    return 0;
}

bool UsbdevfsDevice::standard_control(Urb& urb, const SetupPacket& setup) {
    std::vector<std::uint8_t> reply;
    if (setup.device_to_host() && setup.request == kRequestGetDescriptor) {
        const std::uint8_t type = setup.value >> 8, index = setup.value & 0xFF;
        const auto& d = description_.descriptors;
        if (type == kDescriptorDevice) {
            reply.assign(d.begin(), d.begin() + kDeviceDescriptorBytes);
        } else if (type == kDescriptorConfiguration && index == 0) {
            reply.assign(d.begin() + kDeviceDescriptorBytes, d.end());
        } else if (type == kDescriptorString && index == 0) {
            reply = {4, kDescriptorString, kLanguageEnglishUs & 0xFF, kLanguageEnglishUs >> 8};
        } else if (type == kDescriptorString && index <= description_.strings.size()) {
            reply = string_descriptor(description_.strings[index - 1]);
        } else {
            return false;
        }
    } else if (setup.device_to_host() && setup.request == kRequestGetConfiguration) {
        reply = {1};
    } else if (setup.device_to_host() && setup.request == kRequestGetStatus) {
        reply = {0, 0};
    } else if (!setup.device_to_host()) { // SET_CONFIGURATION, SET/CLEAR_FEATURE, SET_INTERFACE: accepted
        complete(urb, 0, 0);
        return true;
    } else {
        return false;
    }
    const std::size_t n = std::min<std::size_t>({reply.size(), setup.length, urb.length - 8});
    std::memcpy(urb.bytes() + 8, reply.data(), n);
    complete(urb, 0, n);
    return true;
}

void UsbdevfsDevice::service() {
    if (!connected_) return;
    std::set<std::uint8_t> blocked; // an endpoint serves its URBs in submission order
    for (std::size_t i = 0; i < in_flight_.size();) {
        Urb& u = in_flight_[i];
        if (blocked.count(u.endpoint)) {
            ++i;
            continue;
        }
        if (u.is_in()) {
            if (u.staged.size() < u.length) u.staged.resize(u.length);
            const InProgress p = bulk_in(u.endpoint, std::span<std::uint8_t>(u.staged.data() + u.done, u.length - u.done), u.done);
            u.done += p.added;
            stats_.bytes_in += p.added;
            if (!p.ends && u.done < u.length) {
                blocked.insert(u.endpoint);
                ++i;
                continue;
            }
            Urb done = u;
            in_flight_.erase(in_flight_.begin() + static_cast<std::ptrdiff_t>(i));
            complete(done, 0, done.done);
        } else {
            const std::size_t n = bulk_out(u.endpoint, std::span<const std::uint8_t>(u.bytes() + u.done, u.length - u.done));
            u.done += n;
            stats_.bytes_out += n;
            if (u.done < u.length) {
                blocked.insert(u.endpoint);
                ++i;
                continue;
            }
            Urb done = u;
            in_flight_.erase(in_flight_.begin() + static_cast<std::ptrdiff_t>(i));
            complete(done, 0, done.length);
        }
    }
}

void UsbdevfsDevice::complete(Urb urb, int status, std::size_t actual) {
    urb.header()->status = status;
    urb.header()->actual_length = static_cast<int>(actual);
    ++stats_.urbs_completed;
    auto it = clients_.find(urb.client);
    if (it == clients_.end()) { // the file descriptor was closed meanwhile
        g_object_unref(urb.data);
        return;
    }
    it->second->completed.push_back(urb);
    answer_parked_reaper(*it->second);
}

void UsbdevfsDevice::reap(Client& cl, void* resolved_pointer, bool nonblocking) {
    (void)resolved_pointer;
    if (!cl.completed.empty()) {
        answer_parked_reaper(cl);
        return;
    }
    const bool in_flight = std::any_of(in_flight_.begin(), in_flight_.end(), [&](const Urb& u) {
        auto it = clients_.find(u.client);
        return it != clients_.end() && it->second.get() == &cl;
    });
    UMockdevIoctlClient* parked = cl.parked;
    if (!connected_) {
        cl.parked = nullptr;
        umockdev_ioctl_client_complete(parked, -1, ENODEV);
        return;
    }
    if (nonblocking && (!in_flight || cl.last_reap_found)) {
        cl.parked = nullptr;
        cl.last_reap_found = false;
        umockdev_ioctl_client_complete(parked, -1, EAGAIN);
        return;
    }
    // Hold the answer (see the header): until an URB completes, or the wait is over.
    cl.parked_until = nonblocking ? Clock::now() + std::chrono::microseconds(kReapWaitMicroseconds) : Clock::time_point::max();
    if (!reap_timer_) {
        GSource* s = g_timeout_source_new(1);
        g_source_set_callback(s, +[](gpointer self) -> gboolean { return on_reap_timeout(self); }, this, nullptr);
        g_source_attach(s, g_main_context_get_thread_default());
        reap_timer_ = s;
    }
    ensure_idle_running();
}

void UsbdevfsDevice::answer_parked_reaper(Client& cl) {
    if (!cl.parked || cl.completed.empty()) return;
    Urb urb = cl.completed.front();
    cl.completed.erase(cl.completed.begin());
    UMockdevIoctlClient* parked = cl.parked;
    cl.parked = nullptr;
    cl.last_reap_found = true;
    if (urb.is_in() && urb.done > 0) { // the program is in this ioctl now: its memory can be written
        try {
            UMockdevIoctlData* buffer = resolve(urb.data, offsetof(usbdevfs_urb, buffer), urb.done);
            std::memcpy(buffer->data, urb.staged.data(), urb.done);
        } catch (const std::exception&) {
            urb.header()->status = -EFAULT;
        }
    }
    umockdev_ioctl_data_set_ptr(cl.parked_pointer, 0, urb.data); // the pointer the program gets back
    g_object_unref(urb.data);
    umockdev_ioctl_client_complete(parked, 0, 0);
}

void UsbdevfsDevice::client_gone(void* client_ptr) {
    auto it = clients_.find(client_ptr);
    if (it == clients_.end()) return;
    // Closing the file discards the URBs it still had (devio.c usbdev_release, destroy_all_async).
    for (auto u = in_flight_.begin(); u != in_flight_.end();) {
        if (u->client == client_ptr) {
            g_object_unref(u->data);
            u = in_flight_.erase(u);
        } else {
            ++u;
        }
    }
    for (auto& u : it->second->completed) g_object_unref(u.data);
    g_signal_handlers_disconnect_by_data(client_ptr, this);
    clients_.erase(it);
    g_object_unref(client_ptr);
    if (clients_.empty()) all_closed();
}

void UsbdevfsDevice::disconnect() {
    if (!connected_) return;
    connected_ = false;
    std::vector<Urb> failing;
    failing.swap(in_flight_);
    for (auto& u : failing) complete(u, -ESHUTDOWN, u.done);
    for (auto& [c, cl] : clients_)
        if (cl->parked && cl->completed.empty()) {
            UMockdevIoctlClient* parked = cl->parked;
            cl->parked = nullptr;
            umockdev_ioctl_client_complete(parked, -1, ENODEV);
        }
}

} // namespace dira::testbench::usb
