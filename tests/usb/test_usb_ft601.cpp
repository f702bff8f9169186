// The usb transport (libusb, unmodified) against an FT601 emulated at usbdevfs with the Verilated
// station behind it (testbench/usb): discovery, the chip configuration check, the session at open
// and close, a long record stream with its loss ledger, lost and altered packets, and unplugging.
#include <catch2/catch.hpp>

#include <memory>

#include "core/error.hpp"
#include "transport/station.hpp"
#include "transport/usb_device.hpp"
#include "transport/usb_transport.hpp"
#include "usb/ft601_chip.hpp"
#include "usb/station_board_link.hpp"
#include "usb/usb_testbed.hpp"

using namespace dira;
using namespace dira::testbench::usb;
namespace ft60x = dira::transport::ft60x;

namespace {

constexpr int kBus = 2, kAddress = 3;

struct Ft601Board {
    UsbTestbed testbed;
    Ft601Chip* chip = nullptr;
    StationBoardLink* link = nullptr;

    explicit Ft601Board(const std::string& serial = "DIRA-ALICE", ft60x::Configuration config = ft601_configuration("DIRA-ALICE")) {
        config.set_strings("FTDI", "FTDI SuperSpeed-FIFO Bridge", serial);
        auto board = std::make_unique<StationBoardLink>();
        link = board.get();
        chip = &testbed.plug(std::make_unique<Ft601Chip>(Ft601ChipConfig{config}, std::move(board)), kBus, kAddress);
    }
};

} // namespace

TEST_CASE("an emulated FT601 board is found by discovery, with its serial and speed") {
    Ft601Board b;
    const auto boards = transport::list_usb_boards();
    REQUIRE(boards.size() == 1);
    CHECK(boards[0].serial == "DIRA-ALICE");
    CHECK(boards[0].bus == kBus);
    CHECK(boards[0].address == kAddress);
    CHECK(boards[0].product == "FTDI SuperSpeed-FIFO Bridge");
    CHECK_THAT(boards[0].speed, Catch::StartsWith("SuperSpeed"));
    CHECK(boards[0].id() == "usb:DIRA-ALICE");
}

TEST_CASE("the station identifies itself through libusb and the emulated FT601") {
    Ft601Board b;
    transport::Station station(std::make_unique<transport::UsbTransport>("usb:DIRA-ALICE"));
    const transport::Identity id = station.identify();
    CHECK(id.station_id == 0);
    CHECK(id.api_level == kApiLevel);
}
