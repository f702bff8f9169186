// The one definition of the wire formats: record packing and the CRC parameters.
#include <catch2/catch.hpp>

#include <cstring>

#include "dira/crc32c.hpp"
#include "dira/wire_format.hpp"

using namespace dira;

TEST_CASE("CRC-32C has the catalogue check value") {
    const char* check = "123456789";
    REQUIRE(crc32c_bytes_reference(reinterpret_cast<const std::uint8_t*>(check), 9) == 0xE3069283u);
}

TEST_CASE("CRC-32C of a little-endian word equals the CRC of its four bytes") {
    const std::uint32_t word = 0xDEADBEEFu;
    std::uint8_t bytes[4];
    std::memcpy(bytes, &word, 4);
    std::uint32_t by_bytes = kCrc32cInit;
    for (auto b : bytes) by_bytes = crc32c_update_byte(by_bytes, b);
    REQUIRE(crc32c_update_word(kCrc32cInit, word) == by_bytes);
}

TEST_CASE("sync word spells DIRA in memory order") {
    char bytes[4];
    std::memcpy(bytes, &kSyncWord, 4);
    REQUIRE(std::string(bytes, 4) == "DIRA");
}

TEST_CASE("trial record packs and unpacks losslessly") {
    TrialRecord r;
    r.trial_index = 0x0123456789ABCDEFull;
    r.t_trigger_cycles = 0xFFFFFFFF00000001ull;
    r.t_setting_cycles = 0xFFFFFFFF00000002ull;
    r.t_outcome_cycles = 42;
    r.setting = 1;
    r.outcome = 1;
    r.flags = kFlag_TRIGGER_LATE | kFlag_HEALTH_APT | kFlag_LIGHT_CONE;
    std::uint32_t w[kRecordWords];
    pack_record(r, w);
    REQUIRE(w[0] == 0x89ABCDEFu);
    REQUIRE(w[1] == 0x01234567u);
    REQUIRE((w[8] & kRecordReservedMask) == 0);
    REQUIRE(unpack_record(w) == r);
}

TEST_CASE("record flag bits are distinct and fit the flags field") {
    std::uint32_t seen = 0;
    for (const auto& f : kRecordFlagTable) {
        REQUIRE(f.bit < kRecordFlagsWidth);
        REQUIRE((seen & (1u << f.bit)) == 0);
        seen |= 1u << f.bit;
    }
    // Packed flags land outside the reserved mask.
    REQUIRE(((std::uint32_t{seen} << kRecordFlagsShift) & kRecordReservedMask) == 0);
}

TEST_CASE("frame header word packs version, stream and length") {
    const auto w1 = pack_header_word1(kFormatVersion, static_cast<std::uint8_t>(StreamId::records), 72);
    const auto h = unpack_header(w1, 7);
    REQUIRE(h.version == kFormatVersion);
    REQUIRE(h.stream_id == static_cast<std::uint8_t>(StreamId::records));
    REQUIRE(h.payload_words == 72);
    REQUIRE(h.sequence == 7);
    REQUIRE(kRecordsPerFrame * kRecordWords <= kMaxPayloadWords);
}
