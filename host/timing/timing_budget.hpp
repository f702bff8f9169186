// The nanosecond budget of a trial and its light-cone margins, computed from a lab description.
//
// Time is measured from the sequencer's trigger. At each station the trigger reaches the pin after
// its cable; the setting is fixed earlier, when the weak-source bit it uses came into existence;
// the outcome is fixed when the FPGA latches it (the value its record carries). Per station:
//
//   lead    = trigger pin - weak-source bit creation     (how long before the trigger the setting is fixed)
//   latency = outcome latched - trigger pin
//
// Both vary from trial to trial with the phases of the station clock and of the weak source; the
// budget gives their worst (and best) values. Alice's setting event and Bob's outcome event are
// space-like separated when |t_outcome_B - t_setting_A| < distance / c; the margin is the
// difference, and the same for Bob's setting and Alice's outcome. A trial whose outcome is missing
// is fixed when the readout window closes (the firmware decides "missing" then), so the window
// close gets the same check.
//
// Clock-domain facts come from the firmware's one definition (station_timing.hpp): the trigger is
// detected kSyncStages cycles after the first clock edge that samples it and the setting register
// loads at the end of that cycle, so trigger pin to setting register takes kBasisLatencyCycles
// periods at worst and kSyncStages at best; the outcome is latched kSyncStages cycles after the
// first edge that samples it. docs/timing.md derives every line.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "timing/lab_description.hpp"

namespace dira::timing {

struct Stage {
    std::string label;
    double worst_ns = 0; // the value that shrinks the margin most
    double best_ns = 0;  // the value that leaves most margin
};

struct StationBudget {
    StationId side = StationId::alice;
    std::string board;                     // whose pad timing gave the pad stages; empty: the lab file's
    std::string pad_citation;              // the datasheet those bounds rest on
    double clock_period_ns = 0;
    std::vector<Stage> setting_stages;     // weak-source bit creation -> trigger pin (they sum to the lead)
    std::vector<Stage> measurement_stages; // trigger pin -> outcome latched (they sum to the latency)
    double trigger_cable_ns = 0;
    double lead_worst_ns = 0, lead_best_ns = 0;
    double latency_worst_ns = 0, latency_best_ns = 0;
    // Trigger pin -> the end of the readout window, where a missing outcome is fixed.
    double window_close_worst_ns = 0, window_close_best_ns = 0;
    // The readout strobe is detected this many cycles after t_setting (deterministic: the outcome
    // path runs on the station's own clock).
    unsigned outcome_detect_cycles_after_setting = 0;
};

// One pair of events checked for space-like separation: a station's setting against the other
// station's outcome (or its window close, for a missing outcome).
struct MarginCheck {
    StationId setting_side = StationId::alice;
    bool window_close = false;   // the other station's outcome event is its window close
    double delta_worst_ns = 0;   // t_outcome(other) - t_setting(this side), the extreme values
    double delta_best_ns = 0;
    double margin_worst_ns = 0;  // light travel time - |delta|, at the worst phases
    double margin_best_ns = 0;
    bool crossed() const { return margin_worst_ns <= 0; }
};

struct TimingBudget {
    std::string lab_name;
    double distance_m = 0;
    double light_ns = 0;
    std::array<StationBudget, 2> stations;
    std::vector<MarginCheck> checks; // outcome checks first, then window-close checks
    double min_margin_ns = 0;        // over every check, worst phases
    bool crossed() const { return min_margin_ns <= 0; }
};

// Trigger pin to setting register, worst case: kBasisLatencyCycles clock periods, the RTL's count.
double basis_selection_ps(const FpgaTiming& fpga);
// How many station cycles after t_setting the readout strobe is detected (the record's
// t_outcome - t_setting), from the station's own delays.
unsigned outcome_detect_cycles_after_setting(const StationDescription& s);

StationBudget station_budget(const LabDescription& lab, StationId side);
TimingBudget compute_budget(const LabDescription& lab);

nlohmann::json to_json(const TimingBudget& budget);
// The human-readable table `dira timing` prints.
std::string format_budget(const TimingBudget& budget);

} // namespace dira::timing
