#include "extract/bits.hpp"

#include <algorithm>
#include <cstring>

namespace dira::extract {

void truncate_bits(BitString& s, std::uint64_t bits) {
    s.words.resize(words_for_bits(bits));
    s.size_bits = bits;
    if (bits % kWordBits) s.words.back() &= (std::uint64_t{1} << (bits % kWordBits)) - 1;
}

namespace {

// Up to 64 bits of src starting at bit `bit` (bits past the end of the read are not masked).
inline std::uint64_t load_bits(const std::uint64_t* src, std::uint64_t bit, std::uint64_t available_words) {
    const std::uint64_t w = bit / kWordBits, s = bit % kWordBits;
    std::uint64_t v = src[w] >> s;
    if (s && w + 1 < available_words) v |= src[w + 1] << (kWordBits - s);
    return v;
}

inline std::uint64_t low_mask(std::uint64_t bits) {
    return bits >= kWordBits ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
}

} // namespace

void xor_bits(std::uint64_t* dst, std::uint64_t dst_bit, const std::uint64_t* src, std::uint64_t src_bit,
              std::uint64_t len) {
    if (len == 0) return;
    const std::uint64_t src_words = words_for_bits(src_bit + len);
    // Head: bring dst to a word boundary.
    const std::uint64_t head = std::min(len, (kWordBits - dst_bit % kWordBits) % kWordBits);
    if (head) {
        dst[dst_bit / kWordBits] ^= (load_bits(src, src_bit, src_words) & low_mask(head)) << (dst_bit % kWordBits);
        dst_bit += head, src_bit += head, len -= head;
    }
    std::uint64_t* d = dst + dst_bit / kWordBits;
    const std::uint64_t full = len / kWordBits;
    if (src_bit % kWordBits == 0) {
        const std::uint64_t* s = src + src_bit / kWordBits;
        for (std::uint64_t i = 0; i < full; ++i) d[i] ^= s[i];
    } else {
        const std::uint64_t* s = src + src_bit / kWordBits;
        const unsigned sh = src_bit % kWordBits;
        for (std::uint64_t i = 0; i < full; ++i) d[i] ^= (s[i] >> sh) | (s[i + 1] << (kWordBits - sh));
    }
    const std::uint64_t tail = len % kWordBits;
    if (tail) d[full] ^= load_bits(src, src_bit + full * kWordBits, src_words) & low_mask(tail);
}

namespace {

inline std::uint64_t reverse_word(std::uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
    v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0Full) | ((v & 0x0F0F0F0F0F0F0F0Full) << 4);
    return __builtin_bswap64(v);
}

} // namespace

void reverse_bits(std::uint64_t* out, const std::uint64_t* in, std::uint64_t len) {
    const std::uint64_t n = words_for_bits(len);
    if (n == 0) return;
    // Reversing whole words reverses the padded string of n*64 bits; the len bits we want then start
    // at bit pad = n*64 - len, so shift down by pad.
    const unsigned pad = static_cast<unsigned>(n * kWordBits - len);
    for (std::uint64_t i = 0; i < n; ++i) out[i] = reverse_word(in[n - 1 - i]);
    if (pad) {
        for (std::uint64_t i = 0; i + 1 < n; ++i) out[i] = (out[i] >> pad) | (out[i + 1] << (kWordBits - pad));
        out[n - 1] >>= pad;
    }
    if (len % kWordBits) out[n - 1] &= low_mask(len % kWordBits);
}

} // namespace dira::extract
