#include "lab/lab_model.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "dira/station_timing.hpp"

namespace dira::lab {
namespace {

void require(bool ok, const std::string& message) {
    if (!ok) throw Error(ErrorKind::invalid_argument, message);
}

void validate(const LabConfig& c) {
    const LabTiming& t = c.timing;
    require(t.trigger_pulse_cycles >= 2, "trigger pulse must be at least 2 cycles (the synchroniser must see it)");
    require(t.trigger_period_cycles >= t.trigger_pulse_cycles + 2,
            "trigger period must exceed the trigger pulse by 2 cycles (the pin must be seen low between triggers)");
    require(t.readout_pulse_cycles >= 2, "readout pulse must be at least 2 cycles");
    require(t.readout_delay_cycles + kBasisLatencyCycles > LabModel::kResolveCycles,
            "readout delay must be at least " + std::to_string(LabModel::kResolveCycles - kBasisLatencyCycles + 1) +
                " cycles (the pair is measured " + std::to_string(LabModel::kResolveCycles) + " cycles after the trigger)");
    require(c.faults.back_to_back_probability >= 0 && c.faults.back_to_back_probability <= 1,
            "back-to-back trigger probability must be in [0, 1]");
    require(c.faults.late_readout_probability >= 0 && c.faults.late_readout_probability <= 1,
            "late-readout probability must be in [0, 1]");
    require(c.faults.back_to_back_gap_cycles >= t.trigger_pulse_cycles + 2,
            "back-to-back gap must exceed the trigger pulse by 2 cycles");
}

} // namespace

LabModel::LabModel(const LabConfig& config)
    : config_((validate(config), config)), pair_(config.qubits),
      sources_{WeakSourcePins(config.sources[0], config.timing.ws_bit_period_cycles),
               WeakSourcePins(config.sources[1], config.timing.ws_bit_period_cycles)},
      sequencer_rng_(config.sequencer_seed) {
    for (auto side : kStations) drive_readout(side);
}

void LabModel::start_triggers(std::uint64_t count) {
    triggers_left_ += count;
    next_trigger_cycle_ = cycle_ + 1;
}

void LabModel::end_cycle(const StationOutputs& alice, const StationOutputs& bob) {
    observe(StationId::alice, alice);
    observe(StationId::bob, bob);
    resolve_due_trials();
    ++cycle_;
    drive_trigger();
    for (auto side : kStations) {
        auto& src = sources_[index(side)];
        const auto before = src.bits_emitted();
        src.tick();
        stats_.ws_bits[index(side)] += src.bits_emitted() - before;
        inputs_[index(side)].ws_bit = src.bit();
        inputs_[index(side)].ws_strobe = src.strobe();
        drive_readout(side);
    }
}

// A setting strobe belongs to the latest trigger that came before it.
void LabModel::observe(StationId side, const StationOutputs& out) {
    if (!out.setting_strobe || pending_.empty()) return;
    PendingTrial& t = pending_.back();
    const std::size_t i = index(side);
    t.setting[i] = out.setting;
    t.strobe_cycle[i] = cycle_;
    const std::uint64_t latency = cycle_ - t.trigger_cycle;
    stats_.basis_latency_min_cycles[i] = std::min(stats_.basis_latency_min_cycles[i], latency);
    stats_.basis_latency_max_cycles[i] = std::max(stats_.basis_latency_max_cycles[i], latency);
}

void LabModel::resolve_due_trials() {
    while (!pending_.empty() && pending_.front().trigger_cycle + kResolveCycles <= cycle_) {
        const PendingTrial t = pending_.front();
        pending_.pop_front();
        const PairReadout r = pair_.measure(t.setting[0], t.setting[1]);
        const int measured = int{t.setting[0].has_value()} + int{t.setting[1].has_value()};
        (measured == 2 ? stats_.pairs_measured : measured == 1 ? stats_.single_measured : stats_.unmeasured)++;
        if (t.setting[0]) schedule_readout(StationId::alice, t.strobe_cycle[0], r.alice);
        if (t.setting[1]) schedule_readout(StationId::bob, t.strobe_cycle[1], r.bob);
    }
}

void LabModel::schedule_readout(StationId side, std::uint64_t strobe_cycle, const Readout& readout) {
    const std::size_t i = index(side);
    if (!readout.present) {
        ++stats_.readouts_withheld[i];
        return;
    }
    std::uint64_t rise = strobe_cycle + config_.timing.readout_delay_cycles;
    if (sequencer_rng_.bernoulli(config_.faults.late_readout_probability)) {
        rise += config_.faults.late_readout_extra_cycles;
        ++stats_.readouts_late[i];
    }
    // In time order: a late readout may fall after the next trial's readout.
    auto& queue = readouts_[i];
    auto at = std::upper_bound(queue.begin(), queue.end(), rise,
                               [](std::uint64_t c, const ReadoutEvent& e) { return c < e.rise_cycle; });
    queue.insert(at, {rise, readout.outcome});
    ++stats_.readouts_sent[i];
}

void LabModel::drive_trigger() {
    if (triggers_left_ > 0 && cycle_ == next_trigger_cycle_) {
        --triggers_left_;
        ++stats_.triggers;
        pending_.push_back({cycle_, {}, {}});
        trigger_high_until_ = cycle_ + config_.timing.trigger_pulse_cycles;
        const bool back_to_back = sequencer_rng_.bernoulli(config_.faults.back_to_back_probability);
        next_trigger_cycle_ =
            cycle_ + (back_to_back ? config_.faults.back_to_back_gap_cycles : config_.timing.trigger_period_cycles);
    }
    const bool high = cycle_ < trigger_high_until_;
    for (auto& in : inputs_) in.trigger = high;
}

// Readout pins: the outcome bit is set one cycle before the valid pulse and held through it.
void LabModel::drive_readout(StationId side) {
    auto& queue = readouts_[index(side)];
    const auto pulse = config_.timing.readout_pulse_cycles;
    while (!queue.empty() && queue.front().rise_cycle + pulse <= cycle_) queue.pop_front();
    StationInputs& in = inputs_[index(side)];
    in.readout_valid = false;
    if (queue.empty()) return;
    const ReadoutEvent& next = queue.front();
    if (cycle_ + 1 >= next.rise_cycle) in.readout_bit = next.outcome;
    in.readout_valid = cycle_ >= next.rise_cycle;
}

} // namespace dira::lab
