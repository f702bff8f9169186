// Programs an FT2232H's EEPROM through libftdi, as `ftdi_eeprom --flash-eeprom` does (Debian
// package ftdi-eeprom; docs/boards.md, "Bringing up the iCE40 board"): read it, set the defaults for
// the chip, the strings and channel A's mode, build the image, write it. Used on emulated chips, to
// bring them up the way a board is brought up.
#pragma once

#include <string>

namespace dira::testbench::usb {

struct Ft2232hEepromSettings {
    std::string manufacturer = "FTDI";
    std::string product = "FT2232H MiniModule";
    std::string serial;
    int channel_a_type = 1; // libftdi CHANNEL_IS_FIFO: "245 FIFO"
};

// Throws std::runtime_error with libftdi's message if any step fails.
void program_ft2232h_eeprom(int bus, int address, const Ft2232hEepromSettings& settings);

} // namespace dira::testbench::usb
