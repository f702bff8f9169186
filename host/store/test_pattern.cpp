#include "store/test_pattern.hpp"

#include <sstream>

#include "dira/station_timing.hpp"

namespace dira::store {
namespace {

constexpr auto kPatternStream = static_cast<std::uint8_t>(StreamId::test_pattern);

} // namespace

std::string PatternBreak::describe() const {
    std::ostringstream s;
    s << "test pattern frame sequence " << frame_sequence << " at stream byte " << offset_bytes << ", word " << word_index
      << ": expected counter " << expected << ", got " << got
      << (explained_by_frame_gap ? " (after frames reported missing)" : " (no frame was reported missing: the data was altered)");
    return s.str();
}

void TestPatternChecker::on_fault(const stream::FaultReport& fault) {
    if (fault.stream_id != kPatternStream) return;
    if (fault.kind == stream::FrameFault::sequence_gap) {
        missing_frames_ += fault.missing_frames;
        gap_pending_ = true;
    } else if (fault.kind == stream::FrameFault::bad_crc || fault.kind == stream::FrameFault::truncated) {
        ++bad_frames_;
    }
}

void TestPatternChecker::on_frame(const stream::Frame& frame) {
    if (frame.header.stream_id != kPatternStream) return;
    ++frames_;
    if (frame.header.payload_words != kTestPatternWords) ++bad_frames_;
    for (std::uint32_t i = 0; i < frame.header.payload_words; ++i) {
        const std::uint32_t w = frame.word(i);
        if (next_ && w != *next_)
            breaks_.push_back({frame.header.sequence, frame.offset_bytes, i, *next_, w, gap_pending_ && i == 0});
        next_ = w + 1;
        ++words_;
    }
    gap_pending_ = false;
}

std::uint64_t TestPatternChecker::unexplained_breaks() const {
    std::uint64_t n = 0;
    for (const auto& b : breaks_) n += b.explained_by_frame_gap ? 0 : 1;
    return n;
}

} // namespace dira::store
