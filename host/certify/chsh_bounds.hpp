// The single-round physics of certification: the CHSH game, the Santha-Vazirani (SV) settings
// source and the von Neumann entropy a round certifies. docs/certification.md, sections 2-4, derives
// every formula here; the section is named next to each function.
#pragma once

#include <array>

namespace dira::certify {

// Tsirelson's bound: the largest CHSH value quantum devices reach, 2 sqrt(2).
inline constexpr double kTsirelsonChsh = 2.8284271247461900976;
// The largest CHSH value local devices reach with uniform settings.
inline constexpr double kLocalChsh = 2.0;

// h(p) = -p log2 p - (1-p) log2 (1-p), with h(0) = h(1) = 0. Throws invalid_argument outside [0, 1].
double binary_entropy_bits(double p);

// CHSH value and win probability of a device whose four conditional win probabilities sum to 4 w
// (docs section 2): S = 8 w - 4, w = 1/2 + S/8.
double win_probability_from_chsh(double chsh);
double chsh_from_win_probability(double win_probability);

// Pironio et al. 2009 (after Acin et al. 2007): with CHSH value S computed from the conditional
// correlators, each of Alice's outcomes A_x satisfies H(A_x|E) >= 1 - h(1/2 + 1/2 sqrt(S^2/4 - 1)).
// Zero for S <= 2 (docs section 4.1). Throws invalid_argument above Tsirelson's bound.
double chsh_single_party_rate_bits(double chsh);
// Its derivative with respect to S (zero for S < 2; the right derivative at S = 2).
double chsh_single_party_rate_slope_bits(double chsh);

// --- The SV settings source (docs section 3) ------------------------------------------------------
// Every setting bit is 1 with a probability in [1/2 - eps, 1/2 + eps] given everything before it and
// everything the adversary holds; so is every setting pair's probability in
// [(1/2 - eps)^2, (1/2 + eps)^2]. Valid biases: 0 <= eps < 1/2 (invalid_argument otherwise).
double sv_min_pair_weight(double source_bias);
// The best win probability of a local device that knows how the source is biased: 1 - (1/2 - eps)^2.
double sv_local_win_probability(double source_bias);
// The same as a CHSH value, 8 (1 - (1/2 - eps)^2) - 4.
double sv_local_chsh(double source_bias);

// The largest bias CHSH can amplify: 1/2 - sin(pi/8) = 0.11732. At and above it a local device that
// knows the bias wins with probability 1 - (1/2 - eps)^2 >= 1/2 + sqrt(2)/4, the most any quantum
// device wins under the uniform distribution (which every eps-SV source may produce), so no win rate
// separates quantum from local devices (docs section 3.1).
double chsh_max_amplifiable_bias();
// invalid_argument unless 0 <= eps < chsh_max_amplifiable_bias(), saying that CHSH cannot amplify
// such a source; `what` names the parameter in the message (e.g. "--source-bias").
void require_amplifiable_source_bias(double source_bias, const char* what);

// The win probability an honest device with per-setting win probabilities w_xy (index 2x + y) is
// guaranteed under every eps-SV input distribution: min over p(x), p(y|x) in [1/2 - eps, 1/2 + eps]
// of sum p(x) p(y|x) w_xy (docs section 5.1). Equals w when all four are w.
double sv_worst_case_win_probability(const std::array<double, 4>& setting_win_probabilities, double source_bias);

// The smallest uniform-weight CHSH value S (sum of the conditional correlators) that any device
// winning with probability w under some eps-SV input distribution can have:
// S_eff(w) = 4 - 2 (1 - w) / (1/2 - eps)^2 (docs section 4.2). May exceed 2 sqrt 2 for w that no
// quantum device reaches.
double sv_effective_chsh(double win_probability, double source_bias);
// The largest win probability a quantum device reaches under eps-SV inputs: S_eff(w) = 2 sqrt 2.
double sv_max_quantum_win_probability(double source_bias);

// F(w) = rate(S_eff(w)): the convex, non-decreasing lower bound on H(A_i B_i | X_i Y_i E) per round
// as a function of the round's win probability under eps-SV inputs (docs section 4.2), and its slope.
// The slope is the right derivative (at the local bound: 1 / ((1/2 - eps)^2 ln 2)). Both throw
// invalid_argument for w above sv_max_quantum_win_probability.
double sv_tradeoff_rate_bits(double win_probability, double source_bias);
double sv_tradeoff_slope_bits(double win_probability, double source_bias);

// -log2(1/2 + eps): the min-entropy per bit of an eps-SV source (docs section 6).
double sv_min_entropy_per_bit(double source_bias);

} // namespace dira::certify
