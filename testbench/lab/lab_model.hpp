// The lab around two stations, cycle by cycle on the station clock: the trigger sequencer, each
// station's weak source, and the qubit pair with its readout. It only sees and drives pins, so the
// same model runs around the Verilated RTL, the HLS model or anything else with station pins.
//
// Per trial: the sequencer raises both trigger pins in the same cycle T; each station that serves
// the trigger pulses its setting strobe (kBasisLatencyCycles later); at T + kResolveCycles the lab
// measures the pair with the settings it saw, and each measured station gets its readout strobe
// `readout_delay_cycles` after its setting strobe (or later, when a late readout is injected).
// Nothing else couples the two stations, which is what lets them run in separate threads.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>

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

// The simulated lab's timeline, in station cycles. Time is compressed: a real lab triggers every
// 20 us (5000 cycles at 250 MHz) and most of that is idle, which would cost simulation time and show
// nothing. The defaults keep each trial's order of events and the margins that matter:
//   trigger pin T; setting strobe T+3; readout pin T+3+8, seen T+13, inside the default station
//   window of 2..16 cycles after the setting; a missing readout closes the trial at T+19; the next
//   trigger is seen at T+26, after that (so a late trigger only ever comes from an injected fault).
struct LabTiming {
    unsigned trigger_period_cycles = 24;
    unsigned trigger_pulse_cycles = 2;
    unsigned ws_bit_period_cycles = 8;
    unsigned readout_delay_cycles = 8; // setting strobe to readout strobe
    unsigned readout_pulse_cycles = 2;
};

struct LabFaults {
    double back_to_back_probability = 0.0; // the next trigger comes `back_to_back_gap_cycles` after this one
    unsigned back_to_back_gap_cycles = 6;
    // A readout comes `late_readout_extra_cycles` after its time: by default seen at T+21, after the
    // simulation's readout window closed (T+19) and before the next trigger is seen (T+26).
    double late_readout_probability = 0.0;
    unsigned late_readout_extra_cycles = 8;
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

    // The lab runs in blocks of cycles: plan() sets both stations' pins for the next block, the
    // stations run it (in parallel, if the caller likes), absorb() takes what they drove. A block may
    // be at most max_block_cycles() long: the readouts a block's settings cause must not fall inside
    // the block, since its pins were fixed before it ran. One-cycle blocks are the plain cycle model.
    unsigned max_block_cycles() const;
    void plan(std::span<StationInputs> alice, std::span<StationInputs> bob);
    void absorb(std::span<const StationOutputs> alice, std::span<const StationOutputs> bob);

    void start_triggers(std::uint64_t count); // from the next block on
    bool triggers_done() const { return triggers_left_ == 0 && pending_.empty(); }
    std::uint64_t cycle() const { return cycle_; } // the first cycle of the next block
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

    void observe(StationId side, std::uint64_t cycle, const StationOutputs& out);
    void resolve_due_trials(std::uint64_t cycle);
    void schedule_readout(StationId side, std::uint64_t strobe_cycle, const Readout& readout);
    bool trigger_pin(std::uint64_t cycle);
    StationInputs station_pins(StationId side, std::uint64_t cycle);

    LabConfig config_;
    QubitPair pair_;
    std::array<WeakSourcePins, 2> sources_;
    Random trigger_rng_; // back-to-back triggers
    Random readout_rng_; // late readouts (separate streams: results do not depend on the block size)
    std::uint64_t cycle_ = 0;
    std::uint64_t planned_until_ = 0;
    std::uint64_t triggers_left_ = 0;
    std::uint64_t next_trigger_cycle_ = 0;
    std::uint64_t trigger_high_until_ = 0;
    std::deque<PendingTrial> pending_;
    std::array<std::deque<ReadoutEvent>, 2> readouts_;
    LabStats stats_;
};

} // namespace dira::lab
