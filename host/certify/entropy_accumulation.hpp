// The smooth min-entropy of the whole run's outcomes from the entropy accumulation theorem (EAT),
// Dupuis, Fawzi, Renner, Commun. Math. Phys. 379, 867 (2020), Theorem 4.4, as used for
// device-independent randomness by Arnon-Friedman, Renner, Vidick, SIAM J. Comput. 48, 181 (2019),
// with the min-tradeoff lines of quantum_tradeoff.hpp (valid for eps-SV settings). docs/certification.md
// section 4 writes the theorem out and derives each term.
#pragma once

#include <cstdint>

namespace dira::certify {

struct EatInputs {
    std::uint64_t trials = 0;          // n: every trial is a test round and a generation round
    std::uint64_t threshold_wins = 0;  // the abort rule: the run aborts unless scored wins >= this
    double source_bias = 0.0;          // eps of the settings source
    double smoothing_error = 0.0;      // eps_s: the smoothing parameter of the min-entropy
    double abort_error = 0.0;          // eps_EA: the bound holds for every run with P[not abort] >= eps_EA
    unsigned output_dimension = 4;     // d_O: one round's output is (A_i, B_i), two bits
};

struct EatBound {
    double threshold_win_probability = 0; // w_thr = threshold_wins / trials
    bool beats_local_bound = false;       // w_thr > 1 - (1/2 - eps)^2; otherwise all terms are zero
    // The affine min-tradeoff function f(w) = a + b w (quantum_tradeoff.hpp: certified below the
    // entropy of every round; docs section 4.2b).
    double tradeoff_intercept_bits = 0;   // a
    double tradeoff_slope_bits = 0;       // b = ||grad f||_inf
    unsigned slope_ceiling = 0;           // ceil(b), as the theorem takes it
    double rate_at_threshold_bits = 0;    // t = f(w_thr) = a + b w_thr
    double second_order_coefficient = 0;  // v = 2 (log2(1 + 2 d_O) + ceil(b)) sqrt(1 - 2 log2(eps_s eps_EA))
    double first_order_bits = 0;          // n t
    double second_order_bits = 0;         // v sqrt(n)
    double min_entropy_bits = 0;          // max(0, n t - v sqrt(n)): H_min^{eps_s}(A^n B^n | X^n Y^n E)
};

// The bound, with the line chosen to maximise n t - v sqrt(n) over all certified lines (exactly: see
// the .cpp).
// Throws invalid_argument for trials == 0, threshold_wins > trials, errors outside (0, 1), or a bias
// outside [0, 1/2).
EatBound entropy_accumulation_bound(const EatInputs& inputs);

} // namespace dira::certify
