#include "stream/frame_decoder.hpp"

#include <cstring>
#include <sstream>

#include "stream/crc32c_fast.hpp"

namespace dira::stream {
namespace {

constexpr std::size_t kHeaderBytes = kFrameHeaderWords * 4;
constexpr std::size_t kTrailerBytes = kFrameTrailerWords * 4;
// Gaps remembered per stream, to tell a late frame from a duplicate. Past this many, the oldest is
// forgotten and a frame from it is reported as a duplicate (dropped either way). Ranges, not numbers:
// a hostile gap of 2^31 frames costs no more than a gap of one.
constexpr std::size_t kMaxRememberedGaps = 64;

std::size_t frame_bytes_of(const FrameHeader& h) { return kHeaderBytes + 4u * h.payload_words + kTrailerBytes; }

} // namespace

std::string_view to_string(FrameFault fault) {
    switch (fault) {
    case FrameFault::bad_sync: return "bad sync";
    case FrameFault::bad_version: return "bad version";
    case FrameFault::bad_length: return "bad length";
    case FrameFault::bad_crc: return "bad CRC";
    case FrameFault::truncated: return "truncated frame";
    case FrameFault::sequence_gap: return "sequence gap";
    case FrameFault::sequence_duplicate: return "duplicate sequence";
    case FrameFault::sequence_reordered: return "reordered sequence";
    }
    return "frame fault";
}

std::string FaultReport::describe() const {
    std::ostringstream s;
    s << to_string(kind) << " at stream byte " << offset_bytes;
    switch (kind) {
    case FrameFault::bad_sync: s << ": skipped " << length_bytes << " bytes that do not start a frame"; break;
    case FrameFault::bad_version:
        s << ": frame claims format version " << got_sequence << ", this host speaks " << kFormatVersion
          << " (update the host or the firmware)";
        break;
    case FrameFault::bad_length:
        s << ": frame claims " << length_bytes / 4 << " payload words, above the limit; frame dropped";
        break;
    case FrameFault::bad_crc:
        s << ": CRC-32C mismatch in a frame claiming stream " << unsigned{stream_id} << " sequence " << got_sequence
          << "; frame dropped";
        break;
    case FrameFault::truncated:
        s << ": frame of stream " << unsigned{stream_id} << " sequence " << got_sequence << " ends after "
          << length_bytes << " bytes; frame dropped";
        break;
    case FrameFault::sequence_gap:
        s << ": stream " << unsigned{stream_id} << " expected sequence " << expected_sequence << ", got "
          << got_sequence << " (" << missing_frames << " frames missing)";
        break;
    case FrameFault::sequence_duplicate:
        s << ": stream " << unsigned{stream_id} << " sequence " << got_sequence
          << " was already delivered (expected " << expected_sequence << "); frame dropped";
        break;
    case FrameFault::sequence_reordered:
        s << ": stream " << unsigned{stream_id} << " sequence " << got_sequence
          << " arrived after later frames (expected " << expected_sequence << "); frame dropped";
        break;
    }
    return s.str();
}


FrameDecoder::FrameDecoder(FrameSink& sink, unsigned max_payload_words)
    : sink_(sink), max_payload_words_(max_payload_words) {}

void FrameDecoder::feed(std::span<const std::uint8_t> bytes) {
    if (buffer_.empty()) {
        // Common case: parse straight from the caller's bytes, keep only a trailing partial frame.
        const std::size_t used = parse(bytes.data(), bytes.size(), stream_offset_);
        stream_offset_ += used;
        buffer_.assign(bytes.begin() + static_cast<std::ptrdiff_t>(used), bytes.end());
        return;
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    const std::size_t used = parse(buffer_.data(), buffer_.size(), stream_offset_);
    stream_offset_ += used;
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(used));
}

void FrameDecoder::finish() {
    if (!buffer_.empty()) {
        if (buffer_.size() >= 4 && load_le<std::uint32_t>(buffer_.data()) == kSyncWord) {
            FaultReport r{FrameFault::truncated, stream_offset_};
            if (buffer_.size() >= kHeaderBytes) {
                const auto h = unpack_header(load_le<std::uint32_t>(buffer_.data() + 4), load_le<std::uint32_t>(buffer_.data() + 8));
                r.stream_id = h.stream_id;
                r.got_sequence = h.sequence;
            }
            r.length_bytes = buffer_.size();
            fault(r);
        } else if (!suppress_skip_report_) {
            pending_skip_bytes_ += buffer_.size();
            if (pending_skip_bytes_ == buffer_.size()) pending_skip_offset_ = stream_offset_;
        }
        stream_offset_ += buffer_.size();
        buffer_.clear();
    }
    flush_pending_skip();
}

std::size_t FrameDecoder::parse(const std::uint8_t* data, std::size_t n, std::uint64_t base) {
    std::size_t pos = 0;
    while (n - pos >= 4) {
        if (load_le<std::uint32_t>(data + pos) != kSyncWord) {
            pos = skip_to_sync(data, pos, n, base);
            continue;
        }
        suppress_skip_report_ = false;
        flush_pending_skip();
        if (n - pos < kHeaderBytes) break;
        const FrameHeader header = unpack_header(load_le<std::uint32_t>(data + pos + 4), load_le<std::uint32_t>(data + pos + 8));
        if (header.version != kFormatVersion) {
            FaultReport r{FrameFault::bad_version, base + pos, header.stream_id};
            r.got_sequence = header.version;
            fault(r);
            pos = abandon_frame(pos);
            continue;
        }
        if (header.payload_words > max_payload_words_) {
            FaultReport r{FrameFault::bad_length, base + pos, header.stream_id};
            r.length_bytes = 4ull * header.payload_words;
            fault(r);
            pos = abandon_frame(pos);
            continue;
        }
        const std::size_t frame_bytes = frame_bytes_of(header);
        if (n - pos < frame_bytes) break; // wait for the rest
        const std::uint32_t crc = crc32c(data + pos, frame_bytes - kTrailerBytes);
        if (crc != load_le<std::uint32_t>(data + pos + frame_bytes - kTrailerBytes)) {
            pos = resync_after_bad_frame(data, pos, frame_bytes, base, header);
            continue;
        }
        deliver(Frame{header, base + pos, {data + pos + kHeaderBytes, 4u * header.payload_words}});
        pos += frame_bytes;
    }
    return pos;
}

// Skips bytes up to the next sync word (at any byte offset: a lost byte must not blind us), and
// remembers them for one bad_sync report. Keeps the last three bytes, which may begin a sync word.
std::size_t FrameDecoder::skip_to_sync(const std::uint8_t* data, std::size_t from, std::size_t n, std::uint64_t base) {
    std::size_t q = from + 1;
    while (q + 4 <= n && load_le<std::uint32_t>(data + q) != kSyncWord) ++q;
    if (q + 4 > n) q = n - 3;
    if (!suppress_skip_report_) {
        if (pending_skip_bytes_ == 0) pending_skip_offset_ = base + from;
        pending_skip_bytes_ += q - from;
    }
    return q;
}

// After a frame was rejected, the bytes up to the next sync belong to it: do not report them again.
std::size_t FrameDecoder::abandon_frame(std::size_t at) {
    suppress_skip_report_ = true;
    return at + 4;
}

// A frame failed its CRC. If another frame's sync word starts inside it, this one was cut short
// (truncated) and parsing resumes there; otherwise it was corrupted in place.
std::size_t FrameDecoder::resync_after_bad_frame(const std::uint8_t* data, std::size_t at, std::size_t frame_bytes,
                                                 std::uint64_t base, const FrameHeader& header) {
    for (std::size_t q = at + 4; q + kHeaderBytes <= at + frame_bytes; ++q) {
        if (load_le<std::uint32_t>(data + q) != kSyncWord) continue;
        const FrameHeader next = unpack_header(load_le<std::uint32_t>(data + q + 4), load_le<std::uint32_t>(data + q + 8));
        if (next.version != kFormatVersion || next.payload_words > max_payload_words_) continue;
        FaultReport r{FrameFault::truncated, base + at, header.stream_id};
        r.got_sequence = header.sequence;
        r.length_bytes = q - at;
        fault(r);
        return q;
    }
    FaultReport r{FrameFault::bad_crc, base + at, header.stream_id};
    r.got_sequence = header.sequence;
    r.length_bytes = frame_bytes;
    fault(r);
    return abandon_frame(at);
}

void FrameDecoder::deliver(const Frame& frame) {
    SequenceState& s = sequences_[frame.header.stream_id];
    const std::uint32_t seq = frame.header.sequence;
    if (!s.started) {
        s.started = true;
        s.expected = seq;
    }
    const std::uint32_t ahead = seq - s.expected; // modulo 2^32: sequence numbers wrap
    if (ahead >= 0x80000000u) {
        const bool was_missing = take_missing(s, seq);
        FaultReport r{was_missing ? FrameFault::sequence_reordered : FrameFault::sequence_duplicate,
                      frame.offset_bytes, frame.header.stream_id};
        r.expected_sequence = s.expected;
        r.got_sequence = seq;
        fault(r);
        return;
    }
    if (ahead > 0) {
        FaultReport r{FrameFault::sequence_gap, frame.offset_bytes, frame.header.stream_id};
        r.expected_sequence = s.expected;
        r.got_sequence = seq;
        r.missing_frames = ahead;
        fault(r);
        if (s.missing.size() == kMaxRememberedGaps) s.missing.erase(s.missing.begin());
        s.missing.push_back({s.expected, ahead});
    }
    s.expected = seq + 1;
    ++frames_delivered_;
    sink_.on_frame(frame);
}

// Removes `seq` from the remembered gaps (splitting its range); false if it was not missing.
bool FrameDecoder::take_missing(SequenceState& s, std::uint32_t seq) {
    for (auto it = s.missing.begin(); it != s.missing.end(); ++it) {
        const std::uint32_t offset = seq - it->first; // modulo 2^32
        if (offset >= it->count) continue;
        const MissingRange after{seq + 1, it->count - offset - 1};
        it->count = offset;
        if (after.count > 0) it = s.missing.insert(it + 1, after) - 1;
        if (it->count == 0) s.missing.erase(it);
        if (s.missing.size() > kMaxRememberedGaps) s.missing.erase(s.missing.begin());
        return true;
    }
    return false;
}

void FrameDecoder::fault(const FaultReport& report) {
    ++faults_;
    sink_.on_fault(report);
}

void FrameDecoder::flush_pending_skip() {
    if (pending_skip_bytes_ == 0) return;
    FaultReport r{FrameFault::bad_sync, pending_skip_offset_};
    r.length_bytes = pending_skip_bytes_;
    pending_skip_bytes_ = 0;
    fault(r);
}

void append_words(std::vector<std::uint8_t>& out, std::span<const std::uint32_t> words) {
    const std::size_t at = out.size();
    out.resize(at + 4 * words.size());
    for (std::size_t i = 0; i < words.size(); ++i) store_le<std::uint32_t>(out.data() + at + 4 * i, words[i]);
}

std::vector<std::uint8_t> encode_frame(StreamId stream, std::uint32_t sequence, std::span<const std::uint32_t> payload) {
    const std::uint32_t header[kFrameHeaderWords] = {
        kSyncWord, pack_header_word1(kFormatVersion, static_cast<std::uint8_t>(stream), static_cast<std::uint16_t>(payload.size())),
        sequence};
    std::vector<std::uint8_t> out;
    out.reserve(kHeaderBytes + 4 * payload.size() + kTrailerBytes);
    append_words(out, header);
    append_words(out, payload);
    const std::uint32_t crc = crc32c(out.data(), out.size());
    append_words(out, std::span(&crc, 1));
    return out;
}

} // namespace dira::stream
