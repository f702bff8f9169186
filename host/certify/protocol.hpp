// The protocol's fixed parts, decided before the run: how the soundness budget is split, the abort
// rule, and the certified length that follows from them (docs/certification.md sections 5-7).
#pragma once

#include <cstdint>

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

// The abort rule: abort unless the scored wins reach threshold_wins. Fixed before the run from the
// CHSH value the devices are expected to show: an honest device wins each trial independently with
// probability w = 1/2 + S/8 (for any input distribution: its four conditional win probabilities are
// equal), and the threshold is the largest count it falls short of with probability at most the
// completeness target.
struct AbortRule {
    std::uint64_t trials = 0;
    double expected_chsh = 0;
    double expected_win_probability = 0;
    std::uint64_t threshold_wins = 0;
    double completeness_error = 0; // P[Binomial(trials, w) < threshold_wins]: an honest device aborts
};
// invalid_argument for trials == 0, S outside (0, 2 sqrt 2] or a target outside (0, 1).
AbortRule make_abort_rule(double expected_chsh, std::uint64_t trials, double completeness_target);
// A threshold given directly (e.g. recorded in a run's manifest); its completeness is reported only
// when an expected S is known (0 otherwise).
AbortRule abort_rule_from_threshold(std::uint64_t threshold_wins, std::uint64_t trials, double expected_chsh);

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
