// The one-time-pad picture: a black-and-white image drawn here, XORed bit by bit with a pad. With
// perfectly random pad bits the result is noise whatever the image; with bits from a weak source
// the image shows through. The report shows it with a visibly weak source and with the run's
// certified output (docs/report.md, "The one-time-pad picture").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dira::report {

inline constexpr unsigned kPictureWidth = 256;
inline constexpr unsigned kPictureHeight = 128;
inline constexpr std::size_t kPictureBits = std::size_t{kPictureWidth} * kPictureHeight;

// Pixels row by row from the top left, 1 = black; `known` of them hold a value (a pad shorter than
// the image leaves the rest unknown: the page draws them grey).
struct Picture {
    std::vector<std::uint8_t> pixels;
    std::size_t known = 0;
};

// The word DIRA in block letters inside a frame.
Picture draw_picture();

// pixel i XOR pad bit i, pad bits in the run's bit order (bit i is bit i mod 8 of byte i / 8);
// only the first min(pixels, pad_bits) pixels are known.
Picture xor_with_pad(const Picture& picture, std::span<const std::uint8_t> pad, std::size_t pad_bits);

// Packed as pad bits are (bit i is bit i mod 8 of byte i / 8), then base64: the page decodes it.
std::string pack_base64(const Picture& picture);

std::string base64(std::span<const std::uint8_t> bytes);

} // namespace dira::report
