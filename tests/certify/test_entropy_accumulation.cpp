// The EAT bound (docs section 4.3), pinned at the ETH parameters against an independent computation
// (tests/certify/reference_values.py: the tangent points found with mpmath's root finder on a
// numerically differentiated F, 40 digits).
#include <catch2/catch.hpp>

#include <cmath>

#include "certify/chsh_bounds.hpp"
#include "certify/entropy_accumulation.hpp"
#include "certify/quantum_tradeoff.hpp"
#include "core/error.hpp"

using namespace dira::certify;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

EatInputs eth_inputs() {
    EatInputs in;
    in.trials = 1342177280;
    in.threshold_wins = 1052027535; // the abort rule for S = 2.271, completeness 1e-6 (test_plan)
    in.source_bias = 0.0075;
    in.smoothing_error = 2.5e-13;   // a quarter of the soundness budget 1e-12 each
    in.abort_error = 2.5e-13;
    return in;
}

} // namespace

TEST_CASE("EAT bound at the ETH parameters") {
    const EatBound bound = entropy_accumulation_bound(eth_inputs());
    // The best certified line has slope b = 7.3815 (ceil 8): v = 2 (log2(1 + 2*4) + 8) sqrt(1 - 2
    // log2(eps_s eps_EA)) = 2 * 11.169925 * 12.979097 = 289.94728... (exact: only the ceiling enters).
    CHECK(bound.beats_local_bound);
    CHECK(bound.slope_ceiling == 8);
    CHECK_THAT(bound.second_order_coefficient, WithinRel(2 * (std::log2(9.0) + 8) * std::sqrt(1 - 2 * std::log2(6.25e-26)), 1e-14));
    CHECK_THAT(bound.tradeoff_slope_bits, WithinAbs(7.3815, 1e-3));
    // t = a + b w_thr, the certified line at the threshold; it lies below the asymptotic certified rate
    // there, 0.176403 (reference_values.py: g(S_min(w)) with the quantum set, 0.17640 at w = 0.783822).
    CHECK_THAT(bound.rate_at_threshold_bits, WithinAbs(0.1764, 1e-4));
    CHECK(bound.rate_at_threshold_bits <= sv_certified_rate_bits(bound.threshold_win_probability, 0.0075) + 1e-12);
    CHECK_THAT(bound.rate_at_threshold_bits,
               WithinRel(bound.tradeoff_intercept_bits + bound.tradeoff_slope_bits * bound.threshold_win_probability, 1e-15));
    // n t - v sqrt(n) (regression value; the terms above pin its parts):
    CHECK_THAT(bound.min_entropy_bits, WithinRel(226137019.486, 1e-9));
    CHECK_THAT(bound.first_order_bits - bound.second_order_bits, WithinRel(bound.min_entropy_bits, 1e-15));
    // It beats the relaxed tradeoff F's best tangent, 221,315,214 bits (docs section 9).
    CHECK(bound.min_entropy_bits > 221315214.16);
}

TEST_CASE("EAT bound: the chosen line beats every other") {
    // The bound is n (a(b) + b w_thr) - v(ceil b) sqrt(n) for any slope b; recompute it on a grid of
    // slopes and check that none does better than the exact choice.
    const EatInputs in = eth_inputs();
    const EatBound best = entropy_accumulation_bound(in);
    const double w_thr = double(in.threshold_wins) / double(in.trials);
    const double n = double(in.trials);
    const double confidence = std::sqrt(1 - 2 * std::log2(in.smoothing_error * in.abort_error));
    for (int i = 1; i <= 400; ++i) {
        const double slope = 12.0 * i / 400.0;
        const double t = certified_intercept_bits(slope, in.source_bias) + slope * w_thr;
        const double v = 2 * (std::log2(9.0) + std::ceil(slope)) * confidence;
        CHECK(n * t - v * std::sqrt(n) <= best.min_entropy_bits * (1 + 1e-12));
    }
}

TEST_CASE("EAT bound is zero at or below the SV-local bound") {
    EatInputs in = eth_inputs();
    in.threshold_wins = std::uint64_t(std::floor(double(in.trials) * sv_local_win_probability(in.source_bias)));
    const EatBound at_local = entropy_accumulation_bound(in);
    CHECK_FALSE(at_local.beats_local_bound);
    CHECK(at_local.min_entropy_bits == 0.0);
    in.threshold_wins = in.trials / 2;
    CHECK(entropy_accumulation_bound(in).min_entropy_bits == 0.0);
    // Just above the local bound the first-order term is positive but the second-order term wins.
    in.threshold_wins = std::uint64_t(std::ceil(double(in.trials) * sv_local_win_probability(in.source_bias))) + 1000;
    const EatBound just_above = entropy_accumulation_bound(in);
    CHECK(just_above.beats_local_bound);
    CHECK(just_above.first_order_bits > 0.0);
    CHECK(just_above.min_entropy_bits == 0.0);
}

TEST_CASE("EAT bound never exceeds the asymptotic rate") {
    // Per trial, the bound stays below the certified rate at w_thr <= rate(S) for S = 8 w_thr - 4 (docs 4.4).
    for (double w_thr : {0.77, 0.78, 0.80, 0.84}) {
        EatInputs in = eth_inputs();
        in.threshold_wins = std::uint64_t(w_thr * double(in.trials));
        const EatBound bound = entropy_accumulation_bound(in);
        CHECK(bound.min_entropy_bits / double(in.trials) <= sv_certified_rate_bits(w_thr, in.source_bias));
        CHECK(bound.min_entropy_bits / double(in.trials) <= chsh_single_party_rate_bits(chsh_from_win_probability(w_thr)));
    }
}

TEST_CASE("EAT bound rejects impossible inputs") {
    EatInputs in = eth_inputs();
    in.trials = 0;
    CHECK_THROWS_AS(entropy_accumulation_bound(in), dira::Error);
    in = eth_inputs();
    in.threshold_wins = in.trials + 1;
    CHECK_THROWS_AS(entropy_accumulation_bound(in), dira::Error);
    in = eth_inputs();
    in.smoothing_error = 0;
    CHECK_THROWS_AS(entropy_accumulation_bound(in), dira::Error);
    in = eth_inputs();
    in.source_bias = 0.5;
    CHECK_THROWS_AS(entropy_accumulation_bound(in), dira::Error);
}
