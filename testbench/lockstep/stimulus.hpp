// Pin stimulus for one station in the lockstep tests: triggers at a period with jitter, extra
// triggers that arrive while a trial is open (late), a weak source that may be biased, stuck or
// silent, and readout strobes that react to the station's setting strobe: in the window, early,
// after the window, missing, or stray. Deterministic for a seed. It knows nothing of the station
// logic; it only makes the pins of a lab that misbehaves in every way the contract covers.
#pragma once

#include <cstdint>
#include <deque>
#include <random>

#include "station/station_types.hpp"

namespace dira::testbench {

struct StimulusConfig {
    std::uint64_t seed = 1;
    std::uint32_t trigger_period_cycles = 40;
    std::uint32_t trigger_jitter_cycles = 6;     // added uniformly, 0..jitter
    double late_trigger_probability = 0.0;       // a second trigger 3..16 cycles after a trigger
    std::uint32_t ws_period_cycles = 17;          // weak-source strobes, period...
    std::uint32_t ws_jitter_cycles = 8;           // ... plus 0..jitter
    double ws_one_probability = 0.5;              // 1.0 or 0.0: a stuck source
    bool ws_silent = false;                       // no weak-source strobes at all
    // The station's readout window (WINDOW_OPEN_CYCLES, WINDOW_CLOSE_CYCLES), to aim at it.
    std::uint32_t window_open_cycles = 6;
    std::uint32_t window_close_cycles = 24;
    double readout_missing_probability = 0.0;
    double readout_early_probability = 0.0; // before the window opens (needs window_open_cycles >= 3)
    double readout_late_probability = 0.0;  // after the window closed
    double stray_strobe_probability = 0.0;  // per cycle, a readout strobe out of the blue
};

class Stimulus {
public:
    explicit Stimulus(const StimulusConfig& config);

    // The pins for the next cycle. setting_strobe: the station's setting strobe during that cycle
    // (a register output, known before the cycle runs); the readout reacts to it.
    hls_station::StationPins next(bool setting_strobe);

    StimulusConfig& config() { return config_; }
    std::uint64_t cycle() const { return cycle_; }
    std::uint64_t triggers_sent() const { return triggers_sent_; }

private:
    struct Pulse {
        std::uint64_t start = 0; // first cycle high
        std::uint64_t end = 0;   // first cycle low again
        bool bit = false;        // the data pin level from start - 1 to end (inclusive)
    };
    static constexpr std::uint64_t kPulseCycles = 2;

    bool chance(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
    std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi) {
        return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng_);
    }
    void schedule_readout(std::uint64_t delay_cycles);
    static bool level(std::deque<Pulse>& pulses, std::uint64_t cycle, bool& data);

    StimulusConfig config_;
    std::mt19937_64 rng_;
    std::uint64_t cycle_ = 0;
    std::uint64_t next_trigger_ = 0;
    std::uint64_t next_ws_ = 0;
    std::deque<Pulse> triggers_, ws_, readouts_;
    bool ws_bit_ = false;
    bool readout_bit_ = false;
    std::uint64_t triggers_sent_ = 0;
};

} // namespace dira::testbench
