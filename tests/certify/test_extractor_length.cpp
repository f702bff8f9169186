// Extractor output lengths (docs section 6). Pinned values: tests/certify/reference_values.py
// (mpmath for the bounds; usable lengths by brute-force multiplicative orders and trial division).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "certify/extractor_length.hpp"
#include "core/error.hpp"
#include "extract/lengths.hpp"

using namespace dira::certify;
using Catch::Matchers::WithinRel;

namespace {

// The ETH plan's certified smooth min-entropy (test_entropy_accumulation) and its 2N outcome bits.
constexpr double kEthMinEntropyBits = 221315214.15935931966;
constexpr std::uint64_t kEthOutcomeBits = 2 * 1342177280ull;

ExtractorInputs eth(ExtractorKind kind, SecurityModel model) {
    return choose_extractor_inputs(kind, model, kEthOutcomeBits, kEthMinEntropyBits, 0.0075, 2.5e-13);
}

} // namespace

TEST_CASE("usable cyclic lengths: primes with 2 as a primitive root") {
    // The extract module decides the usable n; certification's bounds (docs 6.1) rely on exactly this
    // property. Brute force in python: n prime and the order of 2 mod n equal to n - 1 (OEIS A001122).
    using dira::extract::is_usable_cyclic_length;
    using dira::extract::usable_cyclic_length_at_least;
    const std::vector<std::uint64_t> expected = {3,   5,   11,  13,  19,  29,  37,  53,  59,  61,  67,  83,
                                                 101, 107, 131, 139, 149, 163, 173, 179, 181, 197, 211, 227};
    std::vector<std::uint64_t> found;
    for (std::uint64_t n = 0; n < 230; ++n)
        if (is_usable_cyclic_length(n)) found.push_back(n);
    CHECK(found == expected);
    // The ETH run's 2 * 1,342,177,280 outcome bits: the next usable length (python: trial division).
    CHECK(usable_cyclic_length_at_least(2684354560) == 2684354611);
    CHECK(usable_cyclic_length_at_least(2684354611) == 2684354611);
}

TEST_CASE("a small dodis case by hand") {
    // n = 11 (usable), k1 = k2 = 11 (perfect inputs), error 2^-3:
    // classical m = k1 + k2 - n + 1 + 2 log2(error) = 11 + 11 - 11 + 1 - 6 = 6.
    ExtractorInputs in;
    in.kind = ExtractorKind::dodis;
    in.model = SecurityModel::classical;
    in.outcome_bits = in.first_input_bits = in.second_input_bits = 11;
    in.outcome_min_entropy_bits = 11;
    in.second_min_entropy_per_bit = 1.0;
    in.error = 0.125;
    const ExtractorLength classical = extractor_output_length(in);
    CHECK(classical.length_bound_bits == 6.0);
    CHECK(classical.output_bits == 6);
    // Markov: (11 + 11 - 11 + 1 + 8 (-3) + 8 - 4 log2 3) / 5 = (-4 - 6.34) / 5 < 0: nothing.
    in.model = SecurityModel::markov;
    CHECK(extractor_output_length(in).output_bits == 0);
    // Truncating 5 recorded bits away costs 5 bits of min-entropy: with k1 = 11 of 16 recorded bits,
    // 6 remain in the 11 kept, and m = 6 + 11 - 11 + 1 - 6 = 1.
    in.model = SecurityModel::classical;
    in.outcome_bits = 16;
    in.outcome_min_entropy_bits = 16;
    CHECK(extractor_output_length(in).first_min_entropy_bits == 11.0);
    in.outcome_min_entropy_bits = 11;
    CHECK(extractor_output_length(in).first_min_entropy_bits == 6.0);
    CHECK(extractor_output_length(in).output_bits == 1);
}

TEST_CASE("extractor lengths at the ETH plan") {
    // Dodis and circulant: n = 2684354611 >= 2N, k2 = n (-log2 0.5075), error 2.5e-13 (mpmath):
    //   dodis classical   k1 + k2 - n + 1 + 2 log2 e              = 163655926.12
    //   dodis markov      (k1 + k2 - n + 1 + 8 log2 e + 8 - 4 log2 3) / 5 = 32731135.32
    //   circulant         the same with n1 = n - 1 and no +1        = 163655925.12 / 32731135.12
    const ExtractorInputs dodis = eth(ExtractorKind::dodis, SecurityModel::markov);
    CHECK(dodis.first_input_bits == 2684354611);
    CHECK(dodis.second_input_bits == 2684354611);
    CHECK_THAT(extractor_output_length(dodis).length_bound_bits, WithinRel(32731135.319428709389, 1e-11));
    CHECK(extractor_output_length(dodis).output_bits == 32731135);
    CHECK(extractor_output_length(eth(ExtractorKind::dodis, SecurityModel::classical)).output_bits == 163655926);
    const ExtractorInputs circulant = eth(ExtractorKind::circulant, SecurityModel::classical);
    CHECK(circulant.first_input_bits == 2684354610);
    CHECK(circulant.second_input_bits == 2684354611);
    CHECK(extractor_output_length(circulant).output_bits == 163655925);
    CHECK(extractor_output_length(eth(ExtractorKind::circulant, SecurityModel::markov)).output_bits == 32731135);
    // Toeplitz: the seed n2 = n1 + m - 1 is itself a weak-source string; solving m = k1 + k2(n2) - n2 + 2 log2 e
    // for the largest integer m (python): 160214561 classical, 32591125 markov.
    const ExtractorInputs toeplitz = eth(ExtractorKind::toeplitz, SecurityModel::classical);
    const ExtractorLength toeplitz_length = extractor_output_length(toeplitz);
    CHECK(toeplitz_length.output_bits == 160214561);
    CHECK(toeplitz.second_input_bits == toeplitz.first_input_bits + toeplitz_length.output_bits - 1);
    CHECK(extractor_output_length(eth(ExtractorKind::toeplitz, SecurityModel::markov)).output_bits == 32591125);
}

TEST_CASE("the Markov-model length satisfies the conversion it comes from") {
    // Arnon-Friedman, Portmann, Scholz 2016: a classical (k1 - log 1/e_c, k2 - log 1/e_c, e_c) extractor
    // is quantum-proof in the Markov model with error sqrt(3 e_c 2^(m-2)). With the reported e_c, the
    // quantum error is the budget and the classical length condition holds at the entropies reduced by
    // log2(1/e_c): k1 + k2 - n + 1 + 4 log2 e_c >= m.
    const ExtractorInputs in = eth(ExtractorKind::dodis, SecurityModel::markov);
    const ExtractorLength length = extractor_output_length(in);
    const double m = double(length.output_bits);
    const double quantum_log2_error = 0.5 * (std::log2(3.0) + length.classical_log2_error + m - 2.0);
    // (m and log2 e_c are both about 3.3e7 in size and cancel here: compare to 1e-6 absolute.)
    CHECK_THAT(quantum_log2_error, Catch::Matchers::WithinAbs(std::log2(2.5e-13), 1e-6));
    const double classical_requirement = length.first_min_entropy_bits + length.second_min_entropy_bits -
                                         double(in.second_input_bits) + 1.0 + 4.0 * length.classical_log2_error;
    CHECK(classical_requirement >= m);
}

TEST_CASE("more min-entropy never gives a shorter output") {
    for (auto kind : {ExtractorKind::dodis, ExtractorKind::circulant, ExtractorKind::toeplitz})
        for (auto model : {SecurityModel::classical, SecurityModel::markov}) {
            std::uint64_t previous = 0;
            for (double k1 = 0; k1 <= 4000; k1 += 37) {
                const auto in = choose_extractor_inputs(kind, model, 20000, k1, 0.0075, 1e-9);
                const std::uint64_t m = extractor_output_length(in).output_bits;
                CHECK(m >= previous);
                previous = m;
            }
            CHECK(previous > 0);
        }
}

TEST_CASE("extractor sizes are checked") {
    ExtractorInputs in;
    in.kind = ExtractorKind::dodis;
    in.outcome_bits = in.first_input_bits = 11;
    in.second_input_bits = 13;
    in.second_min_entropy_per_bit = 1;
    in.error = 1e-3;
    CHECK_THROWS_AS(extractor_output_length(in), dira::Error); // dodis: n1 != n2
    in.first_input_bits = in.second_input_bits = 15;
    CHECK_THROWS_AS(extractor_output_length(in), dira::Error); // 15 is not prime
    in.first_input_bits = in.second_input_bits = 17;
    CHECK_THROWS_AS(extractor_output_length(in), dira::Error); // 17 is prime but 2 has order 8 mod 17
    in.kind = ExtractorKind::circulant;
    in.first_input_bits = in.second_input_bits = 13;
    CHECK_THROWS_AS(extractor_output_length(in), dira::Error); // circulant: n1 = n - 1
    in.kind = ExtractorKind::toeplitz;
    in.first_input_bits = 20;
    in.second_input_bits = 10;
    CHECK_THROWS_AS(extractor_output_length(in), dira::Error); // toeplitz: seed shorter than input
    in.second_input_bits = 30;
    in.error = 0;
    CHECK_THROWS_AS(extractor_output_length(in), dira::Error);
    CHECK_THROWS_AS(dira::extract::parse_kind("trevisan"), dira::Error);
    CHECK(parse_security_model("markov") == SecurityModel::markov);
}
