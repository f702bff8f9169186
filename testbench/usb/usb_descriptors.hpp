// Standard USB descriptors as bytes (USB 2.0 spec chapter 9.6, USB 3.2 spec 9.6.7 for the
// SuperSpeed endpoint companion), for the emulated chips to describe themselves with.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dira::testbench::usb {

struct DeviceDescriptorFields {
    std::uint16_t bcd_usb = 0x0200;
    std::uint8_t max_packet_size0 = 64; // for SuperSpeed: the exponent (9 = 512 bytes)
    std::uint16_t vendor_id = 0;
    std::uint16_t product_id = 0;
    std::uint16_t bcd_device = 0;
};

struct EndpointFields {
    std::uint8_t address = 0;
    std::uint8_t attributes = 2; // 2 bulk, 3 interrupt
    std::uint16_t max_packet_size = 512;
    std::uint8_t interval = 0;
};

struct InterfaceFields {
    std::uint8_t number = 0;
    std::vector<EndpointFields> endpoints;
    std::uint8_t string_index = 0;
};

struct ConfigurationFields {
    std::vector<InterfaceFields> interfaces;
    std::uint8_t attributes = 0x80; // bus powered
    std::uint8_t max_power = 50;    // units of 2 mA (USB 2.0) or 8 mA (SuperSpeed)
    bool superspeed = false;        // each endpoint is followed by a SuperSpeed companion descriptor
};

// The device descriptor (strings 1, 2, 3: manufacturer, product, serial) followed by the
// configuration descriptor with its interfaces and endpoints: the sysfs "descriptors" file.
std::vector<std::uint8_t> device_and_configuration(const DeviceDescriptorFields& device, const ConfigurationFields& config);

// A USB string descriptor: bLength, bDescriptorType 3, the text in UTF-16LE (ASCII text only).
std::vector<std::uint8_t> string_descriptor(const std::string& text);

} // namespace dira::testbench::usb
