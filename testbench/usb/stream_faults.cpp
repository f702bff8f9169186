#include "usb/stream_faults.hpp"

#include <algorithm>
#include <array>

namespace dira::testbench::usb {

void StreamFaults::drop_packet_at(std::uint64_t stream_offset) {
    const std::uint64_t boundary = (stream_offset + packet_bytes_ - 1) / packet_bytes_ * packet_bytes_;
    drops_.insert(std::upper_bound(drops_.begin(), drops_.end(), boundary), boundary);
}

void StreamFaults::corrupt_byte_at(std::uint64_t stream_offset) {
    corruptions_.insert(std::upper_bound(corruptions_.begin(), corruptions_.end(), stream_offset), stream_offset);
}

std::size_t StreamFaults::take(BoardLink& board, std::uint8_t* into, std::size_t max) {
    std::size_t out = 0;
    std::array<std::uint8_t, 4096> lost;
    while (out < max) {
        if (drop_due()) {
            const std::uint64_t end = drops_.front() + packet_bytes_;
            if (end <= position_) {
                drops_.erase(drops_.begin());
                continue;
            }
            const std::size_t n = board.read(lost.data(), static_cast<std::size_t>(std::min<std::uint64_t>(end - position_, lost.size())));
            if (n == 0) break;
            position_ += n;
            dropped_ += n;
            continue;
        }
        std::size_t limit = max - out;
        if (!drops_.empty()) limit = static_cast<std::size_t>(std::min<std::uint64_t>(limit, drops_.front() - position_));
        const std::size_t n = board.read(into + out, limit);
        if (n == 0) break;
        while (!corruptions_.empty() && corruptions_.front() < position_ + n) {
            if (corruptions_.front() >= position_) {
                into[out + (corruptions_.front() - position_)] ^= 0x01;
                ++corrupted_;
            }
            corruptions_.erase(corruptions_.begin());
        }
        position_ += n;
        delivered_ += n;
        out += n;
    }
    return out;
}

} // namespace dira::testbench::usb
