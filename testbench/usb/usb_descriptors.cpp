#include "usb/usb_descriptors.hpp"

#include <stdexcept>

#include "core/byte_order.hpp"

namespace dira::testbench::usb {

std::vector<std::uint8_t> device_and_configuration(const DeviceDescriptorFields& device, const ConfigurationFields& config) {
    std::vector<std::uint8_t> d = {18, 1};
    append_le<std::uint16_t>(d, device.bcd_usb);
    d.insert(d.end(), {0, 0, 0, device.max_packet_size0}); // class, subclass, protocol: per interface
    append_le<std::uint16_t>(d, device.vendor_id);
    append_le<std::uint16_t>(d, device.product_id);
    append_le<std::uint16_t>(d, device.bcd_device);
    d.insert(d.end(), {1, 2, 3, 1}); // iManufacturer, iProduct, iSerialNumber, bNumConfigurations

    const std::size_t config_at = d.size();
    d.insert(d.end(), {9, 2, 0, 0, static_cast<std::uint8_t>(config.interfaces.size()), 1, 0, config.attributes, config.max_power});
    for (const auto& i : config.interfaces) {
        // Vendor-specific class (0xFF), as FTDI's chips report.
        d.insert(d.end(), {9, 4, i.number, 0, static_cast<std::uint8_t>(i.endpoints.size()), 0xFF, 0xFF, 0xFF, i.string_index});
        for (const auto& e : i.endpoints) {
            d.insert(d.end(), {7, 5, e.address, e.attributes});
            append_le<std::uint16_t>(d, e.max_packet_size);
            d.push_back(e.interval);
            if (config.superspeed) d.insert(d.end(), {6, 0x30, 0, 0, 0, 0}); // companion: no bursts, no streams
        }
    }
    const std::size_t total = d.size() - config_at;
    if (total > 0xFFFF) throw std::length_error("configuration descriptor too long");
    store_le<std::uint16_t>(&d[config_at + 2], static_cast<std::uint16_t>(total));
    return d;
}

std::vector<std::uint8_t> string_descriptor(const std::string& text) {
    if (text.size() > 126) throw std::length_error("a USB string descriptor holds at most 126 characters");
    std::vector<std::uint8_t> d = {static_cast<std::uint8_t>(2 + 2 * text.size()), 3};
    for (char c : text) d.insert(d.end(), {static_cast<std::uint8_t>(c), 0});
    return d;
}

} // namespace dira::testbench::usb
