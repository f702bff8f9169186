#include "certify/second_source_test.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "certify/binomial.hpp"
#include "certify/json_number.hpp"
#include "core/error.hpp"
#include "core/files.hpp"

namespace dira::certify {
namespace {

constexpr int kTests = 3; // repetition count, adaptive proportion, bias: the budget's shares

std::string figure(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.4g", value);
    return text;
}

// The shortest run length whose union bound over `bits` starts is within `level`.
std::uint64_t repetition_cutoff(std::uint64_t bits, double source_bias, double level) {
    const double per_start = std::log(level) - std::log(double(std::max<std::uint64_t>(bits, 1)));
    return 1 + std::uint64_t(std::ceil(per_start / std::log(0.5 + source_bias)));
}

// The smallest count c of W - 1 bits with P[Binomial(W - 1, 1/2 + eps) >= c] <= level.
std::uint64_t proportion_cutoff(double source_bias, double level) {
    const std::uint64_t n = kAdaptiveProportionWindowBits - 1;
    for (std::uint64_t c = n / 2; c <= n; ++c)
        if (log_binomial_upper_tail(n, 0.5 + source_bias, std::int64_t(c)) <= std::log(level)) return c;
    return n + 1; // never reached for a level above (1/2 + eps)^(W - 1)
}

// Runs, window proportions and ones, one pass over the file.
struct Scan {
    std::uint64_t ones = 0, longest_run = 0, largest_proportion = 0;
};

Scan scan(const std::filesystem::path& path, std::uint64_t bits) {
    const FileDescriptor file = open_regular_file(path);
    if (file.size() * 8 < bits)
        throw Error(ErrorKind::integrity, path.string() + " holds " + std::to_string(file.size() * 8) + " bits, fewer than the " +
                                              std::to_string(bits) + " the extractor reads");
    Scan s;
    std::vector<std::uint8_t> block(1 << 20);
    std::uint64_t run = 0, in_window = 0, same = 0;
    unsigned previous = 2, window_first = 0;
    for (std::uint64_t done = 0; done < bits;) {
        const std::size_t want = std::size_t(std::min<std::uint64_t>(block.size(), (bits - done + 7) / 8));
        const std::size_t got = read_at(file.get(), done / 8, block.data(), want, path);
        if (got < want) throw Error(ErrorKind::io, path.string() + " shrank while it was tested");
        for (std::size_t i = 0; i < got * 8 && done < bits; ++i, ++done) {
            const unsigned bit = (block[i / 8] >> (i % 8)) & 1u;
            s.ones += bit;
            run = bit == previous ? run + 1 : 1;
            previous = bit;
            s.longest_run = std::max(s.longest_run, run);
            if (in_window == 0) {
                window_first = bit;
                same = 0;
            } else {
                same += bit == window_first;
            }
            if (++in_window == kAdaptiveProportionWindowBits) {
                s.largest_proportion = std::max(s.largest_proportion, same);
                in_window = 0;
            }
        }
    }
    return s;
}

} // namespace

SecondSourceTest test_second_source(const std::filesystem::path& path, std::uint64_t bits, double source_bias, double false_refusal) {
    if (!(false_refusal > 0.0 && false_refusal < 1.0))
        throw Error(ErrorKind::invalid_argument, "the source test's false-refusal probability must lie in (0, 1)");
    SecondSourceTest t;
    t.bits = bits;
    t.source_bias = source_bias;
    t.false_refusal = false_refusal;
    const double level = false_refusal / kTests;
    const Scan s = scan(path, bits);
    t.ones = s.ones;
    t.longest_run = s.longest_run;
    t.largest_proportion = s.largest_proportion;
    t.repetition_cutoff = repetition_cutoff(bits, source_bias, level);
    const std::uint64_t windows = std::max<std::uint64_t>(bits / kAdaptiveProportionWindowBits, 1);
    t.proportion_cutoff = proportion_cutoff(source_bias, level / double(windows));
    t.per_side_level = level / 2;
    t.log10_p_too_many_ones = log10_binomial_upper_tail(bits, 0.5 + source_bias, std::int64_t(s.ones));
    t.log10_p_too_few_ones = log10_binomial_lower_tail(bits, 0.5 - source_bias, std::int64_t(s.ones));
    const std::string name = "the second source " + path.filename().string();
    if (t.longest_run >= t.repetition_cutoff)
        t.failure = name + " fails the repetition count test (SP 800-90B 4.4.1): a run of " + std::to_string(t.longest_run) +
                    " identical bits, the cutoff for an eps = " + figure(source_bias) + " source over " + std::to_string(bits) +
                    " bits is " + std::to_string(t.repetition_cutoff) + " (stuck or broken)";
    else if (t.largest_proportion >= t.proportion_cutoff)
        t.failure = name + " fails the adaptive proportion test (SP 800-90B 4.4.2): " + std::to_string(t.largest_proportion) + " of " +
                    std::to_string(kAdaptiveProportionWindowBits - 1) + " bits of a window equal its first, the cutoff is " +
                    std::to_string(t.proportion_cutoff);
    else if (std::min(t.log10_p_too_many_ones, t.log10_p_too_few_ones) < std::log10(t.per_side_level))
        t.failure = name + " is more biased than eps = " + figure(source_bias) + " allows: " + std::to_string(t.ones) + " ones in " +
                    std::to_string(bits) + " bits (frequency " + figure(double(t.ones) / double(std::max<std::uint64_t>(bits, 1))) +
                    ", p-value 10^" + figure(std::min(t.log10_p_too_many_ones, t.log10_p_too_few_ones)) + ")";
    return t;
}

nlohmann::json second_source_test_to_json(const SecondSourceTest& t) {
    return {{"bits", t.bits},
            {"ones", t.ones},
            {"source_bias", report_number(t.source_bias)},
            {"false_refusal", report_number(t.false_refusal)},
            {"repetition_count", {{"longest_run", t.longest_run}, {"cutoff", t.repetition_cutoff}}},
            {"adaptive_proportion",
             {{"window_bits", kAdaptiveProportionWindowBits}, {"largest_count", t.largest_proportion}, {"cutoff", t.proportion_cutoff}}},
            {"bias", {{"log10_p_too_many_ones", report_number(t.log10_p_too_many_ones)},
                      {"log10_p_too_few_ones", report_number(t.log10_p_too_few_ones)},
                      {"per_side_level", report_number(t.per_side_level)}}},
            {"passed", t.passed()},
            {"failure", t.failure ? nlohmann::json(*t.failure) : nlohmann::json(nullptr)}};
}

} // namespace dira::certify
