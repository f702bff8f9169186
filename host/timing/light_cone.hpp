// The light-cone verifier: for every trial, the event that fixed each station's setting (the
// creation of the weak-source bit it used) must be space-like separated from the event that fixed
// the other station's outcome (the FPGA latching it, or, for a missing outcome, the readout window
// closing). Space-like: |t_outcome - t_setting| < distance / c. Each station is taken as a point
// at its position; the lab description's delays carry the distances inside a station.
//
// The verifier only needs the events' times in one lab frame; the SystemC lab (testbench/systemc)
// supplies them from its picosecond models, and a real lab could supply them from calibrated
// timestamps. A violating trial is flagged LIGHT_CONE in its records (RecordAnnotator), and the
// certification refuses a run with a flagged trial.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "dira/wire_format.hpp"
#include "timing/lab_description.hpp"

namespace dira::timing {

// One station's side of one trial, in picoseconds of lab time.
struct StationTrialEvents {
    double trigger_pin_ps = 0;
    bool setting_driven = false;  // false: a late trigger; setting and outcome are fixed values
    double ws_bit_created_ps = 0; // the event that fixed the setting
    double setting_pin_ps = 0;
    double pulse_start_ps = 0, pulse_end_ps = 0; // the rotation pulse at the qubit
    double integration_end_ps = 0;
    double discriminated_ps = 0;
    double outcome_pin_ps = 0;
    bool outcome_missing = false;   // no readout captured in the window
    double outcome_latched_ps = 0;  // the FPGA latched the outcome
    double window_close_ps = 0;     // end of the readout window (a missing outcome is fixed here)

    // The event that fixed the recorded outcome.
    double outcome_fixed_ps() const { return outcome_missing ? window_close_ps : outcome_latched_ps; }
};

struct TrialEvents {
    std::uint64_t trial = 0;
    std::array<StationTrialEvents, 2> stations; // index(StationId)
};

struct TrialVerdict {
    std::uint64_t trial = 0;
    // [i]: station i's setting against the other station's outcome; no value when that pair has no
    // random setting or no outcome event (a late trigger on either side: fixed values only).
    std::array<std::optional<double>, 2> margin_ps;
    bool space_like() const;
    std::optional<double> min_margin_ps() const;
};

struct LightConeSummary {
    std::uint64_t trials = 0;
    std::uint64_t violations = 0;      // trials not space-like separated
    std::uint64_t unchecked = 0;       // trials with no setting/outcome pair to check (late triggers)
    double min_margin_ps = 0;          // over checked trials
    std::uint64_t min_margin_trial = 0;
    std::vector<double> margins_ps;    // each checked trial's smaller margin, in trial order
};

class LightConeVerifier {
public:
    explicit LightConeVerifier(const LabDescription& lab);
    // Checks one trial and adds it to the summary.
    TrialVerdict check(const TrialEvents& events);
    const LightConeSummary& summary() const { return summary_; }
    double light_ps() const { return light_ps_; }

private:
    double light_ps_;
    LightConeSummary summary_;
};

// Margin of one pair of events: light travel time minus |t_outcome - t_setting|.
double light_cone_margin_ps(double light_ps, double setting_ps, double outcome_ps);

// Joins the stations' record streams with the verifier's verdicts: every record goes to the sink
// exactly once, in trial order per station, with LIGHT_CONE set when its trial is not space-like
// separated. A record waits until its trial's verdict is in.
class RecordAnnotator {
public:
    using Sink = std::function<void(StationId, const TrialRecord&)>;
    explicit RecordAnnotator(Sink sink) : sink_(std::move(sink)) {}

    void on_verdict(const TrialVerdict& verdict);
    void on_record(StationId side, const TrialRecord& record);
    // Every record must have found its verdict by now; throws dira::Error(internal) otherwise.
    void finish();
    std::uint64_t flagged_records() const { return flagged_records_; }

private:
    void drain(StationId side);

    Sink sink_;
    std::map<std::uint64_t, bool> flagged_by_trial_;
    std::array<std::vector<TrialRecord>, 2> waiting_;
    std::array<std::size_t, 2> waiting_head_{};
    std::array<std::uint64_t, 2> next_trial_{}; // per station: records below this were emitted
    std::uint64_t flagged_records_ = 0;
};

} // namespace dira::timing
