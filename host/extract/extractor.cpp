#include "extract/extractor.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "extract/gf2_multiply.hpp"

namespace dira::extract {

namespace {

// z_i = XOR_(k < a_bits) a_k b_(i+k), i < m_bits, with a and b given by loaders that fill a zeroed
// buffer with a window: load_a_reversed(start, len) gives a_(start+len-1-t) at bit t (the window of a
// reversed, ready to multiply), load_b(start, len) gives b_(start+t) at bit t.
struct Correlation {
    std::uint64_t a_bits = 0;
    std::uint64_t m_bits = 0;
    std::function<void(std::uint64_t, std::uint64_t, std::uint64_t*)> load_a_reversed;
    std::function<void(std::uint64_t, std::uint64_t, std::uint64_t*)> load_b;
};

std::uint64_t round_down(std::uint64_t v, std::uint64_t to) { return v / to * to; }
std::uint64_t round_up(std::uint64_t v, std::uint64_t to) { return (v + to - 1) / to * to; }

// Bytes one chunk of len bits needs: the FFT buffers plus the two windows and the product.
std::uint64_t chunk_memory_bytes(std::uint64_t len, std::uint64_t m_bits) {
    return multiply_memory_bytes(len, len + m_bits - 1) + (4 * len + 2 * m_bits) / 8;
}

// The chunk a_chunk contributes: z_i ^= XOR_(k < len) a_(start+k) b_(start+k+i), the slice [len-1,
// len-1+m) of rev(a window) * (b window of len + m - 1 bits).
void add_chunk(const Correlation& c, std::uint64_t start, std::uint64_t len, BitString& z, unsigned threads) {
    BitString a(len), b(len + c.m_bits - 1);
    c.load_a_reversed(start, len, a.words.data());
    c.load_b(start, b.size_bits, b.words.data());
    const BitString product = multiply(a, b, threads);
    xor_bits(z.words.data(), 0, product.words.data(), len - 1, c.m_bits);
}

BitString correlate(const Correlation& c, const ExtractOptions& options) {
    std::uint64_t chunk = options.chunk_bits ? options.chunk_bits
                                             : plan_chunk_bits(c.a_bits, c.m_bits, options.memory_budget_bytes);
    if (chunk == 0)
        throw Error(ErrorKind::invalid_argument,
                    "m = " + std::to_string(c.m_bits) + " bits needs more working memory than the budget of " +
                        std::to_string(options.memory_budget_bytes >> 20) + " MiB: raise it or lower m");
    BitString z(c.m_bits);
    for (std::uint64_t start = 0; start < c.a_bits; start += chunk) {
        add_chunk(c, start, std::min(chunk, c.a_bits - start), z, options.threads);
        if (options.progress) options.progress(std::min(start + chunk, c.a_bits), c.a_bits);
    }
    return z;
}

// out bit j = s_((start + j) mod period), j < len.
void read_cyclic(const BitSource& s, std::uint64_t period, std::uint64_t start, std::uint64_t len, std::uint64_t* out) {
    std::uint64_t pos = start % period, done = 0;
    while (done < len) {
        const std::uint64_t take = std::min(len - done, period - pos);
        s.xor_window(pos, take, out, done);
        done += take, pos = 0;
    }
}

Correlation cyclic_correlation(const BitSource& x, const BitSource& y, std::uint64_t n, std::uint64_t m) {
    Correlation c;
    c.a_bits = n, c.m_bits = m;
    c.load_a_reversed = [&x](std::uint64_t start, std::uint64_t len, std::uint64_t* out) {
        BitString window(len);
        if (start < x.size_bits()) x.xor_window(start, std::min(len, x.size_bits() - start), window.words.data(), 0);
        reverse_bits(out, window.words.data(), len); // circulant: a_(n-1) past x reads as the appended 0
    };
    c.load_b = [&y, n](std::uint64_t start, std::uint64_t len, std::uint64_t* out) { read_cyclic(y, n, start, len, out); };
    return c;
}

Correlation toeplitz_correlation(const BitSource& x, const BitSource& y, std::uint64_t m) {
    const std::uint64_t n1 = x.size_bits(), period = y.size_bits();
    Correlation c;
    c.a_bits = n1, c.m_bits = m;
    // a_k = x_(n1-1-k): the reversed window of a is x read forwards.
    c.load_a_reversed = [&x, n1](std::uint64_t start, std::uint64_t len, std::uint64_t* out) {
        x.xor_window(n1 - start - len, len, out, 0);
    };
    c.load_b = [&y, period, m](std::uint64_t start, std::uint64_t len, std::uint64_t* out) {
        read_cyclic(y, period, (start + m) % period, len, out);
    };
    return c;
}

} // namespace

std::uint64_t plan_chunk_bits(std::uint64_t a_bits, std::uint64_t m_bits, std::uint64_t memory_budget_bytes) {
    // One FFT of 2^levels 32-bit pieces holds a chunk product of 2 len + m - 1 bits when
    // 2 len + m - 1 <= 32 (2^levels - 1). Total work ~ chunks * levels * 2^levels: take the cheapest.
    std::uint64_t best_len = 0;
    double best_cost = 0;
    // Below 2^kMinLevels pieces per FFT the per-chunk overhead outweighs the smaller transform.
    constexpr unsigned kMinLevels = 12;
    for (unsigned levels = kMinLevels; levels <= 32; ++levels) {
        const std::uint64_t capacity = 32 * ((std::uint64_t{1} << levels) - 1);
        if (capacity < m_bits + 2 * 64) continue;
        const std::uint64_t len = std::min(round_down((capacity - m_bits + 1) / 2, 64), round_up(a_bits, 64));
        if (chunk_memory_bytes(len, m_bits) + m_bits / 8 > memory_budget_bytes) break;
        const double chunks = static_cast<double>((a_bits + len - 1) / len);
        const double cost = chunks * levels * static_cast<double>(std::uint64_t{1} << levels);
        if (best_len == 0 || cost < best_cost) best_len = len, best_cost = cost;
        if (len >= a_bits) break; // one chunk already: larger FFTs only cost more
    }
    return best_len;
}

BitString extract(Kind kind, const BitSource& x, const BitSource& y, std::uint64_t m_bits, const ExtractOptions& options) {
    check_lengths(kind, x.size_bits(), y.size_bits(), m_bits);
    if (kind == Kind::toeplitz) return correlate(toeplitz_correlation(x, y, m_bits), options);
    return correlate(cyclic_correlation(x, y, y.size_bits(), m_bits), options);
}

BitString extract(Kind kind, const BitString& x, const BitString& y, std::uint64_t m_bits, const ExtractOptions& options) {
    return extract(kind, MemoryBits(x), MemoryBits(y), m_bits, options);
}

} // namespace dira::extract
