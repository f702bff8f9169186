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

// Memory to stream and back around the block, as a dataflow region of four processes: two readers,
// the block, a writer. Every stream is as deep as the most its producer writes in one call (x and y
// at most kDefaultMaxWords words each, by check_sizes; z ceil(m/P) <= kDefaultMaxWords words, as
// m <= n <= kDefaultMaxWords * W and P >= W), so no process ever waits on a full stream: the region
// cannot deadlock, whatever order the processes run in. Vitis' C-simulation runs them one after
// the other, which the same depths allow; the stand-in's streams throw if one overflows.
constexpr int kStreamDepth = kDefaultMaxWords;
static_assert(kDefaultP >= kDefaultW, "z holds ceil(m/P) <= kDefaultMaxWords words only when P >= W");

static void read_words(const InWord* src, hls::stream<InWord, kStreamDepth>& out, unsigned bits) {
    for (unsigned w = 0; w < (bits + kDefaultW - 1) / kDefaultW; ++w) {
#pragma HLS PIPELINE II = 1
#pragma HLS LOOP_TRIPCOUNT min = 1 max = kDefaultMaxWords
        out.write(src[w]);
    }
}

static void compute_block(hls::stream<InWord, kStreamDepth>& x_in, hls::stream<InWord, kStreamDepth>& y_in,
                          hls::stream<OutWord, kStreamDepth>& z_out, unsigned kind, unsigned x_bits, unsigned y_bits,
                          unsigned m_bits) {
    extract_checked<kDefaultW, kDefaultP, kDefaultMaxWords>(x_in, y_in, z_out, kind, x_bits, y_bits, m_bits);
}

static void write_words(hls::stream<OutWord, kStreamDepth>& in, OutWord* dst, unsigned m_bits) {
    for (unsigned w = 0; w < (m_bits + kDefaultP - 1) / kDefaultP; ++w) {
#pragma HLS PIPELINE II = 1
#pragma HLS LOOP_TRIPCOUNT min = 1 max = kDefaultMaxWords
        dst[w] = in.read();
    }
}

static void extract_mm_dataflow(const InWord* x, const InWord* y, OutWord* z, unsigned kind, unsigned x_bits,
                                unsigned y_bits, unsigned m_bits) {
#pragma HLS DATAFLOW
    hls::stream<InWord, kStreamDepth> x_s("x"), y_s("y");
    hls::stream<OutWord, kStreamDepth> z_s("z");
    read_words(x, x_s, x_bits);
    read_words(y, y_s, y_bits);
    compute_block(x_s, y_s, z_s, kind, x_bits, y_bits, m_bits);
    write_words(z_s, z, m_bits);
}

unsigned dira_extract_mm(const InWord* x, const InWord* y, OutWord* z, unsigned kind, unsigned x_bits, unsigned y_bits,
                         unsigned m_bits) {
#pragma HLS INTERFACE mode = m_axi port = x offset = slave bundle = gmem0 depth = 4096
#pragma HLS INTERFACE mode = m_axi port = y offset = slave bundle = gmem1 depth = 4096
#pragma HLS INTERFACE mode = m_axi port = z offset = slave bundle = gmem2 depth = 4096
#pragma HLS INTERFACE mode = s_axilite port = kind bundle = control
#pragma HLS INTERFACE mode = s_axilite port = x_bits bundle = control
#pragma HLS INTERFACE mode = s_axilite port = y_bits bundle = control
#pragma HLS INTERFACE mode = s_axilite port = m_bits bundle = control
#pragma HLS INTERFACE mode = s_axilite port = return bundle = control
    // Refused sizes never reach the dataflow region: it runs whole or not at all.
    const unsigned status = check_sizes(kind, x_bits, y_bits, m_bits, kDefaultW, kDefaultMaxWords * kDefaultW);
    if (status != kOk) return status;
    extract_mm_dataflow(x, y, z, kind, x_bits, y_bits, m_bits);
    return kOk;
}
