// Frame encode/decode round trip, and every kind of corruption rejected with its own fault.
#include <catch2/catch.hpp>

#include <numeric>
#include <vector>

#include "stream/frame_capture.hpp"
#include "stream/frame_decoder.hpp"

using namespace dira;
using namespace dira::stream;

namespace {

std::vector<std::uint32_t> counting_payload(std::size_t n, std::uint32_t start) {
    std::vector<std::uint32_t> p(n);
    std::iota(p.begin(), p.end(), start);
    return p;
}

std::vector<std::uint8_t> frames(StreamId id, std::uint32_t first_seq, unsigned count, std::size_t words = 9) {
    std::vector<std::uint8_t> out;
    for (unsigned i = 0; i < count; ++i) {
        auto f = encode_frame(id, first_seq + i, counting_payload(words, 100 * i));
        out.insert(out.end(), f.begin(), f.end());
    }
    return out;
}

FrameCapture decode(const std::vector<std::uint8_t>& bytes, std::size_t chunk = 0) {
    FrameCapture cap;
    FrameDecoder dec(cap);
    if (chunk == 0) chunk = bytes.size();
    for (std::size_t at = 0; at < bytes.size(); at += chunk)
        dec.feed(std::span(bytes).subspan(at, std::min(chunk, bytes.size() - at)));
    dec.finish();
    return cap;
}

std::size_t frame_size(std::size_t words) { return 4 * (kFrameHeaderWords + words + kFrameTrailerWords); }

} // namespace

TEST_CASE("frames round-trip through the decoder, however the bytes are split") {
    const auto bytes = frames(StreamId::records, 5, 10);
    for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{17}, std::size_t{512}}) {
        const auto cap = decode(bytes, chunk);
        REQUIRE(cap.faults.empty());
        REQUIRE(cap.frames.size() == 10);
        for (unsigned i = 0; i < 10; ++i) {
            REQUIRE(cap.frames[i].header.sequence == 5 + i);
            REQUIRE(cap.frames[i].header.stream_id == static_cast<std::uint8_t>(StreamId::records));
            REQUIRE(cap.frames[i].payload == counting_payload(9, 100 * i));
            REQUIRE(cap.frames[i].offset_bytes == i * frame_size(9));
        }
    }
}

TEST_CASE("an empty payload is a valid frame") {
    const auto cap = decode(encode_frame(StreamId::register_reply, 0, {}));
    REQUIRE(cap.faults.empty());
    REQUIRE(cap.frames.size() == 1);
    REQUIRE(cap.frames[0].payload.empty());
}

TEST_CASE("garbage before a frame is skipped and reported as bad sync") {
    std::vector<std::uint8_t> bytes = {1, 2, 3, 4, 5, 6, 7};
    const auto f = frames(StreamId::records, 0, 2);
    bytes.insert(bytes.end(), f.begin(), f.end());
    const auto cap = decode(bytes, 4);
    REQUIRE(cap.faults.size() == 1);
    REQUIRE(cap.faults[0].kind == FrameFault::bad_sync);
    REQUIRE(cap.faults[0].offset_bytes == 0);
    REQUIRE(cap.faults[0].length_bytes == 7);
    REQUIRE(cap.frames.size() == 2);
}

TEST_CASE("a corrupted sync word loses that frame only") {
    auto bytes = frames(StreamId::records, 0, 3);
    bytes[frame_size(9)] ^= 0xFF; // second frame's sync
    const auto cap = decode(bytes);
    REQUIRE(cap.frames.size() == 2);
    REQUIRE(cap.faults.size() == 2);
    REQUIRE(cap.faults[0].kind == FrameFault::bad_sync);
    REQUIRE(cap.faults[0].offset_bytes == frame_size(9));
    REQUIRE(cap.faults[0].length_bytes == frame_size(9));
    REQUIRE(cap.faults[1].kind == FrameFault::sequence_gap);
    REQUIRE(cap.faults[1].missing_frames == 1);
}

TEST_CASE("a flipped payload bit fails the CRC") {
    auto bytes = frames(StreamId::records, 0, 3);
    bytes[frame_size(9) + 4 * 5] ^= 0x10;
    const auto cap = decode(bytes);
    REQUIRE(cap.frames.size() == 2);
    REQUIRE(cap.faults.size() == 2);
    REQUIRE(cap.faults[0].kind == FrameFault::bad_crc);
    REQUIRE(cap.faults[0].offset_bytes == frame_size(9));
    REQUIRE(cap.faults[0].got_sequence == 1);
    REQUIRE(cap.faults[1].kind == FrameFault::sequence_gap);
    REQUIRE(cap.faults[1].expected_sequence == 1);
    REQUIRE(cap.faults[1].got_sequence == 2);
}

TEST_CASE("a flipped CRC bit fails the CRC") {
    auto bytes = frames(StreamId::records, 0, 1);
    bytes.back() ^= 0x80;
    const auto cap = decode(bytes);
    REQUIRE(cap.frames.empty());
    REQUIRE(cap.faults.size() == 1);
    REQUIRE(cap.faults[0].kind == FrameFault::bad_crc);
}

TEST_CASE("an unknown format version is rejected") {
    auto bytes = frames(StreamId::records, 0, 2);
    bytes[4] = kFormatVersion + 1; // version byte of the first frame
    const auto cap = decode(bytes);
    REQUIRE(cap.frames.size() == 1);
    REQUIRE(cap.faults[0].kind == FrameFault::bad_version);
    REQUIRE(cap.faults[0].offset_bytes == 0);
    REQUIRE(cap.faults[0].describe().find("version") != std::string::npos);
}

TEST_CASE("a payload length above the limit is rejected") {
    auto bytes = frames(StreamId::records, 0, 2);
    bytes[6] = 0xFF; // payload length low byte -> 0x..FF words, above kMaxPayloadWords
    bytes[7] = 0xFF;
    const auto cap = decode(bytes);
    REQUIRE(cap.frames.size() == 1);
    REQUIRE(cap.faults[0].kind == FrameFault::bad_length);
}

TEST_CASE("a frame cut short by the next one is reported as truncated") {
    const auto good = frames(StreamId::records, 0, 3);
    std::vector<std::uint8_t> bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(frame_size(9)));
    const std::size_t cut = 4 * 6; // second frame loses everything after its sixth word
    bytes.insert(bytes.end(), good.begin() + static_cast<std::ptrdiff_t>(frame_size(9)),
                 good.begin() + static_cast<std::ptrdiff_t>(frame_size(9) + cut));
    bytes.insert(bytes.end(), good.begin() + static_cast<std::ptrdiff_t>(2 * frame_size(9)), good.end());
    const auto cap = decode(bytes);
    REQUIRE(cap.frames.size() == 2);
    REQUIRE(cap.faults.size() == 2);
    REQUIRE(cap.faults[0].kind == FrameFault::truncated);
    REQUIRE(cap.faults[0].offset_bytes == frame_size(9));
    REQUIRE(cap.faults[0].length_bytes == cut);
    REQUIRE(cap.faults[1].kind == FrameFault::sequence_gap);
}

TEST_CASE("a stream that ends inside a frame reports it truncated") {
    auto bytes = frames(StreamId::records, 0, 2);
    bytes.resize(bytes.size() - 5);
    const auto cap = decode(bytes);
    REQUIRE(cap.frames.size() == 1);
    REQUIRE(cap.faults.size() == 1);
    REQUIRE(cap.faults[0].kind == FrameFault::truncated);
    REQUIRE(cap.faults[0].got_sequence == 1);
}

TEST_CASE("skipped sequence numbers are reported as a gap, the frame still delivered") {
    auto bytes = frames(StreamId::records, 0, 2);
    const auto later = frames(StreamId::records, 5, 1);
    bytes.insert(bytes.end(), later.begin(), later.end());
    const auto cap = decode(bytes);
    REQUIRE(cap.frames.size() == 3);
    REQUIRE(cap.faults.size() == 1);
    REQUIRE(cap.faults[0].kind == FrameFault::sequence_gap);
    REQUIRE(cap.faults[0].expected_sequence == 2);
    REQUIRE(cap.faults[0].got_sequence == 5);
    REQUIRE(cap.faults[0].missing_frames == 3);
}

TEST_CASE("a duplicated frame is reported and dropped") {
    auto bytes = frames(StreamId::records, 0, 2);
    const auto again = frames(StreamId::records, 1, 1);
    bytes.insert(bytes.end(), again.begin(), again.end());
    const auto cap = decode(bytes);
    REQUIRE(cap.frames.size() == 2);
    REQUIRE(cap.faults.size() == 1);
    REQUIRE(cap.faults[0].kind == FrameFault::sequence_duplicate);
    REQUIRE(cap.faults[0].got_sequence == 1);
}

TEST_CASE("a frame arriving after its successors is reported as reordered and dropped") {
    auto bytes = frames(StreamId::records, 0, 1);
    const auto third = frames(StreamId::records, 2, 1);
    const auto second = frames(StreamId::records, 1, 1);
    bytes.insert(bytes.end(), third.begin(), third.end());
    bytes.insert(bytes.end(), second.begin(), second.end());
    const auto cap = decode(bytes);
    REQUIRE(cap.frames.size() == 2);
    REQUIRE(cap.faults.size() == 2);
    REQUIRE(cap.faults[0].kind == FrameFault::sequence_gap);
    REQUIRE(cap.faults[1].kind == FrameFault::sequence_reordered);
    REQUIRE(cap.faults[1].got_sequence == 1);
}

TEST_CASE("late frames from inside a large gap are reordered once, then duplicates") {
    auto bytes = frames(StreamId::records, 0, 1);
    for (std::uint32_t seq : {1000u, 500u, 1u, 500u, 999u}) {
        const auto f = frames(StreamId::records, seq, 1);
        bytes.insert(bytes.end(), f.begin(), f.end());
    }
    const auto cap = decode(bytes);
    REQUIRE(cap.frames.size() == 2); // 0 and 1000
    REQUIRE(cap.faults.size() == 5);
    REQUIRE(cap.faults[0].kind == FrameFault::sequence_gap);
    REQUIRE(cap.faults[0].missing_frames == 999);
    REQUIRE(cap.faults[1].kind == FrameFault::sequence_reordered);
    REQUIRE(cap.faults[2].kind == FrameFault::sequence_reordered);
    REQUIRE(cap.faults[3].kind == FrameFault::sequence_duplicate); // 500 again
    REQUIRE(cap.faults[4].kind == FrameFault::sequence_reordered); // 999, the end of the split range
}

TEST_CASE("streams keep separate sequence numbers, and sequence numbers wrap") {
    auto bytes = frames(StreamId::records, 0xFFFFFFFEu, 4);
    const auto replies = frames(StreamId::register_reply, 0, 2, 2);
    bytes.insert(bytes.begin(), replies.begin(), replies.end());
    const auto cap = decode(bytes);
    REQUIRE(cap.faults.empty());
    REQUIRE(cap.frames.size() == 6);
    REQUIRE(cap.frames.back().header.sequence == 1);
}

TEST_CASE("every fault describes itself with where it happened") {
    FaultReport r{FrameFault::sequence_gap, 1234, 1};
    r.expected_sequence = 3;
    r.got_sequence = 9;
    r.missing_frames = 6;
    const auto text = r.describe();
    REQUIRE(text.find("1234") != std::string::npos);
    REQUIRE(text.find("6 frames missing") != std::string::npos);
}
