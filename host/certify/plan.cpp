#include "certify/plan.hpp"

#include <cmath>
#include <string>

#include "certify/chsh_bounds.hpp"
#include "certify/json_number.hpp"
#include "certify/quantum_tradeoff.hpp"
#include "core/error.hpp"

namespace dira::certify {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorKind::invalid_argument, message); }

std::string format(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

// Trials beyond this are not planned (about 230 days at 50 kHz; the ETH run had 1.3e9).
constexpr std::uint64_t kMaxPlannedTrials = 1'000'000'000'000ull;

} // namespace

std::array<double, 4> expected_device(const PlanParameters& params) {
    return params.setting_win_probabilities.value_or(equal_setting_win_probabilities(params.expected_chsh));
}

void validate_plan_parameters(const PlanParameters& p) {
    if (!std::isfinite(p.expected_chsh)) invalid("--chsh must be a finite number (got " + format(p.expected_chsh) + ")");
    require_amplifiable_source_bias(p.source_bias, "--source-bias");
    if (p.trials == 0) invalid("the number of trials must be positive");
    if (p.trials > kMaxPlannedTrials) invalid("more than 10^12 trials is not a plan");
    if (!(p.soundness_error > 0.0 && p.soundness_error < 1.0))
        invalid("--soundness must lie in (0, 1), got " + format(p.soundness_error));
    if (!(p.completeness_target > 0.0 && p.completeness_target < 1.0))
        invalid("the completeness target must lie in (0, 1), got " + format(p.completeness_target));
    if (p.setting_win_probabilities) {
        for (double w : *p.setting_win_probabilities)
            if (!(w >= 0.0 && w <= 1.0)) invalid("a per-setting win probability must lie in [0, 1], got " + format(w));
        double chsh = 0;
        for (double w : *p.setting_win_probabilities) chsh += 2.0 * w - 1.0;
        if (!(std::fabs(chsh - p.expected_chsh) <= 1e-9))
            invalid("the per-setting win probabilities give S = " + format(chsh) + ", not the expected S = " + format(p.expected_chsh));
    }
    if (!std::isfinite(p.expected_chsh)) invalid("--chsh must be a finite number, got " + format(p.expected_chsh));
    if (!(p.expected_chsh <= kTsirelsonChsh * (1.0 + 1e-12)))
        invalid("--chsh " + format(p.expected_chsh) + " exceeds Tsirelson's bound 2 sqrt(2) = 2.82843: no quantum device reaches it");
    const double local = sv_local_chsh(p.source_bias);
    if (!(p.expected_chsh > local))
        invalid("--chsh " + format(p.expected_chsh) + " does not beat the SV-local bound " + format(local) +
                " for eps = " + format(p.source_bias) + " (a local device that knows the source's bias wins with probability " +
                format(sv_local_win_probability(p.source_bias)) + "): no randomness can be certified; a higher S or a less biased source is needed");
}

Plan make_plan(const PlanParameters& params) {
    validate_plan_parameters(params);
    Plan plan;
    plan.params = params;
    plan.local_bound_win_probability = sv_local_win_probability(params.source_bias);
    plan.local_bound_chsh = sv_local_chsh(params.source_bias);
    plan.asymptotic_rate_bits = chsh_single_party_rate_bits(params.expected_chsh);
    plan.budget = split_soundness(params.soundness_error);
    plan.abort_rule = make_abort_rule(expected_device(params), params.trials, params.source_bias, params.completeness_target);
    plan.sv_asymptotic_rate_bits = sv_certified_rate_bits(*plan.abort_rule.expected_win_probability, params.source_bias);
    plan.length = certified_length(plan.abort_rule, params.source_bias, plan.budget, params.extractor, params.model);
    return plan;
}

std::uint64_t trials_for_output_bits(PlanParameters params, std::uint64_t target_bits) {
    auto output_at = [&](std::uint64_t trials) {
        params.trials = trials;
        return make_plan(params).length.extractor.output_bits;
    };
    params.trials = 1;
    validate_plan_parameters(params);
    // Per trial, the entropy approaches the certified rate at w (below it by terms that vanish like 1/sqrt(N)) while the
    // extractor charges the second source's deficiency, 1 + log2(1/2 + eps) per outcome bit. If the
    // first does not beat the second, no number of trials certifies anything.
    const double asymptotic_entropy = sv_certified_rate_bits(
        sv_worst_case_win_probability(expected_device(params), params.source_bias), params.source_bias);
    const double deficiency = kOutcomeBitsPerTrial * (1.0 - sv_min_entropy_per_bit(params.source_bias));
    if (!(asymptotic_entropy > deficiency))
        invalid("these parameters certify no output at any number of trials: the certified entropy per trial (" +
                format(asymptotic_entropy) + " bits at best) does not exceed the extractor's cost for the weak second source (" +
                format(deficiency) + " bits per trial)");
    const std::uint64_t wanted = std::max<std::uint64_t>(target_bits, 1);
    // Grow until enough, then bisect. The output grows with the trials (up to the extractor's block
    // length rounding, a few bits, see docs section 6.3), so the result is the smallest count to
    // within that rounding.
    std::uint64_t low = 0, high = 1; // invariant: output_at(low) < wanted (no trials, no output)
    while (output_at(high) < wanted) {
        if (high >= kMaxPlannedTrials)
            invalid("no number of trials up to 10^12 certifies " + std::to_string(target_bits) +
                    " bits with these parameters: the certified rate per trial does not beat the extractor's cost per trial");
        low = high;
        high = std::min(kMaxPlannedTrials, high * 2);
    }
    while (high - low > 1) {
        const std::uint64_t mid = low + (high - low) / 2;
        (output_at(mid) >= wanted ? high : low) = mid;
    }
    return high;
}

nlohmann::json budget_to_json(const SoundnessBudget& b) {
    return {
        {"total", report_number(b.total)},
        {"abort_event", report_number(b.abort_event)},
        {"smoothing", report_number(b.smoothing)},
        {"extractor", report_number(b.extractor)},
        {"formula", "total = abort_event + 2 * smoothing + extractor"},
    };
}

nlohmann::json abort_rule_to_json(const AbortRule& r) {
    auto optional = [](const std::optional<double>& value) { return value ? report_number(*value) : nlohmann::json(nullptr); };
    nlohmann::json setting_wins = nullptr;
    if (r.expected_setting_win_probabilities) {
        setting_wins = nlohmann::json::array();
        for (double w : *r.expected_setting_win_probabilities) setting_wins.push_back(report_number(w));
    }
    return {
        {"trials", r.trials},
        {"expected_chsh", optional(r.expected_chsh)},
        {"expected_setting_win_probabilities", setting_wins},
        {"expected_win_probability", optional(r.expected_win_probability)},
        {"threshold_wins", r.threshold_wins},
        {"threshold_win_probability", report_number(double(r.threshold_wins) / double(r.trials))},
        // null: the rule was a bare threshold, and what an honest device does is unknown.
        {"completeness_error", optional(r.completeness_error)},
    };
}

nlohmann::json certified_length_to_json(const CertifiedLength& l) {
    const EatBound& e = l.entropy;
    const ExtractorInputs& in = l.extractor_inputs;
    const ExtractorLength& x = l.extractor;
    return {
        {"entropy_accumulation",
         {
             {"threshold_win_probability", report_number(e.threshold_win_probability)},
             {"beats_local_bound", e.beats_local_bound},
             {"tradeoff_intercept_bits", report_number(e.tradeoff_intercept_bits)},
             {"tradeoff_slope_bits", report_number(e.tradeoff_slope_bits)},
             {"slope_ceiling", e.slope_ceiling},
             {"rate_at_threshold_bits", report_number(e.rate_at_threshold_bits)},
             {"second_order_coefficient", report_number(e.second_order_coefficient)},
             {"first_order_bits", report_number(e.first_order_bits)},
             {"second_order_bits", report_number(e.second_order_bits)},
             {"min_entropy_bits", report_number(e.min_entropy_bits)},
         }},
        {"extractor",
         {
             {"kind", std::string(to_string(in.kind))},
             {"model", std::string(to_string(in.model))},
             {"outcome_bits", in.outcome_bits},
             {"first_input_bits", in.first_input_bits},
             {"second_input_bits", in.second_input_bits},
             {"second_min_entropy_per_bit", report_number(in.second_min_entropy_per_bit)},
             {"first_min_entropy_bits", report_number(x.first_min_entropy_bits)},
             {"second_min_entropy_bits", report_number(x.second_min_entropy_bits)},
             {"error", report_number(in.error)},
             {"classical_log2_error", report_number(x.classical_log2_error)},
             {"length_bound_bits", report_number(x.length_bound_bits)},
             {"output_bits", x.output_bits},
         }},
    };
}

nlohmann::json plan_to_json(const Plan& plan) {
    const PlanParameters& p = plan.params;
    return {
        {"parameters",
         {
             {"chsh", report_number(p.expected_chsh)},
             {"source_bias", report_number(p.source_bias)},
             {"trials", p.trials},
             {"soundness", report_number(p.soundness_error)},
             {"extractor", std::string(to_string(p.extractor))},
             {"model", std::string(to_string(p.model))},
             {"completeness_target", report_number(p.completeness_target)},
         }},
        {"local_bound_chsh", report_number(plan.local_bound_chsh)},
        {"local_bound_win_probability", report_number(plan.local_bound_win_probability)},
        {"asymptotic_rate_bits", report_number(plan.asymptotic_rate_bits)},
        {"sv_asymptotic_rate_bits", report_number(plan.sv_asymptotic_rate_bits)},
        {"abort_threshold_wins", plan.abort_rule.threshold_wins},
        {"completeness_error", report_number(*plan.abort_rule.completeness_error)}, // make_abort_rule sets it
        {"abort_rule", abort_rule_to_json(plan.abort_rule)},
        {"soundness_budget", budget_to_json(plan.budget)},
        {"min_entropy_bits", report_number(plan.length.entropy.min_entropy_bits)},
        {"output_bits", plan.length.extractor.output_bits},
        {"certified", certified_length_to_json(plan.length)},
    };
}

} // namespace dira::certify
