#include "certify/records.hpp"

#include <algorithm>

namespace dira::certify {

std::size_t MemoryRecordSource::read(std::span<TrialRecord> out) {
    const std::size_t count = std::min(out.size(), records_.size() - next_);
    std::copy_n(records_.begin() + std::ptrdiff_t(next_), count, out.begin());
    next_ += count;
    return count;
}

} // namespace dira::certify
