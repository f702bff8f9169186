#include "certify/protocol.hpp"

#include <cmath>
#include <string>

#include "certify/binomial.hpp"
#include "certify/chsh_bounds.hpp"
#include "core/error.hpp"

namespace dira::certify {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorKind::invalid_argument, message); }

void require_open_unit(double value, const char* what) {
    if (!(value > 0.0 && value < 1.0)) invalid(std::string(what) + " must lie in (0, 1), got " + std::to_string(value));
}

// P[Binomial(n, w) <= k - 1]: an honest device with win probability w gets fewer than k wins.
double honest_abort_probability(std::uint64_t trials, double win_probability, std::uint64_t threshold_wins) {
    return std::exp(log_binomial_lower_tail(trials, win_probability, std::int64_t(threshold_wins) - 1));
}

} // namespace

SoundnessBudget split_soundness(double total) {
    require_open_unit(total, "the soundness error");
    return SoundnessBudget{total, total / 4.0, total / 4.0, total / 4.0};
}

AbortRule make_abort_rule(double expected_chsh, std::uint64_t trials, double completeness_target) {
    if (trials == 0) invalid("the number of trials must be positive");
    if (!(expected_chsh > 0.0 && expected_chsh <= kTsirelsonChsh * (1.0 + 1e-12)))
        invalid("the expected CHSH value must lie in (0, 2 sqrt(2)], got " + std::to_string(expected_chsh));
    require_open_unit(completeness_target, "the completeness target");
    AbortRule rule;
    rule.trials = trials;
    rule.expected_chsh = expected_chsh;
    rule.expected_win_probability = std::min(1.0, win_probability_from_chsh(expected_chsh));
    // The abort probability grows with the threshold: bisect for the largest threshold whose abort
    // probability stays within the target. Invariant: ok(low), !ok(high).
    auto ok = [&](std::uint64_t k) {
        return honest_abort_probability(trials, rule.expected_win_probability, k) <= completeness_target;
    };
    std::uint64_t low = 0, high = trials + 1;
    // Bracket first, so that the bisection evaluates only tails near the answer: Hoeffding,
    // P[X <= N w - t] <= exp(-2 t^2 / N), makes ok() true at N w - t for t = sqrt(N ln(1/target) / 2);
    // and P[X <= floor(N w)] >= 1/2 (the binomial's median is at least floor(N w)), so ok() is false
    // at floor(N w) + 1 for targets below 1/2.
    const double mean = double(trials) * rule.expected_win_probability;
    const double hoeffding = std::sqrt(double(trials) * std::log(1.0 / completeness_target) / 2.0);
    if (completeness_target < 0.5) high = std::min<std::uint64_t>(high, std::uint64_t(std::floor(mean)) + 1);
    if (mean - hoeffding > 1.0) {
        const std::uint64_t guaranteed = std::uint64_t(std::floor(mean - hoeffding));
        if (guaranteed < high && ok(guaranteed)) low = guaranteed;
    }
    while (high - low > 1) {
        const std::uint64_t mid = low + (high - low) / 2;
        (ok(mid) ? low : high) = mid;
    }
    rule.threshold_wins = low;
    rule.completeness_error = honest_abort_probability(trials, rule.expected_win_probability, low);
    return rule;
}

AbortRule abort_rule_from_threshold(std::uint64_t threshold_wins, std::uint64_t trials, double expected_chsh) {
    if (trials == 0) invalid("the number of trials must be positive");
    if (threshold_wins > trials) invalid("the abort threshold exceeds the number of trials");
    AbortRule rule;
    rule.trials = trials;
    rule.threshold_wins = threshold_wins;
    rule.expected_chsh = expected_chsh;
    if (expected_chsh > 0.0) {
        rule.expected_win_probability = std::min(1.0, win_probability_from_chsh(expected_chsh));
        rule.completeness_error = honest_abort_probability(trials, rule.expected_win_probability, threshold_wins);
    }
    return rule;
}

CertifiedLength certified_length(const AbortRule& rule, double source_bias, const SoundnessBudget& budget,
                                 ExtractorKind kind, SecurityModel model) {
    CertifiedLength result;
    EatInputs eat;
    eat.trials = rule.trials;
    eat.threshold_wins = rule.threshold_wins;
    eat.source_bias = source_bias;
    eat.smoothing_error = budget.smoothing;
    eat.abort_error = budget.abort_event;
    eat.output_dimension = 1u << kOutcomeBitsPerTrial;
    result.entropy = entropy_accumulation_bound(eat);
    result.extractor_inputs = choose_extractor_inputs(kind, model, rule.trials * kOutcomeBitsPerTrial,
                                                      result.entropy.min_entropy_bits, source_bias, budget.extractor);
    result.extractor = extractor_output_length(result.extractor_inputs);
    return result;
}

} // namespace dira::certify
