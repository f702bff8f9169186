// The RTL twin in Verilator against the HLS kernel model and the host library, bit for bit, with and
// without stalls on its streams; its cycle count against the throughput it promises.
#include <catch2/catch.hpp>

#include <random>

#include "extract/extractor.hpp"
#include "hls/extract/extract_kernel.hpp"
#include "extract_rtl_driver.hpp"
#include "naive_reference.hpp"

using namespace dira::extract;
using namespace dira::extract::testing;
namespace hx = dira::hls_extract;
namespace rx = dira::rtl_extract;

namespace {

constexpr int kMaxWords = 4096; // the RTL's default RAM depth

unsigned hls_kind(Kind k) {
    return k == Kind::dodis ? hx::kDodis : k == Kind::circulant ? hx::kCirculant : hx::kToeplitz;
}

std::vector<std::uint64_t> words_of(const BitString& s) { return s.words; }

BitString bits_of(const std::vector<std::uint64_t>& words, std::uint64_t m) {
    BitString z(m);
    for (std::uint64_t i = 0; i < m; ++i) z.set(i, (words[i / 64] >> (i % 64)) & 1u);
    return z;
}

struct Outcome {
    unsigned status;
    BitString z;
};

Outcome run_hls(Kind kind, const BitString& x, const BitString& y, std::uint64_t m) {
    hls::stream<ap_uint<64>> xs, ys;
    hls::stream<ap_uint<64>> zs;
    for (auto w : x.words) xs.write(w);
    for (auto w : y.words) ys.write(w);
    const unsigned status = hx::extract_block<64, 64, kMaxWords>(xs, ys, zs, hls_kind(kind), static_cast<std::uint32_t>(x.size_bits),
                                                                static_cast<std::uint32_t>(y.size_bits), static_cast<std::uint32_t>(m));
    std::vector<std::uint64_t> words;
    while (!zs.empty()) words.push_back(zs.read().to_uint64());
    return {status, status == hx::kOk ? bits_of(words, m) : BitString(m)};
}

rx::BlockResult run_rtl(rx::ExtractRtl& rtl, Kind kind, const BitString& x, const BitString& y, std::uint64_t m) {
    return rtl.run(hls_kind(kind), words_of(x), static_cast<std::uint32_t>(x.size_bits), words_of(y),
                   static_cast<std::uint32_t>(y.size_bits), static_cast<std::uint32_t>(m));
}

void check_block(rx::ExtractRtl& rtl, Kind kind, const BitString& x, const BitString& y, std::uint64_t m) {
    INFO(to_string(kind) << " x=" << x.size_bits << " y=" << y.size_bits << " m=" << m);
    const rx::BlockResult r = run_rtl(rtl, kind, x, y, m);
    REQUIRE(r.status == hx::kOk);
    REQUIRE(r.z_words.size() == (m + 63) / 64);
    const BitString z = bits_of(r.z_words, m);
    CHECK(z == run_hls(kind, x, y, m).z);
    CHECK(z == extract(kind, x, y, m));
    if (m % 64) CHECK((r.z_words.back() >> (m % 64)) == 0); // bits past m are zero
}

} // namespace

TEST_CASE("RTL agrees with the HLS kernel and the host on random blocks") {
    std::mt19937_64 rng(300);
    rx::ExtractRtl smooth(0), stalled(0x9E3779B97F4A7C15ull);
    for (Kind kind : {Kind::dodis, Kind::circulant, Kind::toeplitz})
        for (int it = 0; it < 10; ++it) {
            const std::uint64_t n = kind == Kind::toeplitz ? 64 + rng() % 2500 : usable_cyclic_length_at_least(65 + rng() % 2500);
            const std::uint64_t m = 1 + rng() % n;
            const BitString x = to_bit_string(random_bits(rng, required_x_bits(kind, n)));
            const BitString y = to_bit_string(random_bits(rng, required_y_bits(kind, n, m)));
            check_block(it % 2 ? stalled : smooth, kind, x, y, m);
        }
}

TEST_CASE("RTL on edge cases: m = 1, m = n - 1, all-zero, all-one, single bits") {
    std::mt19937_64 rng(301);
    rx::ExtractRtl rtl(0x1234567ull);
    for (Kind kind : {Kind::dodis, Kind::circulant, Kind::toeplitz})
        for (std::uint64_t n : {67ull, 131ull, 1019ull}) {
            const std::uint64_t xn0 = required_x_bits(kind, n);
            for (std::uint64_t m : {std::uint64_t{1}, n - 1, n}) {
                const std::uint64_t xn = required_x_bits(kind, n), yn = required_y_bits(kind, n, m);
                for (double density : {0.0, 1.0}) {
                    const BitString x = to_bit_string(random_bits(rng, xn, density));
                    const BitString y = to_bit_string(random_bits(rng, yn, density));
                    check_block(rtl, kind, x, y, m);
                }
                for (std::uint64_t at : {std::uint64_t{0}, xn0 / 2, xn - 1})
                    check_block(rtl, kind, to_bit_string(single_bit(xn, at)), to_bit_string(random_bits(rng, yn)), m);
                for (std::uint64_t at : {std::uint64_t{0}, yn - 1})
                    check_block(rtl, kind, to_bit_string(random_bits(rng, xn)), to_bit_string(single_bit(yn, at)), m);
            }
        }
}

TEST_CASE("RTL refuses the sizes the HLS kernel refuses, with the same status") {
    rx::ExtractRtl rtl(0);
    BitString x(200), y(200);
    struct Bad {
        Kind kind;
        std::uint64_t x_bits, y_bits, m;
    };
    for (const Bad& b : {Bad{Kind::dodis, 200, 199, 5}, Bad{Kind::dodis, 60, 60, 5}, Bad{Kind::dodis, 200, 200, 201},
                         Bad{Kind::dodis, 200, 200, 0}, Bad{Kind::toeplitz, 200, 200, 5}, Bad{Kind::circulant, 200, 200, 5},
                         Bad{Kind::dodis, 300'000, 300'000, 5}}) {
        const BitString bx(b.x_bits), by(b.y_bits);
        const unsigned hls_status = run_hls(b.kind, bx, by, b.m).status;
        CHECK(hls_status != hx::kOk);
        const rx::BlockResult r = run_rtl(rtl, b.kind, bx, by, b.m);
        CHECK(r.status == hls_status);
        CHECK(r.z_words.empty());
    }
    check_block(rtl, Kind::dodis, to_bit_string(single_bit(67, 3)), to_bit_string(single_bit(67, 5)), 10); // still works
}

TEST_CASE("RTL throughput: W input bits per cycle, P outputs per pass") {
    std::mt19937_64 rng(302);
    rx::ExtractRtl rtl(0);
    const std::uint64_t n = usable_cyclic_length_at_least(100'000), m = 640;
    const BitString x = to_bit_string(random_bits(rng, n)), y = to_bit_string(random_bits(rng, n));
    const rx::BlockResult r = run_rtl(rtl, Kind::dodis, x, y, m);
    REQUIRE(r.status == hx::kOk);
    const std::uint64_t words = (n + 63) / 64, passes = m / 64;
    CHECK(r.load_cycles == words); // both inputs stream in together, one word each per cycle
    const std::uint64_t pass_cycles = (r.cycles - r.load_cycles) / passes;
    CHECK(pass_cycles >= words + 1);
    CHECK(pass_cycles <= words + 8); // E = 1 extra word plus a few cycles of pipeline and output
}
