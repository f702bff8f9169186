#include "certify/chsh_bounds.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace dira::certify {
namespace {

constexpr double kLn2 = 0.69314718055994530942;

void require_probability(double p, const char* what) {
    if (!(p >= 0.0 && p <= 1.0))
        throw Error(ErrorKind::invalid_argument, std::string(what) + " must lie in [0, 1], got " + std::to_string(p));
}

void require_source_bias(double source_bias) {
    if (!(source_bias >= 0.0 && source_bias < 0.5))
        throw Error(ErrorKind::invalid_argument,
                    "the source bias epsilon must satisfy 0 <= epsilon < 1/2 (a source with epsilon >= 1/2 may be "
                    "deterministic and certifies nothing), got " + std::to_string(source_bias));
}

void require_quantum_chsh(double chsh) {
    // A hair of tolerance so that 2 sqrt 2 computed in another way is accepted.
    if (!(chsh <= kTsirelsonChsh * (1.0 + 1e-12)))
        throw Error(ErrorKind::invalid_argument, "a CHSH value of " + std::to_string(chsh) +
                                                     " exceeds Tsirelson's bound 2 sqrt(2): no quantum device reaches it");
}

// u = sqrt(S^2/4 - 1), the "distance from local" that the rate depends on; 0 at S = 2, 1 at 2 sqrt 2.
double excess(double chsh) {
    const double u = std::sqrt(std::max(0.0, chsh * chsh / 4.0 - 1.0));
    return std::min(u, 1.0);
}

} // namespace

double binary_entropy_bits(double p) {
    require_probability(p, "the argument of the binary entropy");
    if (p == 0.0 || p == 1.0) return 0.0;
    return -(p * std::log2(p) + (1.0 - p) * std::log1p(-p) / kLn2);
}

double win_probability_from_chsh(double chsh) { return 0.5 + chsh / 8.0; }
double chsh_from_win_probability(double win_probability) { return 8.0 * win_probability - 4.0; }

double chsh_single_party_rate_bits(double chsh) {
    require_quantum_chsh(chsh);
    if (chsh <= kLocalChsh) return 0.0;
    // 1 - h(1/2 + u/2) = [(1+u) log2(1+u) + (1-u) log2(1-u)] / 2, written with log1p so that it keeps
    // its relative precision as u -> 0 (S -> 2), where 1 - h is a difference of nearly equal numbers.
    const double u = excess(chsh);
    const double minus_part = u < 1.0 ? (1.0 - u) * std::log1p(-u) : 0.0;
    return ((1.0 + u) * std::log1p(u) + minus_part) / (2.0 * kLn2);
}

double chsh_single_party_rate_slope_bits(double chsh) {
    require_quantum_chsh(chsh);
    if (chsh < kLocalChsh) return 0.0;
    // d/du [1 - h(1/2 + u/2)] = atanh(u)/ln 2 and du/dS = S/(4u): the product has the finite limit
    // S/(4 ln 2) at u -> 0 because atanh(u)/u -> 1.
    const double u = excess(chsh);
    if (u >= 1.0) return INFINITY; // the slope diverges at Tsirelson's bound
    const double atanh_over_u = u < 1e-8 ? 1.0 + u * u / 3.0 : std::atanh(u) / u;
    return chsh * atanh_over_u / (4.0 * kLn2);
}

double sv_min_pair_weight(double source_bias) {
    require_source_bias(source_bias);
    return (0.5 - source_bias) * (0.5 - source_bias);
}

double sv_local_win_probability(double source_bias) { return 1.0 - sv_min_pair_weight(source_bias); }

double sv_local_chsh(double source_bias) { return chsh_from_win_probability(sv_local_win_probability(source_bias)); }

double chsh_max_amplifiable_bias() {
    // 1 - (1/2 - eps)^2 = 1/2 + sqrt(2)/4  <=>  1/2 - eps = sqrt(1/2 - sqrt(2)/4) = sin(pi/8).
    return 0.5 - 0.38268343236508977173; // sin(pi/8)
}

void require_amplifiable_source_bias(double source_bias, const char* what) {
    if (!(source_bias >= 0.0 && source_bias < 0.5))
        throw Error(ErrorKind::invalid_argument, std::string(what) + " must satisfy 0 <= eps < 1/2 (got " + std::to_string(source_bias) +
                                                     "): a source with eps >= 1/2 may be deterministic and certifies nothing");
    const double largest = chsh_max_amplifiable_bias();
    if (!(source_bias < largest))
        throw Error(ErrorKind::invalid_argument,
                    std::string(what) + " = " + std::to_string(source_bias) +
                        ": CHSH cannot amplify a Santha-Vazirani source this biased (eps >= 1/2 - sin(pi/8) = " +
                        std::to_string(largest) + "): a local device that knows the bias wins with probability " +
                        std::to_string(sv_local_win_probability(source_bias)) +
                        ", at least what any quantum device is sure to win (1/2 + sqrt(2)/4 = 0.853553), so no CHSH "
                        "value certifies randomness; a less biased source is needed");
}

double sv_worst_case_win_probability(const std::array<double, 4>& w, double source_bias) {
    require_source_bias(source_bias);
    for (double value : w) require_probability(value, "a per-setting win probability");
    // The win probability is affine in each of p(x = 0), p(y = 0 | x = 0), p(y = 0 | x = 1)
    // separately, so its minimum over the box is at a corner: for each x the adversary puts 1/2 + eps
    // on the worse y, then 1/2 + eps on the worse x.
    const double high = 0.5 + source_bias, low = 0.5 - source_bias;
    double given_x[2];
    for (unsigned x = 0; x < 2; ++x) {
        const double a = w[2 * x], b = w[2 * x + 1];
        given_x[x] = high * std::min(a, b) + low * std::max(a, b);
    }
    return high * std::min(given_x[0], given_x[1]) + low * std::max(given_x[0], given_x[1]);
}

double sv_effective_chsh(double win_probability, double source_bias) {
    require_probability(win_probability, "the win probability");
    return 4.0 - 2.0 * (1.0 - win_probability) / sv_min_pair_weight(source_bias);
}

double sv_max_quantum_win_probability(double source_bias) {
    // Solve 4 - 2 (1 - w) / delta = 2 sqrt 2 for w.
    return 1.0 - sv_min_pair_weight(source_bias) * (4.0 - kTsirelsonChsh) / 2.0;
}

double sv_tradeoff_rate_bits(double win_probability, double source_bias) {
    return chsh_single_party_rate_bits(sv_effective_chsh(win_probability, source_bias));
}

double sv_tradeoff_slope_bits(double win_probability, double source_bias) {
    // The right derivative: at the local bound itself S_eff is 2 (up to rounding) and the slope that of
    // the rate just above S = 2, where the tangents of the EAT start.
    double chsh = sv_effective_chsh(win_probability, source_bias);
    if (win_probability >= sv_local_win_probability(source_bias)) chsh = std::max(chsh, kLocalChsh);
    // dS_eff/dw = 2 / (1/2 - eps)^2.
    return chsh_single_party_rate_slope_bits(chsh) * 2.0 / sv_min_pair_weight(source_bias);
}

double sv_min_entropy_per_bit(double source_bias) {
    require_source_bias(source_bias);
    return -std::log2(0.5 + source_bias);
}

} // namespace dira::certify
