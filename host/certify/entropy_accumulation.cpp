#include "certify/entropy_accumulation.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "certify/chsh_bounds.hpp"
#include "core/error.hpp"

namespace dira::certify {
namespace {

void validate(const EatInputs& in) {
    if (in.trials == 0) throw Error(ErrorKind::invalid_argument, "the entropy bound needs at least one trial");
    if (in.threshold_wins > in.trials)
        throw Error(ErrorKind::invalid_argument, "the abort threshold (" + std::to_string(in.threshold_wins) +
                                                     " wins) exceeds the number of trials (" + std::to_string(in.trials) + ")");
    auto check_error = [](double e, const char* name) {
        if (!(e > 0.0 && e < 1.0))
            throw Error(ErrorKind::invalid_argument, std::string(name) + " must lie in (0, 1), got " + std::to_string(e));
    };
    check_error(in.smoothing_error, "the smoothing error");
    check_error(in.abort_error, "the EAT abort-event error");
    if (in.output_dimension < 2) throw Error(ErrorKind::invalid_argument, "a round's output has at least two values");
    (void)sv_min_pair_weight(in.source_bias); // validates the bias
}

// The largest w in [low, high] with F'(w) <= slope_cap, by bisection (F' is non-decreasing because F
// is convex). Precondition: F'(low) <= slope_cap.
double largest_win_probability_with_slope_at_most(double slope_cap, double low, double high, double source_bias) {
    if (sv_tradeoff_slope_bits(high, source_bias) <= slope_cap) return high;
    for (int step = 0; step < 200 && high - low > 1e-16; ++step) {
        const double mid = 0.5 * (low + high);
        (sv_tradeoff_slope_bits(mid, source_bias) <= slope_cap ? low : high) = mid;
    }
    return low;
}

} // namespace

// Choosing the tangent point. The theorem's bound n t(w_t) - v(ceil F'(w_t)) sqrt(n) depends on w_t
// through t, which grows with w_t up to w_thr (a tangent of a convex function evaluated to the right of
// its touching point rises as the point moves right), and through the integer ceil F'(w_t), which
// grows with w_t. So for each integer K between ceil F'(w_L+) and ceil F'(w_thr) the best w_t is the
// largest one with F'(w_t) <= K, and the best of those few candidates is the exact optimum.
EatBound entropy_accumulation_bound(const EatInputs& in) {
    validate(in);
    EatBound bound;
    bound.threshold_win_probability = double(in.threshold_wins) / double(in.trials);
    const double local_win = sv_local_win_probability(in.source_bias);
    const double quantum_max = sv_max_quantum_win_probability(in.source_bias);
    if (!(bound.threshold_win_probability > local_win)) return bound; // nothing certified: all zero
    bound.beats_local_bound = true;

    // The tradeoff is defined below the largest win probability it allows a quantum device, where its
    // slope becomes infinite; a threshold there or above is refused (every quantum device would abort,
    // and the slope's ceiling below would be the integer conversion of an infinity).
    if (!(bound.threshold_win_probability < quantum_max))
        throw Error(ErrorKind::invalid_argument,
                    "the abort threshold's win rate " + std::to_string(bound.threshold_win_probability) + " reaches " +
                        std::to_string(quantum_max) + ", the largest win probability the entropy bound allows a quantum device "
                        "under this source: every device would abort, and the bound is not defined there");
    const double highest_tangent = bound.threshold_win_probability;
    const double n = double(in.trials);
    const double sqrt_n = std::sqrt(n);
    const double confidence = std::sqrt(1.0 - 2.0 * std::log2(in.smoothing_error * in.abort_error));
    const double dimension_term = std::log2(1.0 + 2.0 * double(in.output_dimension));

    const double slope_at_local = sv_tradeoff_slope_bits(local_win, in.source_bias);
    const double slope_at_highest = sv_tradeoff_slope_bits(highest_tangent, in.source_bias);
    // Finite below quantum_max except where rounding puts S_eff at 2 sqrt 2 within an ulp of it; the
    // loop over integer ceilings below needs a finite, moderate range.
    if (!(std::isfinite(slope_at_highest) && slope_at_highest < 1e4))
        throw Error(ErrorKind::invalid_argument, "the abort threshold's win rate " + std::to_string(bound.threshold_win_probability) +
                                                     " lies too close to the largest quantum win probability " +
                                                     std::to_string(quantum_max) + " for the entropy bound");
    const unsigned first_ceiling = unsigned(std::ceil(slope_at_local));
    const unsigned last_ceiling = unsigned(std::ceil(slope_at_highest));

    bool have_candidate = false;
    for (unsigned ceiling = first_ceiling; ceiling <= std::max(first_ceiling, last_ceiling); ++ceiling) {
        const double tangent = largest_win_probability_with_slope_at_most(double(ceiling), local_win, highest_tangent,
                                                                          in.source_bias);
        const double slope = sv_tradeoff_slope_bits(tangent, in.source_bias);
        const double rate = sv_tradeoff_rate_bits(tangent, in.source_bias) +
                            slope * (bound.threshold_win_probability - tangent);
        const double v = 2.0 * (dimension_term + std::ceil(slope)) * confidence;
        const double entropy = n * rate - v * sqrt_n;
        if (have_candidate && entropy <= bound.first_order_bits - bound.second_order_bits) continue;
        have_candidate = true;
        bound.tangent_win_probability = tangent;
        bound.tradeoff_slope_bits = slope;
        bound.slope_ceiling = unsigned(std::ceil(slope));
        bound.rate_at_threshold_bits = rate;
        bound.second_order_coefficient = v;
        bound.first_order_bits = n * rate;
        bound.second_order_bits = v * sqrt_n;
    }
    bound.min_entropy_bits = std::max(0.0, bound.first_order_bits - bound.second_order_bits);
    return bound;
}

} // namespace dira::certify
