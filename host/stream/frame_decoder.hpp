// Turns the byte stream from a station (USB, XRT or the simulator) into validated frames, and says
// precisely what is wrong when something is: which check failed, at which byte of the stream, on
// which stream and sequence number. The frame format is defined once, in dira/wire_format.hpp.
//
// Checks, in order, for each frame: sync word, format version, payload length, CRC-32C, then the
// per-stream sequence number. A frame that fails any check is not delivered; the decoder reports
// the fault and resynchronises on the next sync word.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_order.hpp"
#include "dira/wire_format.hpp"

namespace dira::stream {

enum class FrameFault : std::uint8_t {
    bad_sync,           // bytes that do not start a frame were skipped
    bad_version,        // a frame of a format version this host does not speak
    bad_length,         // payload length above the limit
    bad_crc,            // the CRC-32C does not match: the frame was corrupted
    truncated,          // the frame ends early: the next sync word starts inside it, or the stream ended
    sequence_gap,       // frames of this stream are missing before this one (they may still arrive late)
    sequence_duplicate, // this stream's sequence number was already delivered: frame dropped
    sequence_reordered, // a frame reported missing arrived late: dropped (its span stays marked lost)
};
std::string_view to_string(FrameFault fault);

struct FaultReport {
    FrameFault kind;
    std::uint64_t offset_bytes = 0;      // stream position of the frame (or of the skipped bytes)
    std::uint8_t stream_id = 0;          // 0 when the frame's header could not be trusted
    std::uint32_t expected_sequence = 0; // sequence faults: the next sequence number expected
    std::uint32_t got_sequence = 0;      // sequence faults: the one that came
    std::uint64_t length_bytes = 0;      // bytes skipped (bad_sync), or the frame's bytes as seen
    std::uint32_t missing_frames = 0;    // sequence_gap: how many frames are missing

    std::string describe() const;
};

struct Frame {
    FrameHeader header;
    std::uint64_t offset_bytes = 0;         // stream position of the sync word
    std::span<const std::uint8_t> payload;  // header.payload_words little-endian words

    // Inline: it runs once per payload word on the hot path.
    std::uint32_t word(std::size_t i) const { return load_le<std::uint32_t>(payload.data() + 4 * i); }
};

class FrameSink {
public:
    virtual ~FrameSink() = default;
    virtual void on_frame(const Frame& frame) = 0; // the span is valid only during the call
    virtual void on_fault(const FaultReport& fault) = 0;
};

class FrameDecoder {
public:
    explicit FrameDecoder(FrameSink& sink, unsigned max_payload_words = kMaxPayloadWords);

    void feed(std::span<const std::uint8_t> bytes);
    // End of stream: a partial frame left over is reported as truncated.
    void finish();

    std::uint64_t bytes_seen() const { return stream_offset_ + buffer_.size(); }
    std::uint64_t frames_delivered() const { return frames_delivered_; }
    std::uint64_t faults() const { return faults_; }

private:
    struct MissingRange {
        std::uint32_t first, count; // sequence numbers first .. first + count - 1 (modulo 2^32)
    };
    struct SequenceState {
        bool started = false;
        std::uint32_t expected = 0;
        std::vector<MissingRange> missing; // reported in a gap, not (yet) arrived; the latest gaps only
    };
    static bool take_missing(SequenceState& s, std::uint32_t seq);

    // Parses frames from data[0, n) at stream offset `base`; returns the bytes it consumed.
    std::size_t parse(const std::uint8_t* data, std::size_t n, std::uint64_t base);
    std::size_t skip_to_sync(const std::uint8_t* data, std::size_t from, std::size_t n, std::uint64_t base);
    std::size_t resync_after_bad_frame(const std::uint8_t* data, std::size_t at, std::size_t frame_bytes,
                                       std::uint64_t base, const FrameHeader& header);
    std::size_t abandon_frame(std::size_t at);
    void deliver(const Frame& frame);
    void fault(const FaultReport& report);
    void flush_pending_skip();

    FrameSink& sink_;
    unsigned max_payload_words_;
    std::vector<std::uint8_t> buffer_; // bytes not yet parsed (a partial frame)
    std::uint64_t stream_offset_ = 0;  // stream position of buffer_[0]
    std::uint64_t pending_skip_offset_ = 0;
    std::uint64_t pending_skip_bytes_ = 0;
    bool suppress_skip_report_ = false; // skipping the rest of a frame already reported
    std::array<SequenceState, 256> sequences_{};
    std::uint64_t frames_delivered_ = 0;
    std::uint64_t faults_ = 0;
};

// Builds a frame exactly as the firmware does: for tests, fault injection and the host's own tools.
std::vector<std::uint8_t> encode_frame(StreamId stream, std::uint32_t sequence, std::span<const std::uint32_t> payload);

// Appends little-endian 32-bit words to a byte vector.
void append_words(std::vector<std::uint8_t>& out, std::span<const std::uint32_t> words);

} // namespace dira::stream
