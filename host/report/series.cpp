#include "report/series.hpp"

#include <algorithm>

#include "certify/scoring.hpp"
#include "core/error.hpp"

namespace dira::report {

SeriesBuilder::SeriesBuilder(std::uint64_t first_trial, std::uint64_t trials, std::size_t max_bins, std::uint64_t min_bin_trials) {
    if (max_bins == 0) throw Error(ErrorKind::invalid_argument, "a series needs at least one bin");
    series_.first_trial = first_trial;
    series_.trials = trials;
    series_.bin_trials = std::max<std::uint64_t>({1, min_bin_trials, (trials + max_bins - 1) / max_bins});
    const std::uint64_t bins = trials == 0 ? 0 : (trials + series_.bin_trials - 1) / series_.bin_trials;
    series_.bins.resize(bins);
    for (std::uint64_t i = 0; i < bins; ++i) {
        Bin& b = series_.bins[i];
        b.first_trial = first_trial + i * series_.bin_trials;
    }
}

Bin* SeriesBuilder::bin_of(std::uint64_t trial) {
    if (current_bin_ && trial >= current_first_ && trial < current_end_) return current_bin_;
    if (trial < series_.first_trial || trial - series_.first_trial >= series_.trials) return nullptr;
    const std::uint64_t i = (trial - series_.first_trial) / series_.bin_trials;
    current_bin_ = &series_.bins[i];
    current_first_ = series_.first_trial + i * series_.bin_trials;
    current_end_ = current_first_ + std::min(series_.bin_trials, series_.trials - i * series_.bin_trials);
    return current_bin_;
}

void SeriesBuilder::count_station(StationId side, const TrialRecord& r, bool paired) {
    Bin* bin = bin_of(r.trial_index);
    if (!bin) {
        ++series_.records_outside_run;
        return;
    }
    StationBin& s = bin->stations[index(side)];
    ++s.records;
    if (!(r.flags & certify::kNotFreshSettingFlags)) {
        ++s.fresh_settings;
        s.fresh_ones += r.setting & 1u;
    }
    s.health_rct += r.has(kFlag_HEALTH_RCT);
    s.health_apt += r.has(kFlag_HEALTH_APT);
    s.health_alarm += (r.flags & certify::kHealthAlarmFlags) != 0;
    s.late_triggers += r.has(kFlag_TRIGGER_LATE);
    s.missing_outcomes += r.has(kFlag_OUTCOME_MISSING);
    s.reused_bits += r.has(kFlag_WS_REUSED);
    s.light_cone += r.has(kFlag_LIGHT_CONE);
    s.unpaired += !paired;
}

// The scoring rule is certification's (docs/certification.md section 2): a win is a xor b = x.y on
// the recorded values; a trial with a kUnscoredFlags flag at either station is scored as a loss.
void SeriesBuilder::count_pair(const TrialRecord& alice, const TrialRecord& bob) {
    count_station(StationId::alice, alice, true);
    count_station(StationId::bob, bob, true);
    Bin* bin = bin_of(alice.trial_index);
    if (!bin) return;
    const unsigned x = alice.setting & 1u, y = bob.setting & 1u;
    const bool win = ((alice.outcome ^ bob.outcome) & 1u) == (x & y);
    const bool scored = !((alice.flags | bob.flags) & certify::kUnscoredFlags);
    ++bin->trials;
    bin->scored += scored;
    bin->scored_wins += scored && win;
    ++bin->pair_trials[2 * x + y];
    bin->pair_wins[2 * x + y] += win;
}

// Records arrive in trial order per station (certification refuses anything else, and an unordered
// stream here only mispairs the charts of a run that is refused anyway).
void SeriesBuilder::join() {
    auto& a = pending_[0];
    auto& b = pending_[1];
    std::size_t& i = head_[0];
    std::size_t& j = head_[1];
    while (i < a.size() && j < b.size()) {
        if (a[i].trial_index == b[j].trial_index) {
            count_pair(a[i++], b[j++]);
        } else if (a[i].trial_index < b[j].trial_index) {
            count_station(StationId::alice, a[i++], false);
        } else {
            count_station(StationId::bob, b[j++], false);
        }
    }
    for (StationId side : kStations) {
        auto& queue = pending_[index(side)];
        std::size_t& head = head_[index(side)];
        const StationId other = side == StationId::alice ? StationId::bob : StationId::alice;
        if (ended_[index(other)])
            for (; head < queue.size(); ++head) count_station(side, queue[head], false);
        if (head == queue.size()) {
            queue.clear();
            head = 0;
        } else if (head > queue.size() / 2) {
            queue.erase(queue.begin(), queue.begin() + std::ptrdiff_t(head));
            head = 0;
        }
    }
}

void SeriesBuilder::add(StationId side, std::span<const TrialRecord> records) {
    if (overflowed_) return;
    auto& queue = pending_[index(side)];
    queue.insert(queue.end(), records.begin(), records.end());
    join();
    if (queue.size() - head_[index(side)] > kMaxPendingRecords) {
        overflowed_ = true;
        for (auto& q : pending_) std::vector<TrialRecord>().swap(q);
        head_ = {};
    }
}

void SeriesBuilder::end(StationId side) {
    ended_[index(side)] = true;
    if (!overflowed_) join();
}

void SeriesBuilder::finish() {
    end(StationId::alice);
    end(StationId::bob);
}

std::size_t ObservedSource::read(std::span<TrialRecord> out) {
    if (ended_) return 0;
    std::size_t got = 0;
    try {
        got = inner_.read(out);
    } catch (const std::exception& e) {
        ended_ = true;
        error_ = e.what();
        builder_.end(side_);
        throw;
    }
    if (got == 0) {
        ended_ = true;
        builder_.end(side_);
    } else {
        builder_.add(side_, out.first(got));
    }
    return got;
}

void drain(ObservedSource& alice, ObservedSource& bob, SeriesBuilder& builder) {
    std::vector<TrialRecord> chunk(1u << 16);
    while (!alice.ended() || !bob.ended()) {
        for (ObservedSource* source : {&alice, &bob}) {
            try {
                source->read(chunk);
            } catch (const std::exception&) {
                // ObservedSource kept the message and ended the stream; the report shows it.
            }
        }
    }
    builder.finish();
}

} // namespace dira::report
