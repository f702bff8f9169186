// Framer (docs/station.md, "Framer"): the record FIFO and the reply FIFO, and the frames it builds
// from them (records, register replies, test pattern, extractor output), one word per station cycle
// with CRC-32C.
#pragma once

#include <cstdint>

#include "dira/crc32c.hpp"
#include "dira/station_timing.hpp"
#include "dira/wire_format.hpp"
#include "station/extractor.hpp"
#include "station/station_types.hpp"

namespace dira { namespace hls_station {

enum class FrameKind : std::uint8_t { none, records, register_reply, test_pattern, extractor };
constexpr unsigned kFramerStreams = 4; // each kind but none has its own sequence number

constexpr unsigned sequence_slot(FrameKind k) { return static_cast<unsigned>(k) - 1; }

constexpr std::uint8_t frame_stream_id(FrameKind k) {
    return static_cast<std::uint8_t>(k == FrameKind::records          ? StreamId::records
                                     : k == FrameKind::register_reply ? StreamId::register_reply
                                     : k == FrameKind::extractor      ? StreamId::extractor
                                                                      : StreamId::test_pattern);
}

struct FramerState {
    RecordWords records[kRecordFifoDepth];
    std::uint32_t record_head = 0;
    std::uint32_t record_count = 0;
    RegisterReply replies[kReplyFifoDepth];
    std::uint32_t reply_head = 0;
    std::uint32_t reply_count = 0;

    FrameKind sending = FrameKind::none;
    std::uint32_t payload_words = 0;
    std::uint32_t word_index = 0;  // index in the frame of the word to write next
    std::uint32_t record_word = 0; // index in the head record of the next record payload word
    std::uint32_t crc = kCrc32cInit;
    std::uint32_t sequence[kFramerStreams] = {};
    std::uint32_t test_counter = 0;
    std::uint32_t cycles_since_commit = 0; // saturating; 0 in the cycle after a record was pushed
};

struct FramerControl {
    bool test_pattern = false;     // CONTROL.TEST_PATTERN
    std::uint32_t flush_cycles = 0; // FLUSH_CYCLES
};

// What the framer does during one cycle.
struct FramerCycle {
    bool record_ready = false; // the record FIFO can take a record this cycle
    bool reply_ready = false;  // the reply FIFO can take a reply this cycle
    FrameKind start = FrameKind::none; // idle: the frame chosen in this cycle
    bool word_valid = false;   // a frame word goes into the outgoing FIFO
    std::uint32_t word = 0;
    bool frame_sent = false;   // ... and it is the frame's last (CRC) word
    bool pop_record = false;
    bool pop_reply = false;
    bool pop_z = false;        // the extractor's z word went out (its last payload word)
};

// Replies, then records, then extractor output: a z word waits in the engine (which stalls), never
// a record.
inline FrameKind choose_frame(const FramerState& s, FramerControl control, bool z_valid) {
    if (s.reply_count > 0) return FrameKind::register_reply;
    const bool full_frame = s.record_count >= kRecordsPerFrame;
    const bool flush = s.record_count > 0 && s.cycles_since_commit >= control.flush_cycles;
    if (full_frame || flush) return FrameKind::records;
    if (z_valid) return FrameKind::extractor;
    if (control.test_pattern && s.record_count == 0) return FrameKind::test_pattern;
    return FrameKind::none;
}

inline std::uint32_t payload_words_of(const FramerState& s, FrameKind k) {
    switch (k) {
    case FrameKind::records: return (s.record_count < kRecordsPerFrame ? s.record_count : kRecordsPerFrame) * kRecordWords;
    case FrameKind::register_reply: return kRegisterReplyWords;
    case FrameKind::test_pattern: return kTestPatternWords;
    case FrameKind::extractor: return kExtractZWords;
    default: return 0;
    }
}

inline std::uint32_t payload_word(const FramerState& s, std::uint32_t payload_index, const ExtractorOut& z) {
    switch (s.sending) {
    case FrameKind::extractor: return z.z_word[payload_index];
    case FrameKind::records: return s.records[s.record_head].word[s.record_word];
    case FrameKind::register_reply:
        return payload_index == 0 ? s.replies[s.reply_head].address : s.replies[s.reply_head].value;
    default: return s.test_counter;
    }
}

inline std::uint32_t frame_word(const FramerState& s, const ExtractorOut& z) {
    const std::uint32_t k = s.word_index;
    if (k == 0) return kSyncWord;
    if (k == 1)
        return pack_header_word1(kFormatVersion, frame_stream_id(s.sending), static_cast<std::uint16_t>(s.payload_words));
    if (k == 2) return s.sequence[sequence_slot(s.sending)];
    if (k == kFrameHeaderWords + s.payload_words) return s.crc ^ kCrc32cFinalXor;
    return payload_word(s, k - kFrameHeaderWords, z);
}

// z: the extractor's output during the cycle (none on a station without one).
inline FramerCycle framer_decide(const FramerState& s, bool out_ready, FramerControl control, const ExtractorOut& z = {}) {
    FramerCycle c;
    c.record_ready = s.record_count < kRecordFifoDepth;
    c.reply_ready = s.reply_count < kReplyFifoDepth;
    if (s.sending == FrameKind::none) {
        c.start = choose_frame(s, control, z.z_valid);
        return c;
    }
    const std::uint32_t last = kFrameHeaderWords + s.payload_words;
    const bool payload = s.word_index >= kFrameHeaderWords && s.word_index < last;
    c.word_valid = out_ready;
    c.word = frame_word(s, z);
    c.frame_sent = out_ready && s.word_index == last;
    c.pop_record = out_ready && payload && s.sending == FrameKind::records && s.record_word == kRecordWords - 1;
    c.pop_reply = out_ready && s.sending == FrameKind::register_reply && s.word_index == last - 1;
    c.pop_z = out_ready && s.sending == FrameKind::extractor && s.word_index == last - 1;
    return c;
}

// The end of the cycle. pushed_record / pushed_reply: what the recorder and the register file put
// into the FIFOs in this cycle (nullptr: nothing); the caller keeps to record_ready / reply_ready.
inline void framer_advance(FramerState& s, const FramerCycle& c, const RecordWords* pushed_record,
                           const RegisterReply* pushed_reply) {
    if (c.start != FrameKind::none) {
        s.payload_words = payload_words_of(s, c.start);
        s.sending = c.start;
        s.word_index = 0;
        s.record_word = 0;
        s.crc = kCrc32cInit;
    } else if (c.word_valid) {
        const bool payload = s.word_index >= kFrameHeaderWords && !c.frame_sent;
        if (!c.frame_sent) s.crc = crc32c_update_word(s.crc, c.word);
        if (payload && s.sending == FrameKind::records) s.record_word = s.record_word == kRecordWords - 1 ? 0 : s.record_word + 1;
        if (payload && s.sending == FrameKind::test_pattern) ++s.test_counter;
        if (c.frame_sent) {
            ++s.sequence[sequence_slot(s.sending)];
            s.sending = FrameKind::none;
        }
        ++s.word_index;
    }

    if (c.pop_record) {
        s.record_head = (s.record_head + 1) % kRecordFifoDepth;
        --s.record_count;
    }
    if (pushed_record) {
        s.records[(s.record_head + s.record_count) % kRecordFifoDepth] = *pushed_record;
        ++s.record_count;
    }
    if (c.pop_reply) {
        s.reply_head = (s.reply_head + 1) % kReplyFifoDepth;
        --s.reply_count;
    }
    if (pushed_reply) {
        s.replies[(s.reply_head + s.reply_count) % kReplyFifoDepth] = *pushed_reply;
        ++s.reply_count;
    }
    s.cycles_since_commit = pushed_record ? 0 : (s.cycles_since_commit == 0xFFFFFFFFu ? s.cycles_since_commit : s.cycles_since_commit + 1);
}

} } // namespace dira::hls_station
