// The lab in SystemC, in picoseconds of one lab frame: the trigger sequencer and its cables, each
// station's weak source (testbench/lab's WeakSource: when each bit comes into existence, when it
// reaches the pins), the two station boards (StationSc, the RTL), and the qubit pair
// (testbench/lab's QubitPair) with each station's rotation pulse, readout integration,
// discrimination and the outcome's way back to the FPGA. Every trial's events go to the light-cone
// verifier as soon as both stations are done with it.
#pragma once

#include <array>
#include <deque>
#include <functional>
#include <map>
#include <memory>

#include <systemc>

#include "lab/qubit_pair.hpp"
#include "lab/weak_source.hpp"
#include "systemc/station_sc.hpp"
#include "timing/light_cone.hpp"

namespace dira::systemc {

// Per station, what the run reports on the basis selection as the RTL really did it.
struct BasisStats {
    std::uint64_t served = 0;
    std::uint64_t min_edges = UINT64_MAX, max_edges = 0; // clock edges from trigger to setting register
    double min_pin_to_pin_ps = 1e300, max_pin_to_pin_ps = 0; // trigger pin to setting pin
};

class LabSc : public sc_core::sc_module {
public:
    using VerdictFn = std::function<void(const timing::TrialVerdict&, const timing::TrialEvents&)>;

    LabSc(sc_core::sc_module_name name, const timing::LabDescription& lab, VerdictFn on_verdict);
    ~LabSc() override;

    StationSc& station(StationId side) { return *stations_[index(side)]; }
    // The sequencer fires `count` triggers, the first one microsecond from now.
    void start_triggers(std::uint64_t count);
    // Checks a station's record against what the lab saw of that trial (served or late, the
    // setting and the weak-source bit behind it, captured or missing, t_outcome - t_setting);
    // throws dira::Error(internal) on any difference. Call once per record, after its verdict.
    void check_record(StationId side, const TrialRecord& record);

    const timing::LightConeVerifier& verifier() const { return verifier_; }
    const std::array<BasisStats, 2>& basis_stats() const { return basis_; }
    // Outcomes the pair model had to deliver late because the other setting came after this
    // station's discrimination (a lab where one measurement ends before the other starts).
    std::uint64_t delayed_outcomes() const { return delayed_outcomes_; }
    std::uint64_t triggers_fired() const { return triggers_fired_; }

private:
    struct WsBit {
        std::uint64_t id;
        Fs created_fs;
        bool value;
        Fs strobe_at_flop_fs;
    };
    struct WeakSourceState {
        std::unique_ptr<lab::WeakSource> source;
        Fs period_fs = 0;
        std::uint64_t next_id = 0;
        std::deque<WsBit> history; // the latest bits, oldest first
    };
    struct TrialState {
        timing::TrialEvents events;
        std::array<bool, 2> complete{};
        std::array<bool, 2> setting_known{};
        std::array<std::optional<bool>, 2> setting;
        std::array<Fs, 2> discriminated_fs{};
        bool pair_measured = false;
        std::array<MonitorTrial, 2> monitor;
    };

    void emit_ws_bit(StationId side);
    std::optional<std::uint64_t> latest_ws_bit(StationId side, Fs time) const;
    const WsBit& ws_bit(StationId side, std::uint64_t id) const;
    void fire_trigger(std::uint64_t k, std::uint64_t count, Fs start_fs);
    void on_setting(StationId side, const MonitorTrial& m);
    void on_complete(StationId side, const MonitorTrial& m);
    void measure_pair_when_ready(std::uint64_t trial);
    void send_readout(StationId side, std::uint64_t trial, const lab::Readout& readout, Fs discriminated_fs);

    timing::LabDescription lab_;
    VerdictFn on_verdict_;
    EventScheduler scheduler_;
    std::array<WeakSourceState, 2> sources_;
    std::array<std::unique_ptr<StationSc>, 2> stations_;
    lab::QubitPair pair_;
    timing::LightConeVerifier verifier_;
    std::map<std::uint64_t, TrialState> trials_;
    std::array<std::map<std::uint64_t, MonitorTrial>, 2> expected_; // waiting for their records
    std::array<std::optional<std::int64_t>, 2> edge_minus_cycle_;   // edge number - cycle number
    std::array<BasisStats, 2> basis_;
    std::uint64_t delayed_outcomes_ = 0;
    std::uint64_t triggers_fired_ = 0;
};

} // namespace dira::systemc
