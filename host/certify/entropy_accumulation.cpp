#include "certify/entropy_accumulation.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "certify/chsh_bounds.hpp"
#include "certify/quantum_tradeoff.hpp"
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

// Lines steeper than this are not considered (near the largest quantum win probability the best slope
// grows without bound; the bound's gain there is nil). It keeps the slope's ceiling an integer in range.
constexpr double kLargestSlope = 1000.0;

} // namespace

// Choosing the line. The theorem's bound n (a(b) + b w_thr) - v(ceil b) sqrt(n) depends on the slope b
// through t(b) = a(b) + b w_thr, concave in b (quantum_tradeoff.hpp), and through the integer ceil b.
// Let b* maximise t. For slopes in (K - 1, K] with K <= b* the best is b = K (t increases up to b*);
// for K > b* the best is b* itself. So the candidates are b* and the integers 1 ... floor(b*), and the
// best of them is the exact optimum over all certified lines.
EatBound entropy_accumulation_bound(const EatInputs& in) {
    validate(in);
    EatBound bound;
    bound.threshold_win_probability = double(in.threshold_wins) / double(in.trials);
    const double local_win = sv_local_win_probability(in.source_bias);
    const double quantum_max = sv_max_quantum_win_probability(in.source_bias);
    // No device the bound allows wins with probability quantum_max or more; a threshold there is refused
    // (every quantum device would abort) rather than given an arbitrary line.
    if (!(bound.threshold_win_probability < quantum_max))
        throw Error(ErrorKind::invalid_argument,
                    "the abort threshold's win rate " + std::to_string(bound.threshold_win_probability) + " reaches " +
                        std::to_string(quantum_max) + ", the largest win probability the entropy bound allows a quantum device "
                        "under this source: every device would abort, and the bound is not defined there");
    if (!(bound.threshold_win_probability > local_win)) return bound; // nothing certified: all zero
    bound.beats_local_bound = true;

    const double n = double(in.trials);
    const double sqrt_n = std::sqrt(n);
    const double confidence = std::sqrt(1.0 - 2.0 * std::log2(in.smoothing_error * in.abort_error));
    const double dimension_term = std::log2(1.0 + 2.0 * double(in.output_dimension));
    const double w_thr = bound.threshold_win_probability;

    const TradeoffLine unconstrained = best_tradeoff_line(w_thr, in.source_bias, kLargestSlope);
    bool have_candidate = false;
    auto consider = [&](const TradeoffLine& line) {
        const double rate = line.value_at(w_thr);
        const double ceiling = std::ceil(line.slope);
        const double v = 2.0 * (dimension_term + ceiling) * confidence;
        const double entropy = n * rate - v * sqrt_n;
        if (have_candidate && entropy <= bound.first_order_bits - bound.second_order_bits) return;
        have_candidate = true;
        bound.tradeoff_intercept_bits = line.intercept;
        bound.tradeoff_slope_bits = line.slope;
        bound.slope_ceiling = unsigned(ceiling); // slope <= kLargestSlope: in range
        bound.rate_at_threshold_bits = rate;
        bound.second_order_coefficient = v;
        bound.first_order_bits = n * rate;
        bound.second_order_bits = v * sqrt_n;
    };
    consider(unconstrained);
    for (unsigned slope = 1; double(slope) <= unconstrained.slope; ++slope)
        consider(TradeoffLine{certified_intercept_bits(double(slope), in.source_bias), double(slope)});
    // Between the largest win probability a quantum device reaches and quantum_max the lines are valid
    // but steep, and the theorem can state more than the outcomes hold; that only means no device passes
    // such a threshold with probability eps_EA or more. The outcomes never hold more than n log2 d_O bits.
    const double outcome_bits = n * std::log2(double(in.output_dimension));
    bound.min_entropy_bits = std::clamp(bound.first_order_bits - bound.second_order_bits, 0.0, outcome_bits);
    return bound;
}

} // namespace dira::certify
