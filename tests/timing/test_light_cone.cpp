// The light-cone verifier and the record annotation: margins from the events, the boundary, the
// cases with nothing to check, and records flagged exactly for the violating trials.
#include <catch2/catch.hpp>

#include <vector>

#include "core/error.hpp"
#include "timing/light_cone.hpp"
#include "timing_test_support.hpp"

using namespace dira;
using namespace dira::timing;

namespace {

LabDescription lab_at(double distance_m) {
    LabDescription lab = load_lab(dira::test::default_lab_path());
    set_station_distance(lab, distance_m);
    return lab;
}

// A trial whose settings are fixed at the given times and outcomes latched at the given times.
TrialEvents trial(std::uint64_t k, double setting_a_ps, double outcome_a_ps, double setting_b_ps, double outcome_b_ps) {
    TrialEvents e;
    e.trial = k;
    const double settings[2] = {setting_a_ps, setting_b_ps}, outcomes[2] = {outcome_a_ps, outcome_b_ps};
    for (int i = 0; i < 2; ++i) {
        e.stations[i].setting_driven = true;
        e.stations[i].ws_bit_created_ps = settings[i];
        e.stations[i].outcome_latched_ps = outcomes[i];
        e.stations[i].window_close_ps = outcomes[i] + 8000;
    }
    return e;
}

} // namespace

TEST_CASE("margins: light travel time minus the separation in time, both ways") {
    LightConeVerifier v(lab_at(30.0));
    const double light = light_travel_ps(30.0);
    const TrialVerdict r = v.check(trial(0, 1000, 70'000, 3000, 90'000));
    REQUIRE(r.margin_ps[0]);
    REQUIRE(r.margin_ps[1]);
    CHECK(*r.margin_ps[0] == Approx(light - (90'000 - 1000)));
    CHECK(*r.margin_ps[1] == Approx(light - (70'000 - 3000)));
    CHECK(*r.min_margin_ps() == Approx(light - 89'000));
    CHECK(r.space_like());
}

TEST_CASE("a trial on the light cone or beyond it is not space-like; one picosecond inside is") {
    const double light = light_travel_ps(30.0);
    LightConeVerifier v(lab_at(30.0));
    CHECK_FALSE(v.check(trial(0, 0, 1000, 0, light)).space_like());        // exactly light-like
    CHECK_FALSE(v.check(trial(1, 0, 1000, 0, light + 1)).space_like());    // 1 ps outside
    CHECK(v.check(trial(2, 0, 1000, 0, light - 1)).space_like());          // 1 ps inside
    CHECK_FALSE(v.check(trial(3, light + 20, 0, 5, 10)).space_like());     // setting after the outcome by more than light
    CHECK(v.summary().violations == 3);
    CHECK(v.summary().trials == 4);
    CHECK(v.summary().min_margin_ps == Approx(-10.0));
    CHECK(v.summary().margins_ps.size() == 4);
}

TEST_CASE("a missing outcome is fixed when its readout window closes") {
    LightConeVerifier v(lab_at(30.0));
    const double light = light_travel_ps(30.0);
    TrialEvents e = trial(0, 0, 50'000, 0, 50'000);
    e.stations[1].outcome_missing = true;
    e.stations[1].window_close_ps = light + 500; // the window closes after light from Alice's setting arrived
    const TrialVerdict r = v.check(e);
    CHECK(*r.margin_ps[0] == Approx(-500.0));
    CHECK_FALSE(r.space_like());
}

TEST_CASE("a late trigger leaves no random setting to check") {
    LightConeVerifier v(lab_at(30.0));
    TrialEvents e = trial(0, 0, 1e9, 0, 1e9); // would violate if checked
    e.stations[0].setting_driven = false;
    const TrialVerdict r = v.check(e);
    CHECK_FALSE(r.margin_ps[0]);
    CHECK_FALSE(r.margin_ps[1]);
    CHECK(r.space_like());
    CHECK(v.summary().unchecked == 1);
    CHECK(v.summary().margins_ps.empty());
}

TEST_CASE("the annotator flags exactly the violating trials' records, in order, once each") {
    std::vector<std::pair<StationId, TrialRecord>> written;
    RecordAnnotator a([&](StationId s, const TrialRecord& r) { written.emplace_back(s, r); });
    auto record = [](std::uint64_t k) {
        TrialRecord r;
        r.trial_index = k;
        r.flags = kFlag_WS_REUSED; // firmware flags are kept
        return r;
    };
    // Records may come before their verdicts; they wait.
    a.on_record(StationId::alice, record(0));
    a.on_record(StationId::alice, record(1));
    CHECK(written.empty());
    TrialVerdict ok{0, {1000.0, 2000.0}}, bad{1, {-1.0, 2000.0}}, ok2{2, {5.0, 6.0}};
    a.on_verdict(ok);
    REQUIRE(written.size() == 1);
    a.on_verdict(bad);
    a.on_record(StationId::bob, record(0));
    a.on_record(StationId::bob, record(1));
    a.on_verdict(ok2);
    a.on_record(StationId::bob, record(2));
    a.on_record(StationId::alice, record(2));
    a.finish();
    REQUIRE(written.size() == 6);
    for (const auto& [side, r] : written) {
        CHECK(r.has(kFlag_LIGHT_CONE) == (r.trial_index == 1));
        CHECK(r.has(kFlag_WS_REUSED));
    }
    CHECK(a.flagged_records() == 2);
}

TEST_CASE("a record whose trial never got a verdict is an error at the end") {
    RecordAnnotator a([](StationId, const TrialRecord&) {});
    TrialRecord r;
    r.trial_index = 7;
    a.on_record(StationId::bob, r);
    CHECK_THROWS_AS(a.finish(), Error);
}
