// The extraction kernel's interface, defined once: the kinds, the status codes and the size rules of
// the extraction engine, and the argument list of its memory-mapped top dira_extract_mm (kernel name,
// argument order, kinds and widths). Every side takes them from here:
//   - the HLS tops and kernel (hls/extract), which also check their own signature against the list;
//   - the RTL engine (rtl/extract/dira_extract.sv) through dira_pkg, generated from this header
//     (hls/tools/gen_sv_package.cpp: EXTRACT_KIND_*, EXTRACT_STATUS_*);
//   - the station's registers (register_map.hpp: EXTRACT_CONTROL.KIND, EXTRACT_STATUS's code) and the
//     host that drives them (host/transport/station.cpp);
//   - the XRT host (host/transport/xrt_extractor.cpp): kernel name, argument indices and widths.
// tests/extract/test_kernel_interface.cpp fails if a side drifts (docs/extraction.md section 6).
// C++14, like all HLS sources (hls/CXX_STANDARD).
#pragma once

#include <cstdint>

namespace dira {
namespace kernel_interface {

// X(Name, code, meaning): what EXTRACT_CONTROL.KIND and the `kind` argument take.
#define DIRA_EXTRACT_KINDS(X)                                                                      \
    X(Dodis, 0, "z_i = XOR_k x_k y_((i+k) mod n); x and y n bits, n prime with 2 a primitive root") \
    X(Circulant, 1, "as dodis on x with a zero appended; x n-1 bits, y n bits")                      \
    X(Toeplitz, 2, "z_i = XOR_k x_k y_((i-k) mod (n+m-1)); x n bits, y n+m-1 bits")

// X(Name, code, meaning): what the engine reports (the HLS tops' return value, the RTL's `status`,
// EXTRACT_STATUS's code).
#define DIRA_EXTRACT_STATUSES(X)                                                                               \
    X(Ok, 0, "the block ran")                                                                                 \
    X(BadKind, 1, "unknown extractor kind")                                                                   \
    X(BadSizes, 2, "the lengths do not fit the kind (dodis: x = y; circulant: x = y - 1; toeplitz: y = x + m - 1)") \
    X(TooLong, 3, "x empty, or x or y longer than the extractor's RAM")                                      \
    X(PeriodTooShort, 4, "y (the period) shorter than one extractor word")                                    \
    X(BadM, 5, "m is 0 or larger than n")

enum Kind : unsigned {
#define DIRA_X(name, code, doc) k##name = code,
    DIRA_EXTRACT_KINDS(DIRA_X)
#undef DIRA_X
};
enum Status : unsigned {
#define DIRA_X(name, code, doc) k##name = code,
    DIRA_EXTRACT_STATUSES(DIRA_X)
#undef DIRA_X
};

struct CodeInfo {
    const char* name;
    unsigned code;
    const char* meaning;
};
constexpr CodeInfo kKindTable[] = {
#define DIRA_X(name, code, doc) {#name, code, doc},
    DIRA_EXTRACT_KINDS(DIRA_X)
#undef DIRA_X
};
constexpr CodeInfo kStatusTable[] = {
#define DIRA_X(name, code, doc) {#name, code, doc},
    DIRA_EXTRACT_STATUSES(DIRA_X)
#undef DIRA_X
};
constexpr unsigned kKindCount = sizeof(kKindTable) / sizeof(kKindTable[0]);
constexpr unsigned kStatusCount = sizeof(kStatusTable) / sizeof(kStatusTable[0]);

// The codes are 0 .. count-1 in table order, so a code indexes its table and fits a field of
// bits_for(count - 1) bits.
constexpr bool codes_are_indices(const CodeInfo* table, unsigned n) {
    for (unsigned i = 0; i < n; ++i)
        if (table[i].code != i) return false;
    return true;
}
static_assert(codes_are_indices(kKindTable, kKindCount), "kinds are numbered 0, 1, 2, ... in table order");
static_assert(codes_are_indices(kStatusTable, kStatusCount), "statuses are numbered 0, 1, 2, ... in table order");
constexpr unsigned bits_for(unsigned max_value) { return max_value == 0 ? 1 : 1 + (max_value > 1 ? bits_for(max_value / 2) : 0); }
constexpr unsigned kKindBits = bits_for(kKindCount - 1);
constexpr unsigned kStatusBits = bits_for(kStatusCount - 1);

// The size rules, for an engine of `word_bits`-bit input words and `max_bits` bits of RAM per input.
// The HLS kernel, the station model and the hosts call this; the RTL computes the same in SystemVerilog
// (rtl/extract/dira_extract.sv, `check`) and tests/extract runs both on the same sizes.
constexpr Status check_sizes(unsigned kind, std::uint32_t x_bits, std::uint32_t y_bits, std::uint32_t m_bits,
                             unsigned word_bits, std::uint32_t max_bits) {
    if (kind >= kKindCount) return kBadKind;
    if (x_bits == 0 || x_bits > max_bits || y_bits > max_bits) return kTooLong;
    if (y_bits < word_bits) return kPeriodTooShort;
    if (m_bits == 0) return kBadM;
    if (kind == kDodis && x_bits != y_bits) return kBadSizes;
    if (kind == kCirculant && x_bits + 1 != y_bits) return kBadSizes;
    if (kind == kToeplitz && y_bits != x_bits + m_bits - 1) return kBadSizes;
    const std::uint32_t n = kind == kCirculant ? y_bits : x_bits;
    if (m_bits > n) return kBadM;
    return kOk;
}

// --- the memory-mapped top, dira_extract_mm (an accelerator card under XRT) --------------------------
constexpr const char* kMmKernelName = "dira_extract_mm";
constexpr unsigned kMmWordBits = 64;     // W = P: bits per word of x, y and z in device memory
constexpr unsigned kMmMaxWords = 4096;   // RAM words per input: blocks of up to 262144 bits
constexpr unsigned kMmReturnBits = 32;   // the return value (a Status) on s_axilite `return`

enum class ArgKind : std::uint8_t { buffer_in, buffer_out, scalar };

// X(name, kind, bits): dira_extract_mm's arguments in order. Buffers hold `bits`-bit words (bit i
// of a bit string is bit i % bits of word i / bits); scalars are `bits`-bit unsigned integers.
#define DIRA_EXTRACT_MM_ARGS(X)                  \
    X(x, buffer_in, kMmWordBits)                 \
    X(y, buffer_in, kMmWordBits)                 \
    X(z, buffer_out, kMmWordBits)                \
    X(kind, scalar, 32)                          \
    X(x_bits, scalar, 32)                        \
    X(y_bits, scalar, 32)                        \
    X(m_bits, scalar, 32)

struct ArgInfo {
    const char* name;
    ArgKind kind;
    unsigned bits;
};
constexpr ArgInfo kMmArgs[] = {
#define DIRA_X(name, kind, bits) {#name, ArgKind::kind, bits},
    DIRA_EXTRACT_MM_ARGS(DIRA_X)
#undef DIRA_X
};
// The argument indices XRT's set_arg and group_id take.
enum MmArg : int {
#define DIRA_X(name, kind, bits) kMmArg_##name,
    DIRA_EXTRACT_MM_ARGS(DIRA_X)
#undef DIRA_X
    kMmArgCount
};

} // namespace kernel_interface
} // namespace dira
