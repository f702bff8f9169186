// Trial records shaped like a station's (steady trigger period, fixed basis latency, jittered
// readout, occasional late triggers and missing outcomes), for the store tests and benchmarks.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "dira/wire_format.hpp"

inline std::vector<dira::TrialRecord> realistic_records(std::size_t n, std::uint64_t seed = 1, std::uint64_t first_trial = 0,
                                                         double late_probability = 0.001, double missing_probability = 0.01) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<dira::TrialRecord> out(n);
    std::uint64_t t = 1'000'000 + 5000 * first_trial;
    for (std::size_t i = 0; i < n; ++i) {
        dira::TrialRecord& r = out[i];
        r.trial_index = first_trial + i;
        t += 5000 + (rng() % 3) - 1; // 50 kHz at 250 MHz, +-1 cycle of jitter
        r.t_trigger_cycles = t;
        if (u(rng) < late_probability) {
            r.flags = dira::kFlag_TRIGGER_LATE;
            continue;
        }
        r.setting = rng() & 1;
        r.t_setting_cycles = t + 1;
        if (u(rng) < missing_probability) {
            r.flags = dira::kFlag_OUTCOME_MISSING;
            continue;
        }
        r.outcome = rng() & 1;
        r.t_outcome_cycles = r.t_setting_cycles + 12 + rng() % 4;
    }
    return out;
}
