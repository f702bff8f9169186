#include "systemc/station_sc.hpp"

#include "Vstation_core_sc.h"
#include "core/error.hpp"
#include "dira/station_timing.hpp"

namespace dira::systemc {
namespace {

// The FT601's clock: 100 MHz on a real chip; its phase is arbitrary against the station's.
constexpr double kUsbClockHz = 100e6;
constexpr Fs kUsbPhaseFs = 3'300'000;
// Both resets are held for this many edges of their clock after time 0.
constexpr unsigned kResetEdges = 4;
// How long after the trigger's first sampling edge a served trigger's setting strobe must have
// appeared (it appears after kBasisLatencyCycles - 1 edges); after that the trigger was late.
constexpr std::uint64_t kLateAfterEdges = kBasisLatencyCycles + 2;

[[noreturn]] void contract_broken(StationId side, const std::string& what) {
    throw Error(ErrorKind::internal, std::string("SystemC lab, ") + station_name(side) + "'s station: " + what +
                                         " (docs/station.md and the RTL disagree)");
}

} // namespace

StationSc::StationSc(sc_core::sc_module_name name, StationId side, const timing::StationDescription& description,
                     EventScheduler& scheduler, Callbacks callbacks)
    : sc_core::sc_module(name), side_(side), description_(description), scheduler_(scheduler),
      callbacks_(std::move(callbacks)),
      period_fs_(clock_period_fs(description.fpga.clock_hz, description.fpga.clock_ppm)),
      phase_fs_(ns_to_fs(description.fpga.clock_phase_ns)), input_delay_fs_(ns_to_fs(description.fpga.input_delay_ns)),
      clk_("clk", fs_time(period_fs_), 0.5, fs_time(phase_fs_), true),
      usb_clk_("usb_clk", fs_time(clock_period_fs(kUsbClockHz, 0)), 0.5, fs_time(kUsbPhaseFs), true),
      core_(std::make_unique<Vstation_core_sc>("core")) {
    auto& c = *core_;
    c.clk(clk_);
    c.rst(rst_);
    c.trigger_in(trigger_);
    c.ws_bit_in(ws_bit_);
    c.ws_strobe_in(ws_strobe_);
    c.readout_valid_in(readout_valid_);
    c.readout_bit_in(readout_bit_);
    c.setting_out(setting_);
    c.setting_strobe_out(setting_strobe_);
    c.usb_clk(usb_clk_);
    c.usb_rst(usb_rst_);
    c.ft_txe_n(ft_txe_n_);
    c.ft_rxf_n(ft_rxf_n_);
    c.ft_data_in(ft_data_in_);
    c.ft_data_out(ft_data_out_);
    c.ft_data_oe(ft_data_oe_);
    c.ft_be_out(ft_be_);
    c.ft_wr_n(ft_wr_n_);
    c.ft_rd_n(ft_rd_n_);
    c.ft_oe_n(ft_oe_n_);
    c.strap_clock_hz(strap_clock_hz_);
    c.strap_station_id(strap_station_id_);
    c.obs_record_ready(obs_record_ready_);
    c.obs_reg_cmd_valid(obs_cmd_valid_);
    c.obs_reg_cmd_word0(obs_cmd_word0_);
    c.obs_reg_cmd_value(obs_cmd_value_);
    c.obs_frame_sent(obs_frame_sent_);
    c.obs_frame_fifo_ready(obs_frame_fifo_ready_);

    strap_clock_hz_.write(description.fpga.clock_hz);
    strap_station_id_.write(static_cast<std::uint32_t>(side));
    ft_txe_n_.write(ft601_.pins().txe_n);
    ft_rxf_n_.write(ft601_.pins().rxf_n);
    ft_data_in_.write(ft601_.pins().data);
    // Release each reset in the middle of a cycle of its own clock.
    scheduler_.at(edge_fs(kResetEdges) + period_fs_ / 2, [this] { rst_.write(false); });
    const Fs usb_period = clock_period_fs(kUsbClockHz, 0);
    scheduler_.at(kUsbPhaseFs + kResetEdges * usb_period + usb_period / 2, [this] { usb_rst_.write(false); });

    SC_METHOD(on_clock_edge);
    sensitive << clk_.posedge_event();
    dont_initialize();
    SC_METHOD(on_usb_falling_edge);
    sensitive << usb_clk_.negedge_event();
    dont_initialize();
}

StationSc::~StationSc() = default;

Fs StationSc::drive(InputPin pin, bool level, Fs lab_fs) {
    Fs at = lab_fs + input_delay_fs_;
    if (at >= phase_fs_ && (at - phase_fs_) % period_fs_ == 0) at += kFsPerPs;
    sc_core::sc_signal<bool>* signal = nullptr;
    switch (pin) {
    case InputPin::trigger: signal = &trigger_; break;
    case InputPin::ws_bit: signal = &ws_bit_; break;
    case InputPin::ws_strobe: signal = &ws_strobe_; break;
    case InputPin::readout_valid: signal = &readout_valid_; break;
    case InputPin::readout_bit: signal = &readout_bit_; break;
    }
    scheduler_.at(at, [signal, level] { signal->write(level); });
    return at;
}

// The FT601 changes its outputs after the rising USB edge; judging that edge needs the FPGA's
// registers as they came out of it, which are stable by the falling edge.
void StationSc::on_usb_falling_edge() {
    testbench::Ft601FpgaPins fpga;
    fpga.wr_n = ft_wr_n_.read();
    fpga.rd_n = ft_rd_n_.read();
    fpga.oe_n = ft_oe_n_.read();
    fpga.data_oe = ft_data_oe_.read();
    fpga.data = ft_data_out_.read();
    fpga.be = static_cast<std::uint8_t>(ft_be_.read());
    ft601_.clock(fpga);
    ft_txe_n_.write(ft601_.pins().txe_n);
    ft_rxf_n_.write(ft601_.pins().rxf_n);
    ft_data_in_.write(ft601_.pins().data);
}

// At each rising edge: inputs read now are what this edge samples; registered outputs read now are
// what the previous edge loaded.
void StationSc::on_clock_edge() {
    const Fs now = now_fs();
    if (now != edge_fs(edge_)) contract_broken(side_, "clock edge " + std::to_string(edge_) + " is not where the lab expects it");
    if (!rst_.read()) {
        sample_weak_source(now);
        sample_setting(edge_);
        close_window(edge_);
        sample_readout(edge_);
        sample_trigger(edge_);
    }
    last_trigger_ = trigger_.read();
    last_ws_strobe_ = ws_strobe_.read();
    last_readout_valid_ = readout_valid_.read();
    last_setting_strobe_ = setting_strobe_.read();
    ++edge_;
}

void StationSc::sample_weak_source(Fs now) {
    if (ws_strobe_.read() && !last_ws_strobe_) latest_ws_bit_ = callbacks_.latest_ws_bit(now);
}

void StationSc::sample_setting(std::uint64_t edge) {
    const bool rose = setting_strobe_.read() && !last_setting_strobe_;
    if (rose) {
        if (!waiting_for_setting_) contract_broken(side_, "a setting strobe at edge " + std::to_string(edge - 1) + " without a trigger");
        if (open_) contract_broken(side_, "a setting was driven while trial " + std::to_string(open_->trial) + " was open");
        MonitorTrial t = *waiting_for_setting_;
        waiting_for_setting_.reset();
        t.served = true;
        t.setting_edge = edge - 1;
        t.setting = setting_.read();
        open_ = t;
        callbacks_.on_setting(t);
        return;
    }
    if (waiting_for_setting_ && edge > waiting_for_setting_->trigger_edge + kLateAfterEdges) {
        // A late trigger: no setting. If a trial was open and had not captured its outcome, the RTL
        // closed it in the late trigger's detection cycle (INTERRUPTED, OUTCOME_MISSING).
        MonitorTrial late = *waiting_for_setting_;
        waiting_for_setting_.reset();
        if (open_ && !open_->captured) {
            MonitorTrial interrupted = *open_;
            open_.reset();
            interrupted.interrupted = true;
            interrupted.close_edge = late.trigger_edge + kSyncStages;
            complete(interrupted);
        }
        complete(late);
    }
}

void StationSc::close_window(std::uint64_t edge) {
    if (!open_ || open_->captured) return;
    if (edge == open_->setting_edge + description_.fpga.window_close_cycles + 1) {
        MonitorTrial missing = *open_;
        open_.reset();
        missing.close_edge = edge;
        complete(missing);
    }
}

void StationSc::sample_readout(std::uint64_t edge) {
    if (!(readout_valid_.read() && !last_readout_valid_) || !open_ || open_->captured) return;
    // First sampled at this edge (ending cycle p), detected in cycle p + kSyncStages, latched at
    // the end of that cycle; cycle t_setting + j ends at edge setting_edge + j + 1.
    const std::uint64_t detect = edge - open_->setting_edge - 1 + kSyncStages;
    if (detect < description_.fpga.window_open_cycles) return; // too early: a stray strobe, the trial stays open
    MonitorTrial captured = *open_;
    open_.reset();
    captured.captured = true;
    captured.detect_cycles = static_cast<unsigned>(detect);
    captured.latch_edge = edge + kSyncStages;
    complete(captured);
}

void StationSc::sample_trigger(std::uint64_t edge) {
    if (!(trigger_.read() && !last_trigger_)) return;
    if (waiting_for_setting_)
        contract_broken(side_, "trigger " + std::to_string(next_trial_) + " came before trigger " +
                                   std::to_string(waiting_for_setting_->trial) + " was served or found late");
    MonitorTrial t;
    t.trial = next_trial_++;
    t.trigger_edge = edge;
    t.ws_bit_id = latest_ws_bit_;
    waiting_for_setting_ = t;
}

void StationSc::complete(MonitorTrial trial) { callbacks_.on_complete(trial); }

} // namespace dira::systemc
