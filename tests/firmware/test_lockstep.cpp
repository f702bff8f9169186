// The RTL station and the HLS golden model, record for record, over more than 1e5 trials with
// every fault the contract covers: late and missing readouts, early and stray strobes, late
// (back-to-back) triggers, a stuck and a silent weak source (health alarms, WS_REUSED), a stalled
// USB side (records dropped and counted), test-pattern frames, CLEAR mid-run, and the trial limit.
// Besides RTL == HLS, each record is checked against the contract on its own.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "lockstep/lockstep.hpp"
#include "lockstep/stimulus.hpp"

using namespace dira;
using namespace dira::testbench;

namespace {

struct Plan {
    std::uint64_t mixed_trials = 40'000;
    std::uint64_t stuck_source_trials = 5'000;
    std::uint64_t silent_source_trials = 500;
    std::uint64_t stalled_trials = 3'000;
    std::uint64_t test_pattern_trials = 3'000;
    std::uint64_t after_clear_trials = 48'500;
    std::uint64_t limited_trials = 1'000; // the trial limit stops serving after this many more
};

constexpr std::uint32_t kWindowOpen = 6;
constexpr std::uint32_t kWindowClose = 24;

void run_trials(Lockstep& ls, Stimulus& stimulus, std::uint64_t trials) {
    const std::uint64_t until = stimulus.triggers_sent() + trials;
    while (stimulus.triggers_sent() < until) ls.step(stimulus.next(ls.board().setting_strobe()));
}

// Every record on its own, against docs/station.md.
void check_record(const TrialRecord& r) {
    INFO("trial " << r.trial_index);
    if (r.has(kFlag_TRIGGER_LATE)) {
        CHECK(r.t_setting_cycles == 0);
        CHECK(r.t_outcome_cycles == 0);
        CHECK(r.setting == kFixedSettingWhenLate);
        CHECK(r.outcome == kFixedOutcomeWhenMissing);
        CHECK_FALSE(r.has(kFlag_OUTCOME_MISSING));
        return;
    }
    CHECK(r.t_setting_cycles == r.t_trigger_cycles + 1);
    if (r.has(kFlag_OUTCOME_MISSING)) {
        CHECK(r.t_outcome_cycles == 0);
        CHECK(r.outcome == kFixedOutcomeWhenMissing);
    } else {
        CHECK_FALSE(r.has(kFlag_INTERRUPTED));
        CHECK(r.t_outcome_cycles >= r.t_setting_cycles + kWindowOpen);
        CHECK(r.t_outcome_cycles <= r.t_setting_cycles + kWindowClose);
    }
}

struct FlagCounts {
    std::uint64_t late = 0, missing = 0, interrupted = 0, rct = 0, apt = 0, reused = 0, captured = 0;
};

FlagCounts count_flags(const std::vector<TrialRecord>& records) {
    FlagCounts n;
    for (const TrialRecord& r : records) {
        n.late += r.has(kFlag_TRIGGER_LATE);
        n.missing += r.has(kFlag_OUTCOME_MISSING);
        n.interrupted += r.has(kFlag_INTERRUPTED);
        n.rct += r.has(kFlag_HEALTH_RCT);
        n.apt += r.has(kFlag_HEALTH_APT);
        n.reused += r.has(kFlag_WS_REUSED);
        n.captured += !r.has(kFlag_TRIGGER_LATE) && !r.has(kFlag_OUTCOME_MISSING);
    }
    return n;
}

void run_plan(const Plan& plan, std::uint64_t seed) {
    Lockstep ls;
    StimulusConfig sc;
    sc.seed = seed;
    sc.window_open_cycles = kWindowOpen;
    sc.window_close_cycles = kWindowClose;
    sc.late_trigger_probability = 0.04;
    sc.readout_missing_probability = 0.04;
    sc.readout_early_probability = 0.04;
    sc.readout_late_probability = 0.04;
    sc.stray_strobe_probability = 0.002;
    Stimulus stimulus(sc);

    ls.write_register(Reg::WINDOW_OPEN_CYCLES, kWindowOpen);
    ls.write_register(Reg::WINDOW_CLOSE_CYCLES, kWindowClose);
    ls.write_register(Reg::FLUSH_CYCLES, 200);
    ls.write_register(Reg::CONTROL, kControlRun);
    ls.drain();

    run_trials(ls, stimulus, plan.mixed_trials);
    ls.send_command(RegisterOpcode::read, address(Reg::STATUS)); // a command in the middle of traffic
    stimulus.config().ws_one_probability = 1.0;                   // a stuck weak source
    run_trials(ls, stimulus, plan.stuck_source_trials);
    stimulus.config().ws_one_probability = 0.5;
    stimulus.config().ws_silent = true; // no fresh bits: WS_REUSED
    run_trials(ls, stimulus, plan.silent_source_trials);
    stimulus.config().ws_silent = false;

    // The host stops reading: back-pressure, then records dropped and counted.
    ls.board().ft601().stall_tx_until_released();
    run_trials(ls, stimulus, plan.stalled_trials);
    ls.board().ft601().release_tx();
    ls.drain();
    const std::uint64_t dropped_before_clear = ls.read_counter(Reg::RECORDS_DROPPED_LO);
    const std::uint64_t status_before_clear = ls.read_register(address(Reg::STATUS));
    const std::size_t records_before_clear = ls.records().size();

    // Test-pattern frames fill the time when no record waits: send records at once meanwhile.
    ls.write_register(Reg::FLUSH_CYCLES, 0);
    ls.write_register(Reg::CONTROL, kControlRun | kControlTestPattern);
    run_trials(ls, stimulus, plan.test_pattern_trials);
    ls.write_register(Reg::FLUSH_CYCLES, 200);
    ls.write_register(Reg::CONTROL, kControlRun | kControlClear); // mid-run, test pattern off
    run_trials(ls, stimulus, plan.after_clear_trials);

    // The trial limit: serve `limited_trials` more, then stop.
    const std::uint64_t limit = ls.model().state().basis.trial_index + plan.limited_trials;
    ls.write_register(Reg::TRIAL_LIMIT, static_cast<std::uint32_t>(limit));
    run_trials(ls, stimulus, 2 * plan.limited_trials);
    ls.drain();
    ls.check_all_registers();

    const std::vector<TrialRecord>& records = ls.records();
    const LockstepStats& stats = ls.stats();
    INFO("records " << stats.records << ", dropped " << stats.records_dropped << ", cycles " << stats.cycles);
    CHECK(stats.records + stats.records_dropped >= 100'000);

    // Each record on its own, and the indices: rising within each CLEAR epoch, with gaps exactly
    // where records were dropped.
    std::uint64_t gaps_before_clear = 0;
    std::size_t index_restarts = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        check_record(records[i]);
        if (i == 0) continue;
        const std::uint64_t prev = records[i - 1].trial_index, cur = records[i].trial_index;
        if (cur <= prev) {
            ++index_restarts;
            CHECK(i >= records_before_clear);
            CHECK(cur == 0);
        } else if (index_restarts == 0) {
            gaps_before_clear += cur - prev - 1;
        } else {
            CHECK(cur == prev + 1); // no stall after CLEAR: no gap
        }
    }
    CHECK(index_restarts == 1);
    CHECK(dropped_before_clear > 0);
    CHECK(gaps_before_clear == dropped_before_clear);
    CHECK(records.front().trial_index == 0);

    // The limit: the last record is trial limit - 1, and the station says DONE.
    CHECK(records.back().trial_index == limit - 1);
    CHECK((ls.read_register(address(Reg::STATUS)) & kStatusDone) != 0);
    CHECK(ls.read_counter(Reg::TRIGGERS_LO) == limit);

    // Every fault happened and was flagged.
    const FlagCounts n = count_flags(records);
    CHECK(n.late > 100);
    CHECK(n.interrupted > 100);
    CHECK(n.missing > 1000);
    CHECK(n.captured > 50'000);
    CHECK(n.rct > 1000);
    CHECK(n.apt > 100);
    CHECK(n.reused > 100);
    CHECK((status_before_clear & kStatusRctAlarm) != 0);
    CHECK((status_before_clear & kStatusAptAlarm) != 0);
    CHECK(ls.read_counter(Reg::STRAY_STROBES_LO) > 100);
    CHECK(stats.test_pattern_frames > 10);
    CHECK(stats.reply_frames > 40);
}

} // namespace

TEST_CASE("lockstep: RTL and HLS agree record for record over 1e5 trials with every fault", "[firmware][lockstep]") {
    run_plan(Plan{}, 1);
}

// DIRA_LONG_TESTS: ten times longer, another seed (tests/firmware/CMakeLists.txt registers it).
TEST_CASE("lockstep soak: 1e6 trials", "[.soak][firmware][lockstep]") {
    Plan plan;
    plan.mixed_trials *= 10;
    plan.stuck_source_trials *= 10;
    plan.silent_source_trials *= 10;
    plan.stalled_trials *= 10;
    plan.test_pattern_trials *= 10;
    plan.after_clear_trials *= 10;
    run_plan(plan, 2);
}
