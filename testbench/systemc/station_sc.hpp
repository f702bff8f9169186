// One station board in the SystemC lab: the station RTL (station_core, Verilated in SystemC mode)
// on its own oscillator, the FT601 beside it on the USB clock (testbench/board's Ft601Model), the
// FPGA's input and output delays, and a monitor that follows each trial through the clock domain
// from the pins: which edge sampled the trigger, which weak-source bit was the freshest then, the
// edge at which the RTL loaded the setting register, and (from docs/station.md's capture rule) the
// edge at which the outcome is latched or the readout window closes. The records the RTL sends are
// later held against these expectations (LabSc::check_record), so every trial also checks the RTL
// against the contract.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include <systemc>

#include "board/ft601_model.hpp"
#include "dira/register_map.hpp"
#include "systemc/sc_time.hpp"
#include "timing/lab_description.hpp"

class Vstation_core_sc;

namespace dira::systemc {

enum class InputPin { trigger, ws_bit, ws_strobe, readout_valid, readout_bit };

// One trial as the monitor saw it, in edge numbers of this station's clock (edge n is at
// StationSc::edge_fs(n); the setting register loads at an edge, which starts cycle t_setting).
struct MonitorTrial {
    std::uint64_t trial = 0;
    std::uint64_t trigger_edge = 0;         // the first edge that sampled the trigger high
    std::optional<std::uint64_t> ws_bit_id; // the freshest weak-source bit at that edge
    bool served = false;                    // the RTL drove a setting (else: a late trigger)
    std::uint64_t setting_edge = 0;
    bool setting = false;
    bool captured = false;                  // an outcome inside the window
    std::uint64_t latch_edge = 0;           // ... latched at the end of its detection cycle
    unsigned detect_cycles = 0;             // t_outcome - t_setting of the record
    std::uint64_t close_edge = 0;           // the trial closed here without an outcome
    bool interrupted = false;               // closed by a late trigger

    std::uint64_t basis_edges() const { return setting_edge - trigger_edge + 1; }
};

class StationSc : public sc_core::sc_module {
public:
    struct Callbacks {
        // The weak-source bit whose strobe reached the synchroniser last before `time` (none yet: nullopt).
        std::function<std::optional<std::uint64_t>(Fs time)> latest_ws_bit;
        std::function<void(const MonitorTrial&)> on_setting;  // a served trigger loaded the setting register
        std::function<void(const MonitorTrial&)> on_complete; // a trial is over at this station
    };

    SC_HAS_PROCESS(StationSc);
    StationSc(sc_core::sc_module_name name, StationId side, const timing::StationDescription& description,
              EventScheduler& scheduler, Callbacks callbacks);
    ~StationSc() override;

    // A lab-side pin changes at `lab_fs`; the FPGA sees it after its input delay. Returns when the
    // synchroniser's first flop sees the change (an instant exactly on a clock edge is moved one
    // picosecond later: real hardware would be metastable there, and "missed" is the conservative
    // reading the static budget also takes).
    Fs drive(InputPin pin, bool level, Fs lab_fs);

    Fs edge_fs(std::uint64_t n) const { return phase_fs_ + n * period_fs_; }
    Fs period_fs() const { return period_fs_; }
    Fs output_delay_fs() const { return ns_to_fs(description_.fpga.output_delay_ns); }
    const timing::StationDescription& description() const { return description_; }
    StationId side() const { return side_; }

    // The host's end of the USB link.
    std::size_t host_readable() const { return ft601_.host_readable(); }
    std::size_t host_read(std::uint8_t* into, std::size_t max) { return ft601_.host_read(into, max); }
    std::size_t host_write(const std::uint8_t* bytes, std::size_t n) { return ft601_.host_write(bytes, n); }

private:
    void on_clock_edge();
    void on_usb_falling_edge();
    void sample_weak_source(Fs now);
    void sample_trigger(std::uint64_t edge);
    void sample_setting(std::uint64_t edge);
    void sample_readout(std::uint64_t edge);
    void close_window(std::uint64_t edge);
    void complete(MonitorTrial trial);

    StationId side_;
    timing::StationDescription description_;
    EventScheduler& scheduler_;
    Callbacks callbacks_;
    Fs period_fs_;
    Fs phase_fs_;
    Fs input_delay_fs_;

    sc_core::sc_clock clk_;
    sc_core::sc_clock usb_clk_;
    sc_core::sc_signal<bool> rst_{"rst", true}, usb_rst_{"usb_rst", true};
    sc_core::sc_signal<bool> trigger_{"trigger_in"}, ws_bit_{"ws_bit_in"}, ws_strobe_{"ws_strobe_in"};
    sc_core::sc_signal<bool> readout_valid_{"readout_valid_in"}, readout_bit_{"readout_bit_in"};
    sc_core::sc_signal<bool> setting_{"setting_out"}, setting_strobe_{"setting_strobe_out"};
    sc_core::sc_signal<bool> ft_txe_n_{"ft_txe_n", true}, ft_rxf_n_{"ft_rxf_n", true};
    sc_core::sc_signal<std::uint32_t> ft_data_in_{"ft_data_in"}, ft_data_out_{"ft_data_out"};
    sc_core::sc_signal<bool> ft_data_oe_{"ft_data_oe"}, ft_wr_n_{"ft_wr_n"}, ft_rd_n_{"ft_rd_n"}, ft_oe_n_{"ft_oe_n"};
    sc_core::sc_signal<std::uint32_t> ft_be_{"ft_be_out"};
    sc_core::sc_signal<std::uint32_t> strap_clock_hz_{"strap_clock_hz"}, strap_station_id_{"strap_station_id"};
    sc_core::sc_signal<bool> obs_record_ready_{"obs_record_ready"}, obs_cmd_valid_{"obs_reg_cmd_valid"};
    sc_core::sc_signal<std::uint32_t> obs_cmd_word0_{"obs_reg_cmd_word0"}, obs_cmd_value_{"obs_reg_cmd_value"};
    sc_core::sc_signal<bool> obs_frame_sent_{"obs_frame_sent"}, obs_frame_fifo_ready_{"obs_frame_fifo_ready"};
    std::unique_ptr<Vstation_core_sc> core_;
    testbench::Ft601Model ft601_;

    // Monitor state.
    std::uint64_t edge_ = 0; // the number of the edge being processed
    bool last_trigger_ = false, last_ws_strobe_ = false, last_readout_valid_ = false, last_setting_strobe_ = false;
    std::optional<std::uint64_t> latest_ws_bit_;
    std::optional<MonitorTrial> waiting_for_setting_;
    std::optional<MonitorTrial> open_;
    std::uint64_t next_trial_ = 0;
};

} // namespace dira::systemc
