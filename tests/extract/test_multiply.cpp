// GF(2)[t] products: the FFT against gf2x and against schoolbook, on every CPU kernel; the field.
#include <catch2/catch.hpp>

#include <random>

#include "extract/gf2_multiply.hpp"
#include "kernel_guard.hpp"
#include "naive_reference.hpp"

using namespace dira::extract;
using namespace dira::extract::testing;

namespace {

BitString random_string(std::mt19937_64& rng, std::uint64_t bits) {
    BitString s(bits);
    for (auto& w : s.words) w = rng();
    truncate_bits(s, bits);
    return s;
}

BitString schoolbook(const BitString& a, const BitString& b) {
    BitString c(a.size_bits + b.size_bits - 1);
    for (std::uint64_t i = 0; i < a.size_bits; ++i)
        if (a.get(i))
            for (std::uint64_t j = 0; j < b.size_bits; ++j)
                if (b.get(j)) c.set(i + j, !c.get(i + j));
    return c;
}

} // namespace

TEST_CASE("the Cantor basis and its subspace polynomials") {
    for (CpuKernel k : available_kernels()) {
        KernelGuard guard(k);
        CHECK(detail::cantor_basis(0) == 1);
        for (unsigned i = 1; i < 32; ++i) {
            const std::uint64_t b = detail::cantor_basis(i);
            CHECK((detail::field_multiply(b, b) ^ b) == detail::cantor_basis(i - 1));
        }
        for (unsigned i = 0; i < 24; ++i) {
            CHECK(detail::subspace_polynomial(i, detail::cantor_basis(i)) == 1); // normalised
            for (unsigned j = 0; j < i; ++j) CHECK(detail::subspace_polynomial(i, detail::cantor_basis(j)) == 0);
        }
    }
}

TEST_CASE("field multiplication is the same on every kernel") {
    std::mt19937_64 rng(11);
    std::vector<std::uint64_t> expected;
    for (int i = 0; i < 2000; ++i) {
        const std::uint64_t a = rng(), b = rng();
        KernelGuard portable(CpuKernel::portable);
        expected.push_back(detail::field_multiply(a, b));
    }
    for (CpuKernel k : available_kernels()) {
        KernelGuard guard(k);
        std::mt19937_64 again(11);
        for (int i = 0; i < 2000; ++i) {
            const std::uint64_t a = again(), b = again();
            CHECK(detail::field_multiply(a, b) == expected[static_cast<std::size_t>(i)]);
        }
        CHECK(detail::field_multiply(std::uint64_t{1} << 63, 2) == 0x1B); // t^64 = t^4 + t^3 + t + 1
    }
}

TEST_CASE("small products agree with schoolbook multiplication") {
    std::mt19937_64 rng(1);
    for (CpuKernel k : available_kernels()) {
        KernelGuard guard(k);
        for (int it = 0; it < 150; ++it) {
            const std::uint64_t an = 1 + rng() % 700, bn = 1 + rng() % 700;
            const BitString a = random_string(rng, an), b = random_string(rng, bn);
            const BitString expected = schoolbook(a, b);
            CHECK(multiply(a, b, 1, MultiplyMethod::gf2x) == expected);
            CHECK(multiply(a, b, 1 + it % 2, MultiplyMethod::fft) == expected);
        }
    }
}

TEST_CASE("large FFT products agree with gf2x") {
    std::mt19937_64 rng(2);
    for (CpuKernel k : available_kernels()) {
        KernelGuard guard(k);
        const int rounds = k == CpuKernel::portable ? 4 : 12;
        for (int it = 0; it < rounds; ++it) {
            const std::uint64_t an = 1 + rng() % 300'000, bn = 1 + rng() % 300'000;
            const BitString a = random_string(rng, an), b = random_string(rng, bn);
            CHECK(multiply(a, b, 1 + it % 2, MultiplyMethod::fft) == multiply(a, b, 1, MultiplyMethod::gf2x));
        }
    }
}

TEST_CASE("products of edge-case operands") {
    std::mt19937_64 rng(3);
    for (std::uint64_t n : {1ull, 31ull, 32ull, 33ull, 63ull, 64ull, 65ull, 4096ull, 100'003ull}) {
        BitString zero(n), ones(n), top(n);
        for (std::uint64_t i = 0; i < n; ++i) ones.set(i, true);
        top.set(n - 1, true);
        const BitString r = random_string(rng, n);
        const std::vector<const BitString*> operands{&zero, &ones, &top, &r};
        for (const BitString* a : operands)
            for (const BitString* b : operands)
                CHECK(multiply(*a, *b, 2, MultiplyMethod::fft) == multiply(*a, *b, 1, MultiplyMethod::gf2x));
    }
    CHECK(multiply(BitString(0), BitString(5)).size_bits == 0);
}

TEST_CASE("bits past the stated lengths are ignored") {
    BitString a(128), b(128);
    for (auto& w : a.words) w = ~0ull;
    for (auto& w : b.words) w = ~0ull;
    const BitString c = multiply(a.words.data(), 3, b.words.data(), 2, 1, MultiplyMethod::fft);
    CHECK(c.size_bits == 4);
    CHECK(c.words[0] == 0b1001); // (1+t+t^2)(1+t) = 1 + t^3
}

TEST_CASE("bit reversal and shifted xor") {
    std::mt19937_64 rng(4);
    for (std::uint64_t len : {1ull, 5ull, 63ull, 64ull, 65ull, 200ull, 1000ull}) {
        const BitString s = random_string(rng, len);
        BitString r(len);
        reverse_bits(r.words.data(), s.words.data(), len);
        for (std::uint64_t i = 0; i < len; ++i) CHECK(r.get(i) == s.get(len - 1 - i));
        for (std::uint64_t src = 0; src < 70; src += 23)
            for (std::uint64_t dst = 0; dst < 70; dst += 17) {
                if (src > len) continue;
                BitString out(dst + len + 64);
                xor_bits(out.words.data(), dst, s.words.data(), src, len - src);
                for (std::uint64_t i = 0; i < out.size_bits; ++i)
                    CHECK(out.get(i) == (i >= dst && i < dst + len - src ? s.get(i - dst + src) : false));
            }
    }
}
