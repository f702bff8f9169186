#include "certify/binomial.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace dira::certify {
namespace {

using Real = long double;
constexpr Real kLn10 = 2.302585092994045684017991454684364208L;

// Stop adding terms once they are this small relative to the running sum: below long double's
// resolution (about 1e-19), so the truncated remainder cannot change the result (the terms fall at
// least geometrically from there on, see sum_tail).
constexpr Real kNegligibleRelativeTerm = 1e-22L;

void require_probability(double p) {
    if (!(p >= 0.0 && p <= 1.0))
        throw Error(ErrorKind::invalid_argument, "a binomial success probability must lie in [0, 1], got " + std::to_string(p));
}

Real log_pmf(std::uint64_t n, Real p, std::uint64_t k) {
    const Real log_choose = std::lgamma(Real(n) + 1) - std::lgamma(Real(k) + 1) - std::lgamma(Real(n - k) + 1);
    return log_choose + Real(k) * std::log(p) + Real(n - k) * std::log1p(-p);
}

// ln sum_{j in tail} P[X = j], for a tail that starts at `first` and runs away from the mode
// (downward when `downward`), where the terms decrease monotonically: the ratio of consecutive terms
// is below 1 and keeps shrinking, so the sum is dominated by a geometric series and stopping at a
// negligible term is safe.
Real log_monotone_tail(std::uint64_t n, Real p, std::uint64_t first, bool downward) {
    const Real odds = p / (1 - p); // P[j+1]/P[j] = (n-j)/(j+1) * odds
    Real sum = 1, term = 1;
    std::uint64_t j = first;
    while (downward ? j > 0 : j < n) {
        term *= downward ? Real(j) / Real(n - j + 1) / odds : Real(n - j) / Real(j + 1) * odds;
        j = downward ? j - 1 : j + 1;
        sum += term;
        if (term < sum * kNegligibleRelativeTerm) break;
    }
    return log_pmf(n, p, first) + std::log(sum);
}

// The mode's neighbourhood: terms below floor((n+1)p) increase toward it, terms above decrease.
// A lower tail that ends below the mean is monotone when summed downward; otherwise take the
// complement of the (monotone) upper tail.
Real log_lower(std::uint64_t n, Real p, std::int64_t k) {
    if (k < 0) return -std::numeric_limits<Real>::infinity();
    if (std::uint64_t(k) >= n || p == 0) return 0;
    if (p == 1) return -std::numeric_limits<Real>::infinity();
    const Real mean = Real(n) * p;
    if (Real(k) < mean - 1) return log_monotone_tail(n, p, std::uint64_t(k), true);
    const Real upper = std::exp(log_monotone_tail(n, p, std::uint64_t(k) + 1, false));
    return std::log1p(-std::min(upper, Real(1)));
}

Real log_upper(std::uint64_t n, Real p, std::int64_t k) {
    if (k <= 0 || p == 1) return k <= std::int64_t(n) ? 0 : -std::numeric_limits<Real>::infinity();
    if (std::uint64_t(k) > n || p == 0) return -std::numeric_limits<Real>::infinity();
    const Real mean = Real(n) * p;
    if (Real(k) > mean + 1) return log_monotone_tail(n, p, std::uint64_t(k), false);
    const Real lower = std::exp(log_monotone_tail(n, p, std::uint64_t(k) - 1, true));
    return std::log1p(-std::min(lower, Real(1)));
}

} // namespace

double log_binomial_lower_tail(std::uint64_t trials, double p, std::int64_t k) {
    require_probability(p);
    return double(log_lower(trials, p, k));
}

double log_binomial_upper_tail(std::uint64_t trials, double p, std::int64_t k) {
    require_probability(p);
    return double(log_upper(trials, p, k));
}

double log10_binomial_upper_tail(std::uint64_t trials, double p, std::int64_t k) {
    require_probability(p);
    return double(log_upper(trials, p, k) / kLn10);
}

double log10_binomial_lower_tail(std::uint64_t trials, double p, std::int64_t k) {
    require_probability(p);
    return double(log_lower(trials, p, k) / kLn10);
}

} // namespace dira::certify
