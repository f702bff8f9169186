#include "board/station_board.hpp"

#include <stdexcept>
#include <string>

#include "station/register_file.hpp"

#include "Vstation_core.h"
#include "Vstation_core___024root.h"
#include "Vstation_core_noext.h"
#include "Vstation_core_noext___024root.h"
#include "verilated.h"

namespace dira::testbench {

using hls_station::counter_index;

namespace {
constexpr std::uint64_t kPicosecondsPerSecond = 1'000'000'000'000ull;

std::uint64_t period_ps(std::uint32_t hz) { return (kPicosecondsPerSecond + hz / 2) / hz; }
} // namespace

template <class Core>
BasicStationBoard<Core>::BasicStationBoard(const StationBoardConfig& config)
    : config_(config),
      context_(std::make_unique<VerilatedContext>()),
      ft601_(Ft601Config{config.ft601_tx_buffer_bytes, config.ft601_rx_buffer_bytes}) {
    if (config.clock_hz == 0) throw std::invalid_argument("StationBoard: clock_hz must be positive");
    if (config.reset_cycles == 0) throw std::invalid_argument("StationBoard: reset_cycles must be at least 1");
    core_ = std::make_unique<Core>(context_.get(), "station");
    core_->strap_clock_hz = config.clock_hz;
    core_->strap_station_id = config.station_id;
    if (config.usb_clock_hz != 0) {
        clk_period_ps_ = period_ps(config.clock_hz);
        usb_period_ps_ = period_ps(config.usb_clock_hz);
    }
    reset();
}

template <class Core>
BasicStationBoard<Core>::~BasicStationBoard() {
    // Verilator 5.006 unregisters a model's scopes through the calling thread's current context,
    // not the model's own: point it at ours, or destroying the second of two boards locks a mutex
    // of a context that is already gone (a hang at the end of every two-station run).
    Verilated::threadContextp(context_.get());
    core_->final();
    core_.reset();
}

template <class Core>
bool BasicStationBoard<Core>::setting_out() const { return core_->setting_out; }
template <class Core>
bool BasicStationBoard<Core>::setting_strobe() const { return core_->setting_strobe_out; }

template <class Core>
void BasicStationBoard<Core>::preset_counter(unsigned index, std::uint64_t value) {
    auto& counters = core_->rootp->station_core__DOT__u_registers__DOT__counter;
    if (index >= hls_station::kCounterCount) throw std::out_of_range("StationBoard::preset_counter: no counter " + std::to_string(index));
    counters[index] = value;
    if (index == counter_index(Reg::CYCLES_LO)) cycle_ = value;
}

template <class Core>
void BasicStationBoard<Core>::reset() {
    core_->rst = 1;
    core_->usb_rst = 1;
    for (unsigned i = 0; i < config_.reset_cycles; ++i) tick();
    core_->rst = 0;
    core_->usb_rst = 0;
    cycle_ = 0;
}

template <class Core>
void BasicStationBoard<Core>::tick() {
    if (usb_period_ps_ == 0) {
        clock_edges(true, true);
    } else {
        while (next_usb_edge_ps_ < next_clk_edge_ps_) {
            clock_edges(false, true);
            next_usb_edge_ps_ += usb_period_ps_;
        }
        const bool usb_too = next_usb_edge_ps_ == next_clk_edge_ps_;
        clock_edges(true, usb_too);
        if (usb_too) next_usb_edge_ps_ += usb_period_ps_;
        next_clk_edge_ps_ += clk_period_ps_;
    }
    ++cycle_;
}

template <class Core>
void BasicStationBoard<Core>::apply_inputs() {
    core_->trigger_in = pins_.trigger;
    core_->ws_bit_in = pins_.ws_bit;
    core_->ws_strobe_in = pins_.ws_strobe;
    core_->readout_valid_in = pins_.readout_valid;
    core_->readout_bit_in = pins_.readout_bit;
    const Ft601ChipPins& chip = ft601_.pins();
    core_->ft_txe_n = chip.txe_n;
    core_->ft_rxf_n = chip.rxf_n;
    core_->ft_data_in = chip.data;
}

template <class Core>
Ft601FpgaPins BasicStationBoard<Core>::fpga_bus_pins() const {
    Ft601FpgaPins p;
    p.wr_n = core_->ft_wr_n;
    p.rd_n = core_->ft_rd_n;
    p.oe_n = core_->ft_oe_n;
    p.data_oe = core_->ft_data_oe;
    p.data = core_->ft_data_out;
    p.be = core_->ft_be_out;
    return p;
}

// One rising edge of either or both clocks: settle with the clocks low (the inputs for the edge
// applied), observe the station cycle that is ending, then raise the clocks.
template <class Core>
void BasicStationBoard<Core>::clock_edges(bool station_edge, bool usb_edge) {
    apply_inputs();
    if (station_edge) core_->clk = 0;
    if (usb_edge) core_->usb_clk = 0;
    core_->eval();
    if (station_edge) {
        last_.setting_out = core_->setting_out;
        last_.setting_strobe = core_->setting_strobe_out;
        last_.record_ready = core_->obs_record_ready;
        last_.frame_sent = core_->obs_frame_sent;
        last_.frame_fifo_ready = core_->obs_frame_fifo_ready;
        last_.command_valid = core_->obs_reg_cmd_valid;
        last_.command = {core_->obs_reg_cmd_word0, core_->obs_reg_cmd_value};
    }
    if (station_edge) core_->clk = 1;
    if (usb_edge) core_->usb_clk = 1;
    core_->eval();
    if (usb_edge) ft601_.clock(fpga_bus_pins());
}

template class BasicStationBoard<Vstation_core>;
template class BasicStationBoard<Vstation_core_noext>;

} // namespace dira::testbench
