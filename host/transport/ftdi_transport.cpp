#include "transport/ftdi_transport.hpp"

#include <ftdi.h>
#include <libusb.h>

#include <algorithm>
#include <climits>
#include <thread>

namespace dira::transport {
namespace {

using Clock = std::chrono::steady_clock;

// AN_130 section 4.1: after resetting the bit mode, wait 10 ms before setting synchronous FIFO mode.
constexpr std::chrono::milliseconds kBitModeSettle{10};
constexpr unsigned char kAllDataLines = 0xFF;
constexpr std::size_t kHighSpeedPacketBytes = 512;
// What ftdi_read_eeprom reads (FTDI_MAX_EEPROM_SIZE in libftdi's src/ftdi_i.h): a 93C56's 256 bytes.
constexpr int kEepromBytes = 256;

std::string chip_type_name(int type) {
    switch (type) {
    case TYPE_AM: return "FT8U232AM";
    case TYPE_BM: return "FT232BM";
    case TYPE_2232C: return "FT2232C/D";
    case TYPE_R: return "FT232R";
    case TYPE_2232H: return "FT2232H";
    case TYPE_4232H: return "FT4232H";
    case TYPE_232H: return "FT232H";
    case TYPE_230X: return "FT230X";
    default: return "FTDI chip type " + std::to_string(type);
    }
}

struct FtdiDeleter {
    void operator()(ftdi_context* f) const {
        if (f) ftdi_free(f);
    }
};
using FtdiHandle = std::unique_ptr<ftdi_context, FtdiDeleter>;

FtdiHandle new_context() {
    FtdiHandle f(ftdi_new());
    if (!f) throw Error(ErrorKind::unsupported, "libftdi could not start (ftdi_new failed: out of memory or no libusb)");
    ftdi_set_interface(f.get(), INTERFACE_A); // the 245 FIFO is on channel A only
    return f;
}

std::string board_id(const std::string& serial, int bus, int address) {
    return serial.empty() ? "ftdi:" + std::to_string(bus) + "-" + std::to_string(address) : "ftdi:" + serial;
}

// Why libftdi could not open `dev`: libusb's own answer (permission, busy, gone) when it has one.
Error open_failure(libusb_device* dev, ftdi_context* f, int rc, const std::string& id) {
    libusb_device_handle* h = nullptr;
    if (const int r = libusb_open(dev, &h); r != 0) return usb_error(r, "opening " + id);
    const int claim = libusb_claim_interface(h, 0);
    if (claim == 0) libusb_release_interface(h, 0);
    libusb_close(h);
    if (claim != 0) return usb_error(claim, "claiming channel A of " + id);
    return Error(ErrorKind::device, "opening " + id + " with libftdi failed (" + std::to_string(rc) + ": " +
                                        ftdi_get_error_string(f) + "); replug the board");
}

// With channel A open: the chip must be an FT2232H whose EEPROM makes channel A a 245 FIFO.
void inspect(ftdi_context* f, FtdiBoardInfo& b) {
    const std::string id = b.id();
    if (f->type != TYPE_2232H) {
        b.chip = chip_type_name(f->type);
        b.configuration_error = Error(ErrorKind::device, id + " is an " + b.chip + ", not an FT2232H: the station's FIFO "
                                                               "needs the FT2232H's 245 synchronous FIFO mode (FTDI AN_130)");
        return;
    }
    if (const int rc = ftdi_read_eeprom(f); rc < 0) {
        b.chip = "FT2232H";
        b.configuration_error = Error(ErrorKind::device, "reading the EEPROM of " + id + " failed (" + ftdi_get_error_string(f) +
                                                             "); replug the board");
        return;
    }
    unsigned char image[kEepromBytes];
    ftdi_get_eeprom_buf(f, image, sizeof image);
    const bool blank = std::all_of(std::begin(image), std::end(image), [](unsigned char c) { return c == 0xFF; });
    int channel_a = -1;
    if (!blank && ftdi_eeprom_decode(f, 0) == 0) ftdi_get_eeprom_value(f, CHANNEL_A_TYPE, &channel_a);
    const std::string program_it =
        "; the station needs it set to 245 FIFO: program the EEPROM (`ftdi_eeprom --flash-eeprom` with channel_a_type=FIFO, "
        "Debian package ftdi-eeprom, or FTDI's FT_PROG: Port A, Hardware: 245 FIFO), then replug the board (docs/boards.md, "
        "\"Bringing up the iCE40 board\")";
    if (channel_a < 0) {
        b.chip = std::string("FT2232H, EEPROM ") + (blank ? "blank" : "unreadable");
        b.configuration_error = Error(ErrorKind::device, id + ": the FT2232H's EEPROM is " +
                                                             (blank ? "blank (or missing)" : std::string("not valid (") + ftdi_get_error_string(f) + ")") +
                                                             ", so channel A is a UART" + program_it);
        return;
    }
    b.chip = "FT2232H, EEPROM channel A: " + ft2232h_channel_name(channel_a);
    if (channel_a != CHANNEL_IS_FIFO)
        b.configuration_error = Error(ErrorKind::device, id + ": channel A of the FT2232H is set to " + ft2232h_channel_name(channel_a) +
                                                             " in its EEPROM" + program_it +
                                                             ". (The HX8K breakout's own FT2232H is its programmer: the "
                                                             "station's FIFO is the Mini Module's.)");
}

} // namespace

std::string ft2232h_channel_name(int t) {
    switch (t) {
    case CHANNEL_IS_UART: return "UART";
    case CHANNEL_IS_FIFO: return "245 FIFO";
    case CHANNEL_IS_OPTO: return "fast opto-isolated serial";
    case CHANNEL_IS_CPU: return "CPU FIFO";
    case CHANNEL_IS_FT1284: return "FT1284";
    default: return "type " + std::to_string(t);
    }
}

std::string FtdiBoardInfo::id() const { return board_id(serial, bus, address); }

std::vector<FtdiBoardInfo> list_ftdi_boards(const FtdiConfig& config) {
    auto lister = new_context();
    ftdi_device_list* list = nullptr;
    const int n = ftdi_usb_find_all(lister.get(), &list, config.vendor_id, config.product_id);
    if (n < 0) throw Error(ErrorKind::unsupported, std::string("listing FTDI devices failed: ") + ftdi_get_error_string(lister.get()));
    std::vector<FtdiBoardInfo> boards;
    for (ftdi_device_list* d = list; d; d = d->next) {
        FtdiBoardInfo b;
        b.bus = libusb_get_bus_number(d->dev);
        b.address = libusb_get_device_address(d->dev);
        b.port_path = usb_port_path(d->dev);
        char manufacturer[128] = {}, product[128] = {}, serial[128] = {};
        const int s = ftdi_usb_get_strings2(lister.get(), d->dev, manufacturer, sizeof manufacturer, product, sizeof product, serial,
                                            sizeof serial);
        if (s < 0 && s != -9) { // -9: the device has no serial number string: it is listed by bus and address
            b.open_error = open_failure(d->dev, lister.get(), s, b.id());
            boards.push_back(std::move(b));
            continue;
        }
        b.manufacturer = manufacturer;
        b.product = product;
        b.serial = serial;
        auto f = new_context();
        if (const int rc = ftdi_usb_open_dev(f.get(), d->dev); rc < 0) {
            b.open_error = open_failure(d->dev, f.get(), rc, b.id());
        } else {
            inspect(f.get(), b);
            ftdi_usb_close(f.get());
        }
        boards.push_back(std::move(b));
    }
    ftdi_list_free(&list);
    return boards;
}

FtdiTransport::FtdiTransport(const std::string& device_id, const FtdiConfig& config) : config_(config) {
    if (config_.transfer_bytes == 0 || config_.transfer_bytes % kHighSpeedPacketBytes != 0 || config_.transfer_bytes > INT_MAX)
        throw Error(ErrorKind::invalid_argument, "FT2232H transfer size must be a positive multiple of 512 bytes, got " +
                                                     std::to_string(config_.transfer_bytes));
    if (config_.latency_timer_ms < 1 || config_.latency_timer_ms > 255)
        throw Error(ErrorKind::invalid_argument, "the FT2232H latency timer is 1..255 ms, got " + std::to_string(config_.latency_timer_ms));
    const UsbSelector selector = parse_usb_selector(device_id, "ftdi");
    ftdi_ = new_context().release();
    try {
        open(selector);
        start_fifo();
    } catch (...) {
        if (open_) ftdi_usb_close(ftdi_);
        ftdi_free(ftdi_);
        throw;
    }
}

FtdiTransport::~FtdiTransport() {
    if (open_ && !failure_) {
        // Stop the session: without the synchronous FIFO mode the chip gives the FPGA no clock, so
        // it sends nothing more; drop what the chip still holds either way.
        ftdi_set_bitmode(ftdi_, kAllDataLines, BITMODE_RESET);
        ftdi_tcioflush(ftdi_);
    }
    if (open_) ftdi_usb_close(ftdi_);
    ftdi_free(ftdi_);
}

void FtdiTransport::open(const UsbSelector& selector) {
    ftdi_device_list* list = nullptr;
    if (ftdi_usb_find_all(ftdi_, &list, config_.vendor_id, config_.product_id) < 0)
        throw Error(ErrorKind::unsupported, std::string("listing FTDI devices failed: ") + ftdi_get_error_string(ftdi_));
    std::unique_ptr<ftdi_device_list, void (*)(ftdi_device_list*)> owned(list, [](ftdi_device_list* l) { ftdi_list_free(&l); });
    std::vector<std::string> seen;
    FtdiBoardInfo b;
    libusb_device* chosen = nullptr;
    for (ftdi_device_list* d = list; d && !chosen; d = d->next) {
        b = FtdiBoardInfo{};
        b.bus = libusb_get_bus_number(d->dev);
        b.address = libusb_get_device_address(d->dev);
        if (selector.bus_address && *selector.bus_address != std::pair{b.bus, b.address}) {
            seen.push_back(std::to_string(b.bus) + "-" + std::to_string(b.address));
            continue;
        }
        char serial[128] = {};
        const int s = ftdi_usb_get_strings2(ftdi_, d->dev, nullptr, 0, nullptr, 0, serial, sizeof serial);
        if (s < 0 && s != -9) throw open_failure(d->dev, ftdi_, s, b.id());
        b.serial = serial;
        if (selector.serial && *selector.serial != b.serial) {
            seen.push_back(b.serial.empty() ? "(no serial)" : b.serial);
            continue;
        }
        chosen = d->dev;
    }
    if (!chosen) throw no_such_board("FT2232H board", selector, config_.vendor_id, config_.product_id, seen);
    if (const int rc = ftdi_usb_open_dev(ftdi_, chosen); rc < 0) throw open_failure(chosen, ftdi_, rc, b.id());
    open_ = true;
    info_ = {"ftdi", b.id(), "FT2232H station board (iCE40), bus " + std::to_string(b.bus) + " address " + std::to_string(b.address)};
    inspect(ftdi_, b);
    if (b.configuration_error) throw *b.configuration_error;
}

void FtdiTransport::start_fifo() {
    const std::string& id = info_.id;
    // AN_130 4.1: bit mode reset, 10 ms, synchronous FIFO; purged in between, as libftdi's own
    // ftdi_readstream does, so nothing from before this session is read.
    if (ftdi_set_bitmode(ftdi_, kAllDataLines, BITMODE_RESET) < 0) fail(0, "resetting the bit mode of " + id);
    if (ftdi_tcioflush(ftdi_) < 0) fail(0, "purging the buffers of " + id);
    std::this_thread::sleep_for(kBitModeSettle);
    if (ftdi_set_bitmode(ftdi_, kAllDataLines, BITMODE_SYNCFF) < 0) fail(0, "setting synchronous FIFO mode (0x40) on " + id);
    if (ftdi_set_latency_timer(ftdi_, static_cast<unsigned char>(config_.latency_timer_ms)) < 0)
        fail(0, "setting the latency timer of " + id);
    if (ftdi_setflowctrl(ftdi_, SIO_RTS_CTS_HS) < 0) fail(0, "setting flow control on " + id);
    ftdi_read_data_set_chunksize(ftdi_, static_cast<unsigned>(config_.transfer_bytes));
    ftdi_write_data_set_chunksize(ftdi_, static_cast<unsigned>(config_.transfer_bytes));
    ftdi_->usb_read_timeout = static_cast<int>(config_.usb_timeout.count());
    ftdi_->usb_write_timeout = static_cast<int>(config_.usb_timeout.count());
}

void FtdiTransport::fail(int code, const std::string& doing) {
    // libftdi passes libusb's code up from its bulk reads; its control requests say only "failed":
    // ask the device whether it is still there.
    if (code == 0) {
        unsigned char status[2];
        code = libusb_control_transfer(ftdi_->usb_dev, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_STATUS, 0, 0, status, sizeof status, 100);
        if (code >= 0) code = LIBUSB_ERROR_IO;
    }
    if (code == LIBUSB_ERROR_NO_DEVICE) {
        failure_ = bytes_in_ > 0 ? unplugged_mid_stream(info_.id, bytes_in_) : usb_error(code, doing);
        throw *failure_;
    }
    if (code == LIBUSB_ERROR_TIMEOUT)
        throw Error(ErrorKind::timeout, doing + ": the FT2232H did not answer in " + std::to_string(config_.usb_timeout.count()) +
                                            " ms (it sends status bytes at least every " + std::to_string(config_.latency_timer_ms) +
                                            " ms): replug the board");
    throw usb_error(code, doing + " (libftdi: " + ftdi_get_error_string(ftdi_) + ")");
}

std::size_t FtdiTransport::read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) {
    if (failure_) throw *failure_;
    const auto deadline = Clock::now() + timeout;
    const int size = static_cast<int>(std::min<std::size_t>(into.size(), INT_MAX));
    for (;;) {
        // Returns within a latency-timer period: the chip answers every read, with its two status
        // bytes alone when it has no data (libftdi then returns 0).
        const int n = ftdi_read_data(ftdi_, into.data(), size);
        if (n > 0) {
            bytes_in_ += static_cast<std::uint64_t>(n);
            return static_cast<std::size_t>(n);
        }
        if (n < 0) fail(n, "reading from " + info_.id);
        if (Clock::now() >= deadline) return 0;
    }
}

void FtdiTransport::write(std::span<const std::uint8_t> bytes) {
    if (failure_) throw *failure_;
    const int n = ftdi_write_data(ftdi_, bytes.data(), static_cast<int>(bytes.size()));
    if (n > 0) bytes_out_ += static_cast<std::uint64_t>(n);
    if (n == static_cast<int>(bytes.size())) return;
    unsigned char status[2];
    const int alive = libusb_control_transfer(ftdi_->usb_dev, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_STATUS, 0, 0, status, sizeof status, 100);
    if (alive == LIBUSB_ERROR_NO_DEVICE) fail(alive, "sending register commands to " + info_.id);
    throw Error(ErrorKind::timeout, "sending " + std::to_string(bytes.size()) + " bytes (register commands) to " + info_.id + ": " +
                                        (n < 0 ? std::string(ftdi_get_error_string(ftdi_)) : std::to_string(n) + " taken") +
                                        " within " + std::to_string(config_.usb_timeout.count()) +
                                        " ms: the FPGA is not taking commands (is it configured with dira's iCE40 bitstream, "
                                        "and the Mini Module wired as docs/boards.md says?)");
}

} // namespace dira::transport
