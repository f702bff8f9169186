#include "lab/lab_model.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "dira/station_timing.hpp"
#include "lab/random.hpp"

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
      trigger_rng_(derive_seed(config.sequencer_seed, 1)), readout_rng_(derive_seed(config.sequencer_seed, 2)) {}

// A readout is scheduled when its pair is resolved, kResolveCycles after the trigger, and rises
// readout_delay_cycles after the setting strobe (kBasisLatencyCycles after the trigger). Resolved in
// a block's first cycle at the latest, it must rise after the block's last: that bounds the block.
unsigned LabModel::max_block_cycles() const {
    return config_.timing.readout_delay_cycles + kBasisLatencyCycles - kResolveCycles;
}

void LabModel::start_triggers(std::uint64_t count) {
    triggers_left_ += count;
    next_trigger_cycle_ = planned_until_ + 1;
}

void LabModel::plan(std::span<StationInputs> alice, std::span<StationInputs> bob) {
    if (alice.size() != bob.size() || alice.size() > max_block_cycles() || planned_until_ != cycle_)
        throw Error(ErrorKind::internal, "LabModel::plan: blocks must alternate with absorb and fit max_block_cycles()");
    for (std::size_t j = 0; j < alice.size(); ++j) {
        const std::uint64_t c = cycle_ + j;
        const bool trigger = trigger_pin(c);
        alice[j] = station_pins(StationId::alice, c);
        bob[j] = station_pins(StationId::bob, c);
        alice[j].trigger = bob[j].trigger = trigger;
    }
    planned_until_ = cycle_ + alice.size();
}

void LabModel::absorb(std::span<const StationOutputs> alice, std::span<const StationOutputs> bob) {
    if (cycle_ + alice.size() != planned_until_ || alice.size() != bob.size())
        throw Error(ErrorKind::internal, "LabModel::absorb: outputs do not match the planned block");
    for (std::size_t j = 0; j < alice.size(); ++j) {
        const std::uint64_t c = cycle_ + j;
        observe(StationId::alice, c, alice[j]);
        observe(StationId::bob, c, bob[j]);
        resolve_due_trials(c);
    }
    cycle_ = planned_until_;
}

// A setting strobe belongs to the latest trigger that came before it.
void LabModel::observe(StationId side, std::uint64_t cycle, const StationOutputs& out) {
    if (!out.setting_strobe) return;
    auto t = std::find_if(pending_.rbegin(), pending_.rend(), [&](const PendingTrial& p) { return p.trigger_cycle < cycle; });
    if (t == pending_.rend()) return;
    const std::size_t i = index(side);
    t->setting[i] = out.setting;
    t->strobe_cycle[i] = cycle;
    const std::uint64_t latency = cycle - t->trigger_cycle;
    stats_.basis_latency_min_cycles[i] = std::min(stats_.basis_latency_min_cycles[i], latency);
    stats_.basis_latency_max_cycles[i] = std::max(stats_.basis_latency_max_cycles[i], latency);
}

void LabModel::resolve_due_trials(std::uint64_t cycle) {
    while (!pending_.empty() && pending_.front().trigger_cycle + kResolveCycles <= cycle) {
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
    if (readout_rng_.bernoulli(config_.faults.late_readout_probability)) {
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

bool LabModel::trigger_pin(std::uint64_t cycle) {
    if (triggers_left_ > 0 && cycle == next_trigger_cycle_) {
        --triggers_left_;
        ++stats_.triggers;
        pending_.push_back({cycle, {}, {}});
        trigger_high_until_ = cycle + config_.timing.trigger_pulse_cycles;
        const bool back_to_back = trigger_rng_.bernoulli(config_.faults.back_to_back_probability);
        next_trigger_cycle_ =
            cycle + (back_to_back ? config_.faults.back_to_back_gap_cycles : config_.timing.trigger_period_cycles);
    }
    return cycle < trigger_high_until_;
}

// Weak-source and readout pins of one station during `cycle`. The outcome bit is set one cycle
// before the valid pulse and held through it.
StationInputs LabModel::station_pins(StationId side, std::uint64_t cycle) {
    const std::size_t i = index(side);
    StationInputs in;
    auto& src = sources_[i];
    const auto before = src.bits_emitted();
    src.tick();
    stats_.ws_bits[i] += src.bits_emitted() - before;
    in.ws_bit = src.bit();
    in.ws_strobe = src.strobe();

    auto& queue = readouts_[i];
    const auto pulse = config_.timing.readout_pulse_cycles;
    while (!queue.empty() && queue.front().rise_cycle + pulse <= cycle) queue.pop_front();
    if (!queue.empty()) {
        const ReadoutEvent& next = queue.front();
        in.readout_bit = cycle + 1 >= next.rise_cycle && next.outcome;
        in.readout_valid = cycle >= next.rise_cycle;
    }
    return in;
}

} // namespace dira::lab
