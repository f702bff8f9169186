// Vitis C-simulation testbench (run_hls.tcl) of the tops, also built natively (ctest): random blocks of
// each kind against the definitions, computed here bit by bit so the testbench stands alone.
#include <cstdio>
#include <random>
#include <vector>

#include "extract_top.hpp"

using namespace dira::hls_extract;

namespace {

using Bits = std::vector<int>;

Bits reference(unsigned kind, const Bits& x, const Bits& y, unsigned m) {
    const long n1 = static_cast<long>(x.size()), period = static_cast<long>(y.size());
    Bits z(m, 0);
    for (long i = 0; i < static_cast<long>(m); ++i)
        for (long k = 0; k < n1; ++k)
            z[i] ^= x[k] & (kind == kToeplitz ? y[((i - k) % period + period) % period] : y[(i + k) % period]);
    return z;
}

template <int Width>
void push(hls::stream<ap_uint<Width>>& s, const Bits& b) {
    for (std::size_t w = 0; w < (b.size() + Width - 1) / Width; ++w) {
        ap_uint<Width> v = 0;
        for (int i = 0; i < Width && w * Width + i < b.size(); ++i) v[i] = b[w * Width + i];
        s.write(v);
    }
}

int run_case(std::mt19937& rng, unsigned kind, unsigned n, unsigned m, bool memory_mapped) {
    Bits x(kind == kCirculant ? n - 1 : n), y(kind == kToeplitz ? n + m - 1 : n);
    for (auto& b : x) b = static_cast<int>(rng() & 1);
    for (auto& b : y) b = static_cast<int>(rng() & 1);
    const Bits expected = reference(kind, x, y, m);
    const unsigned words = (m + kDefaultP - 1) / kDefaultP;
    std::vector<OutWord> z(words);
    unsigned status;
    if (memory_mapped) {
        hls::stream<InWord> xs, ys;
        push(xs, x);
        push(ys, y);
        std::vector<InWord> xm, ym;
        while (!xs.empty()) xm.push_back(xs.read());
        while (!ys.empty()) ym.push_back(ys.read());
        status = dira_extract_mm(xm.data(), ym.data(), z.data(), kind, x.size(), y.size(), m);
    } else {
        hls::stream<InWord> xs, ys;
        hls::stream<OutWord> zs;
        push(xs, x);
        push(ys, y);
        status = dira_extract(xs, ys, zs, kind, x.size(), y.size(), m);
        for (unsigned w = 0; w < words && status == kOk; ++w) z[w] = zs.read();
    }
    if (status != kOk) {
        std::printf("kind %u n %u m %u: status %u\n", kind, n, m, status);
        return 1;
    }
    for (unsigned i = 0; i < words * kDefaultP; ++i) {
        const int got = z[i / kDefaultP][static_cast<int>(i % kDefaultP)];
        if (got != (i < m ? expected[i] : 0)) {
            std::printf("kind %u n %u m %u: bit %u differs\n", kind, n, m, i);
            return 1;
        }
    }
    return 0;
}

} // namespace

int main() {
    std::mt19937 rng(7);
    const unsigned primes[] = {67, 131, 509, 1019, 2053}; // 2 is a primitive root of each
    int failures = 0;
    for (unsigned kind = kDodis; kind <= kToeplitz; ++kind)
        for (unsigned n : primes)
            for (unsigned m : {1u, n / 3, n - 1})
                failures += run_case(rng, kind, n, m, (n + m) % 2 == 0);
    std::printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
    return failures ? 1 : 0;
}
