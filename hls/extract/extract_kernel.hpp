// The extraction engine as an HLS C++ kernel: computes a block of a two-source extractor directly,
// W input bits x P output bits per clock cycle. Vitis HLS synthesises it; natively it compiles with
// hls_compat.hpp for C-simulation, and the tests hold it to the host library bit for bit.
//
// The definitions are the host's (host/extract/extractor.hpp, docs/extraction.md): every kind is a
// correlation z_i = XOR_k a_k b_(i+k). The kernel first stores x and y (streamed in, W bits a word)
// in on-chip RAM, then makes ceil(m/P) passes; pass p computes z_(pP) .. z_(pP+P-1):
//   - a word per cycle, aligned:  dodis/circulant a = x; toeplitz a = x reversed, read from the top
//     word down with each word's bits reversed (x taken as zero-padded to n1p = ceil(n1/W)*W bits)
//   - a b word per cycle from the cyclic fetch unit (two RAM words and a funnel shift; the period is
//     n for dodis/circulant and n1+m-1 for toeplitz, the start pP (toeplitz: pP - n1p + 1) mod period)
//   - a window of the last E+1 b words (E = ceil((P-1)/W)), and P parity trees of W AND gates:
//     acc_i ^= parity(a_word & window[i .. i+W)).
// A pass takes ceil(x_bits/W) + E cycles; a block ceil(m/P) passes. Limits: y (the period) at least
// W bits, x and y at most MaxWords*W bits; the host checks that n suits the kind (prime etc.).
#pragma once

#include <cstdint>

#include "dira/extract_interface.hpp"
#include "dira/hls_compat.hpp"

namespace dira { namespace hls_extract {

// The kinds, status codes and size rules: the one definition of the kernel's interface.
using kernel_interface::Kind;
using kernel_interface::kDodis;
using kernel_interface::kCirculant;
using kernel_interface::kToeplitz;
using kernel_interface::Status;
using kernel_interface::kOk;
using kernel_interface::kBadKind;
using kernel_interface::kBadSizes;
using kernel_interface::kTooLong;
using kernel_interface::kPeriodTooShort;
using kernel_interface::kBadM;
using kernel_interface::check_sizes;

// The low `bits` bits set. Shifts only: an ap_uint shift keeps its width, whereas ap_uint subtraction
// gives a signed value one bit wider (Xilinx's ap_int, tests/wire/ap_int_conformance.tsv).
template <int W>
ap_uint<W> low_mask(std::uint32_t bits) {
    const ap_uint<W> ones = ~ap_uint<W>(0);
    return bits >= static_cast<std::uint32_t>(W) ? ones : ap_uint<W>(~(ones << static_cast<int>(bits)));
}

template <int W>
ap_uint<W> reverse_word(const ap_uint<W>& v) {
    ap_uint<W> r = 0;
    for (int i = 0; i < W; ++i) {
#pragma HLS UNROLL
        r[W - 1 - i] = v[i];
    }
    return r;
}

template <int W, int MaxWords>
struct BitRam {
    ap_uint<W> word[MaxWords + 1]; // one spare word: the fetch unit reads word q+1 unconditionally
};

// b bits [pos, pos+W) of the cyclic string y of `period` bits (period >= W), wrapping at the period.
template <int W, int MaxWords>
ap_uint<W> fetch_cyclic(const BitRam<W, MaxWords>& y, const ap_uint<W>& head, std::uint32_t period, std::uint32_t pos) {
#pragma HLS INLINE
    const std::uint32_t q = pos / W, r = pos % W;
    const ap_uint<2 * W> two = (ap_uint<2 * W>(y.word[q + 1]) << W) | ap_uint<2 * W>(y.word[q]);
    ap_uint<W> raw = ap_uint<W>(two >> static_cast<int>(r));
    const std::uint32_t available = period - pos;
    if (available < static_cast<std::uint32_t>(W))
        raw = (raw & low_mask<W>(available)) | (head << static_cast<int>(available));
    return raw;
}

// Word `words` (one past the data) is never used unmasked: fetch_cyclic replaces bits past the period.
template <int W, int MaxWords>
void load_bits(hls::stream<ap_uint<W>>& in, BitRam<W, MaxWords>& ram, std::uint32_t bits) {
    const std::uint32_t words = (bits + W - 1) / W;
load:
    for (std::uint32_t w = 0; w < words; ++w) {
#pragma HLS PIPELINE II = 1
#pragma HLS LOOP_TRIPCOUNT min = 1 max = MaxWords
        ap_uint<W> v = in.read();
        if (w + 1 == words) v &= low_mask<W>(bits - w * W); // bits past the length are ignored
        ram.word[w] = v;
    }
}

// A pass, one step at a time: the state between two cycles of the pass loop. The HLS kernel runs
// the steps in a pipelined loop (run_pass); the station's extractor (hls/station/extractor.hpp) runs
// one step per clock cycle, as the RTL engine does.
template <int W, int P>
struct PassState {
    static constexpr int E = (P - 1 + W - 1) / W; // extra b words the window needs beyond one
    ap_uint<(E + 1) * W> window = 0;             // the last E+1 b words
    ap_uint<P> acc = 0;                          // z_(first) .. z_(first+P-1) so far
    std::uint32_t pos = 0;                       // b position of the next b word
    std::uint32_t j = 0;                         // steps taken
};

template <int W, int P>
void pass_begin(PassState<W, P>& s, std::uint32_t b_start) {
    s.window = 0;
    s.acc = 0;
    s.pos = b_start;
    s.j = 0;
}

// Steps a pass takes: one per a word, plus E to fill the window.
template <int W, int P>
std::uint32_t pass_steps(std::uint32_t x_bits) {
    return (x_bits + W - 1) / W + PassState<W, P>::E;
}

// One step: the next b word into the window; from step E on, a word of a against it.
template <int W, int P, int MaxWords>
void pass_step(PassState<W, P>& s, const BitRam<W, MaxWords>& x, const BitRam<W, MaxWords>& y, const ap_uint<W>& y_head,
               bool reversed, std::uint32_t x_bits, std::uint32_t period) {
#pragma HLS INLINE
    constexpr int E = PassState<W, P>::E;
    const std::uint32_t x_words = (x_bits + W - 1) / W;
    s.window = (s.window >> W) | (ap_uint<(E + 1) * W>(fetch_cyclic<W, MaxWords>(y, y_head, period, s.pos)) << (E * W));
    s.pos += W;
    if (s.pos >= period) s.pos -= period;
    if (s.j >= static_cast<std::uint32_t>(E)) {
        const std::uint32_t k = s.j - E;
        // toeplitz: a word k is x word (x_words-1-k) reversed; a past x is zero.
        const ap_uint<W> a = reversed ? reverse_word<W>(x.word[x_words - 1 - k]) : x.word[k];
        for (int i = 0; i < P; ++i) {
#pragma HLS UNROLL
            const bool parity = (a & ap_uint<W>(s.window >> i)).xor_reduce();
            const bool before = s.acc[i];
            s.acc[i] = before != parity;
        }
    }
    ++s.j;
}

// Where pass p's b string starts: z_(pP) needs b_(pP); toeplitz's b'_j = y_((j - n1p + 1) mod period)
// with n1p = x padded to whole words.
template <int W>
std::uint32_t pass_b_start(bool toeplitz, std::uint32_t first, std::uint32_t x_bits, std::uint32_t period) {
    const std::uint32_t padded_x_bits = (x_bits + W - 1) / W * W;
    return toeplitz ? (first + period - (padded_x_bits - 1) % period) % period : first % period;
}

// One pass: P output bits z_(first) .. z_(first+P-1) (bits past m are left to the caller to clear).
template <int W, int P, int MaxWords>
ap_uint<P> run_pass(const BitRam<W, MaxWords>& x, const BitRam<W, MaxWords>& y, const ap_uint<W>& y_head, bool reversed,
                    std::uint32_t x_bits, std::uint32_t period, std::uint32_t b_start) {
    PassState<W, P> s;
    pass_begin(s, b_start);
    const std::uint32_t steps = pass_steps<W, P>(x_bits);
pass:
    for (std::uint32_t j = 0; j < steps; ++j) {
#pragma HLS PIPELINE II = 1
#pragma HLS LOOP_TRIPCOUNT min = 1 max = MaxWords
        pass_step<W, P, MaxWords>(s, x, y, y_head, reversed, x_bits, period);
    }
    return s.acc;
}

// The block, its sizes already checked (check_sizes == kOk): reads ceil(x_bits/W) words of x and
// ceil(y_bits/W) of y, writes ceil(m/P) words of z (z_(pP+i) is bit i of word p; bits past m are
// zero). A process of its own in dira_extract_mm's dataflow region.
template <int W, int P, int MaxWords>
void extract_checked(hls::stream<ap_uint<W>>& x_in, hls::stream<ap_uint<W>>& y_in, hls::stream<ap_uint<P>>& z_out,
                     unsigned kind, std::uint32_t x_bits, std::uint32_t y_bits, std::uint32_t m_bits) {
    static_assert(W >= 1 && P >= 1, "W and P must be positive");
    static BitRam<W, MaxWords> x, y;
#pragma HLS BIND_STORAGE variable = x.word type = ram_2p impl = bram
#pragma HLS ARRAY_PARTITION variable = y.word type = cyclic factor = 2
    load_bits<W, MaxWords>(x_in, x, x_bits);
    load_bits<W, MaxWords>(y_in, y, y_bits);
    const ap_uint<W> y_head = y.word[0];

    const bool toeplitz = kind == kToeplitz;
    const std::uint32_t period = y_bits;
    const std::uint32_t passes = (m_bits + P - 1) / P;
passes:
    for (std::uint32_t p = 0; p < passes; ++p) {
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 64
        const std::uint32_t first = p * P;
        ap_uint<P> z = run_pass<W, P, MaxWords>(x, y, y_head, toeplitz, x_bits, period,
                                                pass_b_start<W>(toeplitz, first, x_bits, period));
        if (first + P > m_bits) z &= low_mask<P>(m_bits - first);
        z_out.write(z);
    }
}

// The block with its size check: returns a Status; on refusal reads nothing.
template <int W, int P, int MaxWords>
Status extract_block(hls::stream<ap_uint<W>>& x_in, hls::stream<ap_uint<W>>& y_in, hls::stream<ap_uint<P>>& z_out,
                     unsigned kind, std::uint32_t x_bits, std::uint32_t y_bits, std::uint32_t m_bits) {
    const Status status = check_sizes(kind, x_bits, y_bits, m_bits, W, static_cast<std::uint32_t>(MaxWords) * W);
    if (status != kOk) return status;
    extract_checked<W, P, MaxWords>(x_in, y_in, z_out, kind, x_bits, y_bits, m_bits);
    return kOk;
}

} } // namespace dira::hls_extract
