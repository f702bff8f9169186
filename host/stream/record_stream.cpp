#include "stream/record_stream.hpp"

#include <sstream>

namespace dira::stream {

std::string RecordFaultReport::describe() const {
    std::ostringstream s;
    s << "record frame at stream byte " << frame_offset_bytes << " (sequence " << frame_sequence << "): ";
    switch (kind) {
    case RecordFault::partial_record: s << "payload is not a whole number of " << kRecordWords << "-word records; frame dropped"; break;
    case RecordFault::reserved_bits: s << "trial " << got_trial << " has reserved bits set; frame dropped"; break;
    case RecordFault::trial_gap:
        s << "trials " << expected_trial << " to " << got_trial - 1 << " are missing (" << got_trial - expected_trial
          << " trials lost)";
        break;
    case RecordFault::trial_backwards:
        s << "trial " << got_trial << " came after trial " << expected_trial - 1 << "; record dropped";
        break;
    }
    return s.str();
}

RecordStream::RecordStream(RecordFn on_record, FaultFn on_fault, std::uint64_t first_trial)
    : on_record_(std::move(on_record)), on_fault_(std::move(on_fault)), next_trial_(first_trial) {}

void RecordStream::on_frame(const Frame& frame) {
    auto report = [&](RecordFault kind, std::uint64_t got) {
        on_fault_(RecordFaultReport{kind, frame.offset_bytes, frame.header.sequence, next_trial_, got});
    };
    const std::size_t words = frame.header.payload_words;
    if (words % kRecordWords != 0) {
        report(RecordFault::partial_record, 0);
        return;
    }
    // Check the whole frame before delivering any of it: a frame is accepted or dropped as a unit.
    for (std::size_t at = 0; at < words; at += kRecordWords)
        if (frame.word(at + kRecordWords - 1) & kRecordReservedMask) {
            report(RecordFault::reserved_bits, frame.word(at) | (std::uint64_t{frame.word(at + 1)} << 32));
            return;
        }
    for (std::size_t at = 0; at < words; at += kRecordWords) {
        std::uint32_t w[kRecordWords];
        for (unsigned i = 0; i < kRecordWords; ++i) w[i] = frame.word(at + i);
        const TrialRecord r = unpack_record(w);
        // The second test catches an index after 2^64 - 1, where next_trial_ has wrapped to 0.
        if (r.trial_index < next_trial_ || (delivered_ > 0 && r.trial_index <= last_trial_)) {
            report(RecordFault::trial_backwards, r.trial_index);
            continue;
        }
        if (r.trial_index > next_trial_) {
            report(RecordFault::trial_gap, r.trial_index);
            note_lost(next_trial_, r.trial_index - next_trial_);
        }
        last_trial_ = r.trial_index;
        next_trial_ = r.trial_index + 1;
        ++delivered_;
        on_record_(r);
    }
}

void RecordStream::finish(std::uint64_t expected_trials) {
    if (expected_trials > next_trial_) note_lost(next_trial_, expected_trials - next_trial_);
    next_trial_ = std::max(next_trial_, expected_trials);
}

void RecordStream::note_lost(std::uint64_t first, std::uint64_t count) {
    if (!lost_.empty() && lost_.back().first_trial + lost_.back().count == first)
        lost_.back().count += count;
    else
        lost_.push_back({first, count});
}

std::uint64_t RecordStream::lost_trials() const {
    std::uint64_t n = 0;
    for (const auto& s : lost_) n += s.count;
    return n;
}

} // namespace dira::stream
