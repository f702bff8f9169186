// Bit strings over GF(2), packed 64 to a word, bit i = bit (i mod 64) of word i/64 (least significant
// first). On a little-endian machine this is exactly the file layout of DESIGN.md section 8 (bit i is
// bit i mod 8 of byte i/8), so a file's bytes can be copied into words as they are.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dira::extract {

static_assert(std::endian::native == std::endian::little, "the bit layout assumes a little-endian host");

inline constexpr std::uint64_t kWordBits = 64;

constexpr std::uint64_t words_for_bits(std::uint64_t bits) { return (bits + kWordBits - 1) / kWordBits; }

// A bit string of a known length; bits at and past size_bits in the last word are always zero.
struct BitString {
    std::vector<std::uint64_t> words;
    std::uint64_t size_bits = 0;

    BitString() = default;
    explicit BitString(std::uint64_t bits) : words(words_for_bits(bits), 0), size_bits(bits) {}

    bool get(std::uint64_t i) const { return (words[i / kWordBits] >> (i % kWordBits)) & 1u; }
    void set(std::uint64_t i, bool v) {
        const std::uint64_t mask = std::uint64_t{1} << (i % kWordBits);
        words[i / kWordBits] = v ? (words[i / kWordBits] | mask) : (words[i / kWordBits] & ~mask);
    }
    friend bool operator==(const BitString&, const BitString&) = default;
};

// Keeps the first `bits` bits and clears the rest of the last word.
void truncate_bits(BitString& s, std::uint64_t bits);

// dst bits [dst_bit, dst_bit + len) ^= src bits [src_bit, src_bit + len). dst must be large enough.
void xor_bits(std::uint64_t* dst, std::uint64_t dst_bit, const std::uint64_t* src, std::uint64_t src_bit,
              std::uint64_t len);

// out bits [0, len) = reverse of in bits [0, len): out_t = in_(len-1-t). out must not alias in.
void reverse_bits(std::uint64_t* out, const std::uint64_t* in, std::uint64_t len);

} // namespace dira::extract
