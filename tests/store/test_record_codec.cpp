// The chunk encoding: exact round trips for realistic and adversarial records, compactness, and
// a clear error for every kind of damaged input.
#include <catch2/catch.hpp>

#include <limits>

#include "core/error.hpp"
#include "store/record_codec.hpp"
#include "store/store_test_records.hpp"

using namespace dira;
using namespace dira::store;

namespace {

std::vector<TrialRecord> round_trip(const std::vector<TrialRecord>& in) {
    std::vector<std::uint8_t> bytes;
    encode_records(in, bytes);
    RecordColumns cols;
    decode_records(bytes, cols);
    std::vector<TrialRecord> out;
    for (std::size_t i = 0; i < cols.size(); ++i) out.push_back(cols.record(i));
    return out;
}

} // namespace

TEST_CASE("realistic records round-trip exactly") {
    const auto records = realistic_records(10000, 7);
    REQUIRE(round_trip(records) == records);
}

TEST_CASE("a single record round-trips") {
    const auto records = realistic_records(1, 3, 12345);
    REQUIRE(round_trip(records) == records);
}

TEST_CASE("extreme field values round-trip through exceptions") {
    auto records = realistic_records(300, 5);
    const auto max64 = std::numeric_limits<std::uint64_t>::max();
    records[10].t_trigger_cycles = max64;
    records[11].t_setting_cycles = max64;
    records[12].t_outcome_cycles = 1; // before its trigger
    records[13].flags = 0xFFFF;
    records[14].t_setting_cycles = records[14].t_trigger_cycles - 1; // would collide with "absent" without care
    records[200].t_trigger_cycles = 0;
    for (std::size_t i = 250; i < 300; ++i) records[i].trial_index = records[i].trial_index + (1ull << 40) + i * i;
    records.back().trial_index = max64;
    REQUIRE(round_trip(records) == records);
}

TEST_CASE("gaps in trial indices round-trip") {
    auto records = realistic_records(1000, 9);
    for (std::size_t i = 500; i < records.size(); ++i) records[i].trial_index += 77;
    REQUIRE(round_trip(records) == records);
}

TEST_CASE("realistic records take a few bits each before zstd") {
    const auto records = realistic_records(1 << 16, 11);
    std::vector<std::uint8_t> bytes;
    encode_records(records, bytes);
    // 2 bits of setting and outcome, ~2 of trigger jitter, 2 of readout jitter, exceptions for the rest.
    const double bits_per_record = 8.0 * bytes.size() / records.size();
    INFO("bits per record: " << bits_per_record);
    REQUIRE(bits_per_record < 10);
}

TEST_CASE("records out of order are refused by the encoder") {
    auto records = realistic_records(10, 1);
    std::swap(records[3], records[4]);
    std::vector<std::uint8_t> bytes;
    REQUIRE_THROWS_AS(encode_records(records, bytes), Error);
    REQUIRE_THROWS_AS(encode_records({}, bytes), Error);
}

TEST_CASE("every truncation of an encoding is a format error") {
    const auto records = realistic_records(100, 2);
    std::vector<std::uint8_t> bytes;
    encode_records(records, bytes);
    RecordColumns cols;
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        try {
            decode_records(std::span(bytes).first(n), cols);
            FAIL("a truncated encoding of " << n << " bytes decoded");
        } catch (const Error& e) {
            REQUIRE(e.kind() == ErrorKind::format);
        }
    }
}

TEST_CASE("bytes after the last column are a format error") {
    const auto records = realistic_records(10, 2);
    std::vector<std::uint8_t> bytes;
    encode_records(records, bytes);
    bytes.push_back(0);
    RecordColumns cols;
    REQUIRE_THROWS_WITH(decode_records(bytes, cols), Catch::Contains("after its last column"));
}

TEST_CASE("a record count larger than the bytes can hold is refused before allocating") {
    std::vector<std::uint8_t> bytes(64, 0);
    bytes[0] = 0xFF, bytes[1] = 0xFF, bytes[2] = 0xFF, bytes[3] = 0x7F;
    RecordColumns cols;
    REQUIRE_THROWS_WITH(decode_records(bytes, cols), Catch::Contains("claims"));
}
