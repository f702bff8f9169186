#include "certify/scoring.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cmath>
#include <vector>

#include "core/error.hpp"

namespace dira::certify {
namespace {

// One station's stream, read a chunk at a time.
class ChunkedReader {
public:
    ChunkedReader(RecordSource& source, std::size_t chunk) : source_(source), buffer_(std::max<std::size_t>(chunk, 1)) {}

    // The next record, or nothing at the end of the stream.
    const TrialRecord* next() {
        if (position_ == filled_) {
            if (ended_) return nullptr;
            filled_ = source_.read(std::span<TrialRecord>(buffer_));
            position_ = 0;
            if (filled_ == 0) {
                ended_ = true;
                return nullptr;
            }
        }
        return &buffer_[position_++];
    }

private:
    RecordSource& source_;
    std::vector<TrialRecord> buffer_;
    std::size_t filled_ = 0, position_ = 0;
    bool ended_ = false;
};

std::string flag_names(std::uint16_t flags) {
    std::string names;
    for (const auto& info : kRecordFlagTable)
        if (flags & (1u << info.bit)) names += (names.empty() ? "" : "|") + std::string(info.name);
    return names;
}

std::string hex16(std::uint16_t value) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%04x", unsigned(value));
    return text;
}

Refusal refusal(RefusalReason reason, std::optional<std::uint64_t> trial, std::string message) {
    return Refusal{reason, trial, std::move(message)};
}

// A station's record must carry the expected trial index; anything else is a gap (the index jumps
// forward: the trials in between never arrived) or a duplicate (it repeats or goes back).
std::optional<Refusal> check_index(const char* station, const TrialRecord& record, std::uint64_t expected) {
    if (record.trial_index == expected) return std::nullopt;
    if (record.trial_index > expected)
        return refusal(RefusalReason::trial_gap, expected,
                       std::string(station) + "'s records skip from trial " + std::to_string(expected) + " to trial " +
                           std::to_string(record.trial_index) + ": records were lost, and a span with loss is never certified");
    return refusal(RefusalReason::duplicate_trial, record.trial_index,
                   std::string(station) + " has a second record for trial " + std::to_string(record.trial_index) +
                       " where trial " + std::to_string(expected) + " was expected: duplicated or reordered records are never certified");
}

std::optional<Refusal> check_flags(const char* station, const TrialRecord& record) {
    const std::uint16_t unknown = std::uint16_t(record.flags & ~known_flags_mask());
    if (unknown)
        return refusal(RefusalReason::unknown_flag, record.trial_index,
                       std::string(station) + "'s record of trial " + std::to_string(record.trial_index) +
                           " carries flag bits " + hex16(unknown) +
                           " this version of dira does not know how to score: update dira");
    if (record.flags & kFlag_LIGHT_CONE)
        return refusal(RefusalReason::light_cone_violation, record.trial_index,
                       "trial " + std::to_string(record.trial_index) + " at " + station +
                           " was not space-like separated from the other station's setting choice (LIGHT_CONE): the run's "
                           "timing does not close the locality loophole, and a device could have won it by signalling; fix the "
                           "stations' timing configuration and run again");
    if (record.flags & kHealthAlarmFlags)
        return refusal(RefusalReason::health_alarm, record.trial_index,
                       std::string(station) + "'s weak source failed its health test (" + flag_names(record.flags & kHealthAlarmFlags) +
                           ") at trial " + std::to_string(record.trial_index) +
                           ": the source is not trusted to be an eps-SV source for this run, also before the alarm; repair the source and run again");
    return std::nullopt;
}

void count_source_bit(StationSourceCounts& station, std::optional<unsigned>& previous_fresh, const TrialRecord& record) {
    if (record.flags & kNotFreshSettingFlags) return;
    ++station.fresh_bits;
    station.ones += record.setting;
    if (previous_fresh) {
        ++station.repeat_pairs;
        station.repeats += (*previous_fresh == record.setting);
    }
    previous_fresh = record.setting;
}

void count_flags(std::array<std::uint64_t, 16>& per_bit, std::uint16_t flags) {
    for (unsigned rest = flags; rest; rest &= rest - 1) ++per_bit[std::countr_zero(rest)];
}

ScoreResult with_refusal(ScoreResult result, Refusal refused) {
    result.refusal = std::move(refused);
    return result;
}

} // namespace

std::string_view to_string(RefusalReason reason) {
    switch (reason) {
    case RefusalReason::run_id_mismatch: return "run_id_mismatch";
    case RefusalReason::lost_trials: return "lost_trials";
    case RefusalReason::run_integrity: return "run_integrity";
    case RefusalReason::trial_gap: return "trial_gap";
    case RefusalReason::duplicate_trial: return "duplicate_trial";
    case RefusalReason::unpaired_trial: return "unpaired_trial";
    case RefusalReason::trial_count_mismatch: return "trial_count_mismatch";
    case RefusalReason::malformed_record: return "malformed_record";
    case RefusalReason::unknown_flag: return "unknown_flag";
    case RefusalReason::health_alarm: return "health_alarm";
    case RefusalReason::light_cone_violation: return "light_cone_violation";
    case RefusalReason::source_bias_exceeded: return "source_bias_exceeded";
    case RefusalReason::no_abort_rule: return "no_abort_rule";
    case RefusalReason::abort_threshold_not_met: return "abort_threshold_not_met";
    case RefusalReason::nothing_certified: return "nothing_certified";
    case RefusalReason::second_source_failed: return "second_source_failed";
    case RefusalReason::verification_failed: return "verification_failed";
    }
    return "?";
}

std::uint16_t known_flags_mask() {
    std::uint16_t mask = 0;
    for (const auto& info : kRecordFlagTable) mask |= std::uint16_t(1u << info.bit);
    return mask;
}

ScoreResult align_and_score(const RunInfo& run, RecordSource& alice, RecordSource& bob, const ScoreOptions& options) {
    ScoreResult result;
    TrialCounts& counts = result.counts;
    counts.first_trial = run.first_trial;
    if (run.alice_run_id != run.run_id || run.bob_run_id != run.run_id) {
        result.refusal = refusal(RefusalReason::run_id_mismatch, std::nullopt,
                                 "the stations' streams belong to runs '" + run.alice_run_id + "' (Alice) and '" + run.bob_run_id +
                                     "' (Bob), not to run '" + run.run_id + "': records of different runs are never joined");
        return result;
    }
    if (!run.integrity_problems.empty()) {
        std::string problems;
        for (const auto& problem : run.integrity_problems) problems += (problems.empty() ? "" : "; ") + problem;
        result.refusal = refusal(RefusalReason::run_integrity, std::nullopt,
                                 "the run's files are not intact: " + problems + ": a run with a damaged record is never certified");
        return result;
    }
    if (!run.lost_spans.empty()) {
        const auto first = std::min_element(run.lost_spans.begin(), run.lost_spans.end(),
                                            [](auto& l, auto& r) { return l.first_trial < r.first_trial; });
        std::uint64_t lost = 0;
        for (const auto& span : run.lost_spans) lost += span.count;
        result.refusal = refusal(RefusalReason::lost_trials, first->first_trial,
                                 std::to_string(lost) + " trials of this run were lost in transit, the first at trial " +
                                     std::to_string(first->first_trial) + ": a span with loss is never certified");
        return result;
    }

    ChunkedReader alice_reader(alice, options.chunk_records), bob_reader(bob, options.chunk_records);
    std::optional<unsigned> alice_previous, bob_previous;
    const std::uint64_t progress_every = std::max<std::uint64_t>(options.chunk_records, 1);
    for (std::uint64_t expected = run.first_trial;; ++expected) {
        const TrialRecord* a = alice_reader.next();
        const TrialRecord* b = bob_reader.next();
        if (!a && !b) break;
        if (!a || !b) {
            const TrialRecord* extra = a ? a : b;
            result.refusal = refusal(RefusalReason::unpaired_trial, extra->trial_index,
                                     std::string(a ? "Alice" : "Bob") + " has a record for trial " +
                                         std::to_string(extra->trial_index) + " and " + (a ? "Bob" : "Alice") +
                                         "'s records have ended: every trial needs both stations' records");
            return result;
        }
        if (auto refused = check_index("Alice", *a, expected)) return with_refusal(std::move(result), std::move(*refused));
        if (auto refused = check_index("Bob", *b, expected)) return with_refusal(std::move(result), std::move(*refused));
        if (auto refused = check_flags("Alice", *a)) return with_refusal(std::move(result), std::move(*refused));
        if (auto refused = check_flags("Bob", *b)) return with_refusal(std::move(result), std::move(*refused));
        if (counts.trials == run.trials) {
            result.refusal = refusal(RefusalReason::trial_count_mismatch, expected,
                                     "the records go on past the run's " + std::to_string(run.trials) +
                                         " trials: the run's files do not match its manifest");
            return result;
        }

        ++counts.trials;
        const unsigned x = a->setting & 1u, y = b->setting & 1u, oa = a->outcome & 1u, ob = b->outcome & 1u;
        ++counts.by_settings_and_outcomes[(x << 3) | (y << 2) | (oa << 1) | ob];
        const bool win = (oa ^ ob) == (x & y);
        counts.recorded_wins += win;
        const bool scored = ((a->flags | b->flags) & kUnscoredFlags) == 0;
        counts.unscored_trials += !scored;
        counts.scored_wins += scored && win;
        count_flags(counts.alice_flags, a->flags);
        count_flags(counts.bob_flags, b->flags);
        count_source_bit(counts.source.alice, alice_previous, *a);
        count_source_bit(counts.source.bob, bob_previous, *b);
        if (!(a->flags & kNotFreshSettingFlags) && !(b->flags & kNotFreshSettingFlags)) {
            ++counts.source.fresh_pairs;
            counts.source.equal_pairs += (x == y);
        }
        if (options.progress && counts.trials % progress_every == 0) options.progress(counts.trials);
    }
    if (counts.trials != run.trials) {
        result.refusal = refusal(RefusalReason::trial_count_mismatch, run.first_trial + counts.trials,
                                 "the records end after " + std::to_string(counts.trials) + " trials but the run has " +
                                     std::to_string(run.trials) + ": trials from " + std::to_string(run.first_trial + counts.trials) +
                                     " on are missing, and a span with loss is never certified");
    }
    if (options.progress) options.progress(counts.trials);
    return result;
}

ChshEstimate estimate_chsh(const TrialCounts& counts) {
    ChshEstimate estimate;
    if (counts.trials == 0) return estimate;
    const double n = double(counts.trials);
    const double w = double(counts.scored_wins) / n;
    estimate.scored_win_rate = w;
    estimate.scored_win_rate_stderr = std::sqrt(w * (1.0 - w) / n);
    estimate.chsh_from_wins = 8.0 * w - 4.0;
    estimate.chsh_from_wins_stderr = 8.0 * estimate.scored_win_rate_stderr;

    double chsh = 0, variance = 0;
    bool complete = true;
    for (unsigned x = 0; x < 2; ++x) {
        for (unsigned y = 0; y < 2; ++y) {
            const double same = double(counts.count(x, y, 0, 0) + counts.count(x, y, 1, 1));
            const double different = double(counts.count(x, y, 0, 1) + counts.count(x, y, 1, 0));
            const double pairs = same + different;
            if (pairs == 0) {
                complete = false;
                continue;
            }
            const double correlator = (same - different) / pairs;
            estimate.correlators[2 * x + y] = correlator;
            chsh += (x & y) ? -correlator : correlator;
            variance += (1.0 - correlator * correlator) / pairs;
        }
    }
    if (complete) {
        estimate.chsh_from_correlators = chsh;
        estimate.chsh_from_correlators_stderr = std::sqrt(variance);
    }
    return estimate;
}

} // namespace dira::certify
