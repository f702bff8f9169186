#include "extract/bit_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "core/error.hpp"
#include "core/files.hpp"

namespace dira::extract {

namespace {
// Reads go through a bounded buffer so that a window of a file never needs a second full copy.
constexpr std::uint64_t kReadBlockWords = std::uint64_t{1} << 20; // 8 MiB
} // namespace

void BitSource::xor_window(std::uint64_t start, std::uint64_t len, std::uint64_t* out, std::uint64_t out_bit) const {
    if (start + len > size_bits_) throw Error(ErrorKind::internal, "bit source: window past the end of the string");
    len = start >= data_bits_ ? 0 : std::min(len, data_bits_ - start);
    std::vector<std::uint64_t> buf;
    while (len > 0) {
        const std::uint64_t first_word = start / kWordBits, offset = start % kWordBits;
        const std::uint64_t take = std::min(len, kReadBlockWords * kWordBits - offset);
        const std::uint64_t count = words_for_bits(offset + take);
        buf.assign(count, 0);
        read_words(first_word, count, buf.data());
        xor_bits(out, out_bit, buf.data(), offset, take);
        start += take, out_bit += take, len -= take;
    }
}

MemoryBits::MemoryBits(const BitString& s, std::uint64_t size_bits)
    : BitSource(size_bits, std::min(size_bits, s.size_bits)), s_(s) {}

void MemoryBits::read_words(std::uint64_t first, std::uint64_t count, std::uint64_t* out) const {
    const std::uint64_t have = s_.words.size();
    for (std::uint64_t i = 0; i < count; ++i) out[i] = first + i < have ? s_.words[first + i] : 0;
}

std::uint64_t FileBits::file_bits(const std::string& path) { return open_regular_file(path).size() * 8; }

FileBits::FileBits(const std::string& path, std::uint64_t size_bits)
    : BitSource(size_bits, std::min(size_bits, file_bits(path))), path_(path) {
    FileDescriptor file = open_regular_file(path); // never a link, a FIFO or a device
    file_bytes_ = file.size();
    fd_ = file.release();
}

FileBits::~FileBits() {
    if (fd_ >= 0) ::close(fd_);
}

void FileBits::read_words(std::uint64_t first, std::uint64_t count, std::uint64_t* out) const {
    const std::uint64_t begin = first * 8;
    const std::uint64_t end = std::min(file_bytes_, (first + count) * 8);
    auto* dst = reinterpret_cast<char*>(out);
    if (begin < end && read_at(fd_, begin, dst, end - begin, path_) < end - begin)
        throw Error(ErrorKind::io, "reading '" + path_ + "' failed: the file shrank while it was read");
}

BitString read_all(const BitSource& source) {
    BitString s(source.size_bits());
    source.xor_window(0, source.size_bits(), s.words.data(), 0);
    return s;
}

void write_bit_file(const std::string& path, const BitString& s) {
    write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(s.words.data()), (s.size_bits + 7) / 8), Access::secret);
}

} // namespace dira::extract
