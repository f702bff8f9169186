// The FT60x configuration and session commands as the open-source FT60x drivers record them
// (host/transport/ft60x_protocol.hpp lists the sources), pinned byte by byte: a layout change here
// would pass the emulated chip (it uses the same definitions) and fail on a real one.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "transport/ft60x_protocol.hpp"
#include "transport/ftdi_transport.hpp"
#include "transport/usb_device.hpp"

using namespace dira;
namespace ft60x = dira::transport::ft60x;

TEST_CASE("FT_60XCONFIGURATION: 152 bytes, read with vendor request 0xCF, fields where ftd3xx.h puts them") {
    CHECK(ft60x::kConfigBytes == 152);
    CHECK(ft60x::kConfigRequestType == 0xC0); // IN, vendor, device
    CHECK(ft60x::kConfigRequest == 0xCF);
    CHECK(ft60x::kConfigReadValue == 1);
    ft60x::Configuration c;
    c.vendor_id = 0x0403;
    c.product_id = 0x601F;
    c.power_attributes = 0xE0;
    c.power_consumption = 0x0060;
    c.fifo_clock = 1;
    c.fifo_mode = 0;
    c.channel_config = 2;
    c.optional_features = 0x0102;
    c.battery_charging_gpio = 0xE4;
    c.flash_eeprom_detection = 0x01;
    c.msio_control = 0x00010800;
    c.gpio_control = 0x11223344;
    c.set_strings("FTDI", "FTDI SuperSpeed-FIFO Bridge", "000000000001");
    const auto b = c.encode();
    CHECK(b[0] == 0x03);
    CHECK(b[1] == 0x04);
    CHECK(b[2] == 0x1F);
    CHECK(b[3] == 0x60);
    CHECK(b[4] == 10); // the first string descriptor: bLength 2 + 2 x 4, bDescriptorType 3, "F" in UTF-16LE
    CHECK(b[5] == 3);
    CHECK(b[6] == 'F');
    CHECK(b[7] == 0);
    CHECK(b[132] == 0); // Reserved
    CHECK(b[133] == 0xE0);
    CHECK(b[134] == 0x60);
    CHECK(b[135] == 0x00);
    CHECK(b[136] == 0); // Reserved2
    CHECK(b[137] == 1); // FIFOClock: 66 MHz
    CHECK(b[138] == 0); // FIFOMode: 245
    CHECK(b[139] == 2); // ChannelConfig: 1 channel
    CHECK(b[140] == 0x02);
    CHECK(b[141] == 0x01);
    CHECK(b[142] == 0xE4);
    CHECK(b[143] == 0x01);
    CHECK(b[144] == 0x00);
    CHECK(b[146] == 0x01);
    CHECK(b[148] == 0x44);
    CHECK(b[151] == 0x11);
    const auto back = ft60x::Configuration::decode(b);
    CHECK(back.encode() == b);
    CHECK(back.strings() == std::vector<std::string>{"FTDI", "FTDI SuperSpeed-FIFO Bridge", "000000000001"});
    CHECK(back.summary() == "245 mode, 1 channel, 66 MHz FIFO clock");
    const std::vector<std::uint8_t> short_answer(100);
    CHECK_THROWS_AS(ft60x::Configuration::decode(short_answer), Error);
}

TEST_CASE("the chip dira's station needs: 245 mode, one channel; anything else is refused with what to set") {
    ft60x::Configuration c;
    CHECK_FALSE(ft60x::check_for_station(c, "usb:X").has_value());
    c.fifo_clock = static_cast<std::uint8_t>(ft60x::FifoClock::mhz_50); // a slower FIFO clock still works
    CHECK_FALSE(ft60x::check_for_station(c, "usb:X").has_value());
    c.channel_config = static_cast<std::uint8_t>(ft60x::ChannelConfig::two);
    auto e = ft60x::check_for_station(c, "usb:X");
    REQUIRE(e.has_value());
    CHECK(e->kind() == ErrorKind::device);
    CHECK_THAT(e->what(), Catch::StartsWith("usb:X: the FT601 is configured for 245 mode, 2 channels, 50 MHz FIFO clock") &&
                              Catch::Contains("set 'Channel Configuration: 1'") && !Catch::Contains("FIFO Mode"));
    c.channel_config = 7;
    c.fifo_mode = 9;
    e = ft60x::check_for_station(c, "usb:X");
    REQUIRE(e.has_value());
    CHECK_THAT(e->what(), Catch::Contains("FIFO mode 9 (unknown)") && Catch::Contains("channel configuration 7 (unknown)"));
}

TEST_CASE("session commands: 20 bytes, index, pipe, command, length, as D3XX writes them to endpoint 0x01") {
    CHECK(ft60x::kSessionEndpoint == 0x01);
    const auto read = ft60x::SessionCommand{0x01020304, 0x82, ft60x::SessionCommandCode::read, 0x00040000}.encode();
    const std::array<std::uint8_t, 20> expected_read = {0x04, 0x03, 0x02, 0x01, 0x82, 0x01, 0, 0, 0x00, 0x00, 0x04, 0x00,
                                                        0,    0,    0,    0,    0,    0,    0, 0};
    CHECK(read == expected_read);
    const auto flush = ft60x::SessionCommand{7, 0x82, ft60x::SessionCommandCode::flush, 0}.encode();
    CHECK(flush[4] == 0x82); // LimeSuite FT_FlushPipe: wbuffer[4] = ep, wbuffer[5] = 0x03
    CHECK(flush[5] == 0x03);
    CHECK(static_cast<int>(ft60x::SessionCommandCode::prepare) == 0);
    CHECK(static_cast<int>(ft60x::SessionCommandCode::set_stream) == 2);
    const auto back = ft60x::SessionCommand::decode(read);
    REQUIRE(back.has_value());
    CHECK(back->index == 0x01020304);
    CHECK(back->pipe == 0x82);
    CHECK(back->command == ft60x::SessionCommandCode::read);
    CHECK(back->length == 0x40000);
    CHECK_FALSE(ft60x::SessionCommand::decode(std::span(read).first(19)).has_value());
}

TEST_CASE("ftdi device ids: serial or bus-address after ftdi:, and channel types by name") {
    CHECK(transport::parse_usb_selector("ftdi:FT5ABCDE", "ftdi").serial == "FT5ABCDE");
    CHECK(transport::parse_usb_selector("ftdi:1-5", "ftdi").bus_address == std::pair{1, 5});
    CHECK_THROWS_WITH(transport::parse_usb_selector("usb:1-5", "ftdi"), Catch::Contains("use ftdi:SERIAL or ftdi:BUS-ADDRESS"));
    CHECK(transport::ft2232h_channel_name(0) == "UART");
    CHECK(transport::ft2232h_channel_name(1) == "245 FIFO");
    CHECK(transport::ft2232h_channel_name(4) == "CPU FIFO");
    transport::FtdiConfig bad;
    bad.transfer_bytes = 1000;
    CHECK_THROWS_WITH(transport::FtdiTransport("ftdi:X", bad), Catch::Contains("multiple of 512"));
    bad = {};
    bad.latency_timer_ms = 0;
    CHECK_THROWS_WITH(transport::FtdiTransport("ftdi:X", bad), Catch::Contains("1..255 ms"));
}
