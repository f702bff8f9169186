#include "certify/protocol.hpp"

#include <cmath>
#include <cstdio>
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

std::string format(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

// A threshold must lie below the largest win probability the bound allows a quantum device, where the
// min-tradeoff function's slope becomes infinite (docs section 4.3): at or above it every quantum
// device aborts and the entropy bound is undefined.
void require_reachable_threshold(std::uint64_t threshold_wins, std::uint64_t trials, double source_bias) {
    const double rate = double(threshold_wins) / double(trials);
    const double quantum = sv_max_quantum_win_probability(source_bias);
    if (!(rate < quantum))
        invalid("the abort threshold " + std::to_string(threshold_wins) + " wins in " + std::to_string(trials) +
                " trials (win rate " + format(rate) + ") reaches " + format(quantum) +
                ", the largest win probability the entropy bound allows a quantum device under an eps = " + format(source_bias) +
                " source: every device would abort, and the bound is not defined there; choose a threshold below " +
                format(quantum * double(trials)) + " wins (dira plan computes one from the expected CHSH value)");
}

// A threshold given directly must also beat the SV-local bound: a local device passes it otherwise.
void require_threshold_beats_local(std::uint64_t threshold_wins, std::uint64_t trials, double source_bias) {
    const double rate = double(threshold_wins) / double(trials);
    const double local = sv_local_win_probability(source_bias);
    if (!(rate > local))
        invalid("the abort threshold " + std::to_string(threshold_wins) + " wins in " + std::to_string(trials) +
                " trials (win rate " + format(rate) + ") does not beat the SV-local bound " + format(local) +
                " for eps = " + format(source_bias) + ": a local device passes it, so nothing can be certified");
}

} // namespace

SoundnessBudget split_soundness(double total) {
    require_open_unit(total, "the soundness error");
    return SoundnessBudget{total, total / 4.0, total / 4.0, total / 4.0};
}

std::array<double, 4> equal_setting_win_probabilities(double chsh) {
    const double w = win_probability_from_chsh(chsh);
    return {w, w, w, w};
}

AbortRule make_abort_rule(const std::array<double, 4>& setting_win_probabilities, std::uint64_t trials,
                          double source_bias, double completeness_target) {
    if (trials == 0) invalid("the number of trials must be positive");
    require_open_unit(completeness_target, "the completeness target");
    require_amplifiable_source_bias(source_bias, "the source bias eps");
    AbortRule rule;
    rule.trials = trials;
    rule.expected_setting_win_probabilities = setting_win_probabilities;
    rule.expected_win_probability = sv_worst_case_win_probability(setting_win_probabilities, source_bias);
    double chsh = 0;
    for (double w : setting_win_probabilities) chsh += 2.0 * w - 1.0;
    rule.expected_chsh = chsh;
    if (!(chsh <= kTsirelsonChsh * (1.0 + 1e-12)))
        invalid("the expected devices' CHSH value " + format(chsh) + " exceeds Tsirelson's bound 2 sqrt(2) = 2.82843: no quantum device reaches it");
    const double honest = *rule.expected_win_probability;
    const double local = sv_local_win_probability(source_bias);
    if (!(honest > local))
        invalid("the expected devices (CHSH value " + format(chsh) + ", win probability at least " + format(honest) +
                " under every eps-SV input distribution) do not beat the SV-local bound for eps = " + format(source_bias) +
                " (S_local = " + format(sv_local_chsh(source_bias)) + ": a local device that knows the bias wins with probability " +
                format(local) + "): no randomness can be certified; a higher S or a less biased source is needed");
    // The abort probability grows with the threshold: bisect for the largest threshold whose abort
    // probability stays within the target. Invariant: ok(low), !ok(high).
    auto ok = [&](std::uint64_t k) { return honest_abort_probability(trials, honest, k) <= completeness_target; };
    std::uint64_t low = 0, high = trials + 1;
    // Bracket first, so that the bisection evaluates only tails near the answer: Hoeffding,
    // P[X <= N w - t] <= exp(-2 t^2 / N), makes ok() true at N w - t for t = sqrt(N ln(1/target) / 2);
    // and P[X <= floor(N w)] >= 1/2 (the binomial's median is at least floor(N w)), so ok() is false
    // at floor(N w) + 1 for targets below 1/2. (0 <= N w <= N: the casts are in range.)
    const double mean = double(trials) * honest;
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
    rule.completeness_error = honest_abort_probability(trials, honest, low);
    require_reachable_threshold(rule.threshold_wins, trials, source_bias);
    return rule;
}

AbortRule make_abort_rule(double expected_chsh, std::uint64_t trials, double source_bias, double completeness_target) {
    if (!(expected_chsh > 0.0 && expected_chsh <= kTsirelsonChsh * (1.0 + 1e-12)))
        invalid("the expected CHSH value must lie in (0, 2 sqrt(2)], got " + format(expected_chsh));
    return make_abort_rule(equal_setting_win_probabilities(expected_chsh), trials, source_bias, completeness_target);
}

AbortRule abort_rule_from_threshold(std::uint64_t threshold_wins, std::uint64_t trials, double source_bias,
                                    const std::optional<std::array<double, 4>>& setting_win_probabilities) {
    if (trials == 0) invalid("the number of trials must be positive");
    if (threshold_wins > trials) invalid("the abort threshold exceeds the number of trials");
    require_amplifiable_source_bias(source_bias, "the source bias eps");
    require_threshold_beats_local(threshold_wins, trials, source_bias);
    require_reachable_threshold(threshold_wins, trials, source_bias);
    AbortRule rule;
    rule.trials = trials;
    rule.threshold_wins = threshold_wins;
    if (setting_win_probabilities) {
        rule.expected_setting_win_probabilities = setting_win_probabilities;
        rule.expected_win_probability = sv_worst_case_win_probability(*setting_win_probabilities, source_bias);
        double chsh = 0;
        for (double w : *setting_win_probabilities) chsh += 2.0 * w - 1.0;
        rule.expected_chsh = chsh;
        rule.completeness_error = honest_abort_probability(trials, *rule.expected_win_probability, threshold_wins);
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
