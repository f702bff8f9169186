#include "lockstep/stimulus.hpp"

#include <algorithm>

namespace dira::testbench {

namespace {
// A pin high during cycle p is seen by the station in cycle p + kSyncStages.
constexpr std::uint64_t kSeenAfterCycles = kSyncStages;
} // namespace

Stimulus::Stimulus(const StimulusConfig& config) : config_(config), rng_(config.seed) {
    next_trigger_ = config_.trigger_period_cycles;
    next_ws_ = 3;
}

void Stimulus::schedule_readout(std::uint64_t delay_cycles) {
    const std::uint64_t start = cycle_ + delay_cycles;
    readouts_.push_back({start, start + kPulseCycles, chance(0.5)});
    std::sort(readouts_.begin(), readouts_.end(), [](const Pulse& a, const Pulse& b) { return a.start < b.start; });
}

// Whether any pulse is high in `cycle`; data takes the bit of a pulse whose data window covers it.
// Pulses that are over are forgotten.
bool Stimulus::level(std::deque<Pulse>& pulses, std::uint64_t cycle, bool& data) {
    while (!pulses.empty() && pulses.front().end < cycle) pulses.pop_front();
    bool high = false;
    for (const Pulse& p : pulses) {
        if (p.start > cycle + 1) break;
        if (cycle + 1 >= p.start && cycle <= p.end) data = p.bit;
        if (cycle >= p.start && cycle < p.end) high = true;
    }
    return high;
}

hls_station::StationPins Stimulus::next(bool setting_strobe) {
    const StimulusConfig& c = config_;
    if (cycle_ == next_trigger_) {
        triggers_.push_back({cycle_, cycle_ + kPulseCycles, false});
        ++triggers_sent_;
        if (chance(c.late_trigger_probability)) {
            const std::uint64_t again = cycle_ + uniform(kPulseCycles + 1, 16);
            triggers_.push_back({again, again + kPulseCycles, false});
            ++triggers_sent_;
        }
        next_trigger_ = cycle_ + c.trigger_period_cycles + uniform(0, c.trigger_jitter_cycles);
    }
    if (cycle_ == next_ws_) {
        if (!c.ws_silent) ws_.push_back({cycle_ + 1, cycle_ + 1 + kPulseCycles, chance(c.ws_one_probability)});
        next_ws_ = cycle_ + std::max<std::uint64_t>(kPulseCycles + 2, c.ws_period_cycles + uniform(0, c.ws_jitter_cycles));
    }

    // The readout answers the setting strobe: age at detection = delay + kSeenAfterCycles.
    if (setting_strobe && !chance(c.readout_missing_probability)) {
        const std::uint64_t open = c.window_open_cycles, close = c.window_close_cycles;
        if (open >= kSeenAfterCycles + 1 && chance(c.readout_early_probability)) {
            schedule_readout(uniform(0, open - kSeenAfterCycles - 1));
        } else if (chance(c.readout_late_probability)) {
            schedule_readout(close - kSeenAfterCycles + uniform(1, 8));
        } else {
            schedule_readout(uniform(std::max<std::uint64_t>(1, open > kSeenAfterCycles ? open - kSeenAfterCycles : 0),
                                     close > kSeenAfterCycles ? close - kSeenAfterCycles : 1));
        }
    }
    if (chance(c.stray_strobe_probability)) schedule_readout(1);

    hls_station::StationPins pins;
    bool unused = false;
    pins.trigger = level(triggers_, cycle_, unused);
    pins.ws_strobe = level(ws_, cycle_, ws_bit_);
    pins.ws_bit = ws_bit_;
    pins.readout_valid = level(readouts_, cycle_, readout_bit_);
    pins.readout_bit = readout_bit_;
    ++cycle_;
    return pins;
}

} // namespace dira::testbench
