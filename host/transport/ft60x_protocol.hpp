// The FTDI FT60x (FT600/FT601) as its vendor's driver speaks to it over USB: the chip
// configuration and the session commands. One definition, used by the usb transport and by the
// emulated FT601 the tests run it against (testbench/usb/ft601_chip.hpp).
//
// FTDI publishes the configuration structure (FT_60XCONFIGURATION in its D3XX header ftd3xx.h,
// field by field: AN_370 "FT60x Configuration Programmer", AN_379 "D3XX Programmer's Guide") but
// not the USB requests behind FT_GetChipConfiguration or FT_ReadPipe. Those were recorded from the
// open-source drivers that talk to FT60x chips with libusb instead of D3XX, which agree:
//   - LeechCore's FT601 libusb back end (ufrisk/LeechCore, leechcore/oscompatibility.c and
//     fpga_libusb.h, itself from LambdaConcept's PCIe Screamer driver);
//   - LimeSuite's FT601 connection (myriadrf/LimeSuite, src/ConnectionFTDI/ConnectionFT601.cpp,
//     the __unix__ branch: FT_FlushPipe, FT_SetStreamPipe);
//   - openft60x (jbuchermn/openft60x, doc.txt: usbmon traces of FTDI's own libftd3xx);
//   - ft60x-rs (apertus-open-source-cinema/ft60x-rs, src/ft60x.rs: get_config, set_config).
// docs/host.md ("FT601: what dira sends") lists the same facts for a reader.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "transport/usb_ids.hpp"

namespace dira::transport::ft60x {

// --- the chip configuration ---------------------------------------------------------------------
// Read with a vendor control request to the device: bmRequestType 0xC0 (IN, vendor, device),
// bRequest 0xCF, wValue 1, wIndex 0, 152 bytes (LeechCore ftdi_GetChipConfiguration, ft60x-rs
// get_config, openft60x "get / set device config"). Written with 0x40, 0xCF, wValue 0, which dira
// never does: a board is configured once with FTDI's programmer (docs/boards.md).
inline constexpr std::uint8_t kConfigRequestType = 0xC0;
inline constexpr std::uint8_t kConfigRequest = 0xCF;
inline constexpr std::uint16_t kConfigReadValue = 1;
inline constexpr std::size_t kConfigBytes = 152;

// FT_60XCONFIGURATION, packed, little endian: byte offsets of its fields.
namespace offset {
inline constexpr std::size_t vendor_id = 0;            // USHORT VendorID
inline constexpr std::size_t product_id = 2;           // USHORT ProductID
inline constexpr std::size_t string_descriptors = 4;   // UCHAR StringDescriptors[128]
inline constexpr std::size_t power_attributes = 133;   // after UCHAR Reserved at 132
inline constexpr std::size_t power_consumption = 134;  // USHORT
inline constexpr std::size_t fifo_clock = 137;         // after UCHAR Reserved2 at 136
inline constexpr std::size_t fifo_mode = 138;
inline constexpr std::size_t channel_config = 139;
inline constexpr std::size_t optional_features = 140;  // USHORT OptionalFeatureSupport
inline constexpr std::size_t battery_charging_gpio = 142;
inline constexpr std::size_t flash_eeprom_detection = 143; // read-only
inline constexpr std::size_t msio_control = 144;       // ULONG
inline constexpr std::size_t gpio_control = 148;       // ULONG
} // namespace offset
inline constexpr std::size_t kStringDescriptorBytes = 128;

// CONFIGURATION_FIFO_MODE_245 / _600 (ftd3xx.h).
enum class FifoMode : std::uint8_t { mode_245 = 0, mode_600 = 1 };
// CONFIGURATION_CHANNEL_CONFIG_4, _2, _1, _1_OUTPIPE, _1_INPIPE (ftd3xx.h).
enum class ChannelConfig : std::uint8_t { four = 0, two = 1, one = 2, one_out_pipe = 3, one_in_pipe = 4 };
// CONFIGURATION_FIFO_CLK_100, _66, _50, _40 (ftd3xx.h).
enum class FifoClock : std::uint8_t { mhz_100 = 0, mhz_66 = 1, mhz_50 = 2, mhz_40 = 3 };

struct Configuration {
    std::uint16_t vendor_id = kFtdiVendorId;
    std::uint16_t product_id = kFt601ProductId;
    // Manufacturer, product and serial number as three USB string descriptors back to back.
    std::array<std::uint8_t, kStringDescriptorBytes> string_descriptors{};
    std::uint8_t power_attributes = 0;
    std::uint16_t power_consumption = 0;
    std::uint8_t fifo_clock = static_cast<std::uint8_t>(FifoClock::mhz_100);
    std::uint8_t fifo_mode = static_cast<std::uint8_t>(FifoMode::mode_245);
    std::uint8_t channel_config = static_cast<std::uint8_t>(ChannelConfig::one);
    std::uint16_t optional_features = 0;
    std::uint8_t battery_charging_gpio = 0;
    std::uint8_t flash_eeprom_detection = 0;
    std::uint32_t msio_control = 0;
    std::uint32_t gpio_control = 0;

    // Throws dira::Error(device) unless `bytes` is exactly kConfigBytes long.
    static Configuration decode(std::span<const std::uint8_t> bytes);
    std::array<std::uint8_t, kConfigBytes> encode() const;

    // The three strings of string_descriptors (empty where the area does not hold them).
    std::vector<std::string> strings() const;
    void set_strings(const std::string& manufacturer, const std::string& product, const std::string& serial);

    // "245 mode, 1 channel, 100 MHz FIFO clock" (unknown values are named by number).
    std::string summary() const;
};

// What dira's station firmware needs of the chip (docs/station.md, "FT601 bridge"): 245
// synchronous FIFO mode and one channel with both pipes (register commands go out, frames come
// in). Returns nullopt when the chip fits, else a dira::Error(device) that names the device, says
// what the chip is set to and what to change, and how.
std::optional<Error> check_for_station(const Configuration& config, const std::string& device_id);

// --- session commands ---------------------------------------------------------------------------
// 20-byte commands the host writes to bulk OUT endpoint 0x01 of interface 0 (the session
// interface): u32 index, u8 pipe, u8 command, u16 0, u32 length, 8 zero bytes.
inline constexpr std::size_t kSessionCommandBytes = 20;
inline constexpr std::uint8_t kSessionEndpoint = 0x01;
enum class SessionCommandCode : std::uint8_t {
    // The first of the two commands FTDI's driver sends to abort or flush a pipe (LimeSuite
    // FT_FlushPipe, openft60x "abort pipe", "clear stream pipe"); no effect of its own is known.
    prepare = 0,
    // Asks the chip for `length` bytes on the IN pipe (or announces a write of `length` bytes on an
    // OUT pipe): D3XX sends one before each FT_ReadPipe (LeechCore ftdi_SendCmdRead, openft60x
    // "read packet"). An FT60x in 245 mode sends IN data only against these requests.
    read = 1,
    // Streams blocks of `length` bytes without further requests (FT_SetStreamPipe).
    set_stream = 2,
    // Flushes the pipe: ends its session and discards what the chip holds for it (FT_FlushPipe;
    // FT_Create sends it for pipe 0x82 when it opens the chip, openft60x "initial command").
    flush = 3,
};

struct SessionCommand {
    std::uint32_t index = 0;
    std::uint8_t pipe = 0;
    SessionCommandCode command = SessionCommandCode::read;
    std::uint32_t length = 0;

    std::array<std::uint8_t, kSessionCommandBytes> encode() const;
    // nullopt unless `bytes` is kSessionCommandBytes long.
    static std::optional<SessionCommand> decode(std::span<const std::uint8_t> bytes);
};

} // namespace dira::transport::ft60x
