#include "usb/emulated_boards.hpp"

#include "usb/ft2232h_board_link.hpp"
#include "usb/ft2232h_eeprom.hpp"
#include "usb/station_board_link.hpp"

namespace dira::testbench::usb {
namespace {

constexpr int kFt601Bus = 2, kFt2232hBus = 1;

std::unique_ptr<StationBoardLink> station_core_board(StationId side) {
    StationBoardLinkConfig config;
    config.board.station_id = static_cast<std::uint8_t>(side);
    return std::make_unique<StationBoardLink>(config);
}

} // namespace

std::string serial_of(StationId side) { return std::string("DIRA-") + (side == StationId::alice ? "ALICE" : "BOB"); }

EmulatedBoard plug_ft601(UsbTestbed& testbed, StationId side, int address, transport::ft60x::Configuration config,
                         const std::string& serial) {
    const std::string s = serial.empty() ? serial_of(side) : serial;
    config.set_strings("FTDI", "FTDI SuperSpeed-FIFO Bridge", s);
    auto link = station_core_board(side);
    auto* l = link.get();
    auto& chip = testbed.plug(std::make_unique<Ft601Chip>(Ft601ChipConfig{config}, std::move(link)), kFt601Bus, address, address);
    return {&chip, "usb:" + s, [l] { l->start_triggers(); }};
}

Ft2232hChip& bring_up_ft2232h(UsbTestbed& testbed, int address, const std::string& serial, std::unique_ptr<BoardLink> board,
                              int channel_a_type) {
    auto& fresh = testbed.plug(std::make_unique<Ft2232hChip>(Ft2232hChipConfig{}, std::make_unique<Ft2232hBoardLink>()),
                               kFt2232hBus, address, address);
    program_ft2232h_eeprom(kFt2232hBus, address, {"FTDI", "FT2232H MiniModule", serial, channel_a_type});
    Ft2232hChipConfig config;
    testbed.run(fresh, [&] { config.eeprom = fresh.eeprom(); });
    testbed.unplug(fresh);
    return testbed.plug(std::make_unique<Ft2232hChip>(config, std::move(board)), kFt2232hBus, address + 1, address);
}

EmulatedBoard plug_ice40(UsbTestbed& testbed, int address, const std::string& serial) {
    auto link = std::make_unique<Ft2232hBoardLink>();
    auto* l = link.get();
    auto& chip = bring_up_ft2232h(testbed, address, serial, std::move(link));
    return {&chip, "ftdi:" + serial, [l] { l->start_triggers(); }};
}

EmulatedBoard plug_ft2232h_station_core(UsbTestbed& testbed, StationId side, int address) {
    auto link = station_core_board(side);
    auto* l = link.get();
    auto& chip = bring_up_ft2232h(testbed, address, serial_of(side), std::move(link));
    return {&chip, "ftdi:" + serial_of(side), [l] { l->start_triggers(); }};
}

} // namespace dira::testbench::usb
