// The settings-source test (docs section 3.2).
#include <catch2/catch.hpp>

#include <cmath>

#include "certify/binomial.hpp"
#include "certify/source_test.hpp"
#include "core/error.hpp"

using namespace dira::certify;

namespace {

// A source whose five statistics all sit at the given frequencies, over `bits` bits per station.
SourceCounts counts_at(std::uint64_t bits, double ones, double repeats, double equal) {
    SourceCounts c;
    for (StationSourceCounts* s : {&c.alice, &c.bob}) {
        s->fresh_bits = bits;
        s->ones = std::uint64_t(std::llround(ones * double(bits)));
        s->repeat_pairs = bits - 1;
        s->repeats = std::uint64_t(std::llround(repeats * double(bits - 1)));
    }
    c.fresh_pairs = bits;
    c.equal_pairs = std::uint64_t(std::llround(equal * double(bits)));
    return c;
}

} // namespace

TEST_CASE("an eps-SV source at its most biased passes") {
    // Constant bias +eps (the simulator's default): P(1) = 1/2 + eps, P(repeat) = P(x = y) = 1/2 + 2 eps^2.
    const double eps = 0.0075;
    const SourceTest test = test_settings_source(counts_at(100000000, 0.5 + eps, 0.5 + 2 * eps * eps, 0.5 + 2 * eps * eps), eps, 1e-6);
    CHECK(test.passed());
    CHECK_FALSE(source_test_refusal(test));
    CHECK(test.per_side_level == 1e-7);
}

TEST_CASE("a source visibly more biased than eps is refused, with the numbers") {
    const double eps = 0.0075;
    // Alice's bits are 1 with frequency 0.51 (bias 0.01 > 0.0075) over 10^7 bits: 7.9 standard errors
    // above what an eps-SV source can give.
    SourceCounts c = counts_at(10000000, 0.5, 0.5, 0.5);
    c.alice.ones = 5100000;
    const SourceTest test = test_settings_source(c, eps, 1e-6);
    CHECK_FALSE(test.passed());
    const auto refusal = source_test_refusal(test);
    REQUIRE(refusal);
    CHECK(refusal->reason == RefusalReason::source_bias_exceeded);
    CHECK(refusal->message.find("5100000 of 10000000") != std::string::npos);
    CHECK(refusal->message.find("0.510000") != std::string::npos);
    // Too few ones is refused just the same.
    c = counts_at(10000000, 0.5, 0.5, 0.5);
    c.bob.ones = 4900000;
    CHECK_FALSE(test_settings_source(c, eps, 1e-6).passed());
}

TEST_CASE("a predictable source with balanced bits is refused") {
    // 0101...: exactly half ones, but never equal to the bit before: an SV source's repeat frequency is
    // at least 1/2 - eps.
    SourceCounts c = counts_at(1000000, 0.5, 0.0, 0.5);
    const SourceTest test = test_settings_source(c, 0.0075, 1e-6);
    CHECK_FALSE(test.passed());
    CHECK(source_test_refusal(test)->message.find("previous fresh bit") != std::string::npos);
}

TEST_CASE("the test refuses exactly where the binomial tail crosses its level") {
    // With n bits the largest count of ones that passes is the largest c with
    // P[Bin(n, 1/2 + eps) >= c] >= level; one more is refused.
    const double eps = 0.0075;
    const std::uint64_t n = 1000000;
    const double level = 1e-6 / 10;
    std::uint64_t c = std::uint64_t(n * (0.5 + eps));
    while (log10_binomial_upper_tail(n, 0.5 + eps, std::int64_t(c + 1)) >= std::log10(level)) ++c;
    SourceCounts counts = counts_at(n, 0.5, 0.5, 0.5);
    counts.alice.ones = c;
    CHECK(test_settings_source(counts, eps, 1e-6).passed());
    counts.alice.ones = c + 1;
    CHECK_FALSE(test_settings_source(counts, eps, 1e-6).passed());
}

TEST_CASE("no bits, nothing to refuse; bad parameters throw") {
    CHECK(test_settings_source(SourceCounts{}, 0.0075, 1e-6).passed());
    CHECK_THROWS_AS(test_settings_source(SourceCounts{}, 0.0075, 0.0), dira::Error);
    CHECK_THROWS_AS(test_settings_source(SourceCounts{}, 0.6, 1e-6), dira::Error);
}
