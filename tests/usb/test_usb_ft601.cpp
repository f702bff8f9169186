// The usb transport (libusb, unmodified) against FT601s emulated at usbdevfs with the Verilated
// station behind each (testbench/usb): discovery, the chip configuration check, the session at
// open and close, the link test, a 10^6-record run with its loss ledger, a lost and an altered
// packet, and a board unplugged mid-run.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>

#include "core/error.hpp"
#include "dira/register_map.hpp"
#include "usb_run_support.hpp"
#include "store/link_test.hpp"
#include "transport/station.hpp"
#include "transport/usb_device.hpp"
#include "transport/usb_transport.hpp"

using namespace usb_test;
namespace ft60x = dira::transport::ft60x;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kBus = 2;

Ft601Chip& chip_of(const EmulatedBoard& b) { return static_cast<Ft601Chip&>(*b.device); }
StationBoardLink& link_of(const EmulatedBoard& b) { return static_cast<StationBoardLink&>(chip_of(b).board()); }

} // namespace

TEST_CASE("an emulated FT601 board is found by discovery, with its serial, speed and chip configuration") {
    UsbTestbed testbed;
    plug_ft601(testbed, StationId::alice, 3);
    const auto boards = transport::list_usb_boards();
    REQUIRE(boards.size() == 1);
    CHECK(boards[0].serial == "DIRA-ALICE");
    CHECK(boards[0].bus == kBus);
    CHECK(boards[0].address == 3);
    CHECK(boards[0].port_path == "2-3");
    CHECK(boards[0].product == "FTDI SuperSpeed-FIFO Bridge");
    CHECK_THAT(boards[0].speed, Catch::StartsWith("SuperSpeed"));
    CHECK(boards[0].id() == "usb:DIRA-ALICE");
    CHECK(boards[0].chip == "FT601: 245 mode, 1 channel, 100 MHz FIFO clock");
    CHECK_FALSE(boards[0].open_error.has_value());
}

TEST_CASE("the station identifies itself through libusb and the emulated FT601") {
    UsbTestbed testbed;
    const auto board = plug_ft601(testbed, StationId::bob, 4);
    auto station = open_station(board);
    const transport::Identity id = station->identify();
    CHECK(id.station_id == 1);
    CHECK(id.api_level == kApiLevel);
}

TEST_CASE("an FT601 not configured for the station is refused at open, saying what to change") {
    UsbTestbed testbed;
    auto config = ft601_configuration("");
    std::string expected;
    SECTION("600 mode") {
        config.fifo_mode = static_cast<std::uint8_t>(ft60x::FifoMode::mode_600);
        expected = "configured for 600 mode, 1 channel, 100 MHz FIFO clock; dira's station firmware needs 245 mode with 1 "
                   "channel (both pipes): set 'FIFO Mode: 245' with FTDI's FT60X Chip Configuration Programmer";
    }
    SECTION("four channels") {
        config.channel_config = static_cast<std::uint8_t>(ft60x::ChannelConfig::four);
        expected = "configured for 245 mode, 4 channels, 100 MHz FIFO clock; dira's station firmware needs 245 mode with 1 "
                   "channel (both pipes): set 'Channel Configuration: 1' with";
    }
    SECTION("one channel with its IN pipe only, in 600 mode") {
        config.channel_config = static_cast<std::uint8_t>(ft60x::ChannelConfig::one_in_pipe);
        config.fifo_mode = static_cast<std::uint8_t>(ft60x::FifoMode::mode_600);
        expected = "set 'FIFO Mode: 245' and 'Channel Configuration: 1' with";
    }
    const auto board = plug_ft601(testbed, StationId::alice, 3, config);
    try {
        transport::UsbTransport t(board.id);
        FAIL("a wrongly configured FT601 was opened");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::device);
        CHECK_THAT(e.what(), Catch::StartsWith("usb:DIRA-ALICE: the FT601 is ") && Catch::Contains(expected) &&
                                 Catch::Contains("then replug the board"));
    }
    // Refused before any session started: the chip saw no session command, and nothing stays claimed.
    testbed.run(*board.device, [&] {
        CHECK(chip_of(board).chip_stats().session_commands.empty());
        CHECK_FALSE(chip_of(board).interface_claimed(0));
        CHECK_FALSE(chip_of(board).interface_claimed(1));
    });
    const auto listed = transport::list_usb_boards();
    REQUIRE(listed.size() == 1);
    REQUIRE(listed[0].configuration_error.has_value());
    CHECK_THAT(listed[0].configuration_error->what(), Catch::Contains(expected));
}

TEST_CASE("a second program opening a board that is in use is told it is busy") {
    UsbTestbed testbed;
    const auto board = plug_ft601(testbed, StationId::alice, 3);
    transport::UsbTransport first(board.id);
    try {
        transport::UsbTransport second(board.id);
        FAIL("opened a board twice");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::busy);
        CHECK_THAT(e.what(), Catch::Contains("another program"));
    }
}

TEST_CASE("the IN pipe's session is stopped at close and flushed at open: a reopened board sends no stale frames") {
    UsbTestbed testbed;
    const auto board = plug_ft601(testbed, StationId::alice, 3);
    auto* usb = new transport::UsbTransport(board.id);
    auto first = std::make_unique<transport::Station>(std::unique_ptr<transport::Transport>(usb), kRegisterTimeout);
    first->identify();
    testbed.run(*board.device, [&] {
        const auto& log = chip_of(board).chip_stats().session_commands;
        REQUIRE_FALSE(log.empty()); // the open flushed the IN pipe before its first read request
        CHECK(log.front().command == ft60x::SessionCommandCode::flush);
        CHECK(log.front().pipe == 0x82);
        CHECK(chip_of(board).pending_read_requests() > 0);
        chip_of(board).hold_board(true);
    });
    // A register read the first program sends and leaves without waiting for: its reply is stale.
    usb->write(register_command_bytes(RegisterOpcode::read, Reg::FRAMES_SENT_LO, 0));
    first.reset();
    std::size_t stale = 0;
    testbed.run(*board.device, [&] {
        const auto& log = chip_of(board).chip_stats().session_commands;
        REQUIRE(log.size() >= 2); // close: "prepare" then "flush" for the IN pipe
        CHECK(log[log.size() - 2].command == ft60x::SessionCommandCode::prepare);
        CHECK(log.back().command == ft60x::SessionCommandCode::flush);
        CHECK(log.back().pipe == 0x82);
        CHECK(chip_of(board).pending_read_requests() == 0);
        chip_of(board).hold_board(false);
        link_of(board).run(10'000); // the board runs on with no host: the reply waits in the chip
        stale = link_of(board).readable();
    });
    REQUIRE(stale > 0);

    std::uint64_t flushed_before = 0;
    testbed.run(*board.device, [&] { flushed_before = chip_of(board).chip_stats().flushed_bytes; });
    store::TestPatternChecker checker;
    auto tap = std::make_unique<store::TapTransport>(std::make_unique<transport::UsbTransport>(board.id), checker);
    const store::TapTransport& seen = *tap;
    transport::Station second(std::move(tap), kRegisterTimeout);
    second.write_register(Reg::TRIAL_LIMIT, 5);
    for (const auto t0 = Clock::now(); Clock::now() - t0 < std::chrono::milliseconds(100);) second.poll(std::chrono::milliseconds(10));
    testbed.run(*board.device, [&] { CHECK(chip_of(board).chip_stats().flushed_bytes - flushed_before == stale); });
    CHECK(seen.frames() == 1); // the reply to its own command, and not the first program's
    CHECK(seen.faults() == 0);
    CHECK(second.health().frame_faults.empty());
}

TEST_CASE("the link test passes over libusb and the emulated FT601, with FRAMES_SENT reconciled") {
    UsbTestbed testbed;
    const auto board = plug_ft601(testbed, StationId::alice, 3);
    store::TestPatternChecker checker;
    auto tap = std::make_unique<store::TapTransport>(std::make_unique<transport::UsbTransport>(board.id), checker);
    const store::TapTransport& t = *tap;
    transport::Station station(std::move(tap), kRegisterTimeout);
    station.identify();
    const auto r = store::run_link_test(station, t, checker, std::chrono::milliseconds(1000));
    INFO(r.to_json().dump());
    CHECK(r.ok());
    CHECK(r.pattern_frames > 100);
    CHECK(r.frames_sent == r.frames_accounted);
    WARN("link test through the emulated FT601: " << r.bytes << " bytes, " << r.megabytes_per_second() << " MB/s");
}
