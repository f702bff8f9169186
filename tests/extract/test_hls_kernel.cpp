// The HLS kernel in C-simulation against the host library, bit for bit, at several geometries.
#include <catch2/catch.hpp>

#include <random>

#include "extract/extractor.hpp"
#include "hls/extract/extract_kernel.hpp"
#include "hls/extract/extract_top.hpp"
#include "naive_reference.hpp"

using namespace dira::extract;
using namespace dira::extract::testing;
namespace hx = dira::hls_extract;

namespace {

unsigned hls_kind(Kind k) {
    return k == Kind::dodis ? hx::kDodis : k == Kind::circulant ? hx::kCirculant : hx::kToeplitz;
}

// Runs the kernel at geometry W x P; returns its status and fills z (m bits).
template <int W, int P, int MaxWords>
unsigned run_kernel(Kind kind, const BitString& x, const BitString& y, std::uint64_t m, BitString& z) {
    hls::stream<ap_uint<W>> xs, ys;
    hls::stream<ap_uint<P>> zs;
    for (const BitString* s : {&x, &y})
        for (std::uint64_t w = 0; w < (s->size_bits + W - 1) / W; ++w) {
            ap_uint<W> v = 0;
            for (int i = 0; i < W && w * W + i < s->size_bits; ++i) v[i] = s->get(w * W + i);
            (s == &x ? xs : ys).write(v);
        }
    const unsigned status = hx::extract_block<W, P, MaxWords>(xs, ys, zs, hls_kind(kind), static_cast<std::uint32_t>(x.size_bits),
                                                             static_cast<std::uint32_t>(y.size_bits), static_cast<std::uint32_t>(m));
    z = BitString(m);
    if (status != hx::kOk) return status;
    for (std::uint64_t p = 0; p < (m + P - 1) / P; ++p) {
        const ap_uint<P> v = zs.read();
        for (int i = 0; i < P; ++i) {
            if (p * P + i < m) z.set(p * P + i, v[i]);
            else CHECK_FALSE(v[i]); // bits past m are zero
        }
    }
    CHECK(zs.empty());
    CHECK(xs.empty());
    CHECK(ys.empty());
    return status;
}

template <int W, int P>
void check_geometry(std::mt19937_64& rng, int rounds) {
    constexpr int kMaxWords = 8192 / W; // 8192 bits per input: room for y = n1 + m - 1 < 6002
    for (Kind kind : {Kind::dodis, Kind::circulant, Kind::toeplitz})
        for (int it = 0; it < rounds; ++it) {
            const std::uint64_t n = kind == Kind::toeplitz ? W + rng() % 3000 : usable_cyclic_length_at_least(W + 1 + rng() % 3000);
            std::uint64_t m = 1 + rng() % n;
            if (it == 0) m = 1;
            if (it == 1) m = n - 1;
            if (it == 2) m = n;
            const double density = it == 3 ? 0.0 : it == 4 ? 1.0 : 0.5;
            const BitString x = to_bit_string(random_bits(rng, required_x_bits(kind, n), density));
            const BitString y = to_bit_string(random_bits(rng, required_y_bits(kind, n, m), density));
            BitString z;
            INFO(to_string(kind) << " W=" << W << " P=" << P << " n=" << n << " m=" << m);
            REQUIRE(run_kernel<W, P, kMaxWords>(kind, x, y, m, z) == hx::kOk);
            CHECK(z == extract(kind, x, y, m));
        }
}

} // namespace

TEST_CASE("HLS kernel C-simulation agrees with the host library") {
    std::mt19937_64 rng(200);
    check_geometry<64, 64>(rng, 12);
    check_geometry<32, 16>(rng, 8);
    check_geometry<16, 40>(rng, 8); // P not a multiple of W: a window of four words
    check_geometry<8, 3>(rng, 6);
}

TEST_CASE("HLS kernel on single-bit inputs") {
    std::mt19937_64 rng(201);
    for (Kind kind : {Kind::dodis, Kind::circulant, Kind::toeplitz}) {
        const std::uint64_t n = kind == Kind::toeplitz ? 300 : 317, m = 100;
        const std::uint64_t xn = required_x_bits(kind, n), yn = required_y_bits(kind, n, m);
        for (std::uint64_t at : {std::uint64_t{0}, std::uint64_t{63}, std::uint64_t{64}, xn - 1}) {
            const BitString x = to_bit_string(single_bit(xn, at)), y = to_bit_string(random_bits(rng, yn));
            BitString z;
            REQUIRE(run_kernel<64, 64, 64>(kind, x, y, m, z) == hx::kOk);
            CHECK(z == extract(kind, x, y, m));
        }
        for (std::uint64_t at : {std::uint64_t{0}, yn / 2, yn - 1}) {
            const BitString x = to_bit_string(random_bits(rng, xn)), y = to_bit_string(single_bit(yn, at));
            BitString z;
            REQUIRE(run_kernel<64, 64, 64>(kind, x, y, m, z) == hx::kOk);
            CHECK(z == extract(kind, x, y, m));
        }
    }
}

TEST_CASE("HLS kernel refuses sizes it cannot run and reads nothing") {
    BitString x(200), y(200), z;
    CHECK(run_kernel<64, 64, 64>(Kind::dodis, x, BitString(199), 5, z) == hx::kBadSizes);
    CHECK(run_kernel<64, 64, 64>(Kind::dodis, BitString(60), BitString(60), 5, z) == hx::kPeriodTooShort);
    CHECK(run_kernel<64, 64, 2>(Kind::dodis, x, y, 5, z) == hx::kTooLong);
    CHECK(run_kernel<64, 64, 64>(Kind::dodis, x, y, 201, z) == hx::kBadM);
    CHECK(run_kernel<64, 64, 64>(Kind::dodis, x, y, 0, z) == hx::kBadM);
    CHECK(run_kernel<64, 64, 64>(Kind::toeplitz, x, y, 5, z) == hx::kBadSizes);
}

TEST_CASE("dira_extract_mm's dataflow streams hold inputs of the full RAM size") {
    // x and y of kDefaultMaxWords words each pass through the streams between the processes, which
    // throw if a write overflows their declared depth. One pass (m = P) keeps it short.
    constexpr std::uint32_t kBits = hx::kDefaultMaxWords * hx::kDefaultW;
    std::mt19937_64 rng(202);
    std::vector<hx::InWord> x(hx::kDefaultMaxWords), y(hx::kDefaultMaxWords);
    for (auto* v : {&x, &y})
        for (auto& w : *v) w = hx::InWord(rng());
    std::vector<hx::OutWord> z(1);
    REQUIRE(dira_extract_mm(x.data(), y.data(), z.data(), hx::kDodis, kBits, kBits, hx::kDefaultP) == hx::kOk);
    const auto bit = [](const std::vector<hx::InWord>& v, std::uint32_t i) { return v[i / hx::kDefaultW][static_cast<int>(i % hx::kDefaultW)]; };
    for (int i = 0; i < hx::kDefaultP; ++i) {
        bool expected = false; // dodis: z_i = XOR_k x_k y_((i+k) mod n)
        for (std::uint32_t k = 0; k < kBits; ++k) expected ^= bit(x, k) && bit(y, (i + k) % kBits);
        INFO("bit " << i);
        CHECK(z[0][i] == expected);
    }
}
