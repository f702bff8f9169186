#include "transport/usb_transport.hpp"

#include <libusb.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <sstream>

namespace dira::transport {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kUsbPacketBytes = 1024;
// How long the destructor waits for cancelled transfers to come back.
constexpr std::chrono::milliseconds kReapTimeout{2000};
// Control and session requests at open and close: the chip answers them at once.
constexpr unsigned kChipRequestTimeoutMs = 1000;

const char* status_name(int s) {
    switch (s) {
    case LIBUSB_TRANSFER_COMPLETED: return "completed";
    case LIBUSB_TRANSFER_ERROR: return "error";
    case LIBUSB_TRANSFER_TIMED_OUT: return "timed out";
    case LIBUSB_TRANSFER_CANCELLED: return "cancelled";
    case LIBUSB_TRANSFER_STALL: return "stalled";
    case LIBUSB_TRANSFER_NO_DEVICE: return "no device";
    case LIBUSB_TRANSFER_OVERFLOW: return "overflow";
    default: return "unknown status";
    }
}

} // namespace

struct UsbTransport::Slot {
    UsbTransport* owner = nullptr;
    libusb_transfer* in = nullptr;
    libusb_transfer* request = nullptr; // FT60x read request (null without the FT60x protocol)
    std::vector<std::uint8_t> buffer;
    std::array<std::uint8_t, ft60x::kSessionCommandBytes> request_bytes{};
    bool in_flight = false;
    bool request_in_flight = false;
};

// Both transfer kinds end here; libusb calls it from inside libusb_handle_events*, in our thread.
void usb_transfer_done(libusb_transfer* t) {
    auto* slot = static_cast<UsbTransport::Slot*>(t->user_data);
    UsbTransport& self = *slot->owner;
    const bool is_request = t == slot->request;
    if (is_request) {
        slot->request_in_flight = false;
    } else {
        slot->in_flight = false;
        --self.in_flight_;
    }
    switch (t->status) {
    case LIBUSB_TRANSFER_COMPLETED:
        if (is_request) return;
        ++self.stats_.transfers_completed;
        if (t->actual_length == 0) { // a zero-length packet ended the transfer: nothing to hand over
            ++self.stats_.zero_length_transfers;
            if (!self.failure_) self.submit(*slot);
            return;
        }
        self.stats_.bytes_in += static_cast<std::uint64_t>(t->actual_length);
        self.completed_.push_back(slot);
        return;
    case LIBUSB_TRANSFER_CANCELLED: return; // we are closing
    case LIBUSB_TRANSFER_NO_DEVICE:
        if (!self.failure_) self.failure_ = self.unplugged();
        return;
    default:
        if (!self.failure_)
            self.failure_ = Error(ErrorKind::device, self.info_.id + ": a bulk " + (is_request ? "request" : "IN") +
                                                         " transfer ended with status '" + status_name(t->status) + "' after " +
                                                         std::to_string(self.stats_.bytes_in) + " bytes; replug the board");
        return;
    }
}

namespace {
void LIBUSB_CALL transfer_callback(libusb_transfer* t) { usb_transfer_done(t); }
} // namespace

UsbTransport::UsbTransport(const std::string& device_id, const UsbConfig& config) : config_(config) {
    const UsbSelector selector = parse_usb_selector(device_id);
    plan_ = plan_transfer_queue(config_, usbfs_memory_limit_bytes());
    if (const int rc = libusb_init(&ctx_); rc != 0) throw usb_error(rc, "starting libusb");
    try {
        open_device(selector);
        start_queue();
    } catch (...) {
        cancel_and_reap();
        if (handle_) libusb_close(handle_);
        libusb_exit(ctx_);
        throw;
    }
}

UsbTransport::~UsbTransport() {
    cancel_and_reap();
    if (handle_) libusb_close(handle_);
    libusb_exit(ctx_);
}

void UsbTransport::open_device(const UsbSelector& selector) {
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(ctx_, &list);
    if (n < 0) throw usb_error(static_cast<int>(n), "listing USB devices");
    std::vector<std::string> seen;
    std::optional<Error> open_failure;
    for (ssize_t i = 0; i < n && !handle_; ++i) {
        libusb_device* dev = list[i];
        libusb_device_descriptor desc{};
        if (libusb_get_device_descriptor(dev, &desc) != 0 || desc.idVendor != config_.vendor_id ||
            desc.idProduct != config_.product_id)
            continue;
        const int bus = libusb_get_bus_number(dev), address = libusb_get_device_address(dev);
        if (selector.bus_address && *selector.bus_address != std::pair{bus, address}) {
            seen.push_back(std::to_string(bus) + "-" + std::to_string(address));
            continue;
        }
        libusb_device_handle* h = nullptr;
        if (const int rc = libusb_open(dev, &h); rc != 0) {
            open_failure = usb_error(rc, "opening the board on bus " + std::to_string(bus) + " address " + std::to_string(address));
            continue;
        }
        unsigned char serial[256] = {};
        const int len = desc.iSerialNumber ? libusb_get_string_descriptor_ascii(h, desc.iSerialNumber, serial, sizeof serial) : 0;
        const std::string s = len > 0 ? std::string(reinterpret_cast<char*>(serial), static_cast<std::size_t>(len)) : "";
        if (selector.serial && *selector.serial != s) {
            seen.push_back(s.empty() ? "(no serial)" : s);
            libusb_close(h);
            continue;
        }
        handle_ = h;
        info_ = {"usb", s.empty() ? "usb:" + std::to_string(bus) + "-" + std::to_string(address) : "usb:" + s,
                 "FT601 station board, bus " + std::to_string(bus) + " address " + std::to_string(address)};
    }
    libusb_free_device_list(list, 1);
    if (!handle_) {
        if (open_failure) throw *open_failure; // the board is there, but we may not open it
        throw no_such_board("station board", selector, config_.vendor_id, config_.product_id, seen);
    }
    for (int iface : {config_.control_interface, config_.data_interface}) {
        if (iface < 0 || std::find(claimed_.begin(), claimed_.end(), iface) != claimed_.end()) continue;
        libusb_set_auto_detach_kernel_driver(handle_, 1); // a kernel driver bound to the FT601 (ft60x) is detached
        if (const int rc = libusb_claim_interface(handle_, iface); rc != 0)
            throw usb_error(rc, "claiming interface " + std::to_string(iface) + " of " + info_.id);
        claimed_.push_back(iface);
    }
    if (config_.ft60x_read_requests) check_chip_configuration();
}

void UsbTransport::check_chip_configuration() {
    std::array<std::uint8_t, ft60x::kConfigBytes> bytes{};
    const int n = libusb_control_transfer(handle_, ft60x::kConfigRequestType, ft60x::kConfigRequest, ft60x::kConfigReadValue, 0,
                                          bytes.data(), static_cast<std::uint16_t>(bytes.size()), kChipRequestTimeoutMs);
    if (n == LIBUSB_ERROR_PIPE)
        throw Error(ErrorKind::device, info_.id + " refused the FT60x configuration request: it is not an FT600/FT601 "
                                                  "(check --usb-vid/--usb-pid and `dira devices`)");
    if (n < 0) throw usb_error(n, "reading the FT601 configuration of " + info_.id);
    chip_config_ = ft60x::Configuration::decode(std::span(bytes).first(static_cast<std::size_t>(n)));
    if (auto refusal = ft60x::check_for_station(*chip_config_, info_.id)) throw *refusal;
}

int UsbTransport::send_session_command(ft60x::SessionCommandCode command, std::uint32_t length, unsigned timeout_ms) {
    auto bytes = ft60x::SessionCommand{request_index_++, config_.in_endpoint, command, length}.encode();
    int sent = 0;
    const int rc = libusb_bulk_transfer(handle_, config_.request_endpoint, bytes.data(), static_cast<int>(bytes.size()), &sent,
                                        timeout_ms);
    return rc == 0 && sent != static_cast<int>(bytes.size()) ? LIBUSB_ERROR_IO : rc;
}

void UsbTransport::start_queue() {
    // What a previous session left in the chip (data it read from the FPGA for requests nobody
    // collected) must not reach this one: flush the IN pipe first, as FTDI's driver does at open.
    if (config_.ft60x_read_requests)
        if (const int rc = send_session_command(ft60x::SessionCommandCode::flush, 0, kChipRequestTimeoutMs); rc != 0)
            throw usb_error(rc, "flushing the IN pipe of " + info_.id);
    session_started_ = config_.ft60x_read_requests;
    for (unsigned i = 0; i < plan_.transfers; ++i) {
        auto slot = std::make_unique<Slot>();
        slot->owner = this;
        slot->buffer.resize(plan_.transfer_bytes);
        slot->in = libusb_alloc_transfer(0);
        if (!slot->in) throw Error(ErrorKind::io, "libusb_alloc_transfer failed (out of memory)");
        libusb_fill_bulk_transfer(slot->in, handle_, config_.in_endpoint, slot->buffer.data(),
                                  static_cast<int>(slot->buffer.size()), transfer_callback, slot.get(), 0);
        if (config_.ft60x_read_requests) {
            slot->request = libusb_alloc_transfer(0);
            if (!slot->request) throw Error(ErrorKind::io, "libusb_alloc_transfer failed (out of memory)");
            libusb_fill_bulk_transfer(slot->request, handle_, config_.request_endpoint, slot->request_bytes.data(),
                                      static_cast<int>(slot->request_bytes.size()), transfer_callback, slot.get(), 0);
        }
        slots_.push_back(std::move(slot));
    }
    for (auto& slot : slots_) submit(*slot);
    throw_if_failed();
}

void UsbTransport::submit(Slot& slot) {
    if (slot.request) {
        slot.request_bytes = ft60x::SessionCommand{request_index_++, config_.in_endpoint, ft60x::SessionCommandCode::read,
                                                   static_cast<std::uint32_t>(slot.buffer.size())}
                                 .encode();
        if (const int rc = libusb_submit_transfer(slot.request); rc != 0) {
            if (!failure_) failure_ = rc == LIBUSB_ERROR_NO_DEVICE ? unplugged() : usb_error(rc, "requesting a read from " + info_.id);
            return;
        }
        slot.request_in_flight = true;
    }
    if (const int rc = libusb_submit_transfer(slot.in); rc != 0) {
        if (!failure_) failure_ = rc == LIBUSB_ERROR_NO_DEVICE ? unplugged() : usb_error(rc, "queueing a bulk IN transfer on " + info_.id);
        return;
    }
    slot.in_flight = true;
    ++in_flight_;
}

// The board went away while streaming: a transfer ended with "no device", or the next one could
// not be queued (whichever libusb reports first, the run is over).
Error UsbTransport::unplugged() const { return unplugged_mid_stream(info_.id, stats_.bytes_in); }

void UsbTransport::handle_events(std::chrono::milliseconds timeout) {
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    const int rc = libusb_handle_events_timeout_completed(ctx_, &tv, nullptr);
    if (rc != 0 && rc != LIBUSB_ERROR_INTERRUPTED && !failure_) failure_ = usb_error(rc, "waiting for " + info_.id);
}

void UsbTransport::throw_if_failed() {
    if (failure_) throw *failure_;
}

std::size_t UsbTransport::read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (completed_.empty()) {
        throw_if_failed(); // only once every byte that arrived has been handed over
        if (in_flight_ == 0)
            throw Error(ErrorKind::internal, info_.id + ": no IN transfer queued and none completed (a bug in dira)");
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return 0;
        handle_events(left);
    }
    std::size_t n = 0;
    while (n < into.size() && !completed_.empty()) {
        Slot& slot = *completed_.front();
        const auto available = static_cast<std::size_t>(slot.in->actual_length) - completed_offset_;
        const std::size_t take = std::min(available, into.size() - n);
        std::memcpy(into.data() + n, slot.buffer.data() + completed_offset_, take);
        n += take;
        completed_offset_ += take;
        if (completed_offset_ == static_cast<std::size_t>(slot.in->actual_length)) {
            completed_.pop_front();
            completed_offset_ = 0;
            if (!failure_) submit(slot);
        }
    }
    return n;
}

void UsbTransport::write(std::span<const std::uint8_t> bytes) {
    throw_if_failed();
    libusb_transfer* t = libusb_alloc_transfer(0);
    if (!t) throw Error(ErrorKind::io, "libusb_alloc_transfer failed (out of memory)");
    std::vector<std::uint8_t> copy(bytes.begin(), bytes.end());
    struct Done {
        bool done = false;
        int status = 0;
        int actual = 0;
    } done;
    libusb_fill_bulk_transfer(
        t, handle_, config_.out_endpoint, copy.data(), static_cast<int>(copy.size()),
        [](libusb_transfer* x) {
            auto* d = static_cast<Done*>(x->user_data);
            d->done = true;
            d->status = x->status;
            d->actual = x->actual_length;
        },
        &done, static_cast<unsigned>(config_.write_timeout.count()));
    if (copy.size() % kUsbPacketBytes == 0) t->flags |= LIBUSB_TRANSFER_ADD_ZERO_PACKET;
    if (const int rc = libusb_submit_transfer(t); rc != 0) {
        libusb_free_transfer(t);
        throw usb_error(rc, "sending " + std::to_string(copy.size()) + " bytes to " + info_.id);
    }
    // libusb enforces the transfer's own timeout; the loop just keeps events flowing meanwhile.
    while (!done.done) handle_events(std::chrono::milliseconds(100));
    libusb_free_transfer(t);
    stats_.bytes_out += static_cast<std::uint64_t>(done.actual);
    if (done.status == LIBUSB_TRANSFER_COMPLETED && static_cast<std::size_t>(done.actual) == copy.size()) return;
    if (done.status == LIBUSB_TRANSFER_NO_DEVICE) {
        if (!failure_) failure_ = usb_error(LIBUSB_ERROR_NO_DEVICE, "sending a register command to " + info_.id);
        throw *failure_;
    }
    std::ostringstream m;
    m << "sending " << copy.size() << " bytes (register commands) to " << info_.id << ": " << status_name(done.status)
      << " after " << config_.write_timeout.count() << " ms with " << done.actual << " bytes accepted; pending: "
      << in_flight_ << " IN transfers queued, " << completed_.size() << " completed and unread, "
      << stats_.bytes_in << " bytes received so far";
    if (done.status == LIBUSB_TRANSFER_TIMED_OUT)
        throw Error(ErrorKind::timeout, m.str() + ": the FPGA is not taking commands (is it configured, and its FT601 "
                                                  "receive FIFO drained by the bridge?)");
    throw Error(ErrorKind::device, m.str());
}

void UsbTransport::cancel_and_reap() {
    for (auto& slot : slots_) {
        if (slot->in_flight) libusb_cancel_transfer(slot->in);
        if (slot->request_in_flight) libusb_cancel_transfer(slot->request);
    }
    const auto deadline = Clock::now() + kReapTimeout;
    auto busy = [&] {
        return std::any_of(slots_.begin(), slots_.end(), [](const auto& s) { return s->in_flight || s->request_in_flight; });
    };
    while (busy() && Clock::now() < deadline) {
        timeval tv{0, 100'000};
        libusb_handle_events_timeout_completed(ctx_, &tv, nullptr);
    }
    // A transfer libusb still owns must not be freed (it would write into freed memory); after the
    // reap timeout that only happens with a wedged host controller, and the memory is left behind.
    for (auto& slot : slots_) {
        if (!slot->in_flight && slot->in) libusb_free_transfer(slot->in);
        if (!slot->request_in_flight && slot->request) libusb_free_transfer(slot->request);
        if (slot->in_flight || slot->request_in_flight) slot.release();
    }
    slots_.clear();
    completed_.clear();
    // Stop the IN pipe's session, so the chip serves no read request of ours after we are gone
    // (the sequence LimeSuite's FT601 close sends). A board that is gone cannot hear it.
    if (session_started_ && !(failure_ && failure_->kind() == ErrorKind::disconnected))
        if (send_session_command(ft60x::SessionCommandCode::prepare, 0, kChipRequestTimeoutMs) == 0)
            send_session_command(ft60x::SessionCommandCode::flush, 0, kChipRequestTimeoutMs);
    session_started_ = false;
    for (int iface : claimed_) libusb_release_interface(handle_, iface);
    claimed_.clear();
}

} // namespace dira::transport
