// Little-endian integers in the station protocol's messages (DESIGN.md section 8).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/error.hpp"

namespace dira::net {

class Writer {
public:
    void u8(std::uint8_t v) { bytes_.push_back(v); }
    void u32(std::uint32_t v) { put(v, 4); }
    void u64(std::uint64_t v) { put(v, 8); }
    const std::vector<std::uint8_t>& bytes() const { return bytes_; }

private:
    void put(std::uint64_t v, int n) {
        for (int i = 0; i < n; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    std::vector<std::uint8_t> bytes_;
};

class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
    std::uint8_t u8() { return static_cast<std::uint8_t>(get(1)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
    std::uint64_t u64() { return get(8); }

private:
    std::uint64_t get(int n) {
        if (at_ + static_cast<std::size_t>(n) > bytes_.size())
            throw Error(ErrorKind::format, "a station protocol message ends early");
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i) v |= std::uint64_t{bytes_[at_ + static_cast<std::size_t>(i)]} << (8 * i);
        at_ += static_cast<std::size_t>(n);
        return v;
    }
    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
};

} // namespace dira::net
