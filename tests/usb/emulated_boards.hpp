// Station boards behind emulated USB chips for the usb-emulated tests: an FT601 with the AC701's
// station (station_core), an FT2232H brought up the way docs/boards.md says (EEPROM programmed
// through libftdi, replugged) with the iCE40 station or the station_core behind it, and a whole run
// recorded over them as dira records one (Experiment + RunWriter).
#pragma once

#include <ftdi.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "dira/register_map.hpp"
#include "run/experiment.hpp"
#include "run/run_dir.hpp"
#include "store/record_store.hpp"
#include "stream/frame_decoder.hpp"
#include "transport/ftdi_transport.hpp"
#include "transport/station.hpp"
#include "transport/usb_transport.hpp"
#include "usb/ft2232h_board_link.hpp"
#include "usb/ft2232h_chip.hpp"
#include "usb/ft2232h_eeprom.hpp"
#include "usb/ft601_chip.hpp"
#include "usb/station_board_link.hpp"
#include "usb/usb_testbed.hpp"

namespace usb_test {

using namespace dira;
using namespace dira::testbench::usb;

struct EmulatedBoard {
    UsbdevfsDevice* device = nullptr;
    std::string id;                       // what --device takes
    std::function<void()> start_triggers; // the lab's sequencer (runs in the device's thread)
};

inline std::string serial_of(StationId side) { return std::string("DIRA-") + (side == StationId::alice ? "ALICE" : "BOB"); }

inline std::unique_ptr<StationBoardLink> station_core_board(StationId side) {
    StationBoardLinkConfig config;
    config.board.station_id = static_cast<std::uint8_t>(side);
    return std::make_unique<StationBoardLink>(config);
}

// An FT601 board (bus 2) with the station_core of `side` behind it.
inline EmulatedBoard plug_ft601(UsbTestbed& testbed, StationId side, int address,
                                transport::ft60x::Configuration config = ft601_configuration("")) {
    config.set_strings("FTDI", "FTDI SuperSpeed-FIFO Bridge", serial_of(side));
    auto link = station_core_board(side);
    auto* l = link.get();
    auto& chip = testbed.plug(std::make_unique<Ft601Chip>(Ft601ChipConfig{config}, std::move(link)), 2, address, address);
    return {&chip, "usb:" + serial_of(side), [l] { l->start_triggers(); }};
}

// An FT2232H (bus 1) as the bring-up leaves it: plugged with a blank EEPROM, channel A programmed
// through libftdi, replugged (at address + 1) with `board` behind it.
inline Ft2232hChip& bring_up_ft2232h(UsbTestbed& testbed, int address, const std::string& serial, std::unique_ptr<BoardLink> board,
                                     int channel_a_type = CHANNEL_IS_FIFO) {
    auto& fresh = testbed.plug(std::make_unique<Ft2232hChip>(Ft2232hChipConfig{}, std::make_unique<Ft2232hBoardLink>()), 1, address, address);
    program_ft2232h_eeprom(1, address, {"FTDI", "FT2232H MiniModule", serial, channel_a_type});
    Ft2232hChipConfig config;
    testbed.run(fresh, [&] { config.eeprom = fresh.eeprom(); });
    testbed.unplug(fresh);
    return testbed.plug(std::make_unique<Ft2232hChip>(config, std::move(board)), 1, address + 1, address);
}

// The iCE40 board (station_ft2232h behind the FT2232H; always Alice: its STATION_ID is 0).
inline EmulatedBoard plug_ice40(UsbTestbed& testbed, int address, const std::string& serial = "DIRA-ICE40") {
    auto link = std::make_unique<Ft2232hBoardLink>();
    auto* l = link.get();
    auto& chip = bring_up_ft2232h(testbed, address, serial, std::move(link));
    return {&chip, "ftdi:" + serial, [l] { l->start_triggers(); }};
}

// An FT2232H with the station_core of `side` behind it: the same bytes as the iCE40 station's
// (its 8-bit bridge sends each word as 4 bytes, least significant first), simulated far faster.
inline EmulatedBoard plug_ft2232h_station_core(UsbTestbed& testbed, StationId side, int address) {
    auto link = station_core_board(side);
    auto* l = link.get();
    auto& chip = bring_up_ft2232h(testbed, address, serial_of(side), std::move(link));
    return {&chip, "ftdi:" + serial_of(side), [l] { l->start_triggers(); }};
}

inline std::unique_ptr<transport::Transport> open_transport(const std::string& id) {
    if (id.rfind("ftdi:", 0) == 0) return std::make_unique<transport::FtdiTransport>(id);
    return std::make_unique<transport::UsbTransport>(id);
}

inline std::unique_ptr<transport::Station> open_station(const EmulatedBoard& b) {
    return std::make_unique<transport::Station>(open_transport(b.id));
}

struct RunOutcome {
    run::ExperimentResult result;
    double seconds = 0;
};

// A whole run on two emulated boards into `dir`: arm, trigger, collect, counters, and the manifest
// with the loss ledgers. `on_record` sees every record as it arrives.
inline RunOutcome record_run(UsbTestbed& testbed, const EmulatedBoard& alice, const EmulatedBoard& bob, std::uint64_t trials,
                             const std::filesystem::path& dir, store::StoreOptions store_options = {},
                             const std::function<void(StationId, const TrialRecord&)>& on_record = {}) {
    auto a = open_station(alice);
    auto b = open_station(bob);
    run::RunWriter writer(dir, false, store_options);
    run::Experiment experiment(*a, *b);
    run::ExperimentPlan plan;
    plan.trials = trials;
    const auto t0 = std::chrono::steady_clock::now();
    RunOutcome out;
    out.result = experiment.run(
        plan,
        [&] {
            for (const auto* board : {&alice, &bob}) testbed.run(*board->device, board->start_triggers);
        },
        [&](StationId side, const TrialRecord& r) {
            writer.append(side, r);
            if (on_record) on_record(side, r);
        });
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    nlohmann::json m;
    m["run_id"] = run::new_run_id();
    m["trials"] = trials;
    for (const auto& s : out.result.stations) m["stations"][station_name(s.side)] = run::station_json(s);
    writer.finish(m, out.result);
    return out;
}

inline std::vector<std::uint8_t> register_command_bytes(RegisterOpcode op, Reg reg, std::uint32_t value) {
    const std::uint32_t words[kRegisterCommandWords] = {pack_register_command(op, address(reg)), value};
    std::vector<std::uint8_t> bytes;
    stream::append_words(bytes, words);
    return bytes;
}

} // namespace usb_test
