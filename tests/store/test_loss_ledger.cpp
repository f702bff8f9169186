// The loss ledger: causes from the link's fault reports, reconciliation with the firmware's
// counters (and a failed check whenever they disagree), certifiable spans, JSON round trip.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "store/loss_ledger.hpp"

using namespace dira;
using namespace dira::store;
using stream::FaultReport;
using stream::FrameFault;
using stream::RecordFault;
using stream::RecordFaultReport;

namespace {

constexpr auto kRecords = static_cast<std::uint8_t>(StreamId::records);

LedgerInput clean_run(std::uint64_t trials) {
    LedgerInput in;
    in.planned_trials = trials;
    in.records_stored = trials;
    in.firmware = FirmwareCounters{trials, trials, 0, 0};
    return in;
}

RecordFaultReport trial_gap(std::uint64_t expected, std::uint64_t got, std::uint32_t frame_sequence) {
    return {RecordFault::trial_gap, 1000, frame_sequence, expected, got};
}

FaultReport sequence_gap(std::uint32_t expected, std::uint32_t got) {
    FaultReport f{FrameFault::sequence_gap, 1000, kRecords};
    f.expected_sequence = expected;
    f.got_sequence = got;
    f.missing_frames = got - expected;
    return f;
}

const ReconciliationCheck& check(const LossLedger& l, const std::string& name) {
    for (const auto& c : l.checks)
        if (c.name == name) return c;
    FAIL("no check named " << name);
    throw 0;
}

} // namespace

TEST_CASE("a clean run is reconciled and certifiable end to end") {
    const auto l = build_ledger(clean_run(1000));
    REQUIRE(l.reconciled());
    REQUIRE(l.lost.empty());
    REQUIRE(l.certifiable == std::vector<stream::LostSpan>{{0, 1000}});
}

TEST_CASE("a trial gap without a frame gap is the firmware's overflow, and matches RECORDS_DROPPED") {
    auto in = clean_run(1000);
    in.records_stored = 995;
    in.lost = {{100, 5}};
    in.record_faults = {trial_gap(100, 105, 12)};
    in.firmware = FirmwareCounters{1000, 995, 5, 0};
    const auto l = build_ledger(in);
    REQUIRE(l.lost.size() == 1);
    REQUIRE(l.lost[0].cause == LossCause::firmware_overflow);
    REQUIRE(l.lost[0].first_trial == 100);
    REQUIRE(l.lost[0].count == 5);
    REQUIRE(l.reconciled());
    REQUIRE(l.certifiable == std::vector<stream::LostSpan>{{0, 100}, {105, 895}});
}

TEST_CASE("a trial gap behind a frame sequence gap is a link loss, with stream and sequence in the evidence") {
    auto in = clean_run(1000);
    in.records_stored = 992;
    in.lost = {{200, 8}};
    in.frame_faults = {sequence_gap(25, 26)};
    in.record_faults = {trial_gap(200, 208, 26)};
    in.firmware = FirmwareCounters{1000, 1000, 0, 0};
    const auto l = build_ledger(in);
    REQUIRE(l.lost[0].cause == LossCause::link);
    REQUIRE_THAT(l.lost[0].evidence, Catch::Contains("stream 1") && Catch::Contains("expected sequence 25"));
    REQUIRE(l.reconciled());
}

TEST_CASE("losses the counters do not explain fail reconciliation") {
    auto in = clean_run(1000);
    in.records_stored = 995;
    in.lost = {{100, 5}};
    in.record_faults = {trial_gap(100, 105, 12)};
    SECTION("overflow seen by the host, none counted by the firmware") {
        in.firmware = FirmwareCounters{1000, 1000, 0, 0};
        const auto l = build_ledger(in);
        REQUIRE_FALSE(l.reconciled());
        REQUIRE_FALSE(check(l, "overflow_matches_counter").ok);
    }
    SECTION("more records stored than the firmware committed") {
        in.records_stored = 1000;
        in.lost.clear();
        in.record_faults.clear();
        in.firmware = FirmwareCounters{1000, 990, 10, 0};
        const auto l = build_ledger(in);
        REQUIRE_FALSE(check(l, "no_invented_records").ok);
    }
    SECTION("counters not read back") {
        in.firmware.reset();
        REQUIRE_FALSE(build_ledger(in).reconciled());
    }
    SECTION("frames sent that neither arrived nor were seen missing") {
        in.firmware = FirmwareCounters{1000, 995, 5, 140};
        in.frames = FrameAccounting{138, 0};
        const auto l = build_ledger(in);
        REQUIRE_FALSE(check(l, "frames_match_counter").ok);
        in.frames = FrameAccounting{140, 0};
        REQUIRE(build_ledger(in).reconciled());
    }
}

TEST_CASE("trials missing at the end are an end-of-stream loss") {
    auto in = clean_run(1000);
    in.records_stored = 990;
    in.lost = {{990, 10}};
    in.firmware = FirmwareCounters{1000, 990, 10, 0};
    const auto l = build_ledger(in);
    REQUIRE(l.lost[0].cause == LossCause::end_of_stream);
    REQUIRE(l.reconciled());
    REQUIRE(l.certifiable == std::vector<stream::LostSpan>{{0, 990}});
    // The frame that carried them left no later frame to reveal its loss: FRAMES_SENT may exceed
    // what the host knows of, never fall short of it.
    in.firmware->frames_sent = 126;
    in.frames = FrameAccounting{125, 0};
    REQUIRE(check(build_ledger(in), "frames_match_counter").ok);
    in.frames = FrameAccounting{127, 0};
    REQUIRE_FALSE(check(build_ledger(in), "frames_match_counter").ok);
}

TEST_CASE("the ledger round-trips through JSON, and malformed JSON is a format error") {
    auto in = clean_run(1000);
    in.records_stored = 995;
    in.lost = {{100, 5}};
    in.record_faults = {trial_gap(100, 105, 12)};
    in.firmware = FirmwareCounters{1000, 995, 5, 0};
    const auto l = build_ledger(in);
    const auto back = LossLedger::from_json(nlohmann::json::parse(l.to_json().dump()));
    REQUIRE(back.lost == l.lost);
    REQUIRE(back.certifiable == l.certifiable);
    REQUIRE(back.reconciled() == l.reconciled());
    REQUIRE(back.link_events == l.link_events);

    auto bad = l.to_json();
    bad["lost"][0]["cause"] = "gremlins";
    REQUIRE_THROWS_AS(LossLedger::from_json(bad), Error);
    bad = l.to_json();
    bad.erase("certifiable");
    REQUIRE_THROWS_WITH(LossLedger::from_json(bad), Catch::Contains("certifiable"));
    bad = l.to_json();
    bad["reconciled"] = false;
    REQUIRE_THROWS_AS(LossLedger::from_json(bad), Error);
}

TEST_CASE("certifiable pairs are the spans where both stations have every trial") {
    LossLedger a, b;
    a.certifiable = {{0, 100}, {105, 895}};
    b.certifiable = {{0, 50}, {60, 940}};
    REQUIRE(certifiable_pairs(a, b) == std::vector<stream::LostSpan>{{0, 50}, {60, 40}, {105, 895}});
}
