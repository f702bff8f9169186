// The run over time, binned: what the report's charts show. Built while certification streams the
// records (ObservedSource sees every record it reads), so a report costs one pass over the run store
// and its memory does not grow with the run: at most kMaxBins bins, whatever the number of trials.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "certify/records.hpp"
#include "dira/register_map.hpp"

namespace dira::report {

// Enough points for a chart a person reads; an ETH-sized run (1.34e9 trials) has 6.7e6 trials a bin.
inline constexpr std::size_t kMaxBins = 200;
// And enough trials a bin for its rates to mean something (a win rate to about +-0.015).
inline constexpr std::uint64_t kMinBinTrials = 1000;

// One station's records in one bin (a record counts in the bin of its trial index).
struct StationBin {
    std::uint64_t records = 0;
    std::uint64_t fresh_settings = 0; // settings that were fresh weak-source bits (certify::kNotFreshSettingFlags clear)
    std::uint64_t fresh_ones = 0;     // ... equal to 1
    std::uint64_t health_rct = 0;     // records flagged HEALTH_RCT (the repetition-count alarm latched)
    std::uint64_t health_apt = 0;     // records flagged HEALTH_APT (the adaptive-proportion alarm latched)
    std::uint64_t health_alarm = 0;   // records flagged with either
    std::uint64_t late_triggers = 0;  // TRIGGER_LATE
    std::uint64_t missing_outcomes = 0; // OUTCOME_MISSING
    std::uint64_t reused_bits = 0;    // WS_REUSED
    std::uint64_t light_cone = 0;     // LIGHT_CONE
    std::uint64_t unpaired = 0;       // records whose trial the other station has no record of
};

// The trials of [first_trial, first_trial + trials) both stations recorded.
struct Bin {
    std::uint64_t first_trial = 0;
    std::uint64_t trials = 0;       // paired trials (both stations' records)
    std::uint64_t scored = 0;       // ... without a flag of certify::kUnscoredFlags at either station
    std::uint64_t scored_wins = 0;  // ... with a xor b = x.y: the certification statistic
    std::array<std::uint64_t, 4> pair_trials{}; // per setting pair, index 2x + y, recorded values
    std::array<std::uint64_t, 4> pair_wins{};
    std::array<StationBin, 2> stations{};       // index(StationId)
};

struct RunSeries {
    std::uint64_t first_trial = 0;
    std::uint64_t trials = 0;      // the run's planned trials
    std::uint64_t bin_trials = 1;  // trials a bin spans (the last bin may span fewer)
    std::vector<Bin> bins;
    std::uint64_t records_outside_run = 0; // records whose trial index lies outside the run (never binned)
};

// Records one station may run ahead of the other before the builder gives up pairing them (about
// 10 MB): certification reads both stations in step, except after a refusal, when it reads each
// to its end in turn to hash it. Then the report bins the run in a pass of its own (report.cpp).
inline constexpr std::size_t kMaxPendingRecords = std::size_t{1} << 18;

// Joins the two stations' records by trial index as they stream by, in any chunking, and bins them.
class SeriesBuilder {
public:
    SeriesBuilder(std::uint64_t first_trial, std::uint64_t trials, std::size_t max_bins = kMaxBins,
                  std::uint64_t min_bin_trials = kMinBinTrials);
    void add(StationId side, std::span<const TrialRecord> records);
    // The station's stream has ended (or failed): its partner's later records are unpaired at once,
    // so a station that stops early does not make the other's records wait in memory.
    void end(StationId side);
    // The records still waiting for a partner have none: they count as unpaired.
    void finish();
    const RunSeries& series() const { return series_; }
    // One station ran more than kMaxPendingRecords ahead: the builder dropped its state and ignores
    // further records; its series is incomplete and must not be used.
    bool overflowed() const { return overflowed_; }

private:
    Bin* bin_of(std::uint64_t trial);
    void count_station(StationId side, const TrialRecord& r, bool paired);
    void count_pair(const TrialRecord& alice, const TrialRecord& bob);
    void join();

    RunSeries series_;
    // A station's records not yet paired: pending_[side][head_[side]...]. Kept in a vector (appended
    // a chunk at a time, the consumed front dropped when it outweighs the rest): no allocation per record.
    std::array<std::vector<TrialRecord>, 2> pending_;
    std::array<std::size_t, 2> head_{};
    // The bin of the last record counted, so that most records find theirs without a division.
    Bin* current_bin_ = nullptr;
    std::uint64_t current_first_ = 0, current_end_ = 0;
    std::array<bool, 2> ended_{};
    bool overflowed_ = false;
};

// A record source that shows every record it delivers to a SeriesBuilder.
class ObservedSource : public certify::RecordSource {
public:
    ObservedSource(certify::RecordSource& inner, StationId side, SeriesBuilder& builder)
        : inner_(inner), side_(side), builder_(builder) {}
    std::size_t read(std::span<TrialRecord> out) override;
    std::optional<certify::InputFile> input_file() const override { return inner_.input_file(); }
    bool ended() const { return ended_; }
    const std::string& error() const { return error_; } // the inner source's error, if it threw

private:
    certify::RecordSource& inner_;
    StationId side_;
    SeriesBuilder& builder_;
    bool ended_ = false;   // the stream ended or threw: nothing more is read from it
    std::string error_;
};

// Certification stops reading at its first refusal; the charts want the whole run. Reads both
// sources on to their ends, a chunk of each in turn (so neither station's records pile up waiting
// for the other's), and finishes the builder.
void drain(ObservedSource& alice, ObservedSource& bob, SeriesBuilder& builder);

} // namespace dira::report
