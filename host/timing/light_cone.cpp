#include "timing/light_cone.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace dira::timing {

double light_cone_margin_ps(double light_ps, double setting_ps, double outcome_ps) {
    return light_ps - std::abs(outcome_ps - setting_ps);
}

bool TrialVerdict::space_like() const {
    const auto m = min_margin_ps();
    return !m || *m > 0;
}

std::optional<double> TrialVerdict::min_margin_ps() const {
    std::optional<double> m;
    for (const auto& v : margin_ps)
        if (v) m = m ? std::min(*m, *v) : *v;
    return m;
}

LightConeVerifier::LightConeVerifier(const LabDescription& lab) : light_ps_(light_travel_ps(station_distance_m(lab))) {}

TrialVerdict LightConeVerifier::check(const TrialEvents& e) {
    TrialVerdict v;
    v.trial = e.trial;
    for (auto side : kStations) {
        const StationTrialEvents& mine = e.stations[index(side)];
        const StationTrialEvents& other = e.stations[1 - index(side)];
        // A late trigger on either side leaves nothing random to protect: the late station's setting
        // is a fixed value and its outcome too.
        if (mine.setting_driven && other.setting_driven)
            v.margin_ps[index(side)] = light_cone_margin_ps(light_ps_, mine.ws_bit_created_ps, other.outcome_fixed_ps());
    }
    ++summary_.trials;
    const auto m = v.min_margin_ps();
    if (!m) {
        ++summary_.unchecked;
        return v;
    }
    if (*m <= 0) ++summary_.violations;
    if (summary_.margins_ps.empty() || *m < summary_.min_margin_ps) {
        summary_.min_margin_ps = *m;
        summary_.min_margin_trial = e.trial;
    }
    summary_.margins_ps.push_back(*m);
    return v;
}

void RecordAnnotator::on_verdict(const TrialVerdict& verdict) {
    flagged_by_trial_[verdict.trial] = !verdict.space_like();
    for (auto side : kStations) drain(side);
}

void RecordAnnotator::on_record(StationId side, const TrialRecord& record) {
    waiting_[index(side)].push_back(record);
    drain(side);
}

void RecordAnnotator::drain(StationId side) {
    auto& queue = waiting_[index(side)];
    auto& head = waiting_head_[index(side)];
    while (head < queue.size()) {
        TrialRecord r = queue[head];
        const auto verdict = flagged_by_trial_.find(r.trial_index);
        if (verdict == flagged_by_trial_.end()) break;
        if (verdict->second) {
            r.flags = static_cast<std::uint16_t>(r.flags | kFlag_LIGHT_CONE);
            ++flagged_records_;
        }
        sink_(side, r);
        next_trial_[index(side)] = r.trial_index + 1;
        ++head;
    }
    if (head == queue.size()) {
        queue.clear();
        head = 0;
    }
    // Verdicts both stations are past can go: a run of 10^9 trials must not keep them all.
    const std::uint64_t both_past = std::min(next_trial_[0], next_trial_[1]);
    flagged_by_trial_.erase(flagged_by_trial_.begin(), flagged_by_trial_.lower_bound(both_past));
}

void RecordAnnotator::finish() {
    for (auto side : kStations) {
        drain(side);
        const auto& queue = waiting_[index(side)];
        const auto head = waiting_head_[index(side)];
        if (head < queue.size())
            throw Error(ErrorKind::internal, std::string(station_name(side)) + "'s record of trial " +
                                                 std::to_string(queue[head].trial_index) +
                                                 " has no light-cone verdict: the lab model never completed that trial");
    }
}

} // namespace dira::timing
