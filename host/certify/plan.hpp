// Planning a run before it happens: from the CHSH value the devices are expected to show, the source
// bias, the number of trials and the soundness error, what the run will certify if the devices behave
// (what `dira plan` prints). The same functions certify a finished run, so plan and certificate agree.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "certify/extractor_length.hpp"
#include "certify/protocol.hpp"

namespace dira::certify {

struct PlanParameters {
    double expected_chsh = 0;            // S the devices are expected to show
    double source_bias = 0;              // eps of the settings and extractor weak source
    std::uint64_t trials = 0;            // N
    double soundness_error = 1e-12;      // total soundness error
    ExtractorKind extractor = ExtractorKind::dodis;
    SecurityModel model = SecurityModel::markov;
    double completeness_target = 1e-6;   // P[an honest device aborts] allowed by the abort rule
    // The honest devices' four per-setting win probabilities w_xy (index 2x + y), when known; they fix
    // expected_chsh = sum (2 w_xy - 1) and the completeness under a biased source (docs section 5.1).
    // Without them the four are taken equal, 1/2 + S/8 each.
    std::optional<std::array<double, 4>> setting_win_probabilities;
};

// Checks what a plan needs; every problem is an invalid_argument with what to change.
// In particular eps must be one CHSH can amplify and S must beat the SV-local bound
// 8 (1 - (1/2 - eps)^2) - 4.
void validate_plan_parameters(const PlanParameters& params);

// The honest devices' per-setting win probabilities: the given ones, else four equal to 1/2 + S/8.
std::array<double, 4> expected_device(const PlanParameters& params);

struct Plan {
    PlanParameters params;
    double local_bound_win_probability = 0; // 1 - (1/2 - eps)^2
    double local_bound_chsh = 0;            // the same as a CHSH value
    double asymptotic_rate_bits = 0;        // 1 - h(1/2 + 1/2 sqrt(S^2/4 - 1)): per party, uniform inputs
    double sv_asymptotic_rate_bits = 0;     // the certified rate (best line) at the honest devices' worst-case win probability under eps-SV inputs
    SoundnessBudget budget;
    AbortRule abort_rule;
    CertifiedLength length;
};

Plan make_plan(const PlanParameters& params);

// The smallest number of trials whose plan certifies at least target_bits output bits (params.trials
// is ignored). invalid_argument if no number of trials up to 10^15 does.
std::uint64_t trials_for_output_bits(PlanParameters params, std::uint64_t target_bits);

nlohmann::json plan_to_json(const Plan& plan);

// Shared by the plan and the certificate.
nlohmann::json budget_to_json(const SoundnessBudget& budget);
nlohmann::json abort_rule_to_json(const AbortRule& rule);
nlohmann::json certified_length_to_json(const CertifiedLength& length);

} // namespace dira::certify
