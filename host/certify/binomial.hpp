// Binomial tails, exact, in the log domain: the statistics behind the abort rule's completeness, the
// p-value against the local bound and the settings-source test (docs section 5). They stay exact at
// 10^9 trials and at tail probabilities far below the smallest double (10^-308).
#pragma once

#include <cstdint>

namespace dira::certify {

// ln P[X <= k] and ln P[X >= k] for X ~ Binomial(trials, p), summed term by term in long double from
// the tail's first term outward until the terms no longer change the sum. 0 <= p <= 1 (invalid_argument
// otherwise); k may lie anywhere (P[X <= k] = 1 for k >= trials, P[X >= 0] = 1, P[X >= trials+1] = 0
// gives -inf).
double log_binomial_lower_tail(std::uint64_t trials, double p, std::int64_t k);
double log_binomial_upper_tail(std::uint64_t trials, double p, std::int64_t k);

// The same in base 10, for reports (a p-value of 10^-1000000 is an ordinary number this way).
double log10_binomial_upper_tail(std::uint64_t trials, double p, std::int64_t k);
double log10_binomial_lower_tail(std::uint64_t trials, double p, std::int64_t k);

// Stochastic domination (why these tails are valid under adaptivity): if each of n trials succeeds
// with probability at most p given everything before it, the number of successes X satisfies
// P[X >= k] <= P[Binomial(n, p) >= k] for every k (docs section 5.2).

} // namespace dira::certify
