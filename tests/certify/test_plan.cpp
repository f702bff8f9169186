// Planning (docs sections 5-7): the ETH figure, bad parameters, monotonicity, the asymptotic ceiling.
// Pinned numbers are cross-checked by tests/certify/reference_values.py and an exact recomputation
// of the abort threshold, EAT bound and extractor length in 40-digit arithmetic.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

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
    CHECK_THAT(plan.abort_rule.completeness_error, WithinRel(9.9981626516366372e-07, 1e-7));
    CHECK(plan.budget.abort_event + 2 * plan.budget.smoothing + plan.budget.extractor == 1e-12);
    CHECK_THAT(plan.length.entropy.min_entropy_bits, WithinRel(221315214.15935931966, 1e-9));
    CHECK(plan.length.extractor.output_bits == 32731135);
    CHECK_THAT(plan.asymptotic_rate_bits, WithinRel(0.22018201709003770017, 1e-13));

    const nlohmann::json json = plan_to_json(plan);
    for (const char* key : {"local_bound_chsh", "abort_threshold_wins", "min_entropy_bits", "output_bits"}) CHECK(json.contains(key));
    CHECK(json["output_bits"] == 32731135);
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
    p = eth_parameters();
    p.soundness_error = 0;
    check_invalid(p);
    p = eth_parameters();
    p.soundness_error = 1.5;
    check_invalid(p);
}

TEST_CASE("trials needed for the simulator's default model") {
    // S = 2 sqrt(2) 0.8026 = 2.2700956, eps = 0.0075, soundness 1e-12, dodis, Markov. Recomputed
    // exactly in 40 digits: the length bound is 0.83 bits at 4,659,286 trials and 1.15 at 4,659,287.
    PlanParameters p = eth_parameters();
    p.expected_chsh = kSimulatedChsh;
    const std::uint64_t trials = trials_for_output_bits(p, 1);
    CHECK(trials == 4659287);
    p.trials = trials;
    CHECK(make_plan(p).length.extractor.output_bits >= 1);
    p.trials = trials - 1;
    CHECK(make_plan(p).length.extractor.output_bits == 0);
    // At 10^7 trials (the README's figure): threshold 7831429, 838668.28 bits of min-entropy, 81748 bits.
    p.trials = 10000000;
    const Plan plan = make_plan(p);
    CHECK(plan.abort_rule.threshold_wins == 7831429);
    CHECK_THAT(plan.length.entropy.min_entropy_bits, WithinRel(838668.28383941387, 1e-9));
    CHECK(plan.length.extractor.output_bits == 81748);
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
