// The ftdi transport (libftdi and libusb, unmodified) against an FT2232H emulated at usbdevfs with
// the iCE40 station (station_ft2232h, Verilated) behind channel A (testbench/usb): the EEPROM
// check and its bring-up through libftdi, the chip set up as AN_130 says, the status bytes, the
// station over the link, the link test, busy, and a reopened board with nothing stale.
#include <catch2/catch.hpp>

#include <ftdi.h>

#include <chrono>
#include <memory>

#include "core/error.hpp"
#include "dira/register_map.hpp"
#include "usb_run_support.hpp"
#include "store/link_test.hpp"
#include "transport/ftdi_transport.hpp"
#include "transport/station.hpp"

using namespace usb_test;
using Clock = std::chrono::steady_clock;

namespace {

Ft2232hChip& chip_of(const EmulatedBoard& b) { return static_cast<Ft2232hChip&>(*b.device); }

} // namespace

TEST_CASE("an FT2232H with a blank EEPROM is listed, and refused with how to program channel A") {
    UsbTestbed testbed;
    testbed.plug(std::make_unique<Ft2232hChip>(Ft2232hChipConfig{}, std::make_unique<Ft2232hBoardLink>()), 1, 5, 5);
    const auto boards = transport::list_ftdi_boards();
    REQUIRE(boards.size() == 1);
    CHECK(boards[0].id() == "ftdi:1-5"); // no serial number without an EEPROM
    CHECK(boards[0].product == "Dual RS232-HS");
    CHECK(boards[0].chip == "FT2232H, EEPROM blank");
    CHECK_FALSE(boards[0].open_error.has_value());
    REQUIRE(boards[0].configuration_error.has_value());
    CHECK_THAT(boards[0].configuration_error->what(),
               Catch::Contains("EEPROM is blank") && Catch::Contains("channel_a_type=FIFO") && Catch::Contains("then replug"));
    try {
        transport::FtdiTransport t("ftdi:1-5");
        FAIL("opened an FT2232H whose channel A is not a 245 FIFO");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::device);
        CHECK_THAT(e.what(), Catch::StartsWith("ftdi:1-5: the FT2232H's EEPROM is blank"));
    }
}

TEST_CASE("an FT2232H programmed through libftdi as the bring-up says is found by its serial, channel A a 245 FIFO") {
    UsbTestbed testbed;
    const auto board = plug_ice40(testbed, 5);
    testbed.run(*board.device, [&] {
        CHECK((chip_of(board).eeprom()[0] & 0x07) == 1); // byte 0 bits 0..2: channel A type, 1 = 245 FIFO
    });
    const auto boards = transport::list_ftdi_boards();
    REQUIRE(boards.size() == 1);
    CHECK(boards[0].id() == "ftdi:DIRA-ICE40");
    CHECK(boards[0].manufacturer == "FTDI");
    CHECK(boards[0].product == "FT2232H MiniModule");
    CHECK(boards[0].chip == "FT2232H, EEPROM channel A: 245 FIFO");
    CHECK_FALSE(boards[0].configuration_error.has_value());
}

TEST_CASE("an FT2232H whose channel A is a UART is refused, naming the breakout's own chip as the likely mix-up") {
    UsbTestbed testbed;
    auto& chip = bring_up_ft2232h(testbed, 5, "BREAKOUT", std::make_unique<Ft2232hBoardLink>(), kChannelUart);
    const EmulatedBoard board{&chip, "ftdi:BREAKOUT", {}};
    try {
        transport::FtdiTransport t(board.id);
        FAIL("opened a UART channel as a FIFO");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::device);
        CHECK_THAT(e.what(), Catch::Contains("channel A of the FT2232H is set to UART in its EEPROM") &&
                                 Catch::Contains("breakout's own FT2232H"));
    }
    testbed.run(*board.device, [&] { CHECK(chip_of(board).bit_mode() == 0); }); // never switched to the FIFO
}

TEST_CASE("the ftdi transport sets channel A up as AN_130 says, and stops it at close") {
    UsbTestbed testbed;
    const auto board = plug_ice40(testbed, 5);
    {
        transport::FtdiTransport t(board.id);
        testbed.run(*board.device, [&] {
            CHECK(chip_of(board).sync_fifo());
            CHECK(chip_of(board).bit_mode() == BITMODE_SYNCFF); // 0x40
            CHECK(chip_of(board).latency_timer_ms() == transport::FtdiConfig{}.latency_timer_ms);
            CHECK(chip_of(board).flow_control() == SIO_RTS_CTS_HS);
            CHECK(chip_of(board).interface_claimed(0));
        });
    }
    testbed.run(*board.device, [&] {
        CHECK(chip_of(board).bit_mode() == BITMODE_RESET); // the FPGA gets no clock once we are gone
        CHECK_FALSE(chip_of(board).interface_claimed(0));
    });
}

TEST_CASE("the iCE40 station answers through libftdi, which removes the two status bytes of every 512-byte packet") {
    UsbTestbed testbed;
    const auto board = plug_ice40(testbed, 5);
    auto* ftdi = new transport::FtdiTransport(board.id);
    transport::Station station{std::unique_ptr<transport::Transport>(ftdi), kRegisterTimeout};
    const transport::Identity id = station.identify();
    CHECK(id.clock_hz == DIRA_ICE40_STATION_CLOCK_HZ);
    CHECK(id.api_level == kApiLevel);
    station.write_register(Reg::WINDOW_CLOSE_CYCLES, 0x12345678u);
    CHECK(station.read_register(Reg::WINDOW_CLOSE_CYCLES) == 0x12345678u);
    CHECK(station.health().frame_faults.empty());
    testbed.run(*board.device, [&] {
        const auto& s = chip_of(board).chip_stats();
        CHECK(s.packets > 0);
        CHECK(s.status_bytes == s.packets * Ft2232hChip::kStatusBytes);
        CHECK(s.payload_bytes == ftdi->bytes_in()); // every byte the host got is the FPGA's
    });
}

TEST_CASE("the link test passes over libftdi and the emulated FT2232H, with real 512-byte packets") {
    UsbTestbed testbed;
    const auto board = plug_ice40(testbed, 5);
    store::TestPatternChecker checker;
    auto tap = std::make_unique<store::TapTransport>(std::make_unique<transport::FtdiTransport>(board.id), checker);
    const store::TapTransport& t = *tap;
    transport::Station station(std::move(tap), kRegisterTimeout);
    station.identify();
    const auto r = store::run_link_test(station, t, checker, std::chrono::milliseconds(1000));
    INFO(r.to_json().dump());
    CHECK(r.ok());
    CHECK(r.pattern_frames > 10);
    testbed.run(*board.device, [&] {
        const auto& s = chip_of(board).chip_stats();
        CHECK(s.packets - s.short_packets > 100); // full packets: status bytes at every 512-byte boundary
        CHECK(s.status_bytes == 2 * s.packets);
    });
    WARN("link test through the emulated FT2232H (station_ft2232h): " << r.bytes << " bytes, " << r.megabytes_per_second() << " MB/s");
}

TEST_CASE("a second program opening the iCE40 board in use is told it is busy") {
    UsbTestbed testbed;
    const auto board = plug_ice40(testbed, 5);
    transport::FtdiTransport first(board.id);
    try {
        transport::FtdiTransport second(board.id);
        FAIL("opened a board twice");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::busy);
    }
    const auto listed = transport::list_ftdi_boards();
    REQUIRE(listed.size() == 1);
    REQUIRE(listed[0].open_error.has_value());
    CHECK(listed[0].open_error->kind() == ErrorKind::busy);
}

TEST_CASE("a reopened FT2232H delivers nothing from the previous session: purged at open and at close") {
    UsbTestbed testbed;
    const auto board = plug_ice40(testbed, 5);
    auto* ftdi = new transport::FtdiTransport(board.id);
    auto first = std::make_unique<transport::Station>(std::unique_ptr<transport::Transport>(ftdi), kRegisterTimeout);
    first->identify();
    // The first program asks for a register and leaves before the reply: the reply waits in the chip.
    testbed.run(*board.device, [&] { chip_of(board).hold_board(true); });
    ftdi->write(register_command_bytes(RegisterOpcode::read, Reg::FRAMES_SENT_LO, 0));
    std::size_t stale = 0;
    testbed.run(*board.device, [&] {
        static_cast<Ft2232hBoardLink&>(chip_of(board).board()).run(5'000);
        stale = static_cast<Ft2232hBoardLink&>(chip_of(board).board()).readable();
        chip_of(board).hold_board(false);
    });
    REQUIRE(stale > 0);
    first.reset();
    std::uint64_t purged = 0;
    testbed.run(*board.device, [&] { purged = chip_of(board).chip_stats().purged_bytes; });
    CHECK(purged >= stale);

    store::TestPatternChecker checker;
    auto tap = std::make_unique<store::TapTransport>(std::make_unique<transport::FtdiTransport>(board.id), checker);
    const store::TapTransport& seen = *tap;
    transport::Station second(std::move(tap), kRegisterTimeout);
    second.write_register(Reg::TRIAL_LIMIT, 5);
    for (const auto t0 = Clock::now(); Clock::now() - t0 < std::chrono::milliseconds(100);) second.poll(std::chrono::milliseconds(10));
    CHECK(seen.frames() == 1); // the reply to its own command only
    CHECK(seen.faults() == 0);
}
