#include "usb/ft2232h_chip.hpp"

#include <algorithm>
#include <cstring>

#include "core/byte_order.hpp"
#include "transport/usb_ids.hpp"
#include "usb/usb_descriptors.hpp"

namespace dira::testbench::usb {
namespace {

using Clock = std::chrono::steady_clock;

// SIO requests (ftdi_sio.h, libftdi ftdi.h).
constexpr std::uint8_t kReset = 0x00, kPollModemStatus = 0x05, kSetLatency = 0x09, kGetLatency = 0x0A, kSetBitMode = 0x0B,
                       kReadPins = 0x0C, kReadEeprom = 0x90, kWriteEeprom = 0x91, kEraseEeprom = 0x92, kSetFlowControl = 0x02;
constexpr std::uint16_t kPurgeFromHost = 1, kPurgeToHost = 2; // SIO_RESET wValue (libftdi: TCOFLUSH, TCIFLUSH)
constexpr std::uint16_t kChannelA = 1;                        // wIndex of channel A
constexpr std::uint8_t kBitModeSyncFifo = 0x40;               // BITMODE_SYNCFF, AN_130
constexpr std::uint8_t kChannelIsFifo = 1;                    // EEPROM byte 0 bits 0..2
constexpr std::uint8_t kInA = 0x81, kOutA = 0x02, kInB = 0x83, kOutB = 0x04;
constexpr std::uint8_t kModemStatusReserved = 0x01;           // "B0 Reserved - must be 1"
constexpr std::uint8_t kLineStatusThreTemt = 0x60;            // transmitter holding register and transmitter empty

// What the chip makes of its EEPROM (libftdi doc/EEPROM-structure, checksum as libftdi computes it).
struct EepromView {
    bool valid = false;
    std::uint16_t vendor_id = transport::kFtdiVendorId, product_id = transport::kFt2232hProductId;
    std::uint8_t channel_a = 0; // UART
    std::vector<std::string> strings{"FTDI", "Dual RS232-HS"}; // the chip's defaults, no serial
};

EepromView view(const Ft2232hEeprom& e) {
    EepromView v;
    const std::size_t size = e[0x18] == 0x46 ? 128 : 256; // byte 0x18: the EEPROM type (93C46 or 93C56)
    std::uint16_t checksum = 0xAAAA;
    for (std::size_t i = 0; i < size / 2 - 1; ++i) {
        checksum = static_cast<std::uint16_t>(load_le<std::uint16_t>(&e[2 * i]) ^ checksum);
        checksum = static_cast<std::uint16_t>((checksum << 1) | (checksum >> 15));
    }
    const bool all_ff = std::all_of(e.begin(), e.end(), [](std::uint8_t b) { return b == 0xFF; });
    if (all_ff || checksum != load_le<std::uint16_t>(&e[size - 2])) return v;
    v.valid = true;
    v.vendor_id = load_le<std::uint16_t>(&e[2]);
    v.product_id = load_le<std::uint16_t>(&e[4]);
    v.channel_a = e[0] & 0x07;
    v.strings.clear();
    for (std::size_t field : {0x0E, 0x10, 0x12}) { // manufacturer, product, serial: address and length
        const std::size_t at = e[field] & (size - 1), len = e[field + 1];
        std::string s;
        for (std::size_t i = at + 2; i + 1 < at + len && i + 1 < size; i += 2) s.push_back(static_cast<char>(e[i]));
        v.strings.push_back(s);
    }
    if (v.strings.back().empty()) v.strings.pop_back(); // no serial number
    return v;
}

DeviceDescription describe(const Ft2232hEeprom& e) {
    const EepromView v = view(e);
    ConfigurationFields config;
    config.attributes = 0x80;
    config.max_power = 50; // 100 mA
    config.interfaces.push_back({0, {{kInA, 2, 512, 0}, {kOutA, 2, 512, 0}}, 2});
    config.interfaces.push_back({1, {{kInB, 2, 512, 0}, {kOutB, 2, 512, 0}}, 2});
    DeviceDescription d;
    d.vendor_id = v.vendor_id;
    d.product_id = v.product_id;
    d.speed_mbps = 480;
    d.descriptors = device_and_configuration({0x0200, 64, v.vendor_id, v.product_id, 0x0700}, config);
    d.strings = v.strings;
    return d;
}

} // namespace

Ft2232hEeprom blank_ft2232h_eeprom() {
    Ft2232hEeprom e;
    e.fill(0xFF);
    return e;
}

Ft2232hChip::Ft2232hChip(const Ft2232hChipConfig& config, std::unique_ptr<BoardLink> board)
    : UsbdevfsDevice(describe(config.eeprom)), config_(config), board_(std::move(board)), eeprom_(config.eeprom),
      channel_a_(view(config.eeprom).channel_a), last_packet_time_(Clock::now()) {}

bool Ft2232hChip::sync_fifo() const { return bit_mode_ == kBitModeSyncFifo && channel_a_ == kChannelIsFifo; }

std::array<std::uint8_t, Ft2232hChip::kStatusBytes> Ft2232hChip::status() const {
    return {kModemStatusReserved, kLineStatusThreTemt};
}

std::optional<std::vector<std::uint8_t>> Ft2232hChip::control_in(const SetupPacket& s) {
    if (!s.vendor()) return std::nullopt;
    switch (s.request) {
    case kPollModemStatus: {
        const auto st = status();
        return std::vector<std::uint8_t>(st.begin(), st.end());
    }
    case kGetLatency: return std::vector<std::uint8_t>{static_cast<std::uint8_t>(latency_ms_)};
    case kReadPins: return std::vector<std::uint8_t>{0xFF};
    case kReadEeprom: {
        const std::size_t word = s.index % (kFt2232hEepromBytes / 2);
        return std::vector<std::uint8_t>{eeprom_[2 * word], eeprom_[2 * word + 1]};
    }
    default: return std::nullopt;
    }
}

bool Ft2232hChip::control_out(const SetupPacket& s, std::span<const std::uint8_t>) {
    if (!s.vendor()) return false;
    switch (s.request) {
    case kReset:
        if (s.index != kChannelA) return true;
        if (s.value == kPurgeToHost) purge_to_host();
        if (s.value == kPurgeFromHost) chip_stats_.purged_bytes += board_->drop_from_host();
        return true;
    case kSetLatency:
        if ((s.value & 0xFF) == 0) return false;
        latency_ms_ = s.value & 0xFF;
        return true;
    case kSetBitMode:
        if (s.index == kChannelA) {
            bit_mode_ = static_cast<std::uint8_t>(s.value >> 8);
            bit_mask_ = static_cast<std::uint8_t>(s.value & 0xFF);
        }
        return true;
    case kSetFlowControl: // the handshake is in wIndex's high byte, the channel in its low byte
        if ((s.index & 0xFF) == kChannelA) flow_control_ = s.index & 0xFF00;
        return true;
    case kWriteEeprom: {
        const std::size_t word = s.index % (kFt2232hEepromBytes / 2);
        store_le<std::uint16_t>(&eeprom_[2 * word], s.value);
        ++chip_stats_.eeprom_writes;
        return true;
    }
    case kEraseEeprom: eeprom_.fill(0xFF); return true;
    default: return true; // baud rate, data format, modem control, event and error characters: no effect here
    }
}

void Ft2232hChip::purge_to_host() {
    std::array<std::uint8_t, 4096> discard;
    while (const std::size_t n = board_->read(discard.data(), discard.size())) chip_stats_.purged_bytes += n;
}

std::size_t Ft2232hChip::bulk_out(std::uint8_t endpoint, std::span<const std::uint8_t> data) {
    if (endpoint != kOutA) return data.size(); // channel B: nothing is wired to it
    return board_->write(data.data(), data.size());
}

bool Ft2232hChip::latency_expired() const {
    // With bytes waiting, the timer runs on the board's clock (the board's pace shapes the packets);
    // with none, on the host's (an empty packet tells the host there is nothing, and libftdi's
    // ftdi_read_data waits for one before it returns: in board time that would cost the host a
    // slow simulation's seconds per register read).
    if (sync_fifo() && board_->readable() > 0)
        return board_->cycle() - last_packet_cycle_ >= std::uint64_t{latency_ms_} * board_->clock_hz() / 1000;
    return Clock::now() - last_packet_time_ >= std::chrono::milliseconds(latency_ms_);
}

void Ft2232hChip::packet_sent(bool full) {
    ++chip_stats_.packets;
    if (!full) ++chip_stats_.short_packets;
    chip_stats_.status_bytes += kStatusBytes;
    last_packet_cycle_ = board_->cycle();
    last_packet_time_ = Clock::now();
}

UsbdevfsDevice::InProgress Ft2232hChip::bulk_in(std::uint8_t endpoint, std::span<std::uint8_t> room, std::size_t) {
    if (endpoint != kInA) return {};
    const auto st = status();
    std::size_t added = 0;
    const bool fifo = sync_fifo();
    // Full packets while the FPGA has a packet's worth and the transfer has room.
    while (fifo && room.size() - added >= kPacketBytes && board_->readable() >= kPayloadBytes * (faults_.drop_due() ? 2 : 1)) {
        std::memcpy(room.data() + added, st.data(), kStatusBytes);
        const std::size_t n = take_from_fpga(room.data() + added + kStatusBytes, kPayloadBytes);
        added += kStatusBytes + n;
        packet_sent(n == kPayloadBytes);
        if (n < kPayloadBytes) return {added, true};
    }
    const bool send_now = fifo && board_->send_immediate_count() != siwu_seen_;
    if (room.size() - added >= kStatusBytes && (send_now || latency_expired())) {
        siwu_seen_ = board_->send_immediate_count();
        std::memcpy(room.data() + added, st.data(), kStatusBytes);
        const std::size_t n = fifo ? take_from_fpga(room.data() + added + kStatusBytes,
                                                    std::min(kPayloadBytes - 1, room.size() - added - kStatusBytes))
                                   : 0;
        added += kStatusBytes + n;
        packet_sent(false);
        return {added, true}; // a short packet ends the transfer
    }
    return {added, false};
}

std::size_t Ft2232hChip::take_from_fpga(std::uint8_t* into, std::size_t max) {
    const std::size_t n = faults_.take(*board_, into, max);
    chip_stats_.payload_bytes = faults_.delivered();
    chip_stats_.dropped_bytes = faults_.dropped();
    chip_stats_.corrupted_bytes = faults_.corrupted();
    return n;
}

bool Ft2232hChip::advance() {
    // No synchronous FIFO, no CLKOUT: the FPGA's USB side stands still (status packets still go
    // out every latency period, in host time).
    if (!sync_fifo() || board_held_) return false;
    board_->run(config_.cycles_per_advance);
    return !board_->quiet();
}

} // namespace dira::testbench::usb
