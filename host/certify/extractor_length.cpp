#include "certify/extractor_length.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "certify/chsh_bounds.hpp"
#include "core/error.hpp"
#include "extract/lengths.hpp"

namespace dira::certify {
namespace {

// log2(3): the constant of the Markov-model conversion (Arnon-Friedman, Portmann, Scholz 2016).
constexpr double kLog2Of3 = 1.5849625007211561815;

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorKind::invalid_argument, message); }

// The constant c in the classical bound m <= k1 + k2 - n + c + 2 log2(error) (docs section 6.1):
// +1 for dodis (Dodis et al. 2004 with the kernel-2 refinement, as in Foreman et al. 2024),
// 0 for circulant and toeplitz (Foreman et al. 2023, 2024). Our own derivation gives at least these.
double classical_constant_bits(ExtractorKind kind) { return kind == ExtractorKind::dodis ? 1.0 : 0.0; }

// The length the second input's deficiency is charged against: n for the cyclic kinds, n2 for toeplitz.
std::uint64_t charged_length_bits(const ExtractorInputs& in) { return in.second_input_bits; }

std::uint64_t longest_output_bits(const ExtractorInputs& in) {
    // toeplitz: the seed has n1 + m - 1 bits, and the extract module takes m <= n1.
    if (in.kind == ExtractorKind::toeplitz) return std::min(in.second_input_bits - in.first_input_bits + 1, in.first_input_bits);
    return in.second_input_bits - 1; // cyclic kinds: m <= n - 1 (the bound's derivation needs it)
}

void validate_sizes(const ExtractorInputs& in) {
    if (!(in.error > 0.0 && in.error < 1.0)) invalid("the extractor error must lie in (0, 1), got " + std::to_string(in.error));
    if (!(in.second_min_entropy_per_bit >= 0.0 && in.second_min_entropy_per_bit <= 1.0))
        invalid("the second source's min-entropy per bit must lie in [0, 1]");
    if (in.first_input_bits == 0) invalid("the extractor's first input is empty");
    switch (in.kind) {
    case ExtractorKind::dodis:
        if (in.first_input_bits != in.second_input_bits)
            invalid("the dodis extractor takes two inputs of the same length n; got " + std::to_string(in.first_input_bits) +
                    " and " + std::to_string(in.second_input_bits) + " bits");
        break;
    case ExtractorKind::circulant:
        if (in.first_input_bits + 1 != in.second_input_bits)
            invalid("the circulant extractor takes n - 1 and n bits; got " + std::to_string(in.first_input_bits) + " and " +
                    std::to_string(in.second_input_bits) + " bits");
        break;
    case ExtractorKind::toeplitz:
        if (in.second_input_bits < in.first_input_bits)
            invalid("the toeplitz extractor's seed (second input, n1 + m - 1 bits) is shorter than its first input");
        return;
    }
    if (!extract::is_usable_cyclic_length(in.second_input_bits))
        invalid("n = " + std::to_string(in.second_input_bits) +
                " is not a prime with 2 as a primitive root, which the dodis and circulant extractors need");
}

} // namespace

std::string_view to_string(SecurityModel model) { return model == SecurityModel::markov ? "markov" : "classical"; }

SecurityModel parse_security_model(std::string_view name) {
    for (auto model : {SecurityModel::classical, SecurityModel::markov})
        if (name == to_string(model)) return model;
    invalid("unknown security model '" + std::string(name) + "': choose markov (quantum side information) or classical");
}

ExtractorLength extractor_output_length(const ExtractorInputs& in) {
    validate_sizes(in);
    ExtractorLength out;
    const double truncated_bits =
        in.outcome_bits > in.first_input_bits ? double(in.outcome_bits - in.first_input_bits) : 0.0;
    out.first_min_entropy_bits = in.outcome_min_entropy_bits - truncated_bits;
    out.second_min_entropy_bits = double(in.second_input_bits) * in.second_min_entropy_per_bit;
    const double log2_error = std::log2(in.error);
    // docs section 6.1: the classical two-source bound.
    const double classical_core = out.first_min_entropy_bits + out.second_min_entropy_bits -
                                  double(charged_length_bits(in)) + classical_constant_bits(in.kind);
    if (in.model == SecurityModel::classical) {
        out.length_bound_bits = classical_core + 2.0 * log2_error;
    } else {
        // docs section 6.2: the Markov-model conversion solved for m.
        out.length_bound_bits = (classical_core + 8.0 * log2_error + 8.0 - 4.0 * kLog2Of3) / 5.0;
    }
    if (std::isnan(out.length_bound_bits)) throw Error(ErrorKind::internal, "the extractor's length bound is not a number");
    // Compared as doubles first: converting a double beyond 2^64 to an integer is undefined.
    const double floored = std::floor(out.length_bound_bits);
    const std::uint64_t longest = longest_output_bits(in);
    out.output_bits = floored < 1.0 ? 0 : floored >= double(longest) ? longest : std::uint64_t(floored);
    out.classical_log2_error = in.model == SecurityModel::classical
                                   ? log2_error
                                   : 2.0 * log2_error - kLog2Of3 - double(out.output_bits) + 2.0;
    return out;
}

ExtractorInputs choose_extractor_inputs(ExtractorKind kind, SecurityModel model, std::uint64_t outcome_bits,
                                        double outcome_min_entropy_bits, double source_bias, double error) {
    if (outcome_bits == 0) invalid("a run without outcome bits has nothing to extract");
    if (!(outcome_min_entropy_bits >= 0.0 && outcome_min_entropy_bits <= double(outcome_bits)))
        invalid("the outcomes' min-entropy must lie in [0, their number of bits], got " + std::to_string(outcome_min_entropy_bits));
    ExtractorInputs in;
    in.kind = kind;
    in.model = model;
    in.outcome_bits = outcome_bits;
    in.outcome_min_entropy_bits = outcome_min_entropy_bits;
    in.second_min_entropy_per_bit = sv_min_entropy_per_bit(source_bias);
    in.error = error;
    switch (kind) {
    case ExtractorKind::dodis:
        in.second_input_bits = in.first_input_bits = extract::usable_cyclic_length_at_least(outcome_bits);
        return in;
    case ExtractorKind::circulant:
        in.second_input_bits = extract::usable_cyclic_length_at_least(outcome_bits + 1);
        in.first_input_bits = in.second_input_bits - 1;
        return in;
    case ExtractorKind::toeplitz: break;
    }
    // Toeplitz: the seed length n2 = n1 + m - 1 depends on m, and m on n2 (its entropy deficiency
    // (n2 - k2) = n2 (1 - r) is charged). Solve the linear fixed point for m, then step down until the
    // one formula above (extractor_output_length) confirms it, so that nothing here is a second
    // definition of the bound.
    in.first_input_bits = outcome_bits;
    const double deficiency_per_bit = 1.0 - in.second_min_entropy_per_bit;
    const double log2_error = std::log2(error);
    const double numerator = model == SecurityModel::classical
                                 ? outcome_min_entropy_bits - double(outcome_bits - 1) * deficiency_per_bit + 2.0 * log2_error
                                 : outcome_min_entropy_bits - double(outcome_bits - 1) * deficiency_per_bit +
                                       8.0 * log2_error + 8.0 - 4.0 * kLog2Of3;
    const double denominator = (model == SecurityModel::classical ? 1.0 : 5.0) + deficiency_per_bit;
    // The output cannot exceed the outcome bits (m <= n1): clamp before any integer conversion.
    double candidate = std::min(std::floor(numerator / denominator), double(outcome_bits));
    if (std::isnan(candidate)) throw Error(ErrorKind::internal, "the toeplitz output length is not a number");
    in.second_input_bits = outcome_bits;
    // Rounding can make the closed form overshoot by a bit or two, never more.
    for (int step = 0; candidate >= 1.0 && step < 8; ++step, candidate -= 1.0) {
        in.second_input_bits = outcome_bits + std::uint64_t(candidate) - 1;
        if (double(extractor_output_length(in).output_bits) >= candidate) return in;
    }
    if (candidate >= 1.0) throw Error(ErrorKind::internal, "the toeplitz seed length did not converge");
    in.second_input_bits = outcome_bits; // nothing to extract: the shortest seed
    return in;
}

} // namespace dira::certify
