#include "certify/quantum_tradeoff.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <string>

#include "certify/chsh_bounds.hpp"
#include "core/error.hpp"

namespace dira::certify {
namespace {

// Grid of CHSH values: the bound loses only second-order terms in the interval width (a tangent of
// the convex g, a tangent of the concave dual value), about 1e-6 bits per round at 512 intervals.
constexpr int kIntervals = 512;
// Floating-point margin: every computed bound is moved by this much (relative to its scale) in the
// safe direction; the computations are a few dozen operations, each within 1e-16 relative.
constexpr double kMargin = 1e-12;

// A point near the maximiser of a concave f over [low, high], by golden-section search (one new
// evaluation per step, the bracket shrinking by 0.618). Its accuracy affects only how tight the bound
// built at that point is, never whether it is valid.
template <class Function>
double concave_argmax(Function f, double low, double high, int steps) {
    constexpr double kInverseGolden = 0.61803398874989484820;
    double m1 = high - kInverseGolden * (high - low), m2 = low + kInverseGolden * (high - low);
    double f1 = f(m1), f2 = f(m2);
    for (int i = 0; i < steps; ++i) {
        if (f1 < f2) { // the maximiser lies right of m1
            low = m1;
            m1 = m2, f1 = f2;
            m2 = low + kInverseGolden * (high - low), f2 = f(m2);
        } else {
            high = m2;
            m2 = m1, f2 = f1;
            m1 = high - kInverseGolden * (high - low), f1 = f(m1);
        }
    }
    return f1 < f2 ? m2 : m1;
}

std::array<std::array<double, 4>, 8> sv_extreme_distributions(double source_bias) {
    std::array<std::array<double, 4>, 8> result{};
    for (unsigned k = 0; k < 8; ++k) {
        const double px1 = (k & 1) ? 0.5 + source_bias : 0.5 - source_bias;
        const double py1[2] = {(k & 2) ? 0.5 + source_bias : 0.5 - source_bias, (k & 4) ? 0.5 + source_bias : 0.5 - source_bias};
        for (unsigned x = 0; x < 2; ++x)
            for (unsigned y = 0; y < 2; ++y) result[k][2 * x + y] = (x ? px1 : 1 - px1) * (y ? py1[x] : 1 - py1[x]);
    }
    return result;
}

// Weak duality for one distribution q and a multiplier mu (docs 4.2b): for every quantum device,
// sum q c = mu S + sum (q - mu) c <= mu S + V(q - mu), so w = 1/2 + sum q c / 2 is at most
// 1/2 + V(q - mu)/2 + (mu/2) S, for every real mu. The multiplier minimising it at `chsh` is found
// numerically; any value gives a valid bound.
AffineWinBound dual_win_bound(const std::array<double, 4>& q, double chsh) {
    auto bound_for = [&](double mu) {
        const std::array<double, 4> beta = {q[0] - mu, q[1] - mu, q[2] - mu, q[3] - mu};
        return AffineWinBound{0.5 + tsirelson_value_upper_bound(beta) / 2, mu / 2};
    };
    const double mu = concave_argmax([&](double m) { return -bound_for(m).at(chsh); }, 0.0, 1.0, 45);
    return bound_for(mu);
}

QuantumWinBounds compute_bounds(double source_bias) {
    QuantumWinBounds bounds;
    bounds.source_bias = source_bias;
    const double delta = sv_min_pair_weight(source_bias);
    const auto distributions = sv_extreme_distributions(source_bias);
    for (int j = 0; j < kIntervals; ++j) {
        WinBoundInterval interval;
        interval.chsh_low = kLocalChsh + (kTsirelsonChsh - kLocalChsh) * j / kIntervals;
        interval.chsh_high = j + 1 == kIntervals ? kTsirelsonChsh : kLocalChsh + (kTsirelsonChsh - kLocalChsh) * (j + 1) / kIntervals;
        const double mid = 0.5 * (interval.chsh_low + interval.chsh_high);
        // g convex: g(S) >= g(mid) + g'(mid) (S - mid) on the whole interval.
        const double rate = chsh_single_party_rate_bits(mid), slope = chsh_single_party_rate_slope_bits(mid);
        const double scale = std::abs(rate) + std::abs(slope) * (interval.chsh_high - interval.chsh_low) + 1.0;
        interval.rate_low = rate + slope * (interval.chsh_low - mid) - kMargin * scale;
        interval.rate_high = rate + slope * (interval.chsh_high - mid) - kMargin * scale;
        // docs 4.2: w <= delta (S + 4)/2 + 1 - 4 delta.
        interval.relaxed = AffineWinBound{2 * delta + 1 - 4 * delta + kMargin, delta / 2};
        for (int k = 0; k < 8; ++k) interval.dual[k] = dual_win_bound(distributions[k], mid);
        bounds.intervals.push_back(interval);
    }
    return bounds;
}

// The largest a with a + b * bound(S) <= the rate's lower bound at both ends of the interval (both
// sides are affine in S, so the ends suffice).
double intercept_allowed(const WinBoundInterval& interval, const AffineWinBound& bound, double slope) {
    return std::min(interval.rate_low - slope * bound.at(interval.chsh_low), interval.rate_high - slope * bound.at(interval.chsh_high));
}

} // namespace

double tsirelson_value_upper_bound(const std::array<double, 4>& beta) {
    // b_xy = (-1)^{xy} beta_xy turns the winning correlators back into correlators E_xy.
    const double b[2][2] = {{beta[0], beta[1]}, {beta[2], -beta[3]}};
    double constant[2], linear[2], trivial = 0;
    for (int y = 0; y < 2; ++y) {
        constant[y] = b[0][y] * b[0][y] + b[1][y] * b[1][y];
        linear[y] = 2 * b[0][y] * b[1][y];
        trivial += std::abs(b[0][y]) + std::abs(b[1][y]); // the triangle inequality: always an upper bound
    }
    auto value = [&](double t) {
        double sum = 0;
        for (int y = 0; y < 2; ++y) sum += std::sqrt(std::max(0.0, constant[y] + linear[y] * t));
        return sum;
    };
    const double t0 = concave_argmax(value, -1.0, 1.0, 50);
    double derivative = 0;
    for (int y = 0; y < 2; ++y) {
        if (linear[y] == 0) continue;
        const double inside = constant[y] + linear[y] * t0;
        if (!(inside > 1e-9 * (constant[y] + std::abs(linear[y])))) return trivial * (1 + kMargin) + kMargin;
        derivative += linear[y] / (2 * std::sqrt(inside));
    }
    // h concave on [-1, 1] (each term is the square root of an affine function that stays >= 0 there):
    // h(t) <= h(t0) + h'(t0) (t - t0), largest at an end of the interval.
    const double tangent = value(t0) + std::max(derivative * (1 - t0), derivative * (-1 - t0));
    return std::min(tangent, trivial) * (1 + kMargin) + kMargin;
}

const QuantumWinBounds& quantum_win_bounds(double source_bias) {
    (void)sv_min_pair_weight(source_bias); // validates the bias
    static std::mutex mutex;
    static std::map<double, QuantumWinBounds> cache;
    std::lock_guard<std::mutex> lock(mutex);
    auto found = cache.find(source_bias);
    if (found == cache.end()) found = cache.emplace(source_bias, compute_bounds(source_bias)).first;
    return found->second;
}

double certified_intercept_bits(double slope, double source_bias) {
    if (!(slope >= 0.0 && std::isfinite(slope)))
        throw Error(ErrorKind::invalid_argument, "a min-tradeoff line's slope must be finite and >= 0, got " + std::to_string(slope));
    const QuantumWinBounds& bounds = quantum_win_bounds(source_bias);
    // Devices with S <= 2: entropy >= 0 and w <= 1 - delta (docs 3.1 and 4.2).
    double intercept = -slope * sv_local_win_probability(source_bias) - kMargin * (1 + slope);
    for (const WinBoundInterval& interval : bounds.intervals) {
        const double relaxed = intercept_allowed(interval, interval.relaxed, slope);
        for (const AffineWinBound& dual : interval.dual)
            intercept = std::min(intercept, std::max(relaxed, intercept_allowed(interval, dual, slope)));
    }
    return intercept;
}

TradeoffLine best_tradeoff_line(double win_probability, double source_bias, double slope_cap) {
    if (!(slope_cap >= 0.0 && std::isfinite(slope_cap)))
        throw Error(ErrorKind::invalid_argument, "the slope cap must be finite and >= 0");
    auto value = [&](double slope) { return certified_intercept_bits(slope, source_bias) + slope * win_probability; };
    // a(b) + b w is concave in b (a minimum of affine functions of b, plus b w).
    const double slope = concave_argmax(value, 0.0, slope_cap, 60);
    return TradeoffLine{certified_intercept_bits(slope, source_bias), slope};
}

double sv_certified_rate_bits(double win_probability, double source_bias) {
    return std::max(0.0, best_tradeoff_line(win_probability, source_bias, 1000.0).value_at(win_probability));
}

} // namespace dira::certify
