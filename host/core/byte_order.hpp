// Integers on the wire and in dira's files are little endian (docs/architecture.md): the one way
// every side reads and writes them from bytes. On a little-endian host (all dira runs on) each is
// one unaligned load or store; elsewhere the bytes are assembled one by one, so the result is the
// same on any host.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace dira {

// The unsigned integer T stored little endian at p (sizeof(T) bytes).
template <typename T>
T load_le(const std::uint8_t* p) {
    static_assert(std::is_unsigned_v<T>, "load_le reads unsigned integers");
    if constexpr (std::endian::native == std::endian::little) {
        T v;
        std::memcpy(&v, p, sizeof v);
        return v;
    } else {
        T v = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) v = static_cast<T>(v | static_cast<T>(p[i]) << (8 * i));
        return v;
    }
}

// Stores v little endian at p (sizeof(T) bytes). T is named, never deduced: store_le<std::uint32_t>.
template <typename T>
void store_le(std::uint8_t* p, std::type_identity_t<T> v) {
    static_assert(std::is_unsigned_v<T>, "store_le writes unsigned integers");
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(p, &v, sizeof v);
    } else {
        for (std::size_t i = 0; i < sizeof(T); ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
    }
}

// Appends v little endian to out.
template <typename T>
void append_le(std::vector<std::uint8_t>& out, std::type_identity_t<T> v) {
    const std::size_t at = out.size();
    out.resize(at + sizeof(T));
    store_le<T>(out.data() + at, v);
}

} // namespace dira
