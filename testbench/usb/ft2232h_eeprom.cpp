#include "usb/ft2232h_eeprom.hpp"

#include <ftdi.h>

#include <memory>
#include <stdexcept>

namespace dira::testbench::usb {

void program_ft2232h_eeprom(int bus, int address, const Ft2232hEepromSettings& s) {
    std::unique_ptr<ftdi_context, void (*)(ftdi_context*)> f(ftdi_new(), ftdi_free);
    auto check = [&](int rc, const char* step) {
        if (rc < 0) throw std::runtime_error(std::string("programming the FT2232H's EEPROM: ") + step + " failed: " + ftdi_get_error_string(f.get()));
    };
    check(ftdi_set_interface(f.get(), INTERFACE_A), "ftdi_set_interface");
    check(ftdi_usb_open_bus_addr(f.get(), static_cast<uint8_t>(bus), static_cast<uint8_t>(address)), "ftdi_usb_open_bus_addr");
    check(ftdi_read_eeprom(f.get()), "ftdi_read_eeprom");
    std::string manufacturer = s.manufacturer, product = s.product, serial = s.serial;
    check(ftdi_eeprom_initdefaults(f.get(), manufacturer.data(), product.data(), serial.data()), "ftdi_eeprom_initdefaults");
    check(ftdi_set_eeprom_value(f.get(), CHIP_TYPE, 0x56), "setting the EEPROM type (93C56)");
    check(ftdi_set_eeprom_value(f.get(), CHANNEL_A_TYPE, s.channel_a_type), "setting channel A's type");
    check(ftdi_eeprom_build(f.get()), "ftdi_eeprom_build");
    check(ftdi_write_eeprom(f.get()), "ftdi_write_eeprom");
    ftdi_usb_close(f.get());
}

} // namespace dira::testbench::usb
