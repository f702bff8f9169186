// Is the extractor's second input, the further weak-source bits, plausibly the eps-SV source the
// analysis assumes? Tested before use (docs/certification.md section 8.3), with the two health tests
// of NIST SP 800-90B section 4.4 and a bias estimate:
//
//   - repetition count: no run of identical bits of length C or more. Under an eps-SV source a run
//     of C starting at a given bit has probability at most (1/2 + eps)^(C-1); C is the smallest
//     length whose union bound over every start is within the test's share of the false-refusal
//     budget (SP 800-90B fixes alpha = 2^-20 per sample; over a whole file that would refuse honest
//     sources, so alpha is set per file here, which 90B allows down to 2^-40 and below).
//   - adaptive proportion: in each disjoint window of W = 1024 bits (90B's binary window), the
//     count of bits equal to the window's first among the other W - 1 stays below a cutoff C with
//     P[Binomial(W - 1, 1/2 + eps) >= C] within the test's share divided by the number of windows.
//   - bias: the count of ones over all bits is improbable under neither Binomial(n, 1/2 - eps) nor
//     Binomial(n, 1/2 + eps) (the settings source test's rule, certify/source_test.hpp).
//
// The false-refusal budget (the plan's source_test_false_refusal) is split evenly over the three.
// A source that fails any is refused with the figure: an all-zero or stuck file fails at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace dira::certify {

inline constexpr std::uint64_t kAdaptiveProportionWindowBits = 1024; // SP 800-90B 4.4.2, binary sources

struct SecondSourceTest {
    std::uint64_t bits = 0, ones = 0;
    double source_bias = 0, false_refusal = 0;
    std::uint64_t repetition_cutoff = 0, longest_run = 0;
    std::uint64_t proportion_cutoff = 0, largest_proportion = 0;
    double log10_p_too_many_ones = 0, log10_p_too_few_ones = 0, per_side_level = 0;
    std::optional<std::string> failure; // the first test that failed, with its figures
    bool passed() const { return !failure; }
};

// Tests the first `bits` bits of the file (DESIGN.md section 8 bit order). Throws dira::Error when
// the file cannot be read or holds fewer bits.
SecondSourceTest test_second_source(const std::filesystem::path& path, std::uint64_t bits, double source_bias, double false_refusal);

nlohmann::json second_source_test_to_json(const SecondSourceTest& test);

} // namespace dira::certify
