// CRC-32C (Castagnoli), the frame checksum: the one definition shared by the firmware model,
// the RTL generator and the host.
//
// Parameters (the "CRC-32C" entry of Williams' catalogue, RFC 3720 appendix B.4): polynomial
// 0x1EDC6F41, reflected in and out (so the shift register uses 0x82F63B78), initial value
// 0xFFFFFFFF, final XOR 0xFFFFFFFF. Check value: crc32c("123456789") = 0xE3069283.
//
// Frames are processed as little-endian 32-bit words; because the CRC is reflected, feeding a word
// least significant bit first is the same as feeding its four bytes in memory order.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dira {

constexpr std::uint32_t kCrc32cPolyReflected = 0x82F63B78u;
constexpr std::uint32_t kCrc32cInit = 0xFFFFFFFFu;
constexpr std::uint32_t kCrc32cFinalXor = 0xFFFFFFFFu;

// One 32-bit word into the running (un-finalized) register, bit by bit: the form HLS unrolls into
// the same XOR network the RTL builds.
constexpr std::uint32_t crc32c_update_word(std::uint32_t crc, std::uint32_t word) {
    crc ^= word;
    for (int bit = 0; bit < 32; ++bit) crc = (crc >> 1) ^ (kCrc32cPolyReflected & (0u - (crc & 1u)));
    return crc;
}

constexpr std::uint32_t crc32c_update_byte(std::uint32_t crc, std::uint8_t byte) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (kCrc32cPolyReflected & (0u - (crc & 1u)));
    return crc;
}

// Reference CRC-32C of a byte buffer (slow: for tests and small data; the host has a fast one).
constexpr std::uint32_t crc32c_bytes_reference(const std::uint8_t* data, std::size_t n) {
    std::uint32_t crc = kCrc32cInit;
    for (std::size_t i = 0; i < n; ++i) crc = crc32c_update_byte(crc, data[i]);
    return crc ^ kCrc32cFinalXor;
}

} // namespace dira
