// libFuzzer target: the frame decoder and the record stream behind it, fed any bytes in any split.
//
// Input: byte 0 chooses the mode; bytes 1..2 where the stream is split between two feed() calls.
//   mode bit 0 set: "fix the CRCs": every claimed frame (sync word + header) gets a correct CRC-32C
//   before decoding, so the fuzzer gets past the checksum into the header, sequence and record
//   checks. Invariants checked: delivered frames are whole and inside the input, every record the
//   record stream delivers has a strictly larger trial index than the one before, and the decoder
//   accounts for every byte.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/byte_order.hpp"
#include "dira/wire_format.hpp"
#include "stream/crc32c_fast.hpp"
#include "stream/frame_decoder.hpp"
#include "stream/record_stream.hpp"

namespace {

using namespace dira;

void check(bool ok) {
    if (!ok) std::abort();
}

void fix_crcs(std::vector<std::uint8_t>& b) {
    for (std::size_t at = 0; at + 12 <= b.size(); ++at) {
        if (load_le<std::uint32_t>(b.data() + at) != kSyncWord) continue;
        const auto h = unpack_header(load_le<std::uint32_t>(b.data() + at + 4), load_le<std::uint32_t>(b.data() + at + 8));
        const std::size_t body = 12 + 4ull * h.payload_words;
        if (at + body + 4 > b.size()) continue;
        const std::uint32_t crc = stream::crc32c(b.data() + at, body);
        store_le<std::uint32_t>(b.data() + at + body, crc);
    }
}

struct Sink : stream::FrameSink {
    const std::uint8_t* begin = nullptr;
    std::uint64_t total = 0;
    stream::RecordStream* records = nullptr;
    void on_frame(const stream::Frame& f) override {
        check(f.payload.size() == 4u * f.header.payload_words);
        check(f.header.payload_words <= kMaxPayloadWords);
        check(f.offset_bytes + 16 + f.payload.size() <= total);
        if (f.header.stream_id == static_cast<std::uint8_t>(StreamId::records)) records->on_frame(f);
    }
    void on_fault(const stream::FaultReport& r) override { check(!r.describe().empty()); }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    const std::uint8_t mode = data[0];
    const std::size_t split_hint = data[1] | (std::size_t{data[2]} << 8);
    std::vector<std::uint8_t> bytes(data + 3, data + size);
    if (mode & 1) fix_crcs(bytes);

    bool have_last = false;
    std::uint64_t last_trial = 0;
    stream::RecordStream records(
        [&](const TrialRecord& r) {
            check(!have_last || r.trial_index > last_trial);
            have_last = true;
            last_trial = r.trial_index;
        },
        [](const stream::RecordFaultReport& f) { check(!f.describe().empty()); });
    Sink sink;
    sink.total = bytes.size();
    sink.records = &records;
    stream::FrameDecoder decoder(sink);
    const std::size_t split = bytes.empty() ? 0 : split_hint % (bytes.size() + 1);
    decoder.feed(std::span(bytes).first(split));
    decoder.feed(std::span(bytes).subspan(split));
    decoder.finish();
    check(decoder.bytes_seen() == bytes.size());
    records.finish(records.next_trial());
    return 0;
}
