#include "board/ft2232h_board.hpp"

#include <stdexcept>

#include "Vstation_ft2232h.h"
#include "verilated.h"

namespace dira::testbench {
namespace {

constexpr std::uint64_t kStationPeriodPs = 1'000'000'000'000ull / DIRA_ICE40_STATION_CLOCK_HZ;
constexpr std::uint64_t kUsbPeriodPs = 1'000'000'000'000ull / DIRA_ICE40_USB_CLOCK_HZ;

} // namespace

std::uint8_t Ft2232hFifoPins::bus(bool fpga_drives, std::uint8_t fpga_byte, bool oe_n) const {
    if (fpga_drives) return fpga_byte;
    if (!oe_n && !to_fpga_.empty()) return to_fpga_.front();
    return 0xFF;
}

void Ft2232hFifoPins::edge(bool wr_n, bool rd_n, bool oe_n, bool data_oe, std::uint8_t data) {
    if (data_oe && !oe_n) throw std::logic_error("bus contention: the FPGA drives the bus while OE# is low");
    if (!rd_n && oe_n) throw std::logic_error("RD# low while OE# is high");
    if (!wr_n && !oe_n) throw std::logic_error("WR# low while the chip drives the bus");
    if (!wr_n && !txe_n_) to_host_.push_back(data);
    if (!wr_n && txe_n_) ++refused_writes_;
    if (!oe_n && !rd_n && !rxf_n_) to_fpga_.pop_front();
    if (stall_cycles_ > 0) --stall_cycles_;
    const bool busy = to_host_.size() >= kBufferBytes || stall_cycles_ > 0;
    if (busy) {
        txe_n_ = true;
        txe_high_left_ = kTxeMinHighEdges - 1;
    } else if (txe_high_left_ > 0) {
        --txe_high_left_; // high for one more edge
    } else {
        txe_n_ = false;
    }
    rxf_n_ = to_fpga_.empty();
    ++edges_;
}

std::size_t Ft2232hFifoPins::host_write(std::span<const std::uint8_t> bytes) {
    const std::size_t room = kBufferBytes > to_fpga_.size() ? kBufferBytes - to_fpga_.size() : 0;
    const std::size_t n = std::min(room, bytes.size());
    to_fpga_.insert(to_fpga_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    return n;
}

void Ft2232hLabPins::drive(Vstation_ft2232h& m) {
    const unsigned ws_phase = cycle % 8;
    if (ws_phase == 0) {
        lfsr = (lfsr >> 1) ^ (-(lfsr & 1u) & 0xB400u);
        ws_bit = lfsr & 1u;
    }
    m.ws_bit_in = ws_bit;
    m.ws_strobe_in = ws_phase >= 2 && ws_phase < 6;
    m.trigger_in = triggers && trigger_phase < 4;
    if (triggers) trigger_phase = (trigger_phase + 1) % trigger_period;
    if (m.setting_strobe_out) readout_at = cycle + 12;
    m.readout_valid_in = cycle >= readout_at && cycle < readout_at + 3;
    m.readout_bit_in = (cycle / 7) & 1u;
    ++cycle;
}

Ft2232hBoard::Ft2232hBoard()
    : context_(std::make_unique<VerilatedContext>()), m_(std::make_unique<Vstation_ft2232h>(context_.get())),
      next_usb_ps_(kUsbPeriodPs / 3) {
    m_->rst = 1;
    m_->usb_rst = 1;
    for (int i = 0; i < 8; ++i) step();
    m_->rst = 0;
    m_->usb_rst = 0;
}

Ft2232hBoard::~Ft2232hBoard() {
    // As in StationBoard's destructor: Verilator 5.006 unregisters a model's scopes through the
    // calling thread's current context, not the model's own (a hang once another context is gone).
    Verilated::threadContextp(context_.get());
    m_->final();
    m_.reset();
}

bool Ft2232hBoard::step() {
    const bool station_edge = next_station_ps_ <= next_usb_ps_;
    if (station_edge) {
        pins_.drive(*m_);
        m_->clk = 0;
        m_->eval();
        m_->clk = 1;
        m_->eval();
        next_station_ps_ += kStationPeriodPs;
        ++station_cycles_;
    } else {
        chip_.edge(m_->ft_wr_n, m_->ft_rd_n, m_->ft_oe_n, m_->ft_data_oe, m_->ft_data_out);
        m_->usb_clk = 0;
        m_->eval();
        m_->usb_clk = 1;
        m_->eval();
        if (m_->ft_order_fault) throw std::logic_error("the bridge saw a discarded byte taken: bytes to the host out of order");
        next_usb_ps_ += kUsbPeriodPs;
        if (!m_->ft_siwu_n) ++siwu_pulses_;
    }
    m_->ft_txe_n = chip_.txe_n();
    m_->ft_rxf_n = chip_.rxf_n();
    m_->ft_data_in = chip_.bus(m_->ft_data_oe, m_->ft_data_out, m_->ft_oe_n);
    m_->eval();
    return station_edge;
}

} // namespace dira::testbench
