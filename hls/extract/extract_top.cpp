#include "extract_top.hpp"

using namespace dira::hls_extract;

unsigned dira_extract(hls::stream<InWord>& x_in, hls::stream<InWord>& y_in, hls::stream<OutWord>& z_out, unsigned kind,
                      unsigned x_bits, unsigned y_bits, unsigned m_bits) {
#pragma HLS INTERFACE mode = axis port = x_in
#pragma HLS INTERFACE mode = axis port = y_in
#pragma HLS INTERFACE mode = axis port = z_out
#pragma HLS INTERFACE mode = s_axilite port = kind bundle = control
#pragma HLS INTERFACE mode = s_axilite port = x_bits bundle = control
#pragma HLS INTERFACE mode = s_axilite port = y_bits bundle = control
#pragma HLS INTERFACE mode = s_axilite port = m_bits bundle = control
#pragma HLS INTERFACE mode = s_axilite port = return bundle = control
    return extract_block<kDefaultW, kDefaultP, kDefaultMaxWords>(x_in, y_in, z_out, kind, x_bits, y_bits, m_bits);
}

// Memory to stream and back around the same block. The copies run one after the other: the block
// needs all of x and y before its first pass anyway, and its passes dominate the time.
static void read_words(const InWord* src, hls::stream<InWord>& out, unsigned bits) {
    for (unsigned w = 0; w < (bits + kDefaultW - 1) / kDefaultW; ++w) {
#pragma HLS PIPELINE II = 1
#pragma HLS LOOP_TRIPCOUNT min = 1 max = kDefaultMaxWords
        out.write(src[w]);
    }
}

static void write_words(hls::stream<OutWord>& in, OutWord* dst, unsigned m_bits, unsigned status) {
    if (status != kOk) return;
    for (unsigned w = 0; w < (m_bits + kDefaultP - 1) / kDefaultP; ++w) {
#pragma HLS PIPELINE II = 1
#pragma HLS LOOP_TRIPCOUNT min = 1 max = kDefaultMaxWords
        dst[w] = in.read();
    }
}

unsigned dira_extract_mm(const InWord* x, const InWord* y, OutWord* z, unsigned kind, unsigned x_bits, unsigned y_bits,
                         unsigned m_bits) {
#pragma HLS INTERFACE mode = m_axi port = x offset = slave bundle = gmem0 depth = 4096
#pragma HLS INTERFACE mode = m_axi port = y offset = slave bundle = gmem1 depth = 4096
#pragma HLS INTERFACE mode = m_axi port = z offset = slave bundle = gmem0 depth = 4096
#pragma HLS INTERFACE mode = s_axilite port = kind bundle = control
#pragma HLS INTERFACE mode = s_axilite port = x_bits bundle = control
#pragma HLS INTERFACE mode = s_axilite port = y_bits bundle = control
#pragma HLS INTERFACE mode = s_axilite port = m_bits bundle = control
#pragma HLS INTERFACE mode = s_axilite port = return bundle = control
    const unsigned status = check_sizes(kind, x_bits, y_bits, m_bits, kDefaultW, kDefaultMaxWords * kDefaultW);
    if (status != kOk) return status;
    hls::stream<InWord> x_s("x"), y_s("y");
    hls::stream<OutWord> z_s("z");
    read_words(x, x_s, x_bits);
    read_words(y, y_s, y_bits);
    extract_block<kDefaultW, kDefaultP, kDefaultMaxWords>(x_s, y_s, z_s, kind, x_bits, y_bits, m_bits);
    write_words(z_s, z, m_bits, status);
    return kOk;
}
