// Where an extractor's inputs come from: memory or a file, read a window at a time so that a run's
// inputs (hundreds of MB each) never need to be in memory whole.
#pragma once

#include <cstdint>
#include <string>

#include "extract/bits.hpp"

namespace dira::extract {

// A string of size_bits bits; bits past the data the source holds (data_bits) read as zero, which is
// how zero padding is expressed.
class BitSource {
public:
    virtual ~BitSource() = default;
    std::uint64_t size_bits() const { return size_bits_; }
    std::uint64_t data_bits() const { return data_bits_; }

    // out bits [out_bit, out_bit + len) ^= this string's bits [start, start + len). Bits past
    // size_bits are an error (internal); past data_bits they are zero.
    void xor_window(std::uint64_t start, std::uint64_t len, std::uint64_t* out, std::uint64_t out_bit) const;

protected:
    BitSource(std::uint64_t size_bits, std::uint64_t data_bits) : size_bits_(size_bits), data_bits_(data_bits) {}
    // Reads words [first, first + count) of the data; words past the data are zero.
    virtual void read_words(std::uint64_t first, std::uint64_t count, std::uint64_t* out) const = 0;

private:
    std::uint64_t size_bits_, data_bits_;
};

// A view of a BitString's first size_bits bits (size_bits may exceed the string: zero padding).
class MemoryBits final : public BitSource {
public:
    explicit MemoryBits(const BitString& s) : MemoryBits(s, s.size_bits) {}
    MemoryBits(const BitString& s, std::uint64_t size_bits);

private:
    void read_words(std::uint64_t first, std::uint64_t count, std::uint64_t* out) const override;
    const BitString& s_;
};

// A regular file in the bit order of DESIGN.md section 8, read with pread (core/files.hpp's
// open_regular_file: never through a link, never a FIFO). Throws its Error when it cannot be opened.
class FileBits final : public BitSource {
public:
    static std::uint64_t file_bits(const std::string& path);
    // size_bits: the string's length; bits of the file past it are ignored, and when it is longer
    // than the file the rest reads as zero.
    FileBits(const std::string& path, std::uint64_t size_bits);
    ~FileBits() override;
    FileBits(const FileBits&) = delete;
    FileBits& operator=(const FileBits&) = delete;

private:
    void read_words(std::uint64_t first, std::uint64_t count, std::uint64_t* out) const override;
    std::string path_;
    int fd_ = -1;
    std::uint64_t file_bytes_ = 0;
};

// Reads all of a source into memory (tests, small inputs).
BitString read_all(const BitSource& source);
// Writes bits [0, s.size_bits) as ceil(size/8) bytes, the last one zero-padded: atomically and
// readable by its owner only (core/files.hpp; output bits are secrets). Error (io) on failure.
void write_bit_file(const std::string& path, const BitString& s);

} // namespace dira::extract
