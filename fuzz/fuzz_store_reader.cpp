// libFuzzer target: the run-store reader (record_store.hpp) and the chunk codec under it.
//
// Input: byte 0 chooses the mode.
//   0: the rest is a whole store file, read as is (every CRC must match for the fuzzer to get in).
//   1: the rest is a store file whose header and chunk CRCs are fixed up first, so the fuzzer
//      reaches the sizes, zstd and the record decoding.
//   2: the rest is one chunk's encoded payload (record_codec.hpp), decoded directly.
// Invariants: every fault is a dira::Error; decoded records round-trip through the encoder.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "store/record_codec.hpp"
#include "store/record_store.hpp"
#include "stream/crc32c_fast.hpp"

namespace {

using namespace dira;

void check(bool ok) {
    if (!ok) std::abort();
}

void put_crc(std::vector<std::uint8_t>& b, std::size_t at, std::size_t n, std::size_t crc_at) {
    const std::uint32_t crc = stream::crc32c(b.data() + at, n);
    store_le<std::uint32_t>(b.data() + crc_at, crc);
}

void fix_crcs(std::vector<std::uint8_t>& b) {
    if (b.size() < store::kFileHeaderBytes) return;
    put_crc(b, 0, 28, 28);
    std::size_t at = store::kFileHeaderBytes;
    while (at + store::kChunkHeaderBytes <= b.size()) {
        const std::uint32_t stored = load_le<std::uint32_t>(b.data() + at + 28);
        const std::size_t payload = at + store::kChunkHeaderBytes;
        if (stored <= b.size() - payload) put_crc(b, payload, stored, at + 40);
        put_crc(b, at, 44, at + 44);
        at = payload + (stored <= b.size() - payload ? stored : b.size() - payload);
        if (stored == 0) break;
    }
}

void round_trip(const store::RecordColumns& c) {
    std::vector<TrialRecord> records;
    for (std::size_t i = 0; i < c.size(); ++i) records.push_back(c.record(i));
    std::vector<std::uint8_t> again;
    store::encode_records(records, again);
    store::RecordColumns back;
    store::decode_records(again, back);
    check(back.size() == records.size());
    for (std::size_t i = 0; i < back.size(); ++i) check(back.record(i) == records[i]);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    std::vector<std::uint8_t> bytes(data + 1, data + size);
    try {
        switch (data[0] % 3) {
        case 0: store::decode_store_bytes(bytes); break;
        case 1:
            fix_crcs(bytes);
            store::decode_store_bytes(bytes);
            break;
        default: {
            store::RecordColumns columns;
            store::decode_records(bytes, columns);
            round_trip(columns);
        }
        }
    } catch (const Error& e) {
        check(e.what()[0] != '\0');
    }
    return 0;
}
