// The USB IDs the station boards' bridge chips carry from FTDI's factory: the one definition the
// transports look for by default, the emulated chips present (testbench/usb) and udev/60-dira.rules
// grants access to (tests/transport checks the rule against these). A chip's EEPROM may hold other
// IDs; `dira devices --usb-vid/--usb-pid` then finds it.
#pragma once

#include <cstdint>

namespace dira::transport {

inline constexpr std::uint16_t kFtdiVendorId = 0x0403;
inline constexpr std::uint16_t kFt601ProductId = 0x601F;   // FT601 (AC701 board, usb transport)
inline constexpr std::uint16_t kFt2232hProductId = 0x6010; // FT2232H (iCE40 board, ftdi transport)

} // namespace dira::transport
