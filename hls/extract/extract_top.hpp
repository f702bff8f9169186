// The synthesis tops of the extraction kernel at the default geometry (W = P = 64, 4096-word RAMs:
// blocks of up to 262144 bits per input). dira_extract streams (AXI4-Stream, for the station board);
// dira_extract_mm reads and writes memory (AXI4 master, for an accelerator card under XRT). The
// geometry, dira_extract_mm's argument list and the status codes are the kernel interface's
// (dira/extract_interface.hpp); the static_assert below holds the declaration to that list.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "extract_kernel.hpp"

namespace dira {
namespace hls_extract {

constexpr int kDefaultW = static_cast<int>(kernel_interface::kMmWordBits); // input bits per cycle
constexpr int kDefaultP = static_cast<int>(kernel_interface::kMmWordBits); // output bits per pass
constexpr int kDefaultMaxWords = static_cast<int>(kernel_interface::kMmMaxWords);

using InWord = ap_uint<kDefaultW>;
using OutWord = ap_uint<kDefaultP>;

} // namespace hls_extract
} // namespace dira

// Returns a dira::kernel_interface::Status.
unsigned dira_extract(hls::stream<dira::hls_extract::InWord>& x_in, hls::stream<dira::hls_extract::InWord>& y_in,
                      hls::stream<dira::hls_extract::OutWord>& z_out, unsigned kind, unsigned x_bits, unsigned y_bits,
                      unsigned m_bits);

// Arguments in the order and widths of DIRA_EXTRACT_MM_ARGS; returns a dira::kernel_interface::Status.
unsigned dira_extract_mm(const dira::hls_extract::InWord* x, const dira::hls_extract::InWord* y,
                         dira::hls_extract::OutWord* z, unsigned kind, unsigned x_bits, unsigned y_bits, unsigned m_bits);

namespace dira {
namespace hls_extract {

// What a parameter type says about an argument: buffer in (pointer to const words), buffer out, or
// an unsigned scalar, and its width in bits.
template <typename T>
struct ArgShape {
    static constexpr bool known = std::is_integral<T>::value && std::is_unsigned<T>::value;
    static constexpr kernel_interface::ArgKind kind = kernel_interface::ArgKind::scalar;
    static constexpr unsigned bits = 8 * sizeof(T);
};
template <int W>
struct ArgShape<const ap_uint<W>*> {
    static constexpr bool known = true;
    static constexpr kernel_interface::ArgKind kind = kernel_interface::ArgKind::buffer_in;
    static constexpr unsigned bits = W;
};
template <int W>
struct ArgShape<ap_uint<W>*> {
    static constexpr bool known = true;
    static constexpr kernel_interface::ArgKind kind = kernel_interface::ArgKind::buffer_out;
    static constexpr unsigned bits = W;
};

template <typename Shape>
constexpr bool shape_is(const kernel_interface::ArgInfo& arg) {
    return Shape::known && Shape::kind == arg.kind && Shape::bits == arg.bits;
}

template <typename R, typename... A, std::size_t... I>
constexpr bool signature_matches(R (*)(A...), std::index_sequence<I...>) {
    const bool each[] = {true, shape_is<ArgShape<A>>(kernel_interface::kMmArgs[I])...};
    for (bool ok : each)
        if (!ok) return false;
    return sizeof...(A) == kernel_interface::kMmArgCount && 8 * sizeof(R) == kernel_interface::kMmReturnBits;
}

static_assert(signature_matches(&::dira_extract_mm, std::make_index_sequence<kernel_interface::kMmArgCount>{}),
              "dira_extract_mm's parameters differ from DIRA_EXTRACT_MM_ARGS in dira/extract_interface.hpp");

} // namespace hls_extract
} // namespace dira
