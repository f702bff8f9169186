// Alignment and scoring (docs section 2): every refusal with its first offending trial, the flag rules,
// the counts, and streaming in chunks of any size.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "certify/scoring.hpp"
#include "synthetic_run.hpp"

using namespace dira;
using namespace dira::certify;
using namespace dira::certify::testing;
using Catch::Matchers::WithinRel;

namespace {

struct Streams {
    std::vector<TrialRecord> alice, bob;
};

// Trials given as (x, y, a, b): indices 0, 1, 2, ...
Streams streams(const std::vector<std::array<unsigned, 4>>& trials) {
    Streams s;
    for (std::size_t i = 0; i < trials.size(); ++i) {
        s.alice.push_back(record(i, trials[i][0], trials[i][2]));
        s.bob.push_back(record(i, trials[i][1], trials[i][3]));
    }
    return s;
}

ScoreResult score(const Streams& s, std::uint64_t trials, std::size_t chunk = 4) {
    MemoryRecordSource alice(s.alice), bob(s.bob);
    ScoreOptions options;
    options.chunk_records = chunk;
    return align_and_score(run_info(trials, 0.0075, 2.27), alice, bob, options);
}

Streams eight_trials() {
    // (x, y, a, b): wins are a xor b = x and y.
    return streams({{0, 0, 0, 0},   // win
                    {0, 1, 1, 1},   // win
                    {1, 0, 0, 1},   // loss
                    {1, 1, 0, 1},   // win
                    {1, 1, 1, 1},   // loss
                    {0, 0, 1, 0},   // loss
                    {1, 0, 1, 1},   // win
                    {0, 1, 0, 0}}); // win
}

void check_refusal(const ScoreResult& result, RefusalReason reason, std::optional<std::uint64_t> trial) {
    REQUIRE(result.refusal);
    CHECK(result.refusal->reason == reason);
    CHECK(result.refusal->trial == trial);
    CHECK_FALSE(result.refusal->message.empty());
}

} // namespace

TEST_CASE("scoring counts wins and settings") {
    const ScoreResult result = score(eight_trials(), 8);
    REQUIRE_FALSE(result.refusal);
    const TrialCounts& c = result.counts;
    CHECK(c.trials == 8);
    CHECK(c.scored_wins == 5);
    CHECK(c.recorded_wins == 5);
    CHECK(c.unscored_trials == 0);
    CHECK(c.count(1, 1, 0, 1) == 1);
    CHECK(c.count(1, 1, 1, 1) == 1);
    CHECK(c.count(0, 0, 0, 0) == 1);
    CHECK(c.source.alice.fresh_bits == 8);
    CHECK(c.source.alice.ones == 4);
    // Alice's settings 0 0 1 1 1 0 1 0: equal to the previous one 3 times in 7.
    CHECK(c.source.alice.repeat_pairs == 7);
    CHECK(c.source.alice.repeats == 3);
    CHECK(c.source.equal_pairs == 4);

    const ChshEstimate e = estimate_chsh(c);
    CHECK_THAT(e.scored_win_rate, WithinRel(5.0 / 8.0, 1e-15));
    CHECK_THAT(e.chsh_from_wins, WithinRel(1.0, 1e-15)); // 8 * 5/8 - 4
    // Correlators from the recorded values: E00 = (1 - 1)/2 = 0, E01 = (2 - 0)/2 = 1,
    // E10 = (1 - 1)/2 = 0, E11 = (1 - 1)/2 = 0, so S = 0 + 1 + 0 - 0 = 1.
    CHECK(*e.correlators[1] == 1.0);
    CHECK(*e.chsh_from_correlators == 1.0);
}

TEST_CASE("scoring is the same for every chunk size") {
    const Streams s = eight_trials();
    const TrialCounts reference = score(s, 8, 1 << 16).counts;
    for (std::size_t chunk : {1, 2, 3, 7, 8, 9}) {
        const TrialCounts c = score(s, 8, chunk).counts;
        CHECK(c.by_settings_and_outcomes == reference.by_settings_and_outcomes);
        CHECK(c.scored_wins == reference.scored_wins);
        CHECK(c.source.alice.repeats == reference.source.alice.repeats);
    }
}

TEST_CASE("a gap in a station's trial indices is refused at the first lost trial") {
    Streams s = eight_trials();
    s.alice.erase(s.alice.begin() + 3); // Alice's record of trial 3 was lost in transit
    check_refusal(score(s, 8), RefusalReason::trial_gap, 3);
}

TEST_CASE("a duplicated record is refused") {
    Streams s = eight_trials();
    s.bob.insert(s.bob.begin() + 5, s.bob[4]); // Bob's trial 4 twice
    check_refusal(score(s, 8), RefusalReason::duplicate_trial, 4);
}

TEST_CASE("Bob's records shifted by one trial are refused") {
    // Bob's stream starts one trial late (trial 1 where trial 0 belongs) and runs one past the end.
    Streams s = eight_trials();
    for (auto& r : s.bob) ++r.trial_index;
    check_refusal(score(s, 8), RefusalReason::trial_gap, 0);
    // Or Bob's stream lacks its first record and the rest slid forward: also trial 0.
    Streams t = eight_trials();
    t.bob.erase(t.bob.begin());
    check_refusal(score(t, 8), RefusalReason::trial_gap, 0);
}

TEST_CASE("records that do not pair up or do not match the run's size are refused") {
    Streams s = eight_trials();
    s.alice.push_back(record(8, 0, 0));
    check_refusal(score(s, 8), RefusalReason::unpaired_trial, 8);
    check_refusal(score(eight_trials(), 9), RefusalReason::trial_count_mismatch, 8);  // a trial missing at the end
    check_refusal(score(eight_trials(), 7), RefusalReason::trial_count_mismatch, 7);  // one too many
}

TEST_CASE("mismatched run ids and lost spans are refused") {
    const Streams s = eight_trials();
    MemoryRecordSource alice(s.alice), bob(s.bob);
    RunInfo info = run_info(8, 0.0075, 2.27);
    info.bob_run_id = "another-run";
    check_refusal(align_and_score(info, alice, bob), RefusalReason::run_id_mismatch, std::nullopt);
    MemoryRecordSource alice2(s.alice), bob2(s.bob);
    info = run_info(8, 0.0075, 2.27);
    info.lost_spans = {{5, 2}, {2, 1}};
    check_refusal(align_and_score(info, alice2, bob2), RefusalReason::lost_trials, 2);
}

TEST_CASE("flags: health alarms and light-cone violations refuse, unknown flags refuse") {
    Streams s = eight_trials();
    s.bob[6].flags = kFlag_HEALTH_APT;
    check_refusal(score(s, 8), RefusalReason::health_alarm, 6);
    s = eight_trials();
    s.alice[2].flags = kFlag_HEALTH_RCT;
    check_refusal(score(s, 8), RefusalReason::health_alarm, 2);
    s = eight_trials();
    s.alice[5].flags = kFlag_LIGHT_CONE;
    check_refusal(score(s, 8), RefusalReason::light_cone_violation, 5);
    s = eight_trials();
    s.alice[1].flags = 1u << 7; // a firmware flag bit this version does not define
    check_refusal(score(s, 8), RefusalReason::unknown_flag, 1);
}

TEST_CASE("flags: late triggers and reused bits are trials and losses, missing outcomes keep their fixed value") {
    // Trial 0 wins on its recorded values (x = 0, a = 0 fixed by the late trigger; b = 0) but is
    // unscored: its setting was not a fresh weak-source bit. It still counts as a trial.
    Streams s = streams({{0, 0, 0, 0}, {0, 0, 0, 0}, {1, 1, 0, 1}, {0, 1, 0, 0}});
    s.alice[0].flags = kFlag_TRIGGER_LATE;
    s.bob[1].flags = kFlag_WS_REUSED;
    // Trial 2: Alice's readout went missing: a = 0 fixed, and it is scored as it stands (a win here).
    s.alice[2].flags = kFlag_OUTCOME_MISSING;
    // Trial 3: interrupted, scored as recorded.
    s.bob[3].flags = kFlag_INTERRUPTED | kFlag_OUTCOME_MISSING;
    const ScoreResult result = score(s, 4);
    REQUIRE_FALSE(result.refusal);
    const TrialCounts& c = result.counts;
    CHECK(c.trials == 4);
    CHECK(c.unscored_trials == 2);
    CHECK(c.recorded_wins == 4);
    CHECK(c.scored_wins == 2);
    CHECK(c.alice_flags[0] == 1); // TRIGGER_LATE
    CHECK(c.bob_flags[5] == 1);   // WS_REUSED
    // The source test sees only fresh bits: Alice's trial 0 and Bob's trial 1 are left out.
    CHECK(c.source.alice.fresh_bits == 3);
    CHECK(c.source.bob.fresh_bits == 3);
    CHECK(c.source.fresh_pairs == 2);
}

TEST_CASE("scoring streams a long run in chunks") {
    // 3 million trials from a generator, never held in memory.
    const auto model = werner_device(7, 0.8026, 0.5075, 0.5075);
    ModelRecordSource alice(model, 3000000, true), bob(model, 3000000, false);
    const ScoreResult result = align_and_score(run_info(3000000, 0.0075, 2.27), alice, bob);
    REQUIRE_FALSE(result.refusal);
    const ChshEstimate e = estimate_chsh(result.counts);
    // Within 5 standard errors of 2 sqrt(2) 0.8026 = 2.27010 (both estimators).
    CHECK(std::abs(e.chsh_from_wins - 2.2700956) < 5 * e.chsh_from_wins_stderr);
    CHECK(std::abs(*e.chsh_from_correlators - 2.2700956) < 5 * *e.chsh_from_correlators_stderr);
}
