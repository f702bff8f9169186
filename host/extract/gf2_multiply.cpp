#include "extract/gf2_multiply.hpp"

#include <gf2x.h>
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace dira::extract {

namespace {

// ---------------------------------------------------------------------------------------------
// The field GF(2^64) = GF(2)[t] / (t^64 + t^4 + t^3 + t + 1).
// ---------------------------------------------------------------------------------------------

// t^64 = t^4 + t^3 + t + 1: folds the high word hi of a 128-bit product into the low word.
inline std::uint64_t reduce(std::uint64_t lo, std::uint64_t hi) {
    const std::uint64_t over = (hi >> 63) ^ (hi >> 61) ^ (hi >> 60); // what hi*(t^4+t^3+t) pushes past t^63
    lo ^= hi ^ (hi << 1) ^ (hi << 3) ^ (hi << 4);
    return lo ^ over ^ (over << 1) ^ (over << 3) ^ (over << 4);
}

// Carry-less 64x64 -> 128 multiplication without special instructions: 4-bit windows of b.
inline void clmul_portable(std::uint64_t a, std::uint64_t b, std::uint64_t& lo, std::uint64_t& hi) {
    std::uint64_t tl[16], th[16];
    tl[0] = th[0] = 0;
    tl[1] = a, th[1] = 0;
    for (int v = 2; v < 16; ++v) {
        if (v % 2 == 0) {
            tl[v] = tl[v / 2] << 1;
            th[v] = (th[v / 2] << 1) | (tl[v / 2] >> 63);
        } else {
            tl[v] = tl[v - 1] ^ a;
            th[v] = th[v - 1];
        }
    }
    lo = hi = 0;
    for (int k = 60; k >= 0; k -= 4) {
        hi = (hi << 4) | (lo >> 60);
        lo <<= 4;
        const unsigned nib = (b >> k) & 15u;
        lo ^= tl[nib], hi ^= th[nib];
    }
}

inline std::uint64_t mul_portable(std::uint64_t a, std::uint64_t b) {
    std::uint64_t lo, hi;
    clmul_portable(a, b, lo, hi);
    return reduce(lo, hi);
}

// The array kernels of the FFT. fft: lo ^= t*hi, hi ^= lo. ifft: hi ^= lo, lo ^= t*hi.
// pointwise: a[k] *= b[k].
struct FieldKernels {
    void (*fft_butterfly)(std::uint64_t* lo, std::uint64_t* hi, std::size_t n, std::uint64_t t);
    void (*ifft_butterfly)(std::uint64_t* lo, std::uint64_t* hi, std::size_t n, std::uint64_t t);
    void (*pointwise)(std::uint64_t* a, const std::uint64_t* b, std::size_t n);
};

void fft_butterfly_portable(std::uint64_t* lo, std::uint64_t* hi, std::size_t n, std::uint64_t t) {
    for (std::size_t k = 0; k < n; ++k) {
        lo[k] ^= mul_portable(t, hi[k]);
        hi[k] ^= lo[k];
    }
}
void ifft_butterfly_portable(std::uint64_t* lo, std::uint64_t* hi, std::size_t n, std::uint64_t t) {
    for (std::size_t k = 0; k < n; ++k) {
        hi[k] ^= lo[k];
        lo[k] ^= mul_portable(t, hi[k]);
    }
}
void pointwise_portable(std::uint64_t* a, const std::uint64_t* b, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) a[k] = mul_portable(a[k], b[k]);
}

// --- PCLMULQDQ: two field elements per 128-bit register -------------------------------------------
#define DIRA_PCLMUL __attribute__((target("pclmul,sse4.1")))

DIRA_PCLMUL inline __m128i reduce2(__m128i p0, __m128i p1) {
    const __m128i lo = _mm_unpacklo_epi64(p0, p1), hi = _mm_unpackhi_epi64(p0, p1);
    const __m128i over = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi64(hi, 63), _mm_srli_epi64(hi, 61)), _mm_srli_epi64(hi, 60));
    __m128i r = _mm_xor_si128(lo, hi);
    r = _mm_xor_si128(r, _mm_xor_si128(_mm_slli_epi64(hi, 1), _mm_xor_si128(_mm_slli_epi64(hi, 3), _mm_slli_epi64(hi, 4))));
    r = _mm_xor_si128(r, over);
    return _mm_xor_si128(r, _mm_xor_si128(_mm_slli_epi64(over, 1), _mm_xor_si128(_mm_slli_epi64(over, 3), _mm_slli_epi64(over, 4))));
}

DIRA_PCLMUL inline std::uint64_t mul1_pclmul(std::uint64_t a, std::uint64_t b) {
    const __m128i p = _mm_clmulepi64_si128(_mm_cvtsi64_si128(static_cast<long long>(a)),
                                           _mm_cvtsi64_si128(static_cast<long long>(b)), 0x00);
    return reduce(static_cast<std::uint64_t>(_mm_cvtsi128_si64(p)), static_cast<std::uint64_t>(_mm_extract_epi64(p, 1)));
}

// x * t for the two elements of x (t in the low half of tt).
DIRA_PCLMUL inline __m128i mul2_const(__m128i x, __m128i tt) {
    return reduce2(_mm_clmulepi64_si128(x, tt, 0x00), _mm_clmulepi64_si128(x, tt, 0x01));
}

DIRA_PCLMUL void fft_butterfly_pclmul(std::uint64_t* lo, std::uint64_t* hi, std::size_t n, std::uint64_t t) {
    const __m128i tt = _mm_set_epi64x(0, static_cast<long long>(t));
    std::size_t k = 0;
    for (; k + 2 <= n; k += 2) {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hi + k));
        const __m128i l = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(lo + k)), mul2_const(h, tt));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(lo + k), l);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(hi + k), _mm_xor_si128(h, l));
    }
    if (k < n) {
        lo[k] ^= mul1_pclmul(t, hi[k]);
        hi[k] ^= lo[k];
    }
}

DIRA_PCLMUL void ifft_butterfly_pclmul(std::uint64_t* lo, std::uint64_t* hi, std::size_t n, std::uint64_t t) {
    const __m128i tt = _mm_set_epi64x(0, static_cast<long long>(t));
    std::size_t k = 0;
    for (; k + 2 <= n; k += 2) {
        const __m128i l = _mm_loadu_si128(reinterpret_cast<const __m128i*>(lo + k));
        const __m128i h = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(hi + k)), l);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(hi + k), h);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(lo + k), _mm_xor_si128(l, mul2_const(h, tt)));
    }
    if (k < n) {
        hi[k] ^= lo[k];
        lo[k] ^= mul1_pclmul(t, hi[k]);
    }
}

DIRA_PCLMUL void pointwise_pclmul(std::uint64_t* a, const std::uint64_t* b, std::size_t n) {
    std::size_t k = 0;
    for (; k + 2 <= n; k += 2) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + k));
        const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + k));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(a + k),
                         reduce2(_mm_clmulepi64_si128(x, y, 0x00), _mm_clmulepi64_si128(x, y, 0x11)));
    }
    if (k < n) a[k] = mul1_pclmul(a[k], b[k]);
}

constexpr FieldKernels kPortableKernels{fft_butterfly_portable, ifft_butterfly_portable, pointwise_portable};
constexpr FieldKernels kPclmulKernels{fft_butterfly_pclmul, ifft_butterfly_pclmul, pointwise_pclmul};

std::atomic<CpuKernel> g_selected{CpuKernel::automatic};

const FieldKernels& kernels() {
    switch (active_cpu_kernel()) {
    case CpuKernel::pclmul: return kPclmulKernels;
    default: return kPortableKernels;
    }
}

// ---------------------------------------------------------------------------------------------
// Cantor basis and subspace polynomials.
// ---------------------------------------------------------------------------------------------

// The FFT sizes we ever need: 2^kMaxLevels elements of 32 bits (2^37 bits per product).
constexpr unsigned kMaxLevels = 32;

// Solves z^2 + z = c in GF(2^64) (a linear map over GF(2); c must have trace 0).
std::uint64_t solve_artin_schreier(std::uint64_t c) {
    std::array<std::uint64_t, 64> pivot_vec{}, pivot_combo{};
    std::array<bool, 64> has{};
    for (unsigned j = 0; j < 64; ++j) {
        const std::uint64_t tj = std::uint64_t{1} << j;
        std::uint64_t v = mul_portable(tj, tj) ^ tj, combo = tj;
        for (int p = 63; p >= 0 && v; --p) {
            if (!((v >> p) & 1u)) continue;
            if (!has[p]) {
                has[p] = true, pivot_vec[p] = v, pivot_combo[p] = combo;
                break;
            }
            v ^= pivot_vec[p], combo ^= pivot_combo[p];
        }
    }
    std::uint64_t z = 0;
    for (int p = 63; p >= 0; --p) {
        if (!((c >> p) & 1u)) continue;
        if (!has[p]) throw Error(ErrorKind::internal, "Cantor basis: z^2 + z = c has no solution");
        c ^= pivot_vec[p], z ^= pivot_combo[p];
    }
    return z;
}

std::uint64_t subspace_poly(unsigned i, std::uint64_t x) {
    // s_i(x) = sum over submasks k of i of x^(2^k) (Lucas: C(i,k) is odd iff k is a submask of i).
    std::uint64_t power = x, sum = 0; // power = x^(2^k)
    for (unsigned k = 0; k <= i; ++k) {
        if ((k & ~i) == 0) sum ^= power;
        power = mul_portable(power, power);
    }
    return sum;
}

struct Tables {
    std::array<std::uint64_t, kMaxLevels + 1> beta{};
    // s_i(beta_j) for j > i: the twiddles of level i are sums of these.
    std::array<std::array<std::uint64_t, kMaxLevels + 1>, kMaxLevels> s_of_beta{};
    // For level i: the distances 2^i - 2^k (k a proper submask of i) of the lower terms of s_i.
    std::array<std::vector<std::size_t>, kMaxLevels> term_distances;

    Tables() {
        beta[0] = 1;
        for (unsigned i = 1; i <= kMaxLevels; ++i) beta[i] = solve_artin_schreier(beta[i - 1]);
        for (unsigned i = 0; i < kMaxLevels; ++i) {
            for (unsigned j = i + 1; j <= kMaxLevels; ++j) s_of_beta[i][j] = subspace_poly(i, beta[j]);
            for (unsigned k = 0; k < i; ++k)
                if ((k & ~i) == 0) term_distances[i].push_back((std::size_t{1} << i) - (std::size_t{1} << k));
        }
    }
};

const Tables& tables() {
    static const Tables t;
    return t;
}

// twiddle[i][b] = s_i(omega_(b * 2^(i+1))), omega_u = sum of beta_j over the set bits j of u.
std::vector<std::vector<std::uint64_t>> make_twiddles(unsigned levels) {
    const Tables& tb = tables();
    std::vector<std::vector<std::uint64_t>> tw(levels);
    for (unsigned i = 0; i < levels; ++i) {
        const std::size_t count = std::size_t{1} << (levels - 1 - i);
        tw[i].resize(count);
        tw[i][0] = 0;
        for (std::size_t b = 1; b < count; ++b)
            tw[i][b] = tw[i][b & (b - 1)] ^ tb.s_of_beta[i][i + 1 + static_cast<unsigned>(std::countr_zero(b))];
    }
    return tw;
}

// ---------------------------------------------------------------------------------------------
// Basis conversion between monomials and the novel basis X_k = prod over set bits j of k of s_j.
// A block of 2^(i+1) coefficients is f = r + s_i * q with deg r, q < 2^i: r goes to the low half and
// q to the high half, then each half recursively. Dividing by s_i = x^(2^i) + (lower terms at
// distances d below) is: for each position p of the high half, from the top, d[p - dist] ^= d[p].
// Within a run of positions no wider than the smallest distance the updates are independent, which
// lets the compiler vectorise them; multiplying back does the same updates from the bottom up.
// ---------------------------------------------------------------------------------------------

inline void xor_into(std::uint64_t* __restrict dst, const std::uint64_t* __restrict src, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) dst[k] ^= src[k];
}

// Runs longer than this are cut so that the source run stays in L1 while each distance uses it.
constexpr std::size_t kConversionRun = 512;

__attribute__((target_clones("avx2", "default"))) void divide_by_subspace_poly(std::uint64_t* d, unsigned i,
                                                                                std::size_t used) {
    const std::size_t half = std::size_t{1} << i;
    const auto& dist = tables().term_distances[i];
    if (dist.empty() || used <= half) return;
    const std::size_t width = std::min(kConversionRun, *std::min_element(dist.begin(), dist.end()));
    std::size_t end = std::min(used, 2 * half);
    while (end > half) {
        const std::size_t begin = end - std::min(width, end - half);
        for (std::size_t dd : dist) xor_into(d + begin - dd, d + begin, end - begin);
        end = begin;
    }
}

__attribute__((target_clones("avx2", "default"))) void multiply_by_subspace_poly(std::uint64_t* d, unsigned i) {
    const std::size_t half = std::size_t{1} << i;
    const auto& dist = tables().term_distances[i];
    if (dist.empty()) return;
    const std::size_t width = std::min(kConversionRun, *std::min_element(dist.begin(), dist.end()));
    for (std::size_t begin = half; begin < 2 * half; begin += width) {
        const std::size_t end = std::min(begin + width, 2 * half);
        for (std::size_t dd : dist) xor_into(d + begin - dd, d + begin, end - begin);
    }
}

// Coefficients at and past `used` are zero on entry (lets the top levels skip work).
void to_novel_basis(std::uint64_t* d, unsigned i, std::size_t used) {
    if (used == 0) return;
    divide_by_subspace_poly(d, i, used);
    if (i == 0) return;
    const std::size_t half = std::size_t{1} << i;
    to_novel_basis(d, i - 1, std::min(used, half));
    to_novel_basis(d + half, i - 1, used > half ? used - half : 0);
}

void from_novel_basis(std::uint64_t* d, unsigned i) {
    if (i > 0) {
        const std::size_t half = std::size_t{1} << i;
        from_novel_basis(d, i - 1);
        from_novel_basis(d + half, i - 1);
    }
    multiply_by_subspace_poly(d, i);
}

// ---------------------------------------------------------------------------------------------
// The additive FFT: block b of level i (2^(i+1) coefficients, novel basis) is evaluated on the coset
// omega_(b*2^(i+1)) + span(beta_0..beta_i): with t = s_i(coset offset), the low half of the result
// is f0 + t*f1 and the high half f0 + (t+1)*f1 (s_i(beta_i) = 1 on a Cantor basis).
// ---------------------------------------------------------------------------------------------

struct Transform {
    const FieldKernels& k;
    const std::vector<std::vector<std::uint64_t>>& tw;

    void butterfly(std::uint64_t* d, unsigned i, std::size_t b) const {
        const std::size_t half = std::size_t{1} << i;
        const std::uint64_t t = tw[i][b];
        if (t == 0)
            xor_into(d + half, d, half);
        else
            k.fft_butterfly(d, d + half, half, t);
    }
    void inverse_butterfly(std::uint64_t* d, unsigned i, std::size_t b) const {
        const std::size_t half = std::size_t{1} << i;
        const std::uint64_t t = tw[i][b];
        if (t == 0)
            xor_into(d + half, d, half);
        else
            k.ifft_butterfly(d, d + half, half, t);
    }

    // Small blocks: level by level, all in cache.
    static constexpr unsigned kIterativeLevels = 9;

    void forward(std::uint64_t* d, unsigned i, std::size_t b, std::size_t used) const {
        const std::size_t half = std::size_t{1} << i;
        if (i < kIterativeLevels) {
            for (unsigned lv = i + 1; lv-- > 0;)
                for (std::size_t s = 0; s < (std::size_t{1} << (i - lv)); ++s)
                    butterfly(d + (s << (lv + 1)), lv, (b << (i - lv)) + s);
            return;
        }
        if (used <= half) // the high half is zero: both halves start as a copy of the low half
            std::memcpy(d + half, d, used * sizeof(std::uint64_t));
        else
            butterfly(d, i, b);
        const std::size_t next_used = std::min(used, half);
        forward(d, i - 1, 2 * b, next_used);
        forward(d + half, i - 1, 2 * b + 1, next_used);
    }

    void inverse(std::uint64_t* d, unsigned i, std::size_t b) const {
        if (i < kIterativeLevels) {
            for (unsigned lv = 0; lv <= i; ++lv)
                for (std::size_t s = 0; s < (std::size_t{1} << (i - lv)); ++s)
                    inverse_butterfly(d + (s << (lv + 1)), lv, (b << (i - lv)) + s);
            return;
        }
        const std::size_t half = std::size_t{1} << i;
        inverse(d, i - 1, 2 * b);
        inverse(d + half, i - 1, 2 * b + 1);
        inverse_butterfly(d, i, b);
    }
};

// Runs f and g, on two threads when asked.
template <typename F, typename G>
void run_pair(bool parallel, F&& f, G&& g) {
    if (!parallel) {
        f();
        g();
        return;
    }
    std::exception_ptr error;
    std::thread other([&] {
        try {
            f();
        } catch (...) {
            error = std::current_exception();
        }
    });
    g();
    other.join();
    if (error) std::rethrow_exception(error);
}

struct Buffer {
    std::unique_ptr<std::uint64_t[]> p;
    explicit Buffer(std::size_t n) : p(new std::uint64_t[n]) {}
    std::uint64_t* get() const { return p.get(); }
};

constexpr unsigned kPieceBits = 32;
constexpr std::uint64_t kPieceMask = 0xFFFFFFFFull;

std::uint64_t pieces_for_bits(std::uint64_t bits) { return (bits + kPieceBits - 1) / kPieceBits; }

unsigned levels_for(std::uint64_t product_pieces) {
    unsigned levels = 1;
    while ((std::uint64_t{1} << levels) < product_pieces) ++levels;
    return levels;
}

// Field elements of 32 input bits each; zero past the input.
void spread_pieces(std::uint64_t* d, std::size_t size, const std::uint64_t* src, std::uint64_t bits) {
    const std::uint64_t pieces = pieces_for_bits(bits);
    for (std::uint64_t j = 0; j < pieces; ++j) d[j] = (src[j / 2] >> (kPieceBits * (j % 2))) & kPieceMask;
    if (bits % kPieceBits) d[pieces - 1] &= (std::uint64_t{1} << (bits % kPieceBits)) - 1;
    std::memset(d + pieces, 0, (size - pieces) * sizeof(std::uint64_t));
}

// Product pieces (63 bits each) overlap by 32 bits: c ^= piece_j * t^(32 j).
void gather_pieces(std::uint64_t* c, std::uint64_t c_words, const std::uint64_t* d, std::uint64_t pieces) {
    for (std::uint64_t j = 0; j < pieces; ++j) {
        const std::uint64_t v = d[j], w = j / 2;
        if (j % 2 == 0) {
            if (w < c_words) c[w] ^= v;
        } else {
            if (w < c_words) c[w] ^= v << kPieceBits;
            if (w + 1 < c_words) c[w + 1] ^= v >> kPieceBits;
        }
    }
}

// Below this many 32-bit pieces per operand gf2x's Karatsuba/Toom beats the FFT's fixed costs.
constexpr std::uint64_t kFftThresholdPieces = 128;
// Below this FFT size a second thread costs more than it saves.
constexpr unsigned kParallelLevels = 14;

BitString multiply_fft(const std::uint64_t* a, std::uint64_t a_bits, const std::uint64_t* b, std::uint64_t b_bits,
                       unsigned threads) {
    const std::uint64_t a_pieces = pieces_for_bits(a_bits), b_pieces = pieces_for_bits(b_bits);
    const std::uint64_t c_pieces = a_pieces + b_pieces - 1;
    const unsigned levels = levels_for(c_pieces);
    if (levels > kMaxLevels)
        throw Error(ErrorKind::invalid_argument, "product too large for one FFT (over 2^37 bits); extract in chunks");
    const std::size_t size = std::size_t{1} << levels;
    const auto tw = make_twiddles(levels);
    const Transform tr{kernels(), tw};
    const bool parallel = threads > 1 && levels >= kParallelLevels;

    Buffer fa(size), fb(size);
    auto forward = [&](std::uint64_t* d, const std::uint64_t* src, std::uint64_t bits) {
        spread_pieces(d, size, src, bits);
        const std::uint64_t used = pieces_for_bits(bits);
        to_novel_basis(d, levels - 1, used);
        tr.forward(d, levels - 1, 0, used);
    };
    run_pair(parallel, [&] { forward(fa.get(), a, a_bits); }, [&] { forward(fb.get(), b, b_bits); });

    const std::size_t half = size / 2;
    run_pair(parallel, [&] { tr.k.pointwise(fa.get(), fb.get(), half); },
             [&] { tr.k.pointwise(fa.get() + half, fb.get() + half, half); });
    fb = Buffer(0); // free before the inverse: lowers the peak

    // Inverse: the halves are independent until the top level.
    std::uint64_t* d = fa.get();
    const unsigned top = levels - 1;
    if (top == 0) {
        tr.inverse(d, 0, 0);
    } else {
        run_pair(parallel, [&] { tr.inverse(d, top - 1, 0); }, [&] { tr.inverse(d + half, top - 1, 1); });
        tr.inverse_butterfly(d, top, 0);
        run_pair(parallel, [&] { from_novel_basis(d, top - 1); }, [&] { from_novel_basis(d + half, top - 1); });
    }
    multiply_by_subspace_poly(d, top);

    BitString c(a_bits + b_bits - 1);
    gather_pieces(c.words.data(), c.words.size(), d, c_pieces);
    truncate_bits(c, c.size_bits);
    return c;
}

BitString multiply_gf2x(const std::uint64_t* a, std::uint64_t a_bits, const std::uint64_t* b, std::uint64_t b_bits) {
    static_assert(sizeof(unsigned long) == sizeof(std::uint64_t));
    const std::uint64_t an = words_for_bits(a_bits), bn = words_for_bits(b_bits);
    BitString sa(a_bits), sb(b_bits);
    std::copy(a, a + an, sa.words.begin());
    std::copy(b, b + bn, sb.words.begin());
    truncate_bits(sa, a_bits); // clears bits past the lengths
    truncate_bits(sb, b_bits);
    std::vector<unsigned long> c(an + bn);
    const auto* pa = reinterpret_cast<const unsigned long*>(sa.words.data());
    const auto* pb = reinterpret_cast<const unsigned long*>(sb.words.data());
    if (gf2x_mul(c.data(), pa, an, pb, bn) != 0) throw Error(ErrorKind::internal, "gf2x_mul failed (out of memory?)");
    BitString out(a_bits + b_bits - 1);
    std::copy(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(out.words.size()), out.words.begin());
    truncate_bits(out, out.size_bits);
    return out;
}

} // namespace

bool cpu_supports(CpuKernel kernel) {
    static const bool pclmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    switch (kernel) {
    case CpuKernel::pclmul: return pclmul;
    default: return true;
    }
}

void select_cpu_kernel(CpuKernel kernel) {
    if (!cpu_supports(kernel))
        throw Error(ErrorKind::unsupported, 
                    "this CPU has no PCLMULQDQ: choose the portable kernel (the results are the same)");
    g_selected = kernel;
}

CpuKernel active_cpu_kernel() {
    const CpuKernel k = g_selected.load();
    if (k != CpuKernel::automatic) return k;
    return cpu_supports(CpuKernel::pclmul) ? CpuKernel::pclmul : CpuKernel::portable;
}

std::string_view to_string(CpuKernel kernel) {
    switch (kernel) {
    case CpuKernel::automatic: return "automatic";
    case CpuKernel::portable: return "portable";
    case CpuKernel::pclmul: return "pclmul";
    }
    return "?";
}

BitString multiply(const std::uint64_t* a, std::uint64_t a_bits, const std::uint64_t* b, std::uint64_t b_bits,
                   unsigned threads, MultiplyMethod method) {
    if (a_bits == 0 || b_bits == 0) return BitString(0);
    if (threads == 0) threads = std::min(2u, std::max(1u, std::thread::hardware_concurrency()));
    if (method == MultiplyMethod::automatic)
        method = std::min(pieces_for_bits(a_bits), pieces_for_bits(b_bits)) < kFftThresholdPieces ? MultiplyMethod::gf2x
                                                                                                   : MultiplyMethod::fft;
    return method == MultiplyMethod::gf2x ? multiply_gf2x(a, a_bits, b, b_bits) : multiply_fft(a, a_bits, b, b_bits, threads);
}

BitString multiply(const BitString& a, const BitString& b, unsigned threads, MultiplyMethod method) {
    return multiply(a.words.data(), a.size_bits, b.words.data(), b.size_bits, threads, method);
}

std::uint64_t multiply_memory_bytes(std::uint64_t a_bits, std::uint64_t b_bits) {
    const std::uint64_t size = std::uint64_t{1} << levels_for(pieces_for_bits(a_bits) + pieces_for_bits(b_bits) - 1);
    return 2 * size * sizeof(std::uint64_t) + (a_bits + b_bits) / 8;
}

namespace detail {
std::uint64_t field_multiply(std::uint64_t a, std::uint64_t b) {
    std::uint64_t x[1] = {a}, y[1] = {b};
    kernels().pointwise(x, y, 1);
    return x[0];
}
std::uint64_t cantor_basis(unsigned i) { return tables().beta.at(i); }
std::uint64_t subspace_polynomial(unsigned i, std::uint64_t x) { return subspace_poly(i, x); }
} // namespace detail

} // namespace dira::extract
