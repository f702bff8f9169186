#include "board/ft601_model.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace dira::testbench {

namespace {
constexpr std::size_t kWordBytes = 4;
}

ByteRing::ByteRing(std::size_t capacity_bytes) : data_(capacity_bytes) {
    if (capacity_bytes < kWordBytes) throw std::invalid_argument("ByteRing: capacity must hold at least one 32-bit word");
}

void ByteRing::push(std::uint8_t b) {
    if (size_ == data_.size()) throw std::logic_error("ByteRing: push to a full buffer");
    std::size_t at = head_ + size_;
    if (at >= data_.size()) at -= data_.size();
    data_[at] = b;
    ++size_;
}

std::size_t ByteRing::pop(std::uint8_t* dst, std::size_t max) {
    const std::size_t n = std::min(max, size_);
    // At most two contiguous stretches: up to the end of the storage, then from its start.
    const std::size_t first = std::min(n, data_.size() - head_);
    std::memcpy(dst, data_.data() + head_, first);
    std::memcpy(dst + first, data_.data(), n - first);
    drop(n);
    return n;
}

void ByteRing::drop(std::size_t n) {
    if (n > size_) throw std::logic_error("ByteRing: drop of more bytes than held");
    head_ = (head_ + n) % data_.size();
    size_ -= n;
}

Ft601Model::Ft601Model(const Ft601Config& config) : tx_(config.tx_buffer_bytes), rx_(config.rx_buffer_bytes) {
    update_pins();
}

std::size_t Ft601Model::host_write(const std::uint8_t* src, std::size_t n) {
    const std::size_t accepted = std::min(n, rx_.free());
    for (std::size_t i = 0; i < accepted; ++i) rx_.push(src[i]);
    // RXF_N follows at the next clock edge, as on the chip.
    return accepted;
}

void Ft601Model::check_protocol(const Ft601FpgaPins& fpga) const {
    const auto fail = [&](const char* what) {
        throw Ft601ProtocolError(std::string("FT601 bus protocol violated by the FPGA in USB cycle ") +
                                 std::to_string(usb_cycles_) + ": " + what);
    };
    if (fpga.data_oe && !fpga.oe_n) fail("it drives DATA while OE_N is low (bus contention with the FT601)");
    if (!fpga.rd_n && fpga.oe_n) fail("RD_N is low while OE_N is high (OE_N must lead RD_N)");
    if (!fpga.wr_n && !fpga.oe_n) fail("WR_N is low while OE_N is low (the FT601 drives the bus)");
    if (!fpga.wr_n && !fpga.rd_n) fail("WR_N and RD_N are low together");
}

void Ft601Model::clock(const Ft601FpgaPins& fpga_after_edge) {
    check_protocol(fpga_);
    if (!fpga_.wr_n && !chip_.txe_n) {
        for (std::size_t i = 0; i < kWordBytes; ++i)
            if ((fpga_.be >> i) & 1u) tx_.push(static_cast<std::uint8_t>(fpga_.data >> (8 * i)));
        ++words_to_host_;
    }
    if (!fpga_.rd_n && !fpga_.oe_n && !chip_.rxf_n) {
        rx_.drop(kWordBytes);
        ++words_from_host_;
    }
    if (chip_.txe_n) ++cycles_tx_busy_;
    ++usb_cycles_;
    fpga_ = fpga_after_edge;
    update_pins();
    if (stall_cycles_ > 0) --stall_cycles_; // this cycle's TXE_N was held high
}

void Ft601Model::update_pins() {
    chip_.txe_n = tx_stalled() || tx_.free() < kWordBytes;
    chip_.rxf_n = rx_.size() < kWordBytes;
    std::uint32_t word = kUndrivenBus;
    if (!fpga_.oe_n && !chip_.rxf_n) {
        word = 0;
        for (std::size_t i = 0; i < kWordBytes; ++i) word |= std::uint32_t{rx_.at(i)} << (8 * i);
    }
    chip_.data = word;
}

} // namespace dira::testbench
