// The report's binned series against certification's own counts of the same records.
#include <catch2/catch.hpp>

#include "certify/certificate.hpp"
#include "certify/synthetic_run.hpp"
#include "core/error.hpp"
#include "report/series.hpp"

using namespace dira;
using namespace dira::report;
using certify::testing::ModelRecordSource;

namespace {

struct Totals {
    std::uint64_t trials = 0, scored_wins = 0, unscored = 0;
    std::array<std::uint64_t, 4> pair_trials{};
    std::array<std::uint64_t, 2> fresh{}, ones{}, late{}, unpaired{};
};

Totals totals(const RunSeries& s) {
    Totals t;
    for (const auto& b : s.bins) {
        t.trials += b.trials;
        t.scored_wins += b.scored_wins;
        t.unscored += b.trials - b.scored;
        for (unsigned p = 0; p < 4; ++p) t.pair_trials[p] += b.pair_trials[p];
        for (unsigned side = 0; side < 2; ++side) {
            t.fresh[side] += b.stations[side].fresh_settings;
            t.ones[side] += b.stations[side].fresh_ones;
            t.late[side] += b.stations[side].late_triggers;
            t.unpaired[side] += b.stations[side].unpaired;
        }
    }
    return t;
}

} // namespace

TEST_CASE("the bins add up to certification's counts of the same stream") {
    const std::uint64_t trials = 100003; // not a multiple of the bin width: a short last bin
    auto device = certify::testing::werner_device(7, 0.8, 0.5075, 0.4925);
    // Every 1000th trial late at Alice: unscored, its setting not fresh.
    certify::testing::TrialModel model = [device](std::uint64_t i) {
        auto t = device(i);
        if (i % 1000 == 0) t.alice_flags = kFlag_TRIGGER_LATE;
        return t;
    };
    ModelRecordSource alice_inner(model, trials, true), bob_inner(model, trials, false);
    SeriesBuilder builder(0, trials, 7, 1);
    ObservedSource alice(alice_inner, StationId::alice, builder), bob(bob_inner, StationId::bob, builder);
    const auto certificate = certify::certify_run(certify::testing::run_info(trials, 0.0075, 2.26), alice, bob);
    drain(alice, bob, builder);
    const RunSeries& s = builder.series();

    REQUIRE(s.bins.size() == 7);
    CHECK(s.bin_trials == (trials + 6) / 7);
    CHECK(s.bins.back().first_trial == 6 * s.bin_trials);
    const Totals t = totals(s);
    REQUIRE(certificate.counts_complete);
    CHECK(t.trials == certificate.counts.trials);
    CHECK(t.scored_wins == certificate.counts.scored_wins);
    CHECK(t.unscored == certificate.counts.unscored_trials);
    for (unsigned x = 0; x < 2; ++x)
        for (unsigned y = 0; y < 2; ++y) {
            std::uint64_t n = 0;
            for (unsigned a = 0; a < 2; ++a)
                for (unsigned b = 0; b < 2; ++b) n += certificate.counts.count(x, y, a, b);
            CHECK(t.pair_trials[2 * x + y] == n);
        }
    CHECK(t.fresh[0] == certificate.counts.source.alice.fresh_bits);
    CHECK(t.ones[0] == certificate.counts.source.alice.ones);
    CHECK(t.fresh[1] == certificate.counts.source.bob.fresh_bits);
    CHECK(t.ones[1] == certificate.counts.source.bob.ones);
    CHECK(t.late[0] == 101);
    CHECK(t.unpaired == std::array<std::uint64_t, 2>{0, 0});
}

TEST_CASE("records the other station lacks count as unpaired in any chunking") {
    using certify::testing::record;
    SeriesBuilder builder(0, 10, 5, 1);
    // Alice has trials 0..9 except 4; Bob has 0..9 except 7; they arrive in uneven chunks.
    std::vector<TrialRecord> alice, bob;
    for (std::uint64_t i = 0; i < 10; ++i) {
        if (i != 4) alice.push_back(record(i, 0, 0));
        if (i != 7) bob.push_back(record(i, 1, 1));
    }
    builder.add(StationId::alice, std::span(alice).first(2));
    builder.add(StationId::bob, std::span(bob).first(6));
    builder.add(StationId::alice, std::span(alice).subspan(2));
    builder.add(StationId::bob, std::span(bob).subspan(6));
    builder.finish();
    const auto& s = builder.series();
    REQUIRE(s.bins.size() == 5);
    CHECK(s.bins[2].trials == 1);                    // trials 4, 5: only 5 paired
    CHECK(s.bins[2].stations[1].unpaired == 1);      // Bob's 4
    CHECK(s.bins[3].trials == 1);                    // trials 6, 7: only 6 paired
    CHECK(s.bins[3].stations[0].unpaired == 1);      // Alice's 7
    std::uint64_t paired = 0;
    for (const auto& b : s.bins) paired += b.trials;
    CHECK(paired == 8);
}

TEST_CASE("a station that ends early does not keep the other's records waiting") {
    using certify::testing::record;
    SeriesBuilder builder(0, 1000);
    std::vector<TrialRecord> bob;
    for (std::uint64_t i = 0; i < 1000; ++i) bob.push_back(record(i, 0, 1));
    builder.end(StationId::alice);
    builder.add(StationId::bob, bob);
    std::uint64_t unpaired = 0;
    for (const auto& b : builder.series().bins) unpaired += b.stations[1].unpaired;
    CHECK(unpaired == 1000); // counted at once, not held until finish()
}

TEST_CASE("a station far ahead of the other makes the builder give up instead of growing") {
    using certify::testing::record;
    SeriesBuilder builder(0, kMaxPendingRecords + 10);
    std::vector<TrialRecord> alice;
    for (std::uint64_t i = 0; i < kMaxPendingRecords + 10; ++i) alice.push_back(record(i, 0, 0));
    builder.add(StationId::alice, std::span(alice).first(kMaxPendingRecords));
    CHECK_FALSE(builder.overflowed());
    builder.add(StationId::alice, std::span(alice).subspan(kMaxPendingRecords));
    CHECK(builder.overflowed());
}

TEST_CASE("records outside the run are counted apart and never binned") {
    using certify::testing::record;
    SeriesBuilder builder(100, 10);
    const std::vector<TrialRecord> records = {record(99, 0, 0), record(100, 0, 0), record(110, 0, 0)};
    builder.add(StationId::alice, records);
    builder.finish();
    CHECK(builder.series().records_outside_run == 2);
    CHECK(builder.series().bins[0].stations[0].records == 1);
}

TEST_CASE("a bin spans at least kMinBinTrials trials and there are at most kMaxBins") {
    CHECK(SeriesBuilder(0, 20000).series().bins.size() == 20000 / kMinBinTrials);
    CHECK(SeriesBuilder(0, 1342177280).series().bins.size() == kMaxBins);
    CHECK(SeriesBuilder(0, 10).series().bins.size() == 1);
    CHECK(SeriesBuilder(0, 0).series().bins.empty());
}

TEST_CASE("a series with no bins is refused") {
    CHECK_THROWS_AS(SeriesBuilder(0, 10, 0), dira::Error);
}
