// Station boards behind emulated USB chips, plugged into a UsbTestbed: an FT601 with the AC701's
// station (station_core), an FT2232H brought up the way docs/boards.md says (EEPROM programmed
// through libftdi, replugged) with the iCE40 station or the station_core behind it. Used by the
// usb-emulated tests and by dira-usb-testbed (the `dira` commands against emulated boards).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "dira/register_map.hpp"
#include "transport/ft60x_protocol.hpp"
#include "usb/board_link.hpp"
#include "usb/ft2232h_chip.hpp"
#include "usb/ft601_chip.hpp"
#include "usb/usb_testbed.hpp"

namespace dira::testbench::usb {

// libftdi's CHANNEL_IS_UART and CHANNEL_IS_FIFO, the EEPROM's channel A types the boards use.
inline constexpr int kChannelUart = 0, kChannelFifo = 1;

struct EmulatedBoard {
    UsbdevfsDevice* device = nullptr;
    std::string id;                       // what --device takes
    std::function<void()> start_triggers; // the lab's sequencer (call it in the device's thread)
};

std::string serial_of(StationId side); // "DIRA-ALICE", "DIRA-BOB"

// An FT601 board (bus 2) with the station_core of `side` behind it, under `serial` (default
// serial_of(side)).
EmulatedBoard plug_ft601(UsbTestbed& testbed, StationId side, int address,
                         transport::ft60x::Configuration config = ft601_configuration(""), const std::string& serial = "");

// An FT2232H (bus 1) as the bring-up leaves it: plugged with a blank EEPROM, channel A programmed
// through libftdi, replugged (at address + 1) with `board` behind it.
Ft2232hChip& bring_up_ft2232h(UsbTestbed& testbed, int address, const std::string& serial, std::unique_ptr<BoardLink> board,
                              int channel_a_type = kChannelFifo);

// The iCE40 board: station_ft2232h behind the FT2232H (station 0: Alice).
EmulatedBoard plug_ice40(UsbTestbed& testbed, int address, const std::string& serial = "DIRA-ICE40");

// An FT2232H with the station_core of `side` behind it: the same bytes as the iCE40 station's
// (its 8-bit bridge sends each word as 4 bytes, least significant first), simulated far faster.
EmulatedBoard plug_ft2232h_station_core(UsbTestbed& testbed, StationId side, int address);

} // namespace dira::testbench::usb
