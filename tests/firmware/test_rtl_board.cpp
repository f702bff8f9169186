// The RTL station on its board (Verilated, FT601 model) in lockstep with the HLS model: the
// register map, refused commands, the basis-selection latency measured on the RTL's pins, and
// other USB clock rates.
#include <catch2/catch.hpp>

#include "lockstep/lockstep.hpp"
#include "lockstep/stimulus.hpp"

using namespace dira;
using namespace dira::testbench;

namespace {

void run(Lockstep& ls, Stimulus& stimulus, std::uint64_t cycles) {
    for (std::uint64_t i = 0; i < cycles; ++i) ls.step(stimulus.next(ls.board().setting_strobe()));
}

LockstepConfig bob_at_100_mhz() {
    LockstepConfig c;
    c.board.station_id = 1;
    c.board.clock_hz = 100'000'000;
    return c;
}

} // namespace

TEST_CASE("RTL: every register reads its reset value, as in the HLS model", "[firmware][rtl]") {
    const LockstepConfig config = bob_at_100_mhz();
    Lockstep ls(config);
    for (const RegisterInfo& r : kRegisterTable) {
        INFO(r.name);
        const std::uint32_t expected = static_cast<Reg>(r.address) == Reg::CLOCK_HZ     ? config.board.clock_hz
                                       : static_cast<Reg>(r.address) == Reg::STATION_ID ? config.board.station_id
                                                                                        : r.reset;
        CHECK(ls.read_register(r.address) == expected);
    }
    for (const CounterInfo& c : kCounterTable) {
        INFO(c.name);
        const Reg lo = static_cast<Reg>(c.address_lo);
        const std::uint64_t frames_before = ls.stats().reply_frames;
        const std::uint64_t value = ls.read_counter(lo);
        if (lo == Reg::CYCLES_LO) CHECK(value > 0);
        else if (lo == Reg::FRAMES_SENT_LO) CHECK(value == frames_before);
        else CHECK(value == 0);
    }
}

TEST_CASE("RTL: refused commands get the error pair and change nothing", "[firmware][rtl]") {
    Lockstep ls;
    ls.write_register(Reg::WINDOW_OPEN_CYCLES, 7);
    ls.write_register(Reg::TRIAL_LIMIT, 1234);
    ls.drain();
    auto snapshot = [&] {
        std::vector<std::uint32_t> v;
        for (const RegisterInfo& r : kRegisterTable) v.push_back(ls.read_register(r.address));
        return v;
    };
    const std::vector<std::uint32_t> before = snapshot();

    std::vector<std::uint32_t> refused;
    for (const RegisterInfo& r : kRegisterTable)
        if (r.access == RegisterAccess::read_only) refused.push_back(pack_register_command(RegisterOpcode::write, r.address));
    for (const CounterInfo& c : kCounterTable) {
        refused.push_back(pack_register_command(RegisterOpcode::write, c.address_lo));
        refused.push_back(pack_register_command(RegisterOpcode::write, static_cast<std::uint16_t>(c.address_lo + 1)));
    }
    for (std::uint16_t unknown : {0x006, 0x00F, 0x019, 0x01F, 0x038, 0x03F, 0x044, 0x100, 0xFFFF}) {
        refused.push_back(pack_register_command(RegisterOpcode::read, unknown));
        refused.push_back(pack_register_command(RegisterOpcode::write, unknown));
    }
    refused.push_back(address(Reg::CONTROL));               // opcode 0
    refused.push_back(0x03000000u | address(Reg::CONTROL)); // unknown opcode
    refused.push_back(pack_register_command(RegisterOpcode::write, address(Reg::CONTROL)) | 0x00FF0000u); // reserved
    for (std::uint32_t word0 : refused) {
        INFO("word 0 = " << word0);
        const hls_station::RegisterReply reply = ls.execute(word0, 0xFFFFFFFFu);
        CHECK(reply.address == kRegisterErrorAddress);
        CHECK(reply.value == word0);
    }
    CHECK(snapshot() == before);
}

TEST_CASE("RTL: the setting follows the trigger pin after kBasisLatencyCycles, with the freshest bit",
          "[firmware][rtl]") {
    Lockstep ls;
    ls.write_register(Reg::CONTROL, kControlRun);
    ls.drain();

    // Drives one pin pattern, returns the cycle of the first setting strobe on the RTL's pins and
    // the setting then, measured from the cycle the trigger pin went high.
    struct Served {
        std::uint64_t latency_cycles = 0;
        bool setting = false;
    };
    auto trigger = [&](int ws_bit_same_cycle, int ws_bit_before) {
        hls_station::StationPins pins;
        if (ws_bit_before >= 0) {
            pins.ws_bit = ws_bit_before != 0;
            pins.ws_strobe = true;
            ls.step(pins);
            for (int i = 0; i < 5; ++i) ls.step({});
        }
        pins = {};
        pins.trigger = true;
        if (ws_bit_same_cycle >= 0) {
            pins.ws_bit = ws_bit_same_cycle != 0;
            pins.ws_strobe = true;
        }
        const std::uint64_t pin_cycle = ls.board().cycle();
        ls.step(pins);
        Served s;
        for (int i = 0; i < 40; ++i) {
            ls.step({});
            const CycleObservation& o = ls.board().last_cycle();
            if (o.setting_strobe && s.latency_cycles == 0) {
                s.latency_cycles = ls.board().cycle() - 1 - pin_cycle;
                s.setting = o.setting_out;
            }
        }
        return s;
    };
    const Served first = trigger(-1, 1);
    CHECK(first.latency_cycles == kBasisLatencyCycles);
    CHECK(first.setting == true);
    const Served second = trigger(-1, 0);
    CHECK(second.latency_cycles == kBasisLatencyCycles);
    CHECK(second.setting == false);
    const Served reused = trigger(-1, -1);
    CHECK(reused.latency_cycles == kBasisLatencyCycles);
    CHECK(reused.setting == false);
    const Served same_cycle = trigger(1, 0);
    CHECK(same_cycle.latency_cycles == kBasisLatencyCycles);
    CHECK(same_cycle.setting == true);
    ls.drain();
    REQUIRE(ls.records().size() == 4);
    CHECK_FALSE(ls.records()[0].has(kFlag_WS_REUSED));
    CHECK_FALSE(ls.records()[1].has(kFlag_WS_REUSED));
    CHECK(ls.records()[2].has(kFlag_WS_REUSED));
    CHECK_FALSE(ls.records()[3].has(kFlag_WS_REUSED));
    CHECK(ls.records()[3].setting == 1);
    CHECK(ls.read_register(address(Reg::BASIS_LATENCY_CYCLES)) == kBasisLatencyCycles);
}

TEST_CASE("RTL: lockstep holds with a USB clock slower or faster than the station clock", "[firmware][rtl]") {
    for (std::uint32_t usb_hz : {100'000'000u, 400'000'000u}) {
        LockstepConfig config;
        INFO("usb_clk " << usb_hz << " Hz, clk " << config.board.clock_hz << " Hz");
        config.board.usb_clock_hz = usb_hz;
        Lockstep ls(config);
        StimulusConfig sc;
        sc.readout_missing_probability = 0.1;
        sc.late_trigger_probability = 0.1;
        Stimulus stimulus(sc);
        ls.write_register(Reg::WINDOW_OPEN_CYCLES, sc.window_open_cycles);
        ls.write_register(Reg::CONTROL, kControlRun | kControlTestPattern);
        run(ls, stimulus, 20'000);
        ls.board().ft601().stall_tx(3000);
        run(ls, stimulus, 20'000);
        ls.write_register(Reg::CONTROL, 0);
        ls.drain();
        ls.check_all_registers();
        CHECK(ls.stats().records > 500);
        CHECK(ls.stats().test_pattern_frames > 0);
    }
}

TEST_CASE("RTL: 64-bit counters carry into _HI, _LO latches _HI, timestamps pass 2^32", "[firmware][rtl]") {
    constexpr std::uint64_t k2To32 = 1ull << 32;
    Lockstep ls;
    ls.write_register(Reg::CONTROL, kControlRun);
    ls.drain();
    ls.preset_counter(Reg::CYCLES_LO, k2To32 - 200);
    ls.preset_counter(Reg::TRIGGERS_LO, k2To32 - 2);
    StimulusConfig sc;
    sc.readout_missing_probability = 0.2;
    Stimulus stimulus(sc);
    run(ls, stimulus, 400); // the cycle counter passes 2^32 with trials going on
    ls.drain();

    const std::vector<TrialRecord>& records = ls.records();
    REQUIRE(records.size() >= 6);
    CHECK(records.front().t_trigger_cycles < k2To32);
    CHECK(records.back().t_trigger_cycles > k2To32);
    CHECK(ls.read_counter(Reg::TRIGGERS_LO) == k2To32 - 2 + stimulus.triggers_sent());

    // _LO latches _HI: the counter runs on between the two reads, the _HI half does not.
    const std::uint32_t low = ls.read_register(address(Reg::CYCLES_LO));
    run(ls, stimulus, 100);
    ls.drain();
    CHECK(ls.read_register(address(Reg::CYCLES_HI)) == 1);
    CHECK(low < 1000);
    ls.preset_counter(Reg::CYCLES_LO, 3 * k2To32 - 10);
    CHECK(ls.read_register(address(Reg::CYCLES_HI)) == 1); // still the latched half
    run(ls, stimulus, 50);
    ls.drain();
    CHECK(ls.read_counter(Reg::CYCLES_LO) > 3 * k2To32);
}
