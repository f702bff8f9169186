// Exact binomial tails (docs section 5), against exact rational sums, closed forms, a convolution by
// dynamic programming, and 40-digit sums at 1.3e9 trials (tests/certify/reference_values.py).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "certify/binomial.hpp"
#include "core/error.hpp"

using namespace dira::certify;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("binomial tails against exact values") {
    // Exact rational arithmetic (python fractions): P[Bin(100, 3/10) >= 40], P[Bin(1000, 1/2) <= 400].
    CHECK_THAT(std::exp(log_binomial_upper_tail(100, 0.3, 40)), WithinRel(0.02098857600392468, 1e-12));
    CHECK_THAT(std::exp(log_binomial_lower_tail(1000, 0.5, 400)), WithinRel(1.3642320780330092e-10, 1e-11));
    // At the mean, through the complement: P[Bin(n, 1/2) >= n/2] = 1/2 + C(n, n/2) / 2^(n+1), n = 10^6.
    CHECK_THAT(std::exp(log_binomial_upper_tail(1000000, 0.5, 500000)), WithinRel(0.50039894218066587504, 1e-12));
}

TEST_CASE("binomial tails at a whole run's size") {
    // N = 1,342,177,280 (the ETH run). 40-digit sums, term by term (reference_values.py).
    const std::uint64_t n = 1342177280;
    // The p-value of the ETH plan's threshold against the SV-local bound 0.75744375 (eps = 0.0075):
    CHECK_THAT(log10_binomial_upper_tail(n, 0.75744375, 1052027535), WithinAbs(-1132792.6968376564, 1e-4));
    // The completeness of the threshold 1052027535 for an honest device with S = 2.271:
    CHECK_THAT(std::exp(log_binomial_lower_tail(n, 0.783875, 1052027534)), WithinRel(9.9981626516366372e-07, 1e-7));
    CHECK_THAT(std::exp(log_binomial_lower_tail(n, 0.783875, 1052027535)), WithinRel(1.0001443936430508e-06, 1e-7));
}

TEST_CASE("binomial tails agree with a dynamic-programming convolution") {
    // P[X = k] by adding one Bernoulli trial at a time: no factorials, no logarithms.
    const std::uint64_t n = 60;
    const double p = 0.37;
    std::vector<double> pmf{1.0};
    for (std::uint64_t t = 0; t < n; ++t) {
        std::vector<double> next(pmf.size() + 1, 0.0);
        for (std::size_t k = 0; k < pmf.size(); ++k) {
            next[k] += pmf[k] * (1 - p);
            next[k + 1] += pmf[k] * p;
        }
        pmf = next;
    }
    double lower = 0;
    for (std::uint64_t k = 0; k <= n; ++k) {
        lower += pmf[k];
        double upper = 0;
        for (std::uint64_t j = k; j <= n; ++j) upper += pmf[j];
        CHECK_THAT(std::exp(log_binomial_lower_tail(n, p, std::int64_t(k))), WithinRel(lower, 1e-11));
        CHECK_THAT(std::exp(log_binomial_upper_tail(n, p, std::int64_t(k))), WithinRel(upper, 1e-11));
    }
}

TEST_CASE("binomial tails at the edges") {
    const double minus_infinity = -std::numeric_limits<double>::infinity();
    CHECK(log_binomial_lower_tail(10, 0.5, -1) == minus_infinity);
    CHECK(log_binomial_lower_tail(10, 0.5, 10) == 0.0);
    CHECK(log_binomial_upper_tail(10, 0.5, 0) == 0.0);
    CHECK(log_binomial_upper_tail(10, 0.5, 11) == minus_infinity);
    CHECK(log_binomial_upper_tail(10, 0.0, 1) == minus_infinity);
    CHECK(log_binomial_lower_tail(10, 1.0, 9) == minus_infinity);
    CHECK(log_binomial_upper_tail(10, 1.0, 10) == 0.0);
    // Far below double's range: still a finite logarithm. log10 P[Bin(10^6, 1/2) >= 10^6] = -10^6 log10 2.
    CHECK_THAT(log10_binomial_upper_tail(1000000, 0.5, 1000000), WithinRel(-301029.99566398120, 1e-12));
    CHECK_THROWS_AS(log_binomial_upper_tail(10, 1.5, 3), dira::Error);
}
