// Trial records out of validated record frames: checks what the frame layer cannot see (payload
// made of whole records, reserved bits zero, trial indices consecutive) and keeps the list of trial
// spans that were lost, so that no lossy span is ever certified.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dira/wire_format.hpp"
#include "stream/frame_decoder.hpp"

namespace dira::stream {

enum class RecordFault : std::uint8_t {
    partial_record,   // the payload is not a whole number of records: the frame is dropped
    reserved_bits,    // a record has reserved bits set: the frame is dropped
    trial_gap,        // trial indices jump forward: the trials in between are lost
    trial_backwards,  // a trial index at or below one already delivered: the record is dropped
};

struct RecordFaultReport {
    RecordFault kind;
    std::uint64_t frame_offset_bytes = 0;
    std::uint32_t frame_sequence = 0;
    std::uint64_t expected_trial = 0; // the next trial index expected
    std::uint64_t got_trial = 0;

    std::string describe() const;
};

// A half-open range of trial indices [first, first + count) that did not arrive.
struct LostSpan {
    std::uint64_t first_trial;
    std::uint64_t count;
    friend bool operator==(const LostSpan&, const LostSpan&) = default;
};

class RecordStream {
public:
    using RecordFn = std::function<void(const TrialRecord&)>;
    using FaultFn = std::function<void(const RecordFaultReport&)>;

    RecordStream(RecordFn on_record, FaultFn on_fault, std::uint64_t first_trial = 0);

    // A frame of stream `records` that passed the frame checks.
    void on_frame(const Frame& frame);
    // Frames the frame layer dropped (bad CRC, gap, truncation) show up as a trial gap at the next
    // record. Trials lost at the very end show up only here: at the end of the stream, the trials
    // from the next expected one up to `expected_trials` are lost.
    void finish(std::uint64_t expected_trials);

    std::uint64_t next_trial() const { return next_trial_; }
    std::uint64_t records_delivered() const { return delivered_; }
    const std::vector<LostSpan>& lost_spans() const { return lost_; }
    std::uint64_t lost_trials() const;

private:
    void note_lost(std::uint64_t first, std::uint64_t count);

    RecordFn on_record_;
    FaultFn on_fault_;
    std::uint64_t next_trial_;
    std::uint64_t last_trial_ = 0; // the last index delivered (valid once delivered_ > 0)
    std::uint64_t delivered_ = 0;
    std::vector<LostSpan> lost_;
};

} // namespace dira::stream
