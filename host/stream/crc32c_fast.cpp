#include "stream/crc32c_fast.hpp"

#include <array>
#include <cstring>

#include "core/byte_order.hpp"
#include "dira/crc32c.hpp"

namespace dira::stream {
namespace {

using Table = std::array<std::array<std::uint32_t, 256>, 8>;

// table[k][b]: the register after byte b followed by k zero bytes (slicing-by-8, Kounavis & Berry 2008).
constexpr Table make_tables() {
    Table t{};
    for (unsigned b = 0; b < 256; ++b) t[0][b] = crc32c_update_byte(0, static_cast<std::uint8_t>(b));
    for (unsigned k = 1; k < 8; ++k)
        for (unsigned b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFFu];
    return t;
}
constexpr Table kTables = make_tables();

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) std::uint32_t crc32c_update_sse42(std::uint32_t crc, const std::uint8_t* p,
                                                                     std::size_t n) {
    std::uint64_t c = crc;
    for (; n >= 8; n -= 8, p += 8) {
        c = __builtin_ia32_crc32di(c, load_le<std::uint64_t>(p));
    }
    auto c32 = static_cast<std::uint32_t>(c);
    for (; n > 0; --n, ++p) c32 = __builtin_ia32_crc32qi(c32, *p);
    return c32;
}
bool cpu_has_sse42() { return __builtin_cpu_supports("sse4.2"); }
#else
std::uint32_t crc32c_update_sse42(std::uint32_t crc, const std::uint8_t* p, std::size_t n) {
    return crc32c_update_portable(crc, p, n);
}
bool cpu_has_sse42() { return false; }
#endif

const bool kUseSse42 = cpu_has_sse42();

} // namespace

std::uint32_t crc32c_update_portable(std::uint32_t crc, const std::uint8_t* p, std::size_t n) {
    for (; n >= 8; n -= 8, p += 8) {
        std::uint32_t lo = load_le<std::uint32_t>(p);
        const std::uint32_t hi = load_le<std::uint32_t>(p + 4);
        lo ^= crc;
        crc = kTables[7][lo & 0xFF] ^ kTables[6][(lo >> 8) & 0xFF] ^ kTables[5][(lo >> 16) & 0xFF] ^
              kTables[4][lo >> 24] ^ kTables[3][hi & 0xFF] ^ kTables[2][(hi >> 8) & 0xFF] ^
              kTables[1][(hi >> 16) & 0xFF] ^ kTables[0][hi >> 24];
    }
    for (; n > 0; --n, ++p) crc = (crc >> 8) ^ kTables[0][(crc ^ *p) & 0xFF];
    return crc;
}

std::uint32_t crc32c_update(std::uint32_t crc, const std::uint8_t* data, std::size_t n) {
    return kUseSse42 ? crc32c_update_sse42(crc, data, n) : crc32c_update_portable(crc, data, n);
}

std::uint32_t crc32c(const std::uint8_t* data, std::size_t n) {
    return crc32c_update(kCrc32cInit, data, n) ^ kCrc32cFinalXor;
}

const char* crc32c_implementation() { return kUseSse42 ? "sse4.2" : "slicing-by-8"; }

} // namespace dira::stream
