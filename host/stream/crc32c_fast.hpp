// CRC-32C at link speed. Same function as dira::crc32c_bytes_reference (hls/include/dira/crc32c.hpp,
// the one definition of the parameters); this one is fast: the SSE4.2 crc32 instruction when the CPU
// has it (checked at run time), otherwise slicing-by-8 tables. Both give identical results.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dira::stream {

// Continues a running (un-finalised) CRC register over n bytes.
std::uint32_t crc32c_update(std::uint32_t crc, const std::uint8_t* data, std::size_t n);

// The finalised CRC-32C of a buffer.
std::uint32_t crc32c(const std::uint8_t* data, std::size_t n);

// Which implementation crc32c_update uses on this CPU ("sse4.2" or "slicing-by-8").
const char* crc32c_implementation();

// The portable path, exposed so tests can compare both paths on any CPU.
std::uint32_t crc32c_update_portable(std::uint32_t crc, const std::uint8_t* data, std::size_t n);

} // namespace dira::stream
