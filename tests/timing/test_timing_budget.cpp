// The static budget: its worst case is the worst over every clock and weak-source phase (checked
// against a brute-force sweep of the phases), a comfortable lab passes, and shrinking the distance
// or slowing one stage crosses exactly the light cones it should.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "dira/station_timing.hpp"
#include "timing/timing_budget.hpp"
#include "timing_test_support.hpp"

using namespace dira;
using namespace dira::timing;

namespace {

LabDescription default_lab() { return load_lab(dira::test::default_lab_path()); }

// The first clock edge strictly after t (an edge at t itself is missed), edges at phase + n * period.
double first_edge_after(double t, double phase, double period) { return phase + (std::floor((t - phase) / period) + 1) * period; }

struct Sweep {
    double lead_max = -1e300, lead_min = 1e300;       // trigger pin - weak-source bit creation
    double latency_max = -1e300, latency_min = 1e300; // outcome latched - trigger pin
};

// Walks the clock edges of docs/station.md for many phases of the station clock and the weak
// source, with the trigger at the pin at time 0.
Sweep sweep_phases(const StationDescription& s) {
    const double P = s.fpga.clock_period_ps() / 1000.0;
    const auto& w = s.weak_source;
    const auto& q = s.qubit;
    const double d_in = s.fpga.input_delay_ns, d_out = s.fpga.output_delay_ns;
    const double chain = q.setting_to_pulse_ns + q.rotation_pulse_ns + q.readout_integration_ns + q.discrimination_ns + q.outcome_to_pin_ns;
    Sweep r;
    const int steps = 400;
    for (int i = 0; i < steps; ++i) {
        const double clock_phase = P * i / steps;
        const double sample = first_edge_after(d_in, clock_phase, P);
        const double setting_register = sample + kSyncStages * P;
        const double outcome_pin = setting_register + d_out + chain;
        const double latch = first_edge_after(outcome_pin + d_in, clock_phase, P) + kSyncStages * P;
        r.latency_max = std::max(r.latency_max, latch);
        r.latency_min = std::min(r.latency_min, latch);
        for (int j = 0; j < steps; ++j) {
            // Bits created at ws_phase + n * period; the chosen one is the last whose strobe reached
            // the first flop before the trigger's sampling edge.
            const double ws_phase = w.bit_period_ns * j / steps;
            const double strobe_delay = w.creation_to_pin_ns + w.strobe_after_bit_ns + d_in;
            const double n = std::ceil((sample - strobe_delay - ws_phase) / w.bit_period_ns) - 1;
            const double created = ws_phase + n * w.bit_period_ns;
            r.lead_max = std::max(r.lead_max, -created);
            r.lead_min = std::min(r.lead_min, -created);
        }
    }
    return r;
}

const MarginCheck& check_of(const TimingBudget& b, StationId setting_side, bool window_close) {
    for (const auto& c : b.checks)
        if (c.setting_side == setting_side && c.window_close == window_close) return c;
    FAIL("no such check");
    return b.checks.front();
}

} // namespace

TEST_CASE("a lab with a comfortable margin passes and reports it") {
    const TimingBudget b = compute_budget(default_lab());
    CHECK_FALSE(b.crossed());
    CHECK(b.min_margin_ns > 4.0);
    const std::string table = format_budget(b);
    CHECK(table.find("every trial is space-like separated") != std::string::npos);
    char margin[32];
    std::snprintf(margin, sizeof margin, "%.3f ns", b.min_margin_ns);
    CHECK(table.find(margin) != std::string::npos);
    const auto j = to_json(b);
    CHECK(j["light_cone_crossed"] == false);
    CHECK(j["min_margin_ns"].get<double>() == Approx(b.min_margin_ns));
}

TEST_CASE("the budget's worst case is the worst over all clock and weak-source phases") {
    LabDescription lab = default_lab();
    // Unequal stations, so that the two directions differ.
    lab.station(StationId::bob).qubit.readout_integration_ns = 22.3;
    lab.station(StationId::bob).trigger_cable_ns = 83.7;
    lab.station(StationId::alice).weak_source.bit_period_ns = 21.0;
    lab.station(StationId::alice).weak_source.strobe_high_ns = 10.0;
    validate(lab);
    const TimingBudget b = compute_budget(lab);
    const Sweep alice = sweep_phases(lab.station(StationId::alice));
    const Sweep bob = sweep_phases(lab.station(StationId::bob));
    const double offset = lab.station(StationId::bob).trigger_cable_ns - lab.station(StationId::alice).trigger_cable_ns;
    const double swept_delta_max = offset + bob.latency_max + alice.lead_max;
    const MarginCheck& c = check_of(b, StationId::alice, false);
    // The budget is never optimistic, and the sweep comes within its step of it.
    CHECK(c.delta_worst_ns >= swept_delta_max - 1e-9);
    CHECK(c.delta_worst_ns - swept_delta_max < 0.1);
    CHECK(b.stations[1].latency_worst_ns >= bob.latency_max - 1e-9);
    CHECK(b.stations[1].latency_worst_ns - bob.latency_max < 0.05);
    CHECK(b.stations[0].lead_worst_ns - alice.lead_max < 0.1);
    CHECK(b.stations[0].lead_best_ns <= alice.lead_min + 1e-9);
    CHECK(alice.lead_min - b.stations[0].lead_best_ns < 0.1);
}

TEST_CASE("the basis-selection stage is kBasisLatencyCycles clock periods") {
    for (const double hz : {250e6, 100e6, 48e6}) {
        LabDescription lab = default_lab();
        auto& fpga = lab.station(StationId::alice).fpga;
        fpga.clock_hz = static_cast<std::uint32_t>(hz);
        fpga.clock_ppm = 20.0;
        const double period_ps = 1e12 / (hz * (1 + 20e-6));
        CHECK(basis_selection_ps(fpga) == Approx(kBasisLatencyCycles * period_ps).epsilon(1e-12));
        const StationBudget s = station_budget(lab, StationId::alice);
        const auto row = std::find_if(s.measurement_stages.begin(), s.measurement_stages.end(),
                                      [](const Stage& st) { return st.label.find("basis selection") == 0; });
        REQUIRE(row != s.measurement_stages.end());
        CHECK(row->worst_ns == Approx(kBasisLatencyCycles * period_ps / 1000.0));
        CHECK(row->best_ns == Approx(kSyncStages * period_ps / 1000.0));
    }
}

TEST_CASE("shrinking the distance crosses the light cones at the predicted distance") {
    const LabDescription lab = default_lab();
    const TimingBudget b = compute_budget(lab);
    double delta_max = 0;
    for (const auto& c : b.checks) delta_max = std::max(delta_max, std::abs(c.delta_worst_ns));
    const double c_m_per_ns = kSpeedOfLight_m_per_s * 1e-9;

    LabDescription just_enough = lab;
    set_station_distance(just_enough, (delta_max + 0.01) * c_m_per_ns);
    CHECK_FALSE(compute_budget(just_enough).crossed());

    LabDescription too_close = lab;
    set_station_distance(too_close, (delta_max - 0.01) * c_m_per_ns);
    const TimingBudget crossed = compute_budget(too_close);
    CHECK(crossed.crossed());
    CHECK(crossed.min_margin_ns == Approx(-0.01).margin(1e-6));
    CHECK(format_budget(crossed).find("CROSSED") != std::string::npos);
    // Exactly the checks whose |delta| exceeds the new light travel time are crossed.
    for (const auto& c : crossed.checks) CHECK(c.crossed() == (std::abs(c.delta_worst_ns) >= crossed.light_ns));
}

TEST_CASE("slowing one station's readout crosses only the light cone of that outcome") {
    LabDescription lab = default_lab();
    const TimingBudget before = compute_budget(lab);
    const double slower_ns = check_of(before, StationId::alice, false).margin_worst_ns + 4.0;
    lab.station(StationId::bob).qubit.readout_integration_ns += slower_ns;
    lab.station(StationId::bob).fpga.window_close_cycles += static_cast<std::uint32_t>(std::ceil(slower_ns / 4.0));
    lab.station(StationId::alice).fpga.window_close_cycles = lab.station(StationId::bob).fpga.window_close_cycles;
    validate(lab);
    const TimingBudget after = compute_budget(lab);
    CHECK(after.crossed());
    CHECK(check_of(after, StationId::alice, false).crossed());      // Alice's setting vs Bob's (slower) outcome
    CHECK_FALSE(check_of(after, StationId::bob, false).crossed());  // Bob's setting vs Alice's outcome
    CHECK(check_of(after, StationId::alice, false).margin_worst_ns ==
          Approx(check_of(before, StationId::alice, false).margin_worst_ns - slower_ns).margin(4.01));
}
