// The EAT bound (docs section 4.3), pinned at the ETH parameters against an independent computation
// (tests/certify/reference_values.py: the tangent points found with mpmath's root finder on a
// numerically differentiated F, 40 digits).
#include <catch2/catch.hpp>

#include <cmath>

#include "certify/chsh_bounds.hpp"
#include "certify/entropy_accumulation.hpp"
#include "core/error.hpp"

using namespace dira::certify;
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
    // v = 2 (log2(1 + 2*4) + ceil F'(w_t)) sqrt(1 - 2 log2(eps_s eps_EA)) with ceil F' = 7:
    // 2 (3.169925 + 7) sqrt(1 - 2 log2(6.25e-26)) = 2 * 10.169925 * 12.979097 = 263.98943...
    CHECK(bound.beats_local_bound);
    CHECK(bound.slope_ceiling == 7);
    CHECK_THAT(bound.second_order_coefficient, WithinRel(263.98943032420600560, 1e-12));
    // The tangent point is the largest w with F'(w) <= 7 (F'(w_thr) = 7.18 > 7).
    CHECK_THAT(bound.tangent_win_probability, WithinRel(0.78038454236557295135, 1e-10));
    CHECK_THAT(bound.rate_at_threshold_bits, WithinRel(0.17209847397784518371, 1e-10));
    // n t - v sqrt(n) = 230986661.70 - 9671447.54:
    CHECK_THAT(bound.min_entropy_bits, WithinRel(221315214.15935931966, 1e-9));
    CHECK_THAT(bound.first_order_bits - bound.second_order_bits, WithinRel(bound.min_entropy_bits, 1e-15));
}

TEST_CASE("EAT bound: the chosen tangent point beats every other") {
    // The bound is n t(w_t) - v(ceil F'(w_t)) sqrt(n) for any w_t; recompute it on a grid of tangent
    // points and check that none does better than the exact choice.
    const EatInputs in = eth_inputs();
    const EatBound best = entropy_accumulation_bound(in);
    const double local = sv_local_win_probability(in.source_bias);
    const double w_thr = double(in.threshold_wins) / double(in.trials);
    const double n = double(in.trials);
    const double confidence = std::sqrt(1 - 2 * std::log2(in.smoothing_error * in.abort_error));
    for (int i = 1; i <= 500; ++i) {
        const double w_t = local + (w_thr - local) * i / 500.0;
        const double slope = sv_tradeoff_slope_bits(w_t, in.source_bias);
        const double t = sv_tradeoff_rate_bits(w_t, in.source_bias) + slope * (w_thr - w_t);
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
    // Per trial, the bound stays below F(w_thr) <= rate(S) for the device's S (docs 4.4).
    for (double w_thr : {0.77, 0.78, 0.80, 0.84}) {
        EatInputs in = eth_inputs();
        in.threshold_wins = std::uint64_t(w_thr * double(in.trials));
        const EatBound bound = entropy_accumulation_bound(in);
        CHECK(bound.min_entropy_bits / double(in.trials) <= sv_tradeoff_rate_bits(w_thr, in.source_bias));
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
