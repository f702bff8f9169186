#include "usb/ft601_chip.hpp"

#include <algorithm>
#include <array>

#include "usb/usb_descriptors.hpp"

namespace dira::testbench::usb {
namespace {

namespace ft60x = transport::ft60x;

constexpr std::uint8_t kSessionNotificationEndpoint = 0x81;
constexpr std::uint8_t kFirstOutPipe = 0x02, kFirstInPipe = 0x82;
constexpr std::uint8_t kBulk = 2, kInterrupt = 3;

// Which FIFO channels have an OUT and an IN pipe, by channel configuration.
struct Pipes {
    unsigned channels = 1;
    bool out = true, in = true;
};
Pipes pipes_of(std::uint8_t channel_config) {
    switch (static_cast<ft60x::ChannelConfig>(channel_config)) {
    case ft60x::ChannelConfig::four: return {4, true, true};
    case ft60x::ChannelConfig::two: return {2, true, true};
    case ft60x::ChannelConfig::one: return {1, true, true};
    case ft60x::ChannelConfig::one_out_pipe: return {1, true, false};
    case ft60x::ChannelConfig::one_in_pipe: return {1, false, true};
    }
    return {1, true, true};
}

DeviceDescription describe(const ft60x::Configuration& c) {
    ConfigurationFields config;
    config.superspeed = true;
    config.attributes = static_cast<std::uint8_t>(0x80 | (c.power_attributes & 0x60));
    config.max_power = static_cast<std::uint8_t>(std::min<unsigned>(c.power_consumption / 8, 255)); // 8 mA units
    config.interfaces.push_back({0, {{ft60x::kSessionEndpoint, kBulk, 1024, 0}, {kSessionNotificationEndpoint, kInterrupt, 16, 9}}, 0});
    InterfaceFields data{1, {}, 0};
    const Pipes p = pipes_of(c.channel_config);
    for (unsigned ch = 0; ch < p.channels; ++ch) {
        if (p.out) data.endpoints.push_back({static_cast<std::uint8_t>(kFirstOutPipe + ch), kBulk, 1024, 0});
        if (p.in) data.endpoints.push_back({static_cast<std::uint8_t>(kFirstInPipe + ch), kBulk, 1024, 0});
    }
    config.interfaces.push_back(data);
    DeviceDescription d;
    d.vendor_id = c.vendor_id;
    d.product_id = c.product_id;
    d.speed_mbps = 5000;
    d.descriptors = device_and_configuration({0x0300, 9, c.vendor_id, c.product_id, 0x0000}, config);
    d.strings = c.strings();
    return d;
}

} // namespace

ft60x::Configuration ft601_configuration(const std::string& serial) {
    ft60x::Configuration c;
    c.set_strings("FTDI", "FTDI SuperSpeed-FIFO Bridge", serial);
    return c;
}

Ft601Chip::Ft601Chip(const Ft601ChipConfig& config, std::unique_ptr<BoardLink> board)
    : UsbdevfsDevice(describe(config.chip)), config_(config), board_(std::move(board)) {}

bool Ft601Chip::pipes_work() const {
    const Pipes p = pipes_of(config_.chip.channel_config);
    return config_.chip.fifo_mode == static_cast<std::uint8_t>(ft60x::FifoMode::mode_245) && p.in && p.out;
}

std::optional<std::vector<std::uint8_t>> Ft601Chip::control_in(const SetupPacket& s) {
    if (s.vendor() && s.request == ft60x::kConfigRequest && s.value == ft60x::kConfigReadValue) {
        const auto bytes = config_.chip.encode();
        return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
    }
    return std::nullopt; // requests dira does not use: stall
}

bool Ft601Chip::control_out(const SetupPacket&, std::span<const std::uint8_t>) {
    return false; // dira never writes the configuration (FTDI's programmer does)
}

std::size_t Ft601Chip::bulk_out(std::uint8_t endpoint, std::span<const std::uint8_t> data) {
    if (endpoint == ft60x::kSessionEndpoint) {
        for (std::size_t at = 0; at + ft60x::kSessionCommandBytes <= data.size(); at += ft60x::kSessionCommandBytes)
            if (auto c = ft60x::SessionCommand::decode(data.subspan(at, ft60x::kSessionCommandBytes))) session_command(*c);
        return data.size();
    }
    if (endpoint == kFirstOutPipe) return pipes_work() ? board_->write(data.data(), data.size()) : 0;
    return data.size(); // other channels: no FPGA listens there, the chip takes and drops the bytes
}

void Ft601Chip::session_command(const ft60x::SessionCommand& c) {
    chip_stats_.session_commands.push_back(c);
    if (c.pipe != kFirstInPipe) return;
    switch (c.command) {
    case ft60x::SessionCommandCode::read:
        ++chip_stats_.read_requests;
        requests_.push_back(c.length);
        break;
    case ft60x::SessionCommandCode::flush: {
        requests_.clear();
        std::array<std::uint8_t, 4096> discard;
        while (const std::size_t n = board_->read(discard.data(), discard.size())) chip_stats_.flushed_bytes += n;
        break;
    }
    case ft60x::SessionCommandCode::prepare:
    case ft60x::SessionCommandCode::set_stream:
        break;
    }
}

UsbdevfsDevice::InProgress Ft601Chip::bulk_in(std::uint8_t endpoint, std::span<std::uint8_t> room, std::size_t filled) {
    if (endpoint != kFirstInPipe || !pipes_work() || requests_.empty()) return {};
    std::uint32_t& request = requests_.front();
    const std::size_t n = take_from_fpga(room.data(), std::min<std::size_t>(room.size(), request));
    request -= static_cast<std::uint32_t>(n);
    const std::size_t total = filled + n;
    const bool underrun = board_->readable() == 0 && board_->cycles_since_input() >= kUnderrunCycles;
    const bool ends = n == room.size() || (total > 0 && (request == 0 || underrun));
    if (ends) requests_.pop_front();
    return {n, ends};
}

void Ft601Chip::in_discarded(std::uint8_t endpoint, std::size_t filled) {
    if (endpoint == kFirstInPipe && filled > 0 && !requests_.empty()) requests_.pop_front();
}

std::size_t Ft601Chip::take_from_fpga(std::uint8_t* into, std::size_t max) {
    const std::size_t n = faults_.take(*board_, into, max);
    chip_stats_.stream_bytes = faults_.delivered();
    chip_stats_.dropped_bytes = faults_.dropped();
    chip_stats_.corrupted_bytes = faults_.corrupted();
    return n;
}

bool Ft601Chip::advance() {
    if (board_held_) return false;
    board_->run(config_.cycles_per_advance);
    return !board_->quiet();
}

} // namespace dira::testbench::usb
