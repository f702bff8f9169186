// The HLS golden model against docs/station.md, cycle by cycle, with hand-computed expectations:
// synchronisers, basis selector, readout window, recorder, health flags, register file, CLEAR.
#include <catch2/catch.hpp>

#include "model_driver.hpp"
#include "station/pin_sync.hpp"

using namespace dira;
using namespace dira::hls_station;
using firmware_test::ModelDriver;

namespace {

StationPins trigger_pin() {
    StationPins p;
    p.trigger = true;
    return p;
}
StationPins ws_pin(bool bit) {
    StationPins p;
    p.ws_bit = bit;
    p.ws_strobe = true;
    return p;
}
StationPins readout_pin(bool bit) {
    StationPins p;
    p.readout_valid = true;
    p.readout_bit = bit;
    return p;
}

// Runs quiet cycles until the model is about to simulate `cycle`.
void idle_until(ModelDriver& d, std::uint64_t cycle) {
    REQUIRE(d.model.cycle() <= cycle);
    while (d.model.cycle() < cycle) d.step();
}

constexpr std::uint64_t kSeen = kSyncStages; // a pin high in cycle p is seen in cycle p + kSeen

// RUN in cycle 0, a weak-source bit 1 seen in cycle 6, a trigger pin high in cycle 10 (seen in 12).
ModelDriver started_trial() {
    ModelDriver d;
    d.write(Reg::CONTROL, kControlRun);
    idle_until(d, 4);
    d.step(ws_pin(true));
    idle_until(d, 10);
    d.step(trigger_pin());
    return d;
}
constexpr std::uint64_t kTriggerSeen = 10 + kSeen; // t_trigger
constexpr std::uint64_t kSettingCycle = kTriggerSeen + 1; // t_setting

} // namespace

TEST_CASE("synchroniser: a pin high in cycle p is a rising edge in cycle p + kSyncStages", "[firmware][hls]") {
    PinSynchroniser s;
    for (std::uint64_t cycle = 0; cycle < 12; ++cycle) {
        const bool pin = cycle == 3 || cycle == 4 || cycle == 8;
        CHECK(synced_rise(s) == (cycle == 3 + kSeen || cycle == 8 + kSeen));
        CHECK(synced_level(s) == (cycle == 3 + kSeen || cycle == 4 + kSeen || cycle == 8 + kSeen));
        synchroniser_advance(s, pin);
    }
}

TEST_CASE("basis selector: a served trigger drives the freshest bit after kBasisLatencyCycles", "[firmware][hls]") {
    ModelDriver d = started_trial();
    idle_until(d, kSettingCycle + 2);
    for (std::uint64_t c = 0; c < d.results.size(); ++c) {
        INFO("cycle " << c);
        CHECK(d.results[c].setting_strobe == (c == kSettingCycle));
        CHECK(d.results[c].setting_out == (c >= kSettingCycle));
    }
    CHECK(kSettingCycle - 10 == kBasisLatencyCycles);
    CHECK(d.model.peek_register(address(Reg::STATUS)) == (kStatusRunning | kStatusTrialOpen));
}

TEST_CASE("readout capture: the window opens and closes inclusively, relative to t_setting", "[firmware][hls]") {
    const std::uint32_t open = register_reset_value(Reg::WINDOW_OPEN_CYCLES);
    const std::uint32_t close = register_reset_value(Reg::WINDOW_CLOSE_CYCLES);
    REQUIRE(open >= 1);

    SECTION("at the opening and at the closing age: captured, with t_outcome and the bit") {
        for (std::uint32_t age : {open, close}) {
            ModelDriver d = started_trial();
            idle_until(d, kSettingCycle + age - kSeen);
            d.step(readout_pin(true));
            idle_until(d, kSettingCycle + close + 4);
            REQUIRE(d.records.size() == 1);
            const TrialRecord& r = d.records[0];
            CHECK(r.trial_index == 0);
            CHECK(r.t_trigger_cycles == kTriggerSeen);
            CHECK(r.t_setting_cycles == kSettingCycle);
            CHECK(r.t_outcome_cycles == kSettingCycle + age);
            CHECK(r.setting == 1);
            CHECK(r.outcome == 1);
            CHECK(r.flags == 0);
            CHECK(d.record_commit_cycles[0] == kSettingCycle + age);
            CHECK(d.counter(Reg::STRAY_STROBES_LO) == 0);
            CHECK(d.counter(Reg::MISSING_OUTCOMES_LO) == 0);
        }
    }
    SECTION("one cycle before the window: a stray strobe, and the trial ends missing") {
        ModelDriver d = started_trial();
        idle_until(d, kSettingCycle + open - 1 - kSeen);
        d.step(readout_pin(true));
        idle_until(d, kSettingCycle + close + 4);
        REQUIRE(d.records.size() == 1);
        CHECK(d.records[0].flags == kFlag_OUTCOME_MISSING);
        CHECK(d.records[0].outcome == kFixedOutcomeWhenMissing);
        CHECK(d.records[0].t_outcome_cycles == 0);
        CHECK(d.record_commit_cycles[0] == kSettingCycle + close);
        CHECK(d.counter(Reg::STRAY_STROBES_LO) == 1);
        CHECK(d.counter(Reg::MISSING_OUTCOMES_LO) == 1);
    }
    SECTION("one cycle after the window: missing, and the late strobe is stray") {
        ModelDriver d = started_trial();
        idle_until(d, kSettingCycle + close + 1 - kSeen);
        d.step(readout_pin(true));
        idle_until(d, kSettingCycle + close + 4);
        REQUIRE(d.records.size() == 1);
        CHECK(d.records[0].flags == kFlag_OUTCOME_MISSING);
        CHECK(d.counter(Reg::STRAY_STROBES_LO) == 1);
    }
    SECTION("a strobe with no trial open is stray") {
        ModelDriver d;
        d.step(readout_pin(false));
        d.idle(4);
        CHECK(d.counter(Reg::STRAY_STROBES_LO) == 1);
        CHECK(d.records.empty());
    }
}

TEST_CASE("basis selector: a trigger while a trial is open is late and interrupts it", "[firmware][hls]") {
    ModelDriver d = started_trial();
    const std::uint64_t second_pin = 20, second_seen = second_pin + kSeen;
    SECTION("without an outcome yet: INTERRUPTED in the trigger's cycle, the late record one cycle later") {
        idle_until(d, second_pin);
        d.step(trigger_pin());
        idle_until(d, 60);
        REQUIRE(d.records.size() == 2);
        CHECK(d.records[0].trial_index == 0);
        CHECK(d.records[0].flags == (kFlag_INTERRUPTED | kFlag_OUTCOME_MISSING));
        CHECK(d.record_commit_cycles[0] == second_seen);
        CHECK(d.records[1].trial_index == 1);
        CHECK(d.records[1].flags == kFlag_TRIGGER_LATE);
        CHECK(d.records[1].t_trigger_cycles == second_seen);
        CHECK(d.records[1].t_setting_cycles == 0);
        CHECK(d.records[1].t_outcome_cycles == 0);
        CHECK(d.records[1].setting == kFixedSettingWhenLate);
        CHECK(d.record_commit_cycles[1] == second_seen + 1);
        CHECK(d.counter(Reg::TRIGGERS_LO) == 2);
        CHECK(d.counter(Reg::LATE_TRIGGERS_LO) == 1);
        CHECK(d.counter(Reg::MISSING_OUTCOMES_LO) == 1);
        // No setting is driven for the late trigger.
        for (std::uint64_t c = kSettingCycle + 1; c < d.results.size(); ++c) CHECK_FALSE(d.results[c].setting_strobe);
    }
    SECTION("with the outcome captured in the same cycle: the trial keeps its outcome") {
        idle_until(d, second_pin);
        StationPins both = trigger_pin();
        both.readout_valid = true;
        both.readout_bit = true;
        d.step(both);
        idle_until(d, 60);
        REQUIRE(d.records.size() == 2);
        CHECK(d.records[0].flags == 0);
        CHECK(d.records[0].outcome == 1);
        CHECK(d.records[0].t_outcome_cycles == second_seen);
        CHECK(d.records[1].flags == kFlag_TRIGGER_LATE);
        CHECK(d.counter(Reg::MISSING_OUTCOMES_LO) == 0);
    }
}

TEST_CASE("basis selector: the freshest weak-source bit, and WS_REUSED without a new one", "[firmware][hls]") {
    ModelDriver d;
    d.write(Reg::CONTROL, kControlRun);
    idle_until(d, 4);
    d.step(ws_pin(false));
    idle_until(d, 10);
    d.step(trigger_pin()); // fresh bit 0
    idle_until(d, 50);
    d.step(trigger_pin()); // no new bit: 0 again, reused
    idle_until(d, 90);
    StationPins both = ws_pin(true);
    both.trigger = true;
    d.step(both); // a bit seen in the trigger's own cycle is the freshest
    idle_until(d, 130);
    REQUIRE(d.records.size() == 3);
    CHECK(d.records[0].setting == 0);
    CHECK(d.records[0].flags == kFlag_OUTCOME_MISSING);
    CHECK(d.records[1].setting == 0);
    CHECK(d.records[1].flags == (kFlag_OUTCOME_MISSING | kFlag_WS_REUSED));
    CHECK(d.records[2].setting == 1);
    CHECK(d.records[2].flags == kFlag_OUTCOME_MISSING);
    CHECK(d.counter(Reg::WS_BITS_LO) == 2);
}

TEST_CASE("basis selector: triggers are ignored unless RUNNING, and the trial limit sets DONE", "[firmware][hls]") {
    ModelDriver d;
    d.step(trigger_pin());
    d.idle(40);
    CHECK(d.records.empty());
    CHECK(d.counter(Reg::TRIGGERS_LO) == 0);

    d.write(Reg::TRIAL_LIMIT, 2);
    d.write(Reg::CONTROL, kControlRun);
    for (int i = 0; i < 3; ++i) {
        d.step(trigger_pin());
        d.idle(39);
    }
    CHECK(d.records.size() == 2);
    CHECK(d.counter(Reg::TRIGGERS_LO) == 2);
    CHECK(d.model.peek_register(address(Reg::STATUS)) == kStatusDone);
    d.write(Reg::TRIAL_LIMIT, 0); // no limit: running again
    CHECK(d.model.peek_register(address(Reg::STATUS)) == kStatusRunning);
}

TEST_CASE("recorder: a record that finds the FIFO full is dropped and counted", "[firmware][hls]") {
    ModelDriver d;
    d.write(Reg::CONTROL, kControlRun);
    d.record_ready = false;
    d.step(trigger_pin());
    d.idle(39);
    d.record_ready = true;
    d.step(trigger_pin());
    d.idle(39);
    REQUIRE(d.dropped.size() == 1);
    CHECK(d.dropped[0].trial_index == 0);
    REQUIRE(d.records.size() == 1);
    CHECK(d.records[0].trial_index == 1);
    CHECK(d.counter(Reg::RECORDS_DROPPED_LO) == 1);
    CHECK(d.counter(Reg::RECORDS_LO) == 1);
}

TEST_CASE("health tests flag the records, and CLEAR resets trials, counters and alarms", "[firmware][hls]") {
    ModelDriver d;
    d.write(Reg::RCT_CUTOFF, 3);
    d.write(Reg::CONTROL, kControlRun);
    for (int i = 0; i < 3; ++i) {
        d.step(ws_pin(true));
        d.idle(3);
    }
    d.idle(4);
    CHECK(d.counter(Reg::RCT_FAILURES_LO) == 1);
    CHECK((d.model.peek_register(address(Reg::STATUS)) & kStatusRctAlarm) != 0);
    d.step(trigger_pin());
    d.idle(39);
    REQUIRE(d.records.size() == 1);
    CHECK(d.records[0].has(kFlag_HEALTH_RCT));
    CHECK_FALSE(d.records[0].has(kFlag_HEALTH_APT));

    d.step(trigger_pin()); // a trial open when CLEAR comes: abandoned without a record
    d.idle(5);
    const std::uint64_t cycles_before = d.model.cycle();
    const RegisterReply reply = d.write(Reg::CONTROL, kControlRun | kControlClear);
    CHECK(reply.address == address(Reg::CONTROL));
    CHECK(reply.value == kControlRun);
    d.idle(40);
    CHECK(d.records.size() == 1);
    CHECK(d.model.peek_register(address(Reg::STATUS)) == kStatusRunning);
    for (const CounterInfo& c : kCounterTable)
        if (static_cast<Reg>(c.address_lo) != Reg::CYCLES_LO) CHECK(d.counter(static_cast<Reg>(c.address_lo)) == 0);
    CHECK(d.model.cycle() > cycles_before);
    d.step(trigger_pin());
    d.idle(39);
    REQUIRE(d.records.size() == 2);
    CHECK(d.records[1].trial_index == 0);
    CHECK(d.records[1].flags == (kFlag_OUTCOME_MISSING | kFlag_WS_REUSED)); // CLEAR keeps the weak-source bit state
}

TEST_CASE("register file: reset values, identification, and the error pair for refused commands", "[firmware][hls]") {
    ModelDriver d;
    d.model = StationModel(StationParams{123'456'789u, 1});
    for (const RegisterInfo& r : kRegisterTable) {
        INFO(r.name);
        const RegisterReply reply = d.read(r.address);
        CHECK(reply.address == r.address);
        const std::uint32_t expected = static_cast<Reg>(r.address) == Reg::CLOCK_HZ     ? 123'456'789u
                                       : static_cast<Reg>(r.address) == Reg::STATION_ID ? 1u
                                                                                        : r.reset;
        CHECK(reply.value == expected);
    }
    const std::uint64_t cycle_of_read = d.model.cycle();
    CHECK(d.read(address(Reg::CYCLES_LO)).value == cycle_of_read);
    CHECK(d.read(address(Reg::TRIGGERS_LO)).value == 0);

    auto refused = [&](std::uint32_t word0) {
        INFO("word 0 = " << word0);
        const RegisterReply reply = d.command(word0, 0x5A5A5A5Au);
        CHECK(reply.address == kRegisterErrorAddress);
        CHECK(reply.value == word0);
    };
    for (const RegisterInfo& r : kRegisterTable)
        if (r.access == RegisterAccess::read_only) refused(pack_register_command(RegisterOpcode::write, r.address));
    for (const CounterInfo& c : kCounterTable) {
        refused(pack_register_command(RegisterOpcode::write, c.address_lo));
        refused(pack_register_command(RegisterOpcode::write, static_cast<std::uint16_t>(c.address_lo + 1)));
    }
    for (std::uint16_t unknown : {0x006, 0x00F, 0x019, 0x01F, 0x038, 0x03F, 0x044, 0x100, 0xFFFF}) {
        refused(pack_register_command(RegisterOpcode::read, unknown));
        refused(pack_register_command(RegisterOpcode::write, unknown));
    }
    refused(address(Reg::CONTROL)); // opcode 0
    refused(0x03000000u | address(Reg::CONTROL));
    refused(pack_register_command(RegisterOpcode::read, address(Reg::CONTROL)) | 0x00010000u); // reserved bits
    // Nothing changed.
    for (const RegisterInfo& r : kRegisterTable)
        if (static_cast<Reg>(r.address) != Reg::CLOCK_HZ && static_cast<Reg>(r.address) != Reg::STATION_ID)
            CHECK(d.read(r.address).value == r.reset);

    const RegisterReply control = d.write(Reg::CONTROL, 0xFFFFFFFFu);
    CHECK(control.value == (kControlRun | kControlTestPattern));
    CHECK(d.read(address(Reg::CONTROL)).value == (kControlRun | kControlTestPattern));
}

TEST_CASE("register file: reading a counter's _LO latches its _HI", "[firmware][hls]") {
    RegisterFileState s;
    s.counter[kTriggers] = 0x0000'0007'0000'0005ull;
    const StationParams params;
    const auto read = [&](Reg r) {
        const RegisterCommand cmd{pack_register_command(RegisterOpcode::read, address(r)), 0};
        const CommandEffect e = register_command(s, params, StatusView{}, cmd);
        register_advance(s, CounterEvents{}, &e);
        return e.reply.value;
    };
    CHECK(read(Reg::TRIGGERS_HI) == 0); // nothing latched yet
    CHECK(read(Reg::TRIGGERS_LO) == 5);
    s.counter[kTriggers] = 0x0000'0009'0000'0000ull; // the counter runs on
    CHECK(read(Reg::TRIGGERS_HI) == 7);                // the half that goes with the _LO read
    CHECK(read(Reg::LATE_TRIGGERS_HI) == 0);           // latches are per counter
    CHECK(read(Reg::TRIGGERS_LO) == 0);
    CHECK(read(Reg::TRIGGERS_HI) == 9);
}

TEST_CASE("health tests: the repetition count fires at its cutoff, once per run", "[firmware][hls]") {
    HealthTestState s;
    const HealthCutoffs cutoffs{5, kDefaultAptCutoff};
    std::vector<int> fired_at;
    const std::vector<bool> bits = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1};
    for (std::size_t i = 0; i < bits.size(); ++i) {
        const HealthStep h = health_step(s, true, bits[i], cutoffs);
        if (h.rct_failure) fired_at.push_back(static_cast<int>(i));
        s = h.next;
    }
    CHECK(fired_at == std::vector<int>{4, 11});
    CHECK(s.rct_alarm);
    CHECK_FALSE(s.apt_alarm);
    // No strobe, no change.
    CHECK_FALSE(health_step(s, false, true, cutoffs).rct_failure);

    SECTION("a saturated run cannot fire again") {
        HealthTestState t;
        t.rct_last_bit = true;
        t.rct_run_bits = kRunBitsSaturated - 1;
        const HealthCutoffs at_max{kRunBitsSaturated, kDefaultAptCutoff};
        HealthStep h = health_step(t, true, true, at_max);
        CHECK(h.rct_failure);
        h = health_step(h.next, true, true, at_max);
        CHECK_FALSE(h.rct_failure);
        CHECK(h.next.rct_run_bits == kRunBitsSaturated);
    }
}

TEST_CASE("health tests: the adaptive proportion fires at its cutoff, once per window", "[firmware][hls]") {
    const HealthCutoffs cutoffs{kDefaultRctCutoff, kDefaultAptCutoff};
    auto failures_for = [&](auto bit_of, unsigned windows) {
        HealthTestState s;
        std::vector<std::uint32_t> fired_at;
        for (std::uint32_t i = 0; i < windows * kAptWindowBits; ++i) {
            const HealthStep h = health_step(s, true, bit_of(i), cutoffs);
            if (h.apt_failure) fired_at.push_back(i);
            s = h.next;
        }
        return fired_at;
    };
    // A stuck source: the window's first bit plus cutoff - 1 more.
    CHECK(failures_for([](std::uint32_t) { return true; }, 2) ==
          std::vector<std::uint32_t>{kDefaultAptCutoff - 1, kAptWindowBits + kDefaultAptCutoff - 1});
    // Alternating bits: half the window matches, below the cutoff.
    CHECK(failures_for([](std::uint32_t i) { return (i & 1u) != 0; }, 2).empty());
    // The window's first bit counts: ones after a leading zero do not.
    CHECK(failures_for([](std::uint32_t i) { return i % kAptWindowBits != 0; }, 1).empty());
}
