// Alignment and scoring: joins Alice's and Bob's records trial by trial, refuses anything that breaks
// the one-record-per-trial-per-station picture, and counts what the certification needs. Streaming:
// memory does not grow with the run. docs/certification.md section 2 states the scoring rule and why
// each flag is treated as it is.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "certify/records.hpp"

namespace dira::certify {

enum class RefusalReason {
    run_id_mismatch,         // the two stations' streams do not belong to the run
    lost_trials,             // the transport or run store reports trials lost
    run_integrity,           // the run store reports another problem with the run's files
    trial_gap,               // a station's trial indices skip a trial (a record lost in transit)
    duplicate_trial,         // a station's trial index repeats or goes back
    unpaired_trial,          // one station has a record the other does not
    trial_count_mismatch,    // the streams end before or after the run's number of trials
    malformed_record,        // a record that is not what the format says (reserved bits, torn file)
    unknown_flag,            // a flag bit this version does not know how to score
    health_alarm,            // the weak source's health test fired: the SV model is not trusted
    light_cone_violation,    // a trial was not space-like separated: the locality loophole is open
    source_bias_exceeded,    // the settings are visibly more biased than eps
    no_abort_rule,           // no abort rule was fixed before the run
    abort_threshold_not_met, // the scored wins fall short of the abort threshold
    nothing_certified,       // the bound certifies no output bits
    second_source_failed,    // the extractor's weak-source bits fail their health tests or differ from the plan's
    verification_failed,     // the run directory fails `dira verify` (or certification failed): nothing derived from it
};
std::string_view to_string(RefusalReason reason);

struct Refusal {
    RefusalReason reason;
    std::optional<std::uint64_t> trial; // the first offending trial, when there is one
    std::string message;                // the numbers, and what to do
};

// Flags that make a trial unscored: it counts as a trial and as a loss (docs section 2.2): its setting
// was not a fresh, unpredictable weak-source bit delivered to the device.
inline constexpr std::uint16_t kUnscoredFlags = kFlag_TRIGGER_LATE | kFlag_WS_REUSED;
// Flags that refuse the run (docs section 2.2): the weak source failed its health test, or a trial was
// not space-like separated (the run's timing did not close the locality loophole).
inline constexpr std::uint16_t kHealthAlarmFlags = kFlag_HEALTH_RCT | kFlag_HEALTH_APT;
inline constexpr std::uint16_t kRefusingFlags = kHealthAlarmFlags | kFlag_LIGHT_CONE;
// Flags whose setting bit is not a fresh weak-source bit: left out of the source test.
inline constexpr std::uint16_t kNotFreshSettingFlags = kFlag_TRIGGER_LATE | kFlag_WS_REUSED;
// Every flag wire_format.hpp defines.
std::uint16_t known_flags_mask();

struct StationSourceCounts {
    std::uint64_t fresh_bits = 0;    // settings that were fresh weak-source bits
    std::uint64_t ones = 0;          // ... that were 1
    std::uint64_t repeat_pairs = 0;  // consecutive fresh bits (each bit after the first)
    std::uint64_t repeats = 0;       // ... equal to the fresh bit before
};

struct SourceCounts {
    StationSourceCounts alice, bob;
    std::uint64_t fresh_pairs = 0;   // trials where both settings were fresh
    std::uint64_t equal_pairs = 0;   // ... and equal (x = y)
};

struct TrialCounts {
    std::uint64_t first_trial = 0;
    std::uint64_t trials = 0;
    // Recorded values of every trial, flagged ones included: index (x << 3) | (y << 2) | (a << 1) | b.
    std::array<std::uint64_t, 16> by_settings_and_outcomes{};
    std::uint64_t unscored_trials = 0; // trials with a flag in kUnscoredFlags at either station
    std::uint64_t scored_wins = 0;     // scored trials with a xor b = x and y: the certification statistic
    std::uint64_t recorded_wins = 0;   // all trials with a xor b = x and y on the recorded values
    std::array<std::uint64_t, 16> alice_flags{}, bob_flags{}; // trials per flag bit
    SourceCounts source;

    std::uint64_t count(unsigned x, unsigned y, unsigned a, unsigned b) const {
        return by_settings_and_outcomes[(x << 3) | (y << 2) | (a << 1) | b];
    }
};

struct ScoreResult {
    TrialCounts counts;            // complete when there is no refusal; up to the refusal otherwise
    std::optional<Refusal> refusal;
};

struct ScoreOptions {
    std::size_t chunk_records = 1u << 16;
    std::function<void(std::uint64_t trials_done)> progress; // called every chunk when set
};

// Streams both stations to the end (or to the first refusal). Run ids, lost spans, trial indices,
// flags and the number of trials are checked against `run`; trial indices must run from
// run.first_trial... through run.trials consecutive trials at both stations.
ScoreResult align_and_score(const RunInfo& run, RecordSource& alice, RecordSource& bob,
                            const ScoreOptions& options = {});

// The CHSH statistics of the counts (docs section 2.3).
struct ChshEstimate {
    double scored_win_rate = 0;          // scored wins / trials: what the bound uses
    double scored_win_rate_stderr = 0;   // sqrt(w (1 - w) / N)
    double chsh_from_wins = 0;           // 8 w - 4
    double chsh_from_wins_stderr = 0;
    std::array<std::optional<double>, 4> correlators; // E_xy at index 2x + y, recorded values, all trials
    std::optional<double> chsh_from_correlators;      // E00 + E01 + E10 - E11
    std::optional<double> chsh_from_correlators_stderr;
};
ChshEstimate estimate_chsh(const TrialCounts& counts);

} // namespace dira::certify
