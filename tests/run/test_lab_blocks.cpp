// The lab model around two golden-model stations (hls_station::StationModel): the lab's timeline
// is what lab_model.hpp says, and the records do not depend on the lab's block length.
#include <catch2/catch.hpp>

#include <vector>

#include "core/error.hpp"
#include "lab/lab_model.hpp"
#include "station/station_model.hpp"

using namespace dira;
using namespace dira::lab;

namespace {

// Two StationModels configured over their register file, run in the lab in blocks of `block` cycles.
std::vector<std::vector<TrialRecord>> run_lab(unsigned block, std::uint64_t trials, const LabConfig& config) {
    LabModel lab(config);
    std::vector<hls_station::StationModel> stations{hls_station::StationModel({kDefaultClockHz, 0}),
                                                    hls_station::StationModel({kDefaultClockHz, 1})};
    auto write = [](Reg reg, std::uint32_t value) {
        return hls_station::RegisterCommand{pack_register_command(RegisterOpcode::write, address(reg)), value};
    };
    const std::vector<hls_station::RegisterCommand> setup = {write(Reg::WINDOW_CLOSE_CYCLES, 16),
                                                             write(Reg::TRIAL_LIMIT, static_cast<std::uint32_t>(trials)),
                                                             write(Reg::CONTROL, kControlRun)};
    std::vector<std::vector<TrialRecord>> records(2);
    std::vector<StationInputs> in_a(block), in_b(block);
    std::vector<StationOutputs> out_a(block), out_b(block);
    // The first trigger is on the pin in cycle 1 and seen in cycle 3, after the set-up (cycles 0-2).
    lab.start_triggers(trials);
    std::uint64_t cycle = 0;
    while (records[0].size() < trials || records[1].size() < trials) {
        REQUIRE(cycle < 100 * trials + 1000);
        lab.plan(in_a, in_b);
        for (unsigned j = 0; j < block; ++j, ++cycle) {
            const hls_station::RegisterCommand* cmd = cycle < setup.size() ? &setup[cycle] : nullptr;
            for (int s = 0; s < 2; ++s) {
                const StationInputs& in = s == 0 ? in_a[j] : in_b[j];
                const auto r = stations[s].step({in.trigger, in.ws_bit, in.ws_strobe, in.readout_valid, in.readout_bit},
                                                true, cmd);
                (s == 0 ? out_a : out_b)[j] = {r.setting_out, r.setting_strobe};
                if (r.record_valid) records[s].push_back(r.record);
            }
        }
        lab.absorb(out_a, out_b);
    }
    return records;
}

} // namespace

TEST_CASE("the lab's timeline: readout seen 10 cycles after the setting, inside the window") {
    const auto records = run_lab(1, 200, LabConfig{});
    for (const auto& station : records)
        for (const auto& r : station) {
            REQUIRE(r.flags == 0);
            REQUIRE(r.t_setting_cycles == r.t_trigger_cycles + 1);
            // readout pin rises readout_delay_cycles after the setting strobe; the synchroniser adds 2
            REQUIRE(r.t_outcome_cycles == r.t_setting_cycles + LabTiming{}.readout_delay_cycles + kSyncStages);
        }
    // Consecutive triggers are one trigger period apart.
    REQUIRE(records[0][1].t_trigger_cycles - records[0][0].t_trigger_cycles == LabTiming{}.trigger_period_cycles);
}

TEST_CASE("records do not depend on the lab's block length") {
    LabConfig config;
    config.faults.back_to_back_probability = 0.05;
    config.faults.late_readout_probability = 0.05;
    config.qubits.missing_probability = 0.05;
    LabModel probe(config);
    const auto one = run_lab(1, 2000, config);
    const auto blocks = run_lab(probe.max_block_cycles(), 2000, config);
    REQUIRE(one == blocks);
    std::uint64_t flagged = 0;
    for (const auto& r : one[0]) flagged += r.flags != 0;
    REQUIRE(flagged > 100); // the faults really happened
}

TEST_CASE("a block longer than the readout delay allows is refused") {
    LabModel lab{LabConfig{}};
    std::vector<StationInputs> a(lab.max_block_cycles() + 1), b(lab.max_block_cycles() + 1);
    REQUIRE_THROWS_AS(lab.plan(a, b), Error);
}

TEST_CASE("inconsistent lab timing is refused with a clear error") {
    LabConfig c;
    c.timing.trigger_period_cycles = 3;
    REQUIRE_THROWS_WITH(LabModel(c), Catch::Contains("trigger period"));
    c = {};
    c.timing.readout_delay_cycles = 1;
    REQUIRE_THROWS_WITH(LabModel(c), Catch::Contains("readout delay"));
    c = {};
    c.faults.late_readout_probability = 1.5;
    REQUIRE_THROWS_WITH(LabModel(c), Catch::Contains("late-readout"));
}
