// The two-source extractors (docs/extraction.md): the ONE definition of what dira outputs, which the
// HLS kernel and the RTL are tested against.
//
//   dodis      x, y of n bits:             z_i = XOR_k x_k y_((i+k) mod n),             i < m <= n
//   circulant  x of n-1 bits (+ one 0), y of n bits: as dodis
//   toeplitz   x of n1 bits, y of n1+m-1:  z_i = XOR_j y_((i-j) mod (n1+m-1)) x_j,     i < m <= n1
//
// All three are the correlation z_i = XOR_k a_k b_(i+k) (i < m, k < N) of a first string a of N bits
// with a second string b of N + m - 1 bits:
//   dodis, circulant: a = x (N = n, circulant's a_(n-1) = 0), b_j = y_(j mod n)
//   toeplitz:         a_k = x_(n1-1-k) (x reversed, N = n1), b_j = y_((j + m) mod (n1+m-1))
// and a correlation is a slice of a polynomial product: z_i = coefficient N-1+i of rev(a) * b.
// The product is computed in chunks of a (each chunk's contribution is again such a slice), so a run
// of any length fits in a bounded amount of memory.
#pragma once

#include <cstdint>
#include <functional>

#include "extract/bit_source.hpp"
#include "extract/bits.hpp"
#include "extract/lengths.hpp"

namespace dira::extract {

struct ExtractOptions {
    unsigned threads = 0;                               // 1 or 2; 0: as many as pay (at most 2)
    std::uint64_t memory_budget_bytes = std::uint64_t{6} << 30; // working memory for one chunk
    std::uint64_t chunk_bits = 0;                       // 0: chosen from the budget (tests force it)
    std::function<void(std::uint64_t done_bits, std::uint64_t total_bits)> progress; // after each chunk
};

// z (m_bits bits). The sources' size_bits are the input lengths, checked with check_lengths (Error
// invalid_argument when they do not fit the kind).
BitString extract(Kind kind, const BitSource& x, const BitSource& y, std::uint64_t m_bits,
                  const ExtractOptions& options = {});
BitString extract(Kind kind, const BitString& x, const BitString& y, std::uint64_t m_bits,
                  const ExtractOptions& options = {});

// The chunk of the first string (in bits) extract uses for these sizes; 0 if even the smallest chunk
// exceeds the budget. Exposed for the benchmarks' memory report.
std::uint64_t plan_chunk_bits(std::uint64_t a_bits, std::uint64_t m_bits, std::uint64_t memory_budget_bytes);

} // namespace dira::extract
