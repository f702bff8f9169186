// Planning (docs sections 5-7): the ETH figure, bad parameters, monotonicity, the asymptotic ceiling.
// Pinned numbers are cross-checked by tests/certify/reference_values.py and an exact recomputation
// of the abort threshold, EAT bound and extractor length in 40-digit arithmetic.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "certify/binomial.hpp"
#include "certify/chsh_bounds.hpp"
#include "certify/json_number.hpp"
#include "certify/plan.hpp"
#include "core/error.hpp"

using namespace dira::certify;
using Catch::Matchers::WithinRel;

namespace {

PlanParameters eth_parameters() {
    PlanParameters p;
    p.expected_chsh = 2.271;
    p.source_bias = 0.0075;
    p.trials = 1342177280;
    p.soundness_error = 1e-12;
    p.extractor = ExtractorKind::dodis;
    p.model = SecurityModel::markov;
    return p;
}

// The simulator's default qubit model: a Werner state with V = 0.8026, S = 2 sqrt(2) V.
const double kSimulatedChsh = 2.0 * std::sqrt(2.0) * 0.8026;

// Checks that each plan it is given certifies at least as much as the one before.
class NeverFewer {
public:
    void next(const Plan& plan) {
        CHECK(plan.length.entropy.min_entropy_bits >= entropy_);
        CHECK(plan.length.extractor.output_bits >= output_);
        entropy_ = plan.length.entropy.min_entropy_bits;
        output_ = plan.length.extractor.output_bits;
    }
    std::uint64_t last_output() const { return output_; }

private:
    double entropy_ = 0;
    std::uint64_t output_ = 0;
};

void check_invalid(const PlanParameters& p) {
    try {
        make_plan(p);
        FAIL("make_plan accepted impossible parameters");
    } catch (const dira::Error& e) {
        CHECK(e.kind() == dira::ErrorKind::invalid_argument);
    }
}

} // namespace

TEST_CASE("plan at the ETH parameters certifies a positive output") {
    const Plan plan = make_plan(eth_parameters());
    CHECK_THAT(plan.local_bound_chsh, WithinRel(2.05955, 1e-14));
    // Abort rule: the largest threshold an honest S = 2.271 device misses with probability <= 1e-6
    // (exact tail in 40 digits: P[X <= 1052027534] = 9.998e-7, P[X <= 1052027535] = 1.00014e-6).
    CHECK(plan.abort_rule.threshold_wins == 1052027535);
    CHECK_THAT(*plan.abort_rule.completeness_error, WithinRel(9.9981626516366372e-07, 1e-7));
    CHECK(plan.budget.abort_event + 2 * plan.budget.smoothing + plan.budget.extractor == 1e-12);
    CHECK_THAT(plan.length.entropy.min_entropy_bits, WithinRel(226137019.486, 1e-9)); // test_entropy_accumulation pins its parts
    CHECK(plan.length.extractor.output_bits == 33695496);
    CHECK_THAT(plan.asymptotic_rate_bits, WithinRel(0.22018201709003770017, 1e-13));

    const nlohmann::json json = plan_to_json(plan);
    for (const char* key : {"local_bound_chsh", "abort_threshold_wins", "min_entropy_bits", "output_bits"}) CHECK(json.contains(key));
    CHECK(json["output_bits"] == 33695496);
    CHECK(serialize_report(json) == serialize_report(plan_to_json(make_plan(eth_parameters()))));
}

TEST_CASE("plan refuses impossible parameters with invalid_argument") {
    PlanParameters p = eth_parameters();
    p.expected_chsh = 2.05; // below the SV-local bound 2.05955 for eps = 0.0075 (but above 2)
    check_invalid(p);
    p.expected_chsh = sv_local_chsh(0.0075); // at the bound
    check_invalid(p);
    p = eth_parameters();
    p.source_bias = 0.5;
    check_invalid(p);
    p.source_bias = -0.1;
    check_invalid(p);
    p = eth_parameters();
    p.trials = 0;
    check_invalid(p);
    p = eth_parameters();
    p.expected_chsh = 2.9; // beyond Tsirelson
    check_invalid(p);
    p.expected_chsh = std::nan("");
    CHECK_THROWS_WITH(make_plan(p), Catch::Contains("finite"));
    p = eth_parameters();
    p.source_bias = std::nan("");
    check_invalid(p);
    p = eth_parameters();
    p.soundness_error = 0;
    check_invalid(p);
    p = eth_parameters();
    p.soundness_error = 1.5;
    check_invalid(p);
}

TEST_CASE("trials needed for the simulator's default model") {
    // S = 2 sqrt(2) 0.8026 = 2.2700956, eps = 0.0075, soundness 1e-12, dodis, Markov (regression values of
    // the certified lines; the abort threshold and extractor formulas are pinned independently).
    PlanParameters p = eth_parameters();
    p.expected_chsh = kSimulatedChsh;
    const std::uint64_t trials = trials_for_output_bits(p, 1);
    CHECK(trials == 4447265);
    p.trials = trials;
    CHECK(make_plan(p).length.extractor.output_bits >= 1);
    p.trials = trials - 1;
    CHECK(make_plan(p).length.extractor.output_bits == 0);
    // At 10^7 trials (the README's figure): threshold 7831429, 869021.14 bits of min-entropy, 87818 bits.
    p.trials = 10000000;
    const Plan plan = make_plan(p);
    CHECK(plan.abort_rule.threshold_wins == 7831429);
    CHECK_THAT(plan.length.entropy.min_entropy_bits, WithinRel(869021.1401957489, 1e-9));
    CHECK(plan.length.extractor.output_bits == 87818);
}

TEST_CASE("a target no number of trials reaches is an invalid argument") {
    PlanParameters p = eth_parameters();
    p.expected_chsh = 2.1; // F(w) = 0.031 per trial, below the second source's cost of 0.043 per trial
    try {
        trials_for_output_bits(p, 10);
        FAIL("an unreachable target was accepted");
    } catch (const dira::Error& e) {
        CHECK(e.kind() == dira::ErrorKind::invalid_argument);
    }
}

TEST_CASE("more trials never certify fewer bits") {
    // On a grid of +5% steps. At single-trial steps the integer abort threshold and the extractor's
    // prime block length make the figures zig-zag by a few bits (docs 6.3); that is checked below.
    PlanParameters p = eth_parameters();
    p.expected_chsh = kSimulatedChsh;
    NeverFewer bits;
    for (double trials = 4e6; trials < 3e9; trials *= 1.05) {
        p.trials = std::uint64_t(trials);
        bits.next(make_plan(p));
    }
    CHECK(bits.last_output() > 0);
}

TEST_CASE("at single-trial steps the output moves by at most a few bits") {
    PlanParameters p = eth_parameters();
    p.expected_chsh = kSimulatedChsh;
    p.trials = 10000000;
    const std::uint64_t start = make_plan(p).length.extractor.output_bits;
    for (std::uint64_t extra = 1; extra <= 200; ++extra) {
        p.trials = 10000000 + extra;
        const std::uint64_t output = make_plan(p).length.extractor.output_bits;
        CHECK(output + 3 >= start);
    }
}

TEST_CASE("a higher S never certifies fewer bits") {
    PlanParameters p = eth_parameters();
    p.trials = 20000000;
    NeverFewer bits;
    for (double chsh = 2.06; chsh <= 2.82; chsh += 0.01) {
        p.expected_chsh = chsh;
        bits.next(make_plan(p));
    }
    CHECK(bits.last_output() > 0);
}

TEST_CASE("a less biased source never certifies fewer bits") {
    for (auto model : {SecurityModel::markov, SecurityModel::classical}) {
        PlanParameters p = eth_parameters();
        p.trials = 20000000;
        p.model = model;
        NeverFewer bits;
        for (double eps : {0.03, 0.02, 0.015, 0.01, 0.0075, 0.005, 0.0025, 0.001, 0.0}) {
            p.source_bias = eps;
            bits.next(make_plan(p));
        }
        CHECK(bits.last_output() > 0);
    }
}

TEST_CASE("the certified rate never exceeds the asymptotic single-party rate") {
    // Per trial, both the min-entropy and the output stay below 1 - h(1/2 + 1/2 sqrt(S^2/4 - 1)),
    // which bounds one party's outcome; per extracted party (two per trial) they stay below half of it.
    for (double chsh : {2.1, 2.2, 2.271, 2.4, 2.6, 2.8}) {
        for (double eps : {0.0, 0.0075, 0.02}) {
            for (double trials : {1e6, 1e8, 1e10}) {
                PlanParameters p = eth_parameters();
                p.expected_chsh = chsh;
                p.source_bias = eps;
                p.trials = std::uint64_t(trials);
                p.model = SecurityModel::classical;
                if (chsh <= sv_local_chsh(eps)) continue;
                const Plan plan = make_plan(p);
                const double rate = chsh_single_party_rate_bits(chsh);
                CHECK(plan.length.entropy.min_entropy_bits / trials <= rate);
                CHECK(double(plan.length.extractor.output_bits) / trials <= rate);
                CHECK(double(plan.length.extractor.output_bits) / (2 * trials) <= rate / 2);
            }
        }
    }
}

TEST_CASE("every extractor and model plans the ETH run with a positive output") {
    for (auto kind : {ExtractorKind::dodis, ExtractorKind::circulant, ExtractorKind::toeplitz})
        for (auto model : {SecurityModel::markov, SecurityModel::classical}) {
            PlanParameters p = eth_parameters();
            p.extractor = kind;
            p.model = model;
            const Plan plan = make_plan(p);
            CHECK(plan.length.extractor.output_bits > 0);
            // Classical is never below Markov: the Markov model pays for quantum side information.
            if (model == SecurityModel::markov) {
                p.model = SecurityModel::classical;
                CHECK(make_plan(p).length.extractor.output_bits >= plan.length.extractor.output_bits);
            }
        }
}

namespace {

std::string invalid_message(const PlanParameters& p) {
    try {
        make_plan(p);
    } catch (const dira::Error& e) {
        CHECK(e.kind() == dira::ErrorKind::invalid_argument);
        return e.what();
    }
    FAIL("make_plan accepted impossible parameters");
    return {};
}

} // namespace

TEST_CASE("a source more biased than CHSH can amplify is named as such") {
    // eps_max = 1/2 - sin(pi/8): there the SV-local win probability equals 1/2 + sqrt(2)/4.
    CHECK_THAT(sv_local_win_probability(chsh_max_amplifiable_bias()), WithinRel(0.5 + std::sqrt(2.0) / 4.0, 1e-15));
    PlanParameters p = eth_parameters();
    p.expected_chsh = 2.8;
    for (double eps : {chsh_max_amplifiable_bias(), 0.12, 0.3, 0.49}) {
        p.source_bias = eps;
        const std::string message = invalid_message(p);
        CHECK(message.find("CHSH cannot amplify") != std::string::npos);
        CHECK(message.find("higher S") == std::string::npos);
    }
    // Just below it a device at Tsirelson's bound still beats the SV-local bound.
    p.source_bias = chsh_max_amplifiable_bias() - 1e-4;
    p.expected_chsh = kTsirelsonChsh;
    CHECK_NOTHROW(make_plan(p));
}

TEST_CASE("a threshold at the largest quantum win rate is refused, never an infinite slope") {
    // eps = 0 and S = 2 sqrt 2: the honest win probability is the largest one the bound allows a
    // quantum device. A completeness target of 0.9 puts the threshold above the mean, hence above it.
    PlanParameters p = eth_parameters();
    p.source_bias = 0;
    p.expected_chsh = kTsirelsonChsh;
    p.trials = 1000;
    p.completeness_target = 0.9;
    const std::string message = invalid_message(p);
    CHECK(message.find("largest win probability") != std::string::npos);
    // The bare-threshold form (a manifest's abort_threshold_wins) is refused the same way, also at
    // eps > 0 and for a threshold of every trial.
    for (double eps : {0.0, 0.0075, 0.1}) {
        const std::uint64_t trials = 1000000;
        const auto at_max = std::uint64_t(std::ceil(sv_max_quantum_win_probability(eps) * double(trials)));
        for (std::uint64_t threshold : {at_max, at_max + 1, trials})
            CHECK_THROWS_WITH(abort_rule_from_threshold(threshold, trials, eps, std::nullopt),
                              Catch::Contains("largest win probability"));
        // One win below it is a usable rule whose bound is finite.
        const AbortRule below = abort_rule_from_threshold(at_max - 1, trials, eps, std::nullopt);
        const CertifiedLength length = certified_length(below, eps, split_soundness(1e-12), ExtractorKind::dodis, SecurityModel::markov);
        CHECK(std::isfinite(length.entropy.tradeoff_slope_bits));
        CHECK(length.entropy.min_entropy_bits >= 0.0);
    }
}

TEST_CASE("NaN and infinite parameters are refused") {
    for (double bad : {std::nan(""), double(INFINITY), -double(INFINITY)}) {
        PlanParameters p = eth_parameters();
        p.expected_chsh = bad;
        check_invalid(p);
        p = eth_parameters();
        p.source_bias = bad;
        check_invalid(p);
        p = eth_parameters();
        p.soundness_error = bad;
        check_invalid(p);
        p = eth_parameters();
        p.completeness_target = bad;
        check_invalid(p);
        p = eth_parameters();
        p.setting_win_probabilities = std::array<double, 4>{bad, 0.78, 0.78, 0.78};
        check_invalid(p);
    }
}

TEST_CASE("completeness comes from the honest devices' per-setting win probabilities") {
    // The example: S = 2.271 with w00 - w11 = 0.02. Under an eps-SV source that favours the
    // worse settings this device wins with probability 0.783725, 13 standard errors below 1/2 + S/8.
    PlanParameters p = eth_parameters();
    const std::array<double, 4> w = {0.793875, 0.783875, 0.783875, 0.773875};
    p.setting_win_probabilities = w;
    p.expected_chsh = 2 * (w[0] + w[1] + w[2] + w[3]) - 4;
    CHECK_THAT(p.expected_chsh, WithinRel(2.271, 1e-12));
    const double worst = sv_worst_case_win_probability(w, p.source_bias);
    CHECK_THAT(worst, WithinRel(0.783725, 1e-9));
    const Plan plan = make_plan(p);
    CHECK_THAT(*plan.abort_rule.expected_win_probability, WithinRel(worst, 1e-15));
    // The threshold holds for that worst case: an honest device aborts with probability <= 1e-6 ...
    CHECK(*plan.abort_rule.completeness_error <= 1e-6);
    CHECK(std::exp(log_binomial_lower_tail(p.trials, worst, std::int64_t(plan.abort_rule.threshold_wins) - 1)) <= 1e-6);
    // ... whereas the threshold computed as if the four were equal would abort it almost surely.
    const Plan equal = make_plan(eth_parameters());
    CHECK(equal.abort_rule.threshold_wins > plan.abort_rule.threshold_wins);
    CHECK(std::exp(log_binomial_lower_tail(p.trials, worst, std::int64_t(equal.abort_rule.threshold_wins) - 1)) > 0.999);
    // Equal per-setting win probabilities give exactly the S-only plan.
    p = eth_parameters();
    p.setting_win_probabilities = equal_setting_win_probabilities(2.271);
    CHECK(make_plan(p).abort_rule.threshold_wins == equal.abort_rule.threshold_wins);
    // Per-setting probabilities that disagree with the stated S are refused.
    p.expected_chsh = 2.3;
    check_invalid(p);
}

TEST_CASE("a bare threshold's completeness is unknown, not zero") {
    const AbortRule rule = abort_rule_from_threshold(1052027535, 1342177280, 0.0075, std::nullopt);
    CHECK_FALSE(rule.completeness_error.has_value());
    CHECK_FALSE(rule.expected_chsh.has_value());
    const nlohmann::json json = abort_rule_to_json(rule);
    CHECK(json["completeness_error"].is_null());
    CHECK(json["expected_chsh"].is_null());
    // With the device known it is computed.
    const AbortRule known = abort_rule_from_threshold(1052027535, 1342177280, 0.0075, equal_setting_win_probabilities(2.271));
    CHECK_THAT(*known.completeness_error, WithinRel(9.9981626516366372e-07, 1e-7));
    // A bare threshold at or below the SV-local bound is refused: a local device passes it.
    CHECK_THROWS_WITH(abort_rule_from_threshold(1000000, 1342177280, 0.0075, std::nullopt), Catch::Contains("SV-local"));
}
