#include "report/picture.hpp"

#include <algorithm>
#include <array>

namespace dira::report {
namespace {

// 5 x 7 block letters, one string per row, '#' = ink.
using Glyph = std::array<const char*, 7>;
constexpr Glyph kD = {"####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."};
constexpr Glyph kI = {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "#####"};
constexpr Glyph kR = {"####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"};
constexpr Glyph kA = {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"};
constexpr unsigned kGlyphWidth = 5, kGlyphHeight = 7;
constexpr unsigned kScale = 9;       // pixels per glyph cell
constexpr unsigned kLetterGap = 12;  // pixels between letters
constexpr unsigned kFrame = 6;       // frame thickness
constexpr unsigned kFrameInset = 4;  // white border outside the frame

void fill(Picture& p, unsigned x0, unsigned y0, unsigned w, unsigned h) {
    for (unsigned y = y0; y < std::min(y0 + h, kPictureHeight); ++y)
        for (unsigned x = x0; x < std::min(x0 + w, kPictureWidth); ++x) p.pixels[y * kPictureWidth + x] = 1;
}

} // namespace

Picture draw_picture() {
    Picture p;
    p.pixels.assign(kPictureBits, 0);
    p.known = kPictureBits;
    const unsigned outer = kFrameInset, inner_w = kPictureWidth - 2 * outer, inner_h = kPictureHeight - 2 * outer;
    fill(p, outer, outer, inner_w, kFrame);
    fill(p, outer, kPictureHeight - outer - kFrame, inner_w, kFrame);
    fill(p, outer, outer, kFrame, inner_h);
    fill(p, kPictureWidth - outer - kFrame, outer, kFrame, inner_h);

    const std::array<const Glyph*, 4> word = {&kD, &kI, &kR, &kA};
    const unsigned text_w = unsigned(word.size()) * kGlyphWidth * kScale + unsigned(word.size() - 1) * kLetterGap;
    const unsigned x0 = (kPictureWidth - text_w) / 2, y0 = (kPictureHeight - kGlyphHeight * kScale) / 2;
    for (std::size_t letter = 0; letter < word.size(); ++letter)
        for (unsigned row = 0; row < kGlyphHeight; ++row)
            for (unsigned col = 0; col < kGlyphWidth; ++col)
                if ((*word[letter])[row][col] == '#')
                    fill(p, x0 + unsigned(letter) * (kGlyphWidth * kScale + kLetterGap) + col * kScale, y0 + row * kScale,
                         kScale, kScale);
    return p;
}

Picture xor_with_pad(const Picture& picture, std::span<const std::uint8_t> pad, std::size_t pad_bits) {
    Picture out;
    out.known = std::min({picture.known, pad_bits, pad.size() * 8});
    out.pixels.assign(picture.pixels.size(), 0);
    for (std::size_t i = 0; i < out.known; ++i) out.pixels[i] = picture.pixels[i] ^ ((pad[i / 8] >> (i % 8)) & 1u);
    return out;
}

std::string pack_base64(const Picture& picture) {
    std::vector<std::uint8_t> bytes((picture.pixels.size() + 7) / 8, 0);
    for (std::size_t i = 0; i < picture.pixels.size(); ++i) bytes[i / 8] |= std::uint8_t((picture.pixels[i] & 1u) << (i % 8));
    return base64(bytes);
}

std::string base64(std::span<const std::uint8_t> bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::uint32_t n = std::uint32_t(bytes[i]) << 16 | (i + 1 < bytes.size() ? std::uint32_t(bytes[i + 1]) << 8 : 0) |
                                (i + 2 < bytes.size() ? std::uint32_t(bytes[i + 2]) : 0);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
    }
    return out;
}

} // namespace dira::report
