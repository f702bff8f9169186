// How many bits the two-source extractor may output (docs/certification.md section 6). The extractor
// itself lives in the extract module; this file only computes certified lengths and error terms.
//
// First input: the run's outcome bits (both stations', two per trial) with smooth min-entropy k1 from
// the entropy accumulation theorem. Second input: further bits of the weak source, an eps-SV source,
// whose min-entropy is n2 * (-log2(1/2 + eps)).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "extract/lengths.hpp"

namespace dira::certify {

// The extractor kinds are the extract module's (extract::to_string, extract::parse_kind).
using ExtractorKind = extract::Kind;
enum class SecurityModel { classical, markov };

std::string_view to_string(SecurityModel model);
SecurityModel parse_security_model(std::string_view name); // "classical" | "markov"

struct ExtractorInputs {
    ExtractorKind kind = ExtractorKind::dodis;
    SecurityModel model = SecurityModel::markov;
    std::uint64_t outcome_bits = 0;         // outcome bits the run produced
    double outcome_min_entropy_bits = 0;    // their smooth min-entropy k1
    std::uint64_t first_input_bits = 0;     // the extractor's first input: outcome bits kept (zero-padded
                                            // when longer than outcome_bits, truncated when shorter)
    std::uint64_t second_input_bits = 0;    // weak-source bits the extractor reads
    double second_min_entropy_per_bit = 0;  // -log2(1/2 + eps) for an eps-SV source
    double error = 0;                       // the extractor's error budget (trace distance)
};

// The sizes each kind requires: dodis n1 = n2 = n, n prime with 2 a primitive root mod n; circulant
// n1 = n - 1, n2 = n, same n; toeplitz n2 = n1 + m - 1 (so m <= n2 - n1 + 1).
struct ExtractorLength {
    double first_min_entropy_bits = 0;   // k1 minus the outcome bits truncated away
    double second_min_entropy_bits = 0;  // k2 = n2 * (-log2(1/2 + eps))
    double length_bound_bits = 0;        // the real-valued bound on m before rounding down
    double classical_log2_error = 0;     // Markov model: log2 of the classical extractor error the
                                         // conversion needs (equal to log2(error) for classical)
    std::uint64_t output_bits = 0;       // m: the certified output length (0: nothing)
};

// Throws invalid_argument when the sizes do not fit the kind (for dodis and circulant the caller picks
// n, which must pass extract::is_usable_cyclic_length), or error is outside (0, 1).
ExtractorLength extractor_output_length(const ExtractorInputs& inputs);

// The extractor's input sizes for a run with `outcome_bits` outcome bits: the whole outcome string,
// zero-padded up to the next usable n (extract::usable_cyclic_length_at_least, the extract module's
// one definition) for dodis (n >= outcome bits) and circulant (n - 1 >= outcome bits), and for toeplitz the second input as long as the certified m allows. Padding costs less than
// truncating: a pad bit adds one bit of length but -log2(1/2 + eps) bits of second-source entropy,
// a truncated bit removes one bit of the certified min-entropy.
ExtractorInputs choose_extractor_inputs(ExtractorKind kind, SecurityModel model, std::uint64_t outcome_bits,
                                        double outcome_min_entropy_bits, double source_bias, double error);

} // namespace dira::certify
