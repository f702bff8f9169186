// Checks the firmware's test-pattern stream (CONTROL.TEST_PATTERN, docs/station.md "Framer"): every
// frame of stream test_pattern carries kTestPatternWords words of one 32-bit counter that continues
// across frames, so any lost, repeated, reordered or altered word shows up as a break in the count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stream/frame_decoder.hpp"

namespace dira::store {

struct PatternBreak {
    std::uint32_t frame_sequence = 0;
    std::uint64_t offset_bytes = 0;  // stream position of the frame
    std::uint32_t word_index = 0;    // in the frame's payload
    std::uint32_t expected = 0;
    std::uint32_t got = 0;
    bool explained_by_frame_gap = false; // the frames in between were reported missing

    std::string describe() const;
};

class TestPatternChecker {
public:
    // A validated frame of stream test_pattern (others are ignored).
    void on_frame(const stream::Frame& frame);
    // The decoder's fault reports, to tell a counter jump over lost frames from a corrupted word.
    void on_fault(const stream::FaultReport& fault);

    std::uint64_t frames() const { return frames_; }
    std::uint64_t words() const { return words_; }
    std::uint64_t missing_frames() const { return missing_frames_; }
    const std::vector<PatternBreak>& breaks() const { return breaks_; }
    // Breaks that no reported frame gap explains: the link altered the data.
    std::uint64_t unexplained_breaks() const;
    bool clean() const { return breaks_.empty() && missing_frames_ == 0 && bad_frames_ == 0; }
    std::uint64_t bad_frames() const { return bad_frames_; }

private:
    std::optional<std::uint32_t> next_;
    std::uint64_t frames_ = 0;
    std::uint64_t words_ = 0;
    std::uint64_t missing_frames_ = 0;
    std::uint64_t bad_frames_ = 0; // wrong payload length, CRC, truncation on this stream
    bool gap_pending_ = false;
    std::vector<PatternBreak> breaks_;
};

} // namespace dira::store
