// The protocol's fixed parts, decided before the run: how the soundness budget is split, the abort
// rule, and the certified length that follows from them (docs/certification.md sections 5-7).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "certify/entropy_accumulation.hpp"
#include "certify/extractor_length.hpp"

namespace dira::certify {

// The soundness error (the trace distance between the output, jointly with everything the adversary
// holds, and perfect randomness, times the probability of not aborting) is at most
//     abort_event + 2 * smoothing + extractor      (docs section 7).
// The split is fixed: a quarter each, so that the three terms sum to exactly the total.
struct SoundnessBudget {
    double total = 0;
    double abort_event = 0; // eps_EA: runs that pass the abort rule with probability below this are not covered
    double smoothing = 0;   // eps_s: smoothing of the min-entropy, charged twice
    double extractor = 0;   // eps_ext: the two-source extractor's error (quantum-proof in the Markov model)
};
SoundnessBudget split_soundness(double total); // invalid_argument unless 0 < total < 1

// The abort rule: abort unless the scored wins reach threshold_wins. Fixed before the run from what
// the honest devices are expected to do: their four per-setting win probabilities w_xy (index
// 2x + y; a device of CHSH value S with equal ones has w_xy = 1/2 + S/8). Under an eps-SV source an
// honest device wins each trial with probability at least the worst case over the source's input
// distributions (sv_worst_case_win_probability), and the threshold is the largest count such a device
// falls short of with probability at most the completeness target (docs section 5.1).
struct AbortRule {
    std::uint64_t trials = 0;
    std::optional<double> expected_chsh;                             // S = sum_xy (2 w_xy - 1)
    std::optional<std::array<double, 4>> expected_setting_win_probabilities;
    std::optional<double> expected_win_probability;                  // the worst case under the eps-SV source
    std::uint64_t threshold_wins = 0;
    // P[Binomial(trials, w) < threshold_wins] for that w: at least the probability that an honest
    // device aborts under any eps-SV source. Unknown when the rule was given as a bare threshold.
    std::optional<double> completeness_error;
};
// The four per-setting win probabilities of a device of CHSH value S whose four are equal.
std::array<double, 4> equal_setting_win_probabilities(double chsh);
// invalid_argument (saying what to change) for trials == 0, a win probability outside [0, 1], a
// device that does not beat the SV-local bound for this eps, an eps CHSH cannot amplify, a target
// outside (0, 1), or a threshold that even the best quantum device cannot reach (see below).
AbortRule make_abort_rule(const std::array<double, 4>& setting_win_probabilities, std::uint64_t trials,
                          double source_bias, double completeness_target);
AbortRule make_abort_rule(double expected_chsh, std::uint64_t trials, double source_bias, double completeness_target);
// A threshold given directly (e.g. recorded in a run's manifest). Its completeness is reported when the
// expected device is known too, and is unknown (nullopt) otherwise. invalid_argument when the threshold
// exceeds the trials or its win rate reaches the largest win probability a quantum device can have
// under eps-SV inputs as the bound counts it (sv_max_quantum_win_probability): every quantum device
// would abort, and the entropy bound is not defined there.
AbortRule abort_rule_from_threshold(std::uint64_t threshold_wins, std::uint64_t trials, double source_bias,
                                    const std::optional<std::array<double, 4>>& setting_win_probabilities);

// What a run that passes `rule` certifies: the EAT min-entropy of its outcome bits (both stations,
// two bits per trial) and the extractor's output length.
struct CertifiedLength {
    EatBound entropy;
    ExtractorInputs extractor_inputs;
    ExtractorLength extractor;
};
CertifiedLength certified_length(const AbortRule& rule, double source_bias, const SoundnessBudget& budget,
                                 ExtractorKind kind, SecurityModel model);

// Outcome bits per trial fed to the extractor (docs section 4.4: why both stations').
inline constexpr unsigned kOutcomeBitsPerTrial = 2;

} // namespace dira::certify
