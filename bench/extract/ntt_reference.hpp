// The yardstick the benchmark measures dira's extractor against: the textbook way, one 64-bit word
// per input bit and a number-theoretic transform over the prime p = 2^64 - 2^32 + 1 (integer
// convolution of the 0/1 sequences, then each sum mod 2). Written here, not in the library.
#pragma once

#include <cstdint>
#include <vector>

namespace dira::bench {

class NttReference {
public:
    // Dodis: z_i = XOR_k x_k y_((i+k) mod n), i < m; x and y one bit per byte.
    static std::vector<std::uint8_t> dodis(const std::vector<std::uint8_t>& x, const std::vector<std::uint8_t>& y,
                                           std::uint64_t m) {
        const std::uint64_t n = y.size();
        std::uint64_t size = 1;
        while (size < 2 * n - 1) size *= 2;
        // c = rev(x) * y: z_i = c_(n-1+i) + c_(i-1) (the cyclic wrap).
        std::vector<std::uint64_t> a(size, 0), b(size, 0);
        for (std::uint64_t k = 0; k < n; ++k) a[n - 1 - k] = k < x.size() ? x[k] : 0;
        for (std::uint64_t k = 0; k < n; ++k) b[k] = y[k];
        transform(a, false);
        transform(b, false);
        for (std::uint64_t i = 0; i < size; ++i) a[i] = mul(a[i], b[i]);
        transform(a, true);
        std::vector<std::uint8_t> z(m);
        for (std::uint64_t i = 0; i < m; ++i)
            z[i] = static_cast<std::uint8_t>((canonical(a[n - 1 + i]) + (i ? canonical(a[i - 1]) : 0)) & 1u);
        return z;
    }

private:
    static constexpr std::uint64_t kP = 0xFFFFFFFF00000001ull;
    static constexpr std::uint64_t kEps = 0xFFFFFFFFull; // 2^64 mod p

    __extension__ typedef unsigned __int128 u128;

    // All values stay canonical (< p).
    static std::uint64_t canonical(std::uint64_t v) { return v >= kP ? v - kP : v; }
    static std::uint64_t add(std::uint64_t a, std::uint64_t b) {
        std::uint64_t r;
        if (__builtin_add_overflow(a, b, &r)) return r + kEps; // a + b - 2^64 + (2^64 - p) = a + b - p < p
        return canonical(r);
    }
    static std::uint64_t sub(std::uint64_t a, std::uint64_t b) { return a >= b ? a - b : a - b + kP; }
    static std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
        const u128 x = static_cast<u128>(a) * b;
        const std::uint64_t lo = static_cast<std::uint64_t>(x), hi = static_cast<std::uint64_t>(x >> 64);
        const std::uint64_t t = sub(canonical(lo), hi >> 32);    // 2^96 = -1
        return add(t, canonical((hi & kEps) * kEps));          // 2^64 = 2^32 - 1
    }
    static std::uint64_t power(std::uint64_t b, std::uint64_t e) {
        std::uint64_t r = 1;
        for (; e; e >>= 1, b = mul(b, b))
            if (e & 1) r = mul(r, b);
        return r;
    }

    // Iterative radix-2 NTT (bit-reversed input order), twiddles precomputed per stage.
    static void transform(std::vector<std::uint64_t>& a, bool inverse) {
        const std::uint64_t n = a.size();
        for (std::uint64_t i = 1, j = 0; i < n; ++i) {
            std::uint64_t bit = n >> 1;
            for (; j & bit; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) std::swap(a[i], a[j]);
        }
        std::vector<std::uint64_t> w;
        for (std::uint64_t len = 2; len <= n; len *= 2) {
            std::uint64_t root = power(7, (kP - 1) / len); // 7 generates the group mod p
            if (inverse) root = power(root, kP - 2);
            w.assign(len / 2, 1);
            for (std::uint64_t k = 1; k < len / 2; ++k) w[k] = mul(w[k - 1], root);
            for (std::uint64_t i = 0; i < n; i += len)
                for (std::uint64_t k = 0; k < len / 2; ++k) {
                    const std::uint64_t u = a[i + k], v = mul(a[i + k + len / 2], w[k]);
                    a[i + k] = add(u, v);
                    a[i + k + len / 2] = sub(u, v);
                }
        }
        if (inverse) {
            const std::uint64_t inv_n = power(n % kP, kP - 2);
            for (auto& v : a) v = mul(v, inv_n);
        }
    }
};

} // namespace dira::bench
