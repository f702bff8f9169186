#include "transport/devices.hpp"

#include "transport/ftdi_transport.hpp"
#include "transport/usb_device.hpp"
#include "transport/usb_transport.hpp"
#ifdef DIRA_HAVE_XRT
#include "transport/xrt_extractor.hpp"
#endif

namespace dira::transport {
namespace {

UsbConfig usb_config(const DeviceOptions& options) {
    UsbConfig config;
    if (options.usb_vendor_id) config.vendor_id = *options.usb_vendor_id;
    if (options.usb_product_id) config.product_id = *options.usb_product_id;
    return config;
}

// Station boards behind an FT601 (usb_device.hpp, usb_transport.hpp).
DeviceKind usb_kind() {
    DeviceKind kind;
    kind.name = "usb";
    kind.id_forms = "usb:SERIAL or usb:BUS-ADDRESS";
    kind.list = [](const DeviceOptions& options) {
        std::vector<DeviceListing> out;
        for (const auto& b : list_usb_boards(usb_config(options))) {
            DeviceListing d{.id = b.id(), .description = b.product, .error = b.open_error ? b.open_error : b.configuration_error};
            d.details = {{"bus", b.bus}, {"address", b.address}, {"port", b.port_path}, {"speed", b.speed},
                         {"product", b.product}, {"chip", b.chip}};
            out.push_back(std::move(d));
        }
        return out;
    };
    kind.open = [](const std::string& id, const DeviceOptions& options) -> std::unique_ptr<Transport> {
        return std::make_unique<UsbTransport>(id, usb_config(options));
    };
    return kind;
}

// The iCE40 station board behind an FT2232H (ftdi_transport.hpp). Its USB ids are FTDI's FT2232H
// default, which the HX8K breakout's own programmer chip shares: listing reads each one's EEPROM
// and says which is not a station (its channel A is no 245 FIFO). --usb-vid/--usb-pid are for the
// usb kind's FT601 and are not applied here.
DeviceKind ftdi_kind() {
    DeviceKind kind;
    kind.name = "ftdi";
    kind.id_forms = "ftdi:SERIAL or ftdi:BUS-ADDRESS";
    kind.list = [](const DeviceOptions&) {
        std::vector<DeviceListing> out;
        for (const auto& b : list_ftdi_boards()) {
            DeviceListing d{.id = b.id(), .description = b.product, .error = b.open_error ? b.open_error : b.configuration_error};
            d.details = {{"bus", b.bus}, {"address", b.address}, {"port", b.port_path}, {"manufacturer", b.manufacturer},
                         {"product", b.product}, {"chip", b.chip}};
            out.push_back(std::move(d));
        }
        return out;
    };
    kind.open = [](const std::string& id, const DeviceOptions&) -> std::unique_ptr<Transport> {
        return std::make_unique<FtdiTransport>(id);
    };
    return kind;
}

// Accelerator cards through XRT (xrt_extractor.hpp): they run the extraction kernel and are listed,
// but are not station boards (no registers, no record stream), so its ids name nothing to open.
DeviceKind xrt_kind() {
    DeviceKind kind;
    kind.name = "xrt";
#ifdef DIRA_HAVE_XRT
    kind.list = [](const DeviceOptions&) {
        std::vector<DeviceListing> out;
        for (const auto& x : list_xrt_devices()) {
            DeviceListing d{.id = x.id(), .description = x.name + " (" + x.bdf + ")", .station = false};
            d.details = {{"name", x.name}, {"bdf", x.bdf}};
            out.push_back(std::move(d));
        }
        return out;
    };
#else
    kind.not_built = "XRT not found when dira was configured (install XRT, then re-run cmake)";
#endif
    kind.open = [](const std::string& id, const DeviceOptions&) -> std::unique_ptr<Transport> {
        throw Error(ErrorKind::unsupported, "'" + id + "' is an XRT accelerator: it runs the extraction kernel and has no "
                                                       "station registers or record stream (docs/host.md, \"XRT\")");
    };
    return kind;
}

std::vector<DeviceKind> builtin_kinds() { return {usb_kind(), ftdi_kind(), xrt_kind()}; }

// Registration happens at start-up (main), before any thread opens a device.
std::vector<DeviceKind>& kinds() {
    static std::vector<DeviceKind> all = builtin_kinds();
    return all;
}

bool starts_with(const std::string& id, const std::string& prefix) { return id.rfind(prefix, 0) == 0; }

} // namespace

const std::vector<DeviceKind>& device_kinds() { return kinds(); }

void register_device_kind(DeviceKind kind) {
    for (auto& k : kinds())
        if (k.name == kind.name) {
            k = std::move(kind);
            return;
        }
    kinds().push_back(std::move(kind));
}

const DeviceKind* find_device_kind(const std::string& id) {
    for (const auto& k : device_kinds())
        if (starts_with(id, k.name + ":")) return &k;
    return nullptr;
}

std::unique_ptr<Transport> open_device(const std::string& id, const DeviceOptions& options) {
    const DeviceKind* kind = find_device_kind(id);
    if (!kind) {
        std::string forms;
        for (const auto& k : device_kinds())
            if (!k.id_forms.empty() && k.not_built.empty()) forms += (forms.empty() ? "" : ", ") + k.id_forms;
        throw Error(ErrorKind::invalid_argument, "unknown device '" + id + "': use " + forms + " (see `dira devices`)");
    }
    if (!kind->not_built.empty())
        throw Error(ErrorKind::unsupported, "'" + id + "': this dira was built without the " + kind->name + " transport: " + kind->not_built);
    return kind->open(id, options);
}

std::vector<std::pair<std::string, std::string>> device_id_settings(const std::string& id) {
    std::vector<std::pair<std::string, std::string>> settings;
    const auto query = id.find('?');
    std::string rest = query == std::string::npos ? "" : id.substr(query + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string item = rest.substr(0, amp);
        rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
        const auto eq = item.find('=');
        settings.emplace_back(item.substr(0, eq), eq == std::string::npos ? "" : item.substr(eq + 1));
    }
    return settings;
}

} // namespace dira::transport
