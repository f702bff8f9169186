// The lab around two stations, cycle by cycle on the station clock: the trigger sequencer, each
// station's weak source, and the qubit pair with its readout. It only sees and drives pins, so the
// same model runs around the Verilated RTL, the HLS model or anything else with station pins.
//
// Per trial: the sequencer raises both trigger pins in the same cycle T; each station that serves
// the trigger pulses its setting strobe (kBasisLatencyCycles later); at T + kResolveCycles the lab
// measures the pair with the settings it saw, and each measured station gets its readout strobe
// `readout_delay_cycles` after its setting strobe (or later, when a late readout is injected).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>

#include "lab/qubit_pair.hpp"
#include "dira/register_map.hpp"
#include "lab/random.hpp"
#include "lab/weak_source.hpp"

namespace dira::lab {


struct StationInputs { // pin levels a station sees during one cycle
    bool trigger = false, ws_bit = false, ws_strobe = false, readout_valid = false, readout_bit = false;
};
struct StationOutputs { // what a station drove during one cycle
    bool setting = false, setting_strobe = false;
};

struct LabTiming {
    unsigned trigger_period_cycles = 40;
    unsigned trigger_pulse_cycles = 2;
    unsigned ws_bit_period_cycles = 8;
    unsigned readout_delay_cycles = 12; // setting strobe to readout strobe
    unsigned readout_pulse_cycles = 2;
};

struct LabFaults {
    double back_to_back_probability = 0.0; // the next trigger comes `back_to_back_gap_cycles` after this one
    unsigned back_to_back_gap_cycles = 6;
    // A readout comes `late_readout_extra_cycles` after its time: by default just after the station's
    // default readout window has closed, and before the next trial's setting.
    double late_readout_probability = 0.0;
    unsigned late_readout_extra_cycles = 14;
};

struct LabConfig {
    LabTiming timing;
    LabFaults faults;
    QubitPairParams qubits;
    std::array<WeakSourceParams, 2> sources; // Alice's and Bob's own weak sources
    std::uint64_t sequencer_seed = 1;
};

struct LabStats {
    std::uint64_t triggers = 0;        // trigger pulses issued
    std::uint64_t pairs_measured = 0;  // both stations drove a setting
    std::uint64_t single_measured = 0; // only one did
    std::uint64_t unmeasured = 0;      // neither did
    std::array<std::uint64_t, 2> readouts_sent{};
    std::array<std::uint64_t, 2> readouts_withheld{}; // missing readouts
    std::array<std::uint64_t, 2> readouts_late{};
    std::array<std::uint64_t, 2> ws_bits{};
    // Trigger pin rise to setting strobe, in cycles, as measured on the pins (min and max over the run).
    std::array<std::uint64_t, 2> basis_latency_min_cycles{UINT64_MAX, UINT64_MAX};
    std::array<std::uint64_t, 2> basis_latency_max_cycles{};
};

class LabModel {
public:
    static constexpr unsigned kResolveCycles = 5; // > kBasisLatencyCycles: both strobes are in

    explicit LabModel(const LabConfig& config); // validates the timing

    const StationInputs& inputs(StationId side) const { return inputs_[index(side)]; }
    // Ends the current cycle with what the stations drove in it, and sets up the next cycle's pins.
    void end_cycle(const StationOutputs& alice, const StationOutputs& bob);

    void start_triggers(std::uint64_t count); // from the next cycle on
    bool triggers_done() const { return triggers_left_ == 0 && pending_.empty(); }
    std::uint64_t cycle() const { return cycle_; }
    const LabStats& stats() const { return stats_; }
    const LabConfig& config() const { return config_; }

private:
    struct PendingTrial {
        std::uint64_t trigger_cycle;
        std::array<std::optional<bool>, 2> setting;
        std::array<std::uint64_t, 2> strobe_cycle{};
    };
    struct ReadoutEvent {
        std::uint64_t rise_cycle;
        bool outcome;
    };

    void observe(StationId side, const StationOutputs& out);
    void resolve_due_trials();
    void schedule_readout(StationId side, std::uint64_t strobe_cycle, const Readout& readout);
    void drive_trigger();
    void drive_readout(StationId side);

    LabConfig config_;
    QubitPair pair_;
    std::array<WeakSourcePins, 2> sources_;
    Random sequencer_rng_;
    std::uint64_t cycle_ = 0;
    std::uint64_t triggers_left_ = 0;
    std::uint64_t next_trigger_cycle_ = 0;
    std::uint64_t trigger_high_until_ = 0;
    std::deque<PendingTrial> pending_;
    std::array<std::deque<ReadoutEvent>, 2> readouts_;
    std::array<StationInputs, 2> inputs_{};
    LabStats stats_;
};

} // namespace dira::lab
