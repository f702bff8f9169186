// Little-endian integers in the station protocol's messages (DESIGN.md section 8).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/byte_order.hpp"
#include "core/error.hpp"

namespace dira::net {

class Writer {
public:
    void u8(std::uint8_t v) { bytes_.push_back(v); }
    void u32(std::uint32_t v) { append_le<std::uint32_t>(bytes_, v); }
    void u64(std::uint64_t v) { append_le<std::uint64_t>(bytes_, v); }
    const std::vector<std::uint8_t>& bytes() const { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
};

class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
    std::uint8_t u8() { return get<std::uint8_t>(); }
    std::uint32_t u32() { return get<std::uint32_t>(); }
    std::uint64_t u64() { return get<std::uint64_t>(); }

private:
    template <typename T> T get() {
        if (bytes_.size() - at_ < sizeof(T)) throw Error(ErrorKind::format, "a station protocol message ends early");
        const T v = load_le<T>(bytes_.data() + at_);
        at_ += sizeof(T);
        return v;
    }
    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
};

} // namespace dira::net
