#include "transport/ft60x_protocol.hpp"

#include <cstring>
#include <sstream>

#include "core/byte_order.hpp"

namespace dira::transport::ft60x {
namespace {

std::uint16_t get16(std::span<const std::uint8_t> b, std::size_t at) { return load_le<std::uint16_t>(&b[at]); }
std::uint32_t get32(std::span<const std::uint8_t> b, std::size_t at) { return load_le<std::uint32_t>(&b[at]); }

constexpr std::uint8_t kStringDescriptorType = 3;

std::string fifo_mode_name(std::uint8_t m) {
    switch (static_cast<FifoMode>(m)) {
    case FifoMode::mode_245: return "245 mode";
    case FifoMode::mode_600: return "600 mode";
    }
    return "FIFO mode " + std::to_string(m) + " (unknown)";
}

std::string channel_name(std::uint8_t c) {
    switch (static_cast<ChannelConfig>(c)) {
    case ChannelConfig::four: return "4 channels";
    case ChannelConfig::two: return "2 channels";
    case ChannelConfig::one: return "1 channel";
    case ChannelConfig::one_out_pipe: return "1 channel, OUT pipe only";
    case ChannelConfig::one_in_pipe: return "1 channel, IN pipe only";
    }
    return "channel configuration " + std::to_string(c) + " (unknown)";
}

std::string clock_name(std::uint8_t c) {
    switch (static_cast<FifoClock>(c)) {
    case FifoClock::mhz_100: return "100 MHz";
    case FifoClock::mhz_66: return "66 MHz";
    case FifoClock::mhz_50: return "50 MHz";
    case FifoClock::mhz_40: return "40 MHz";
    }
    return "clock setting " + std::to_string(c) + " (unknown)";
}

} // namespace

Configuration Configuration::decode(std::span<const std::uint8_t> b) {
    if (b.size() != kConfigBytes)
        throw Error(ErrorKind::device, "the FT60x answered its configuration request with " + std::to_string(b.size()) +
                                           " bytes, not " + std::to_string(kConfigBytes) +
                                           ": this is not an FT600/FT601, or its firmware is not one dira knows");
    Configuration c;
    c.vendor_id = get16(b, offset::vendor_id);
    c.product_id = get16(b, offset::product_id);
    std::memcpy(c.string_descriptors.data(), b.data() + offset::string_descriptors, kStringDescriptorBytes);
    c.power_attributes = b[offset::power_attributes];
    c.power_consumption = get16(b, offset::power_consumption);
    c.fifo_clock = b[offset::fifo_clock];
    c.fifo_mode = b[offset::fifo_mode];
    c.channel_config = b[offset::channel_config];
    c.optional_features = get16(b, offset::optional_features);
    c.battery_charging_gpio = b[offset::battery_charging_gpio];
    c.flash_eeprom_detection = b[offset::flash_eeprom_detection];
    c.msio_control = get32(b, offset::msio_control);
    c.gpio_control = get32(b, offset::gpio_control);
    return c;
}

std::array<std::uint8_t, kConfigBytes> Configuration::encode() const {
    std::array<std::uint8_t, kConfigBytes> b{};
    store_le<std::uint16_t>(&b[offset::vendor_id], vendor_id);
    store_le<std::uint16_t>(&b[offset::product_id], product_id);
    std::memcpy(&b[offset::string_descriptors], string_descriptors.data(), kStringDescriptorBytes);
    b[offset::power_attributes] = power_attributes;
    store_le<std::uint16_t>(&b[offset::power_consumption], power_consumption);
    b[offset::fifo_clock] = fifo_clock;
    b[offset::fifo_mode] = fifo_mode;
    b[offset::channel_config] = channel_config;
    store_le<std::uint16_t>(&b[offset::optional_features], optional_features);
    b[offset::battery_charging_gpio] = battery_charging_gpio;
    b[offset::flash_eeprom_detection] = flash_eeprom_detection;
    store_le<std::uint32_t>(&b[offset::msio_control], msio_control);
    store_le<std::uint32_t>(&b[offset::gpio_control], gpio_control);
    return b;
}

std::vector<std::string> Configuration::strings() const {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (out.size() < 3 && at + 2 <= kStringDescriptorBytes) {
        const std::size_t len = string_descriptors[at];
        if (len < 2 || string_descriptors[at + 1] != kStringDescriptorType || at + len > kStringDescriptorBytes) break;
        std::string s;
        for (std::size_t i = at + 2; i + 1 < at + len; i += 2)
            s.push_back(string_descriptors[i + 1] == 0 ? static_cast<char>(string_descriptors[i]) : '?');
        out.push_back(s);
        at += len;
    }
    return out;
}

void Configuration::set_strings(const std::string& manufacturer, const std::string& product, const std::string& serial) {
    string_descriptors.fill(0);
    std::size_t at = 0;
    for (const std::string* s : {&manufacturer, &product, &serial}) {
        const std::size_t len = 2 + 2 * s->size();
        if (at + len > kStringDescriptorBytes)
            throw Error(ErrorKind::invalid_argument, "FT60x strings do not fit the configuration's 128 bytes");
        string_descriptors[at] = static_cast<std::uint8_t>(len);
        string_descriptors[at + 1] = kStringDescriptorType;
        for (std::size_t i = 0; i < s->size(); ++i) string_descriptors[at + 2 + 2 * i] = static_cast<std::uint8_t>((*s)[i]);
        at += len;
    }
}

std::string Configuration::summary() const {
    return fifo_mode_name(fifo_mode) + ", " + channel_name(channel_config) + ", " + clock_name(fifo_clock) + " FIFO clock";
}

std::optional<Error> check_for_station(const Configuration& c, const std::string& device_id) {
    const bool mode_ok = c.fifo_mode == static_cast<std::uint8_t>(FifoMode::mode_245);
    const bool channels_ok = c.channel_config == static_cast<std::uint8_t>(ChannelConfig::one);
    if (mode_ok && channels_ok) return std::nullopt;
    std::ostringstream m;
    m << device_id << ": the FT601 is configured for " << c.summary()
      << "; dira's station firmware needs 245 mode with 1 channel (both pipes): set";
    if (!mode_ok) m << " 'FIFO Mode: 245'";
    if (!mode_ok && !channels_ok) m << " and";
    if (!channels_ok) m << " 'Channel Configuration: 1'";
    m << " with FTDI's FT60X Chip Configuration Programmer, then replug the board (docs/boards.md, \"Bringing up "
         "the AC701 board\")";
    return Error(ErrorKind::device, m.str());
}

std::array<std::uint8_t, kSessionCommandBytes> SessionCommand::encode() const {
    std::array<std::uint8_t, kSessionCommandBytes> b{};
    store_le<std::uint32_t>(&b[0], index);
    b[4] = pipe;
    b[5] = static_cast<std::uint8_t>(command);
    store_le<std::uint32_t>(&b[8], length);
    return b;
}

std::optional<SessionCommand> SessionCommand::decode(std::span<const std::uint8_t> b) {
    if (b.size() != kSessionCommandBytes) return std::nullopt;
    SessionCommand c;
    c.index = get32(b, 0);
    c.pipe = b[4];
    c.command = static_cast<SessionCommandCode>(b[5]);
    c.length = get32(b, 8);
    return c;
}

} // namespace dira::transport::ft60x
