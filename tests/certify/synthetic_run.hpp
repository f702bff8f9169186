// Synthetic two-station runs for the certification tests, generated trial by trial from a counter-based
// generator: Alice's and Bob's RecordSource each recompute trial i from (seed, i), so a run of 10^7
// trials streams through certification without ever being held in memory, and both stations agree.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "certify/records.hpp"

namespace dira::certify::testing {

// SplitMix64 (Steele, Lea, Flood 2014): a good 64-bit mix, used here as a hash of (seed, trial, draw).
inline std::uint64_t mix64(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// A uniform double in [0, 1) for draw number `draw` of trial `trial`.
inline double uniform(std::uint64_t seed, std::uint64_t trial, unsigned draw) {
    const std::uint64_t bits = mix64(mix64(seed ^ mix64(trial)) + draw);
    return double(bits >> 11) * 0x1.0p-53;
}

struct Trial {
    unsigned x = 0, y = 0, a = 0, b = 0;
    std::uint16_t alice_flags = 0, bob_flags = 0;
};

// A whole trial (settings from the source, outcomes from the device) as a function of its index.
using TrialModel = std::function<Trial(std::uint64_t trial)>;

// One station's view of a TrialModel.
class ModelRecordSource : public RecordSource {
public:
    ModelRecordSource(TrialModel model, std::uint64_t trials, bool alice) : model_(std::move(model)), trials_(trials), alice_(alice) {}
    std::size_t read(std::span<TrialRecord> out) override {
        std::size_t count = 0;
        for (; count < out.size() && next_ < trials_; ++count, ++next_) {
            const Trial t = model_(next_);
            TrialRecord r;
            r.trial_index = next_;
            r.t_trigger_cycles = 1000 * next_ + 10;
            r.t_setting_cycles = r.t_trigger_cycles + 1;
            r.t_outcome_cycles = r.t_trigger_cycles + 20;
            r.setting = std::uint8_t(alice_ ? t.x : t.y);
            r.outcome = std::uint8_t(alice_ ? t.a : t.b);
            r.flags = alice_ ? t.alice_flags : t.bob_flags;
            out[count] = r;
        }
        return count;
    }

private:
    TrialModel model_;
    std::uint64_t trials_, next_ = 0;
    bool alice_;
};

// Settings from an SV source whose bits are 1 with the given probabilities (each within 1/2 +- eps).
inline unsigned bernoulli(double u, double p_one) { return u < p_one ? 1u : 0u; }

// The honest device: the CHSH-optimal measurements on a Werner state of visibility V. Uniform
// marginals and P(a xor b = x y) = (1 + V / sqrt 2) / 2 for every setting pair (qubit_pair.hpp).
inline TrialModel werner_device(std::uint64_t seed, double visibility, double p_x_one, double p_y_one) {
    const double p_win = 0.5 * (1.0 + visibility / std::sqrt(2.0));
    return [=](std::uint64_t i) {
        Trial t;
        t.x = bernoulli(uniform(seed, i, 0), p_x_one);
        t.y = bernoulli(uniform(seed, i, 1), p_y_one);
        t.a = bernoulli(uniform(seed, i, 2), 0.5);
        const unsigned lose = uniform(seed, i, 3) < p_win ? 0u : 1u;
        t.b = t.a ^ (t.x & t.y) ^ lose;
        return t;
    };
}

// The local deterministic strategy that loses only on the setting pair (x0, y0): a = f(x), b = g(y)
// with f(x) xor g(y) = x y xor [x = x0 and y = y0]. Writing c = 1 - x0, d = 1 - y0:
// x y xor (x xor c)(y xor d) = x d xor c y xor c d, so f(x) = x d xor c d and g(y) = c y.
inline std::pair<unsigned, unsigned> local_strategy_losing_on(unsigned x0, unsigned y0, unsigned x, unsigned y) {
    const unsigned c = 1u - x0, d = 1u - y0;
    return {(x & d) ^ (c & d), c & y};
}

// The SV-local attack: per trial, the source puts the least weight the SV model allows, (1/2 - eps)^2,
// on one setting pair (chosen per trial by the adversary: `losing_pair(i)` in 0..3 = 2 x0 + y0), and
// the device plays the deterministic strategy that loses only there. Its win probability is exactly
// the SV-local bound 1 - (1/2 - eps)^2, in every trial. With `noise` > 0 the device outputs uniformly
// random bits in that fraction of trials: a win rate just below the bound.
inline TrialModel sv_local_attack(std::uint64_t seed, double eps, std::function<unsigned(std::uint64_t)> losing_pair,
                                  double noise = 0.0) {
    return [=](std::uint64_t i) {
        const unsigned pair = losing_pair(i), x0 = pair >> 1, y0 = pair & 1u;
        Trial t;
        // P(x = x0) = 1/2 - eps and P(y = y0 | x) = 1/2 - eps: weight (1/2 - eps)^2 on (x0, y0).
        t.x = uniform(seed, i, 0) < 0.5 - eps ? x0 : 1u - x0;
        t.y = uniform(seed, i, 1) < 0.5 - eps ? y0 : 1u - y0;
        std::tie(t.a, t.b) = local_strategy_losing_on(x0, y0, t.x, t.y);
        if (noise > 0.0 && uniform(seed, i, 2) < noise) {
            t.a = bernoulli(uniform(seed, i, 3), 0.5);
            t.b = bernoulli(uniform(seed, i, 4), 0.5);
        }
        return t;
    };
}

inline RunInfo run_info(std::uint64_t trials, double eps, std::optional<double> expected_chsh) {
    RunInfo info;
    info.run_id = info.alice_run_id = info.bob_run_id = "test-run";
    info.trials = trials;
    info.source_bias = eps;
    info.expected_chsh = expected_chsh;
    return info;
}

inline TrialRecord record(std::uint64_t index, unsigned setting, unsigned outcome, std::uint16_t flags = 0) {
    TrialRecord r;
    r.trial_index = index;
    r.t_trigger_cycles = 100 * index;
    r.setting = std::uint8_t(setting);
    r.outcome = std::uint8_t(outcome);
    r.flags = flags;
    return r;
}

} // namespace dira::certify::testing
