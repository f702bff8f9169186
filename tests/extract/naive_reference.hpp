// The extractors straight from their definitions (docs/extraction.md section 1), one bit at a time,
// O(n m): the yardstick every implementation is held to. Deliberately shares no code with the library.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "extract/bits.hpp"

namespace dira::extract::testing {

using Bits = std::vector<std::uint8_t>; // one bit per element, bit 0 first

// Dodis et al.: z_i = XOR_k x_k y_((i+k) mod n). x may be shorter than y (circulant): missing bits are 0.
inline std::uint8_t naive_dodis_bit(const Bits& x, const Bits& y, std::uint64_t i) {
    const std::uint64_t n = y.size();
    std::uint8_t z = 0;
    for (std::uint64_t k = 0; k < x.size(); ++k) z ^= x[k] & y[(i + k) % n];
    return z;
}

// Toeplitz: z = T x, T_ij = y_((i-j) mod (n1+m-1)).
inline std::uint8_t naive_toeplitz_bit(const Bits& x, const Bits& y, std::uint64_t m, std::uint64_t i) {
    const std::int64_t n1 = static_cast<std::int64_t>(x.size()), len = n1 + static_cast<std::int64_t>(m) - 1;
    std::uint8_t z = 0;
    for (std::int64_t j = 0; j < n1; ++j) z ^= y[((static_cast<std::int64_t>(i) - j) % len + len) % len] & x[j];
    return z;
}

inline Bits naive_dodis(const Bits& x, const Bits& y, std::uint64_t m) {
    Bits z(m);
    for (std::uint64_t i = 0; i < m; ++i) z[i] = naive_dodis_bit(x, y, i);
    return z;
}

// Circulant: x of n-1 bits with one 0 appended, then as dodis.
inline Bits naive_circulant(Bits x, const Bits& y, std::uint64_t m) {
    x.push_back(0);
    return naive_dodis(x, y, m);
}

inline Bits naive_toeplitz(const Bits& x, const Bits& y, std::uint64_t m) {
    Bits z(m);
    for (std::uint64_t i = 0; i < m; ++i) z[i] = naive_toeplitz_bit(x, y, m, i);
    return z;
}

inline Bits to_bits(const BitString& s) {
    Bits b(s.size_bits);
    for (std::uint64_t i = 0; i < s.size_bits; ++i) b[i] = s.get(i);
    return b;
}

inline BitString to_bit_string(const Bits& b) {
    BitString s(b.size());
    for (std::uint64_t i = 0; i < b.size(); ++i) s.set(i, b[i]);
    return s;
}

// Random bits; density in [0, 1] (0: all zero, 1: all one).
inline Bits random_bits(std::mt19937_64& rng, std::uint64_t n, double density = 0.5) {
    std::bernoulli_distribution bit(density);
    Bits b(n);
    for (auto& v : b) v = bit(rng);
    return b;
}

inline Bits single_bit(std::uint64_t n, std::uint64_t at) {
    Bits b(n, 0);
    b[at] = 1;
    return b;
}

} // namespace dira::extract::testing
