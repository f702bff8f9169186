// The min-tradeoff lines of the entropy accumulation, certified against the quantum set: affine
// functions f(w) = a + b w of a round's win probability w that lie below the entropy of every round any
// quantum device can play under any eps-SV input distribution. docs/certification.md section 4.2b
// derives it; every number computed numerically here (a vector angle, a dual multiplier) only chooses a
// certificate whose validity follows from inequalities that hold for any choice, so that numerical
// error can make a line lower, never invalid.
#pragma once

#include <array>
#include <vector>

namespace dira::certify {

// An upper bound on max sum_xy beta_xy c_xy over quantum devices, where c_xy = (-1)^{xy} E_xy are the
// "winning" correlators (index 2x + y): by Tsirelson's vectors it is at most
// max over t in [-1, 1] of sum_y sqrt(b0y^2 + b1y^2 + 2 b0y b1y t), b_xy = (-1)^{xy} beta_xy, a concave
// function of t, bounded above by its tangent at a numerically chosen point (docs 4.2b).
double tsirelson_value_upper_bound(const std::array<double, 4>& beta);

// An affine upper bound on a round's win probability in terms of the device's CHSH value S:
// w <= intercept + slope * S on an interval of S.
struct AffineWinBound {
    double intercept = 0, slope = 0;
    double at(double chsh) const { return intercept + slope * chsh; }
};
// One interval [S_low, S_high] of a grid over [2, 2 sqrt 2]: an affine lower bound on the one-party
// rate g(S) there (its tangent at the midpoint, g being convex; values at the two ends), the relaxed
// win bound of docs 4.2 and, for each of the eight extreme eps-SV distributions, a dual win bound.
struct WinBoundInterval {
    double chsh_low = 0, chsh_high = 0;
    double rate_low = 0, rate_high = 0; // the tangent of g at the midpoint, at S_low and S_high, less a margin
    AffineWinBound relaxed;
    std::array<AffineWinBound, 8> dual;
};
struct QuantumWinBounds {
    double source_bias = 0;
    std::vector<WinBoundInterval> intervals;
};
// Computed once per eps and cached (the plan evaluates it many times).
const QuantumWinBounds& quantum_win_bounds(double source_bias);

// The largest a (certified) such that a + b w lies below the entropy H(A_i B_i | X_i Y_i E) of every
// round, for slope b >= 0. Non-increasing and concave in b. invalid_argument for b < 0 or a bias
// outside [0, 1/2).
double certified_intercept_bits(double slope, double source_bias);

// The best line at a win probability: max over slopes b in [0, slope_cap] of a(b) + b w, and the
// slope that attains it (to the golden-section search's precision; any b gives a valid line).
struct TradeoffLine {
    double intercept = 0;
    double slope = 0;
    double value_at(double win_probability) const { return intercept + slope * win_probability; }
};
TradeoffLine best_tradeoff_line(double win_probability, double source_bias, double slope_cap);

// max over b of a(b) + b w: the certified asymptotic rate per round at win probability w.
double sv_certified_rate_bits(double win_probability, double source_bias);

} // namespace dira::certify
