// The usb transport on a machine without a board: everything but the transfers themselves (see
// docs/host.md "USB: what was tested where"): queue sizing against the usbfs limit, device ids,
// error mapping, discovery and open when no board is there, the udev rule.
#include <catch2/catch.hpp>

#include <fstream>
#include <libusb.h>

#include "core/error.hpp"
#include "support/temp_dir.hpp"
#include "transport/ftdi_transport.hpp"
#include "transport/usb_device.hpp"
#include "transport/usb_transport.hpp"

using namespace dira;
using namespace dira::transport;

namespace {

// An ID no vendor uses (0xFFFE is reserved), so these tests mean the same on a lab machine with boards.
UsbConfig absent_board() {
    UsbConfig c;
    c.vendor_id = 0xFFFE;
    c.product_id = 0x0DDA;
    return c;
}

ErrorKind kind_of(int code) { return usb_error(code, "test").kind(); }

} // namespace

TEST_CASE("the IN queue stays within its share of the usbfs limit") {
    UsbConfig c; // 256 KiB x 16, a quarter of the limit
    REQUIRE(plan_transfer_queue(c, 16u << 20).transfers == 16);
    REQUIRE(plan_transfer_queue(c, 16u << 20).total_bytes() == 4u << 20);
    REQUIRE(plan_transfer_queue(c, 8u << 20).transfers == 8);
    REQUIRE(plan_transfer_queue(c, 0).transfers == 16); // limit lifted
    for (std::size_t limit : {std::size_t{1} << 20, std::size_t{16} << 20, std::size_t{64} << 20})
        REQUIRE(plan_transfer_queue(c, limit).total_bytes() <= limit / 4);
    c.transfer_bytes = 1000; // not a multiple of the 1024-byte SuperSpeed packet
    REQUIRE_THROWS_AS(plan_transfer_queue(c, 16u << 20), Error);
    c.transfer_bytes = 8u << 20; // larger than a quarter of 16 MiB
    REQUIRE_THROWS_WITH(plan_transfer_queue(c, 16u << 20), Catch::Contains("usbfs_memory_mb"));
    c.transfer_bytes = 1024;
    c.max_transfers = 0;
    REQUIRE_THROWS_AS(plan_transfer_queue(c, 16u << 20), Error);
}

TEST_CASE("the usbfs limit is read from sysfs, with the kernel default when absent") {
    TempDir dir;
    std::ofstream(dir / "mb") << "64\n";
    REQUIRE(usbfs_memory_limit_bytes((dir / "mb").string()) == std::size_t{64} << 20);
    std::ofstream(dir / "zero") << "0\n";
    REQUIRE(usbfs_memory_limit_bytes((dir / "zero").string()) == 0);
    std::ofstream(dir / "junk") << "lots\n";
    REQUIRE(usbfs_memory_limit_bytes((dir / "junk").string()) == std::size_t{16} << 20);
    REQUIRE(usbfs_memory_limit_bytes((dir / "missing").string()) == std::size_t{16} << 20);
}

TEST_CASE("USB device ids: serial or bus-address, anything else refused") {
    REQUIRE(parse_usb_selector("usb:FT601-00012345").serial == "FT601-00012345");
    const auto ba = parse_usb_selector("usb:3-7");
    REQUIRE(ba.bus_address == std::pair{3, 7});
    REQUIRE_FALSE(ba.serial.has_value());
    REQUIRE(parse_usb_selector("usb:000000000001").serial == "000000000001");
    for (const char* bad : {"usb:", "sim:alice", "usb:0-1", "usb:3-200", "3-7"}) {
        INFO(bad);
        REQUIRE_THROWS_AS(parse_usb_selector(bad), Error);
    }
}

TEST_CASE("libusb errors map to kinds a program can act on, with what to do") {
    REQUIRE(kind_of(LIBUSB_ERROR_ACCESS) == ErrorKind::permission);
    REQUIRE(kind_of(LIBUSB_ERROR_NO_DEVICE) == ErrorKind::disconnected);
    REQUIRE(kind_of(LIBUSB_ERROR_NOT_FOUND) == ErrorKind::not_found);
    REQUIRE(kind_of(LIBUSB_ERROR_BUSY) == ErrorKind::busy);
    REQUIRE(kind_of(LIBUSB_ERROR_TIMEOUT) == ErrorKind::timeout);
    REQUIRE(kind_of(LIBUSB_ERROR_PIPE) == ErrorKind::device);
    REQUIRE(kind_of(LIBUSB_ERROR_IO) == ErrorKind::device);
    REQUIRE_THAT(usb_error(LIBUSB_ERROR_ACCESS, "opening usb:X").what(),
                 Catch::Contains("udev/60-dira.rules") && Catch::Contains("opening usb:X"));
    REQUIRE_THAT(usb_error(LIBUSB_ERROR_BUSY, "claiming").what(), Catch::Contains("another program"));
}

TEST_CASE("discovery with no board attached finds none, and opening one says so") {
    REQUIRE(list_usb_boards(absent_board()).empty());
    try {
        UsbTransport t("usb:NO-SUCH-BOARD", absent_board());
        FAIL("opened a board that is not there");
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::not_found);
        REQUIRE_THAT(e.what(), Catch::Contains("NO-SUCH-BOARD") && Catch::Contains("none is connected"));
    }
    REQUIRE_THROWS_AS(UsbTransport("sim:alice"), Error);
}

TEST_CASE("discovery and failed opens can be repeated without leaking (run under ASan for LSan)") {
    for (int i = 0; i < 200; ++i) {
        REQUIRE(list_usb_boards(absent_board()).empty());
        REQUIRE_THROWS_AS(UsbTransport("usb:1-1", absent_board()), Error);
    }
}

TEST_CASE("the udev rule grants access to the IDs the usb and ftdi transports look for") {
    std::ifstream in(std::string(DIRA_SOURCE_DIR) + "/" + kUdevRuleFile);
    REQUIRE(in);
    const std::string rules{std::istreambuf_iterator<char>(in), {}};
    const UsbConfig ft601;
    const FtdiConfig ft2232h;
    for (const auto& [vendor, product] : {std::pair{ft601.vendor_id, ft601.product_id}, std::pair{ft2232h.vendor_id, ft2232h.product_id}}) {
        char line[128];
        std::snprintf(line, sizeof line, "ATTR{idVendor}==\"%04x\", ATTR{idProduct}==\"%04x\", MODE=\"0660\", GROUP=\"plugdev\", TAG+=\"uaccess\"",
                      vendor, product);
        INFO(line);
        REQUIRE_THAT(rules, Catch::Contains(line));
    }
    // ... and to no other device: one rule per bridge chip (transport/usb_ids.hpp).
    std::size_t rule_count = 0;
    for (std::size_t at = rules.find("ATTR{idProduct}"); at != std::string::npos; at = rules.find("ATTR{idProduct}", at + 1))
        ++rule_count;
    CHECK(rule_count == 2);
}
