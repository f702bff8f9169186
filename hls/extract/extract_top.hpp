// The synthesis tops of the extraction kernel at the default geometry (W = P = 64, 4096-word RAMs:
// blocks of up to 262144 bits per input). dira_extract streams (AXI4-Stream, for the station board);
// dira_extract_mm reads and writes memory (AXI4 master, for an accelerator card under XRT).
#pragma once

#include "extract_kernel.hpp"

namespace dira { namespace hls_extract {

constexpr int kDefaultW = 64;       // input bits per cycle
constexpr int kDefaultP = 64;       // output bits per pass
constexpr int kDefaultMaxWords = 4096;

using InWord = ap_uint<kDefaultW>;
using OutWord = ap_uint<kDefaultP>;

} } // namespace dira::hls_extract

// Returns a dira::hls_extract::Status.
unsigned dira_extract(hls::stream<dira::hls_extract::InWord>& x_in, hls::stream<dira::hls_extract::InWord>& y_in,
                      hls::stream<dira::hls_extract::OutWord>& z_out, unsigned kind, unsigned x_bits, unsigned y_bits,
                      unsigned m_bits);

unsigned dira_extract_mm(const dira::hls_extract::InWord* x, const dira::hls_extract::InWord* y,
                         dira::hls_extract::OutWord* z, unsigned kind, unsigned x_bits, unsigned y_bits, unsigned m_bits);
