// The second source's health tests (SP 800-90B repetition count and adaptive proportion, and a bias
// estimate): an honest eps-SV source passes; zeros, a stuck bit and sources more biased than eps are
// refused with their figures.
#include <catch2/catch.hpp>

#include <fstream>

#include "certify/second_source_test.hpp"
#include "core/error.hpp"
#include "support/temp_dir.hpp"
#include "synthetic_run.hpp"

using namespace dira;
using namespace dira::certify;

namespace {

constexpr std::uint64_t kBits = 1 << 20;
constexpr double kEps = 0.0075;

// Bits drawn with P[1] = p (the counter-based generator of the synthetic runs).
std::string bernoulli_bytes(double p, std::uint64_t seed) {
    std::string bytes(kBits / 8, '\0');
    for (std::uint64_t i = 0; i < kBits; ++i)
        if (testing::uniform(seed, i, 0) < p) bytes[i / 8] = char(bytes[i / 8] | (1 << (i % 8)));
    return bytes;
}

SecondSourceTest run_test(const TempDir& dir, const std::string& bytes) {
    std::ofstream(dir / "bits", std::ios::binary | std::ios::trunc) << bytes;
    return test_second_source(dir / "bits", kBits, kEps, 1e-6);
}

} // namespace

TEST_CASE("an honest eps-SV source passes the second-source tests") {
    TempDir dir;
    for (std::uint64_t seed : {1, 2, 3}) {
        const auto t = run_test(dir, bernoulli_bytes(0.5 + kEps, seed));
        INFO(second_source_test_to_json(t).dump(2));
        CHECK(t.passed());
        CHECK(t.longest_run < t.repetition_cutoff);
        CHECK(t.repetition_cutoff > 20); // far beyond what 2^20 fair bits give by chance (about 20)
    }
}

TEST_CASE("zeros, a stuck source and over-biased sources are refused with their figures") {
    TempDir dir;
    const auto zeros = run_test(dir, std::string(kBits / 8, '\0'));
    REQUIRE_FALSE(zeros.passed());
    CHECK_THAT(*zeros.failure, Catch::Contains("repetition count") && Catch::Contains("1048576 identical bits"));
    CHECK_FALSE(run_test(dir, std::string(kBits / 8, '\xff')).passed());
    // P[1] = 0.6: the adaptive proportion test or the bias estimate sees it.
    const auto biased = run_test(dir, bernoulli_bytes(0.6, 4));
    REQUIRE_FALSE(biased.passed());
    CHECK_THAT(*biased.failure, Catch::Contains("adaptive proportion") || Catch::Contains("more biased"));
    const auto slightly = run_test(dir, bernoulli_bytes(0.5 + 4 * kEps, 5));
    REQUIRE_FALSE(slightly.passed());
    CHECK_THAT(*slightly.failure, Catch::Contains("more biased than eps"));
}

TEST_CASE("a second source shorter than the extractor reads, a FIFO or a link is refused") {
    TempDir dir;
    std::ofstream(dir / "short", std::ios::binary) << std::string(16, 'a');
    CHECK_THROWS_WITH(test_second_source(dir / "short", kBits, kEps, 1e-6), Catch::Contains("fewer than"));
    std::filesystem::create_symlink(dir / "short", dir / "link");
    CHECK_THROWS_WITH(test_second_source(dir / "link", 8, kEps, 1e-6), Catch::Contains("symbolic link"));
}
