// The wire formats: trial record and frame. The ONE definition, compiled by the firmware model, the
// host and the testbench, and turned into the SystemVerilog package `dira_pkg` at build time.
//
// Byte order: all integers are little endian; a frame is a sequence of 32-bit little-endian words.
// Layouts are written as word index : bit range.
#pragma once

#include <cstdint>

namespace dira {

// ---------------------------------------------------------------------------------------------
// Frame
//
//   word 0            sync word 0x41524944 (the bytes "DIRA" in memory order)
//   word 1  [7:0]     format version (kFormatVersion)
//           [15:8]    stream id (StreamId)
//           [31:16]   payload length in 32-bit words (N)
//   word 2            sequence number: per stream id, +1 per frame, wraps modulo 2^32
//   word 3 .. 3+N-1   payload
//   word 3+N          CRC-32C (crc32c.hpp) over the bytes of words 0 .. 3+N-1
// ---------------------------------------------------------------------------------------------
constexpr std::uint32_t kSyncWord = 0x41524944u;
constexpr std::uint32_t kFormatVersion = 1;
constexpr unsigned kFrameHeaderWords = 3;
constexpr unsigned kFrameTrailerWords = 1;
// The longest payload a decoder accepts; the firmware sends at most kRecordsPerFrame records.
constexpr unsigned kMaxPayloadWords = 1024;

enum class StreamId : std::uint8_t {
    records = 1,        // payload: whole trial records, kRecordWords each
    register_reply = 2, // payload: (address, value) word pairs answering register commands
    test_pattern = 3,   // payload: a 32-bit counter continuing across frames (link test)
    extractor = 4,      // payload: extractor output bits (bit i = bit i%32 of word i/32)
};

struct FrameHeader {
    std::uint8_t version = kFormatVersion;
    std::uint8_t stream_id = 0;
    std::uint16_t payload_words = 0;
    std::uint32_t sequence = 0;
};

constexpr std::uint32_t pack_header_word1(std::uint8_t version, std::uint8_t stream_id, std::uint16_t payload_words) {
    return std::uint32_t{version} | (std::uint32_t{stream_id} << 8) | (std::uint32_t{payload_words} << 16);
}
constexpr FrameHeader unpack_header(std::uint32_t word1, std::uint32_t word2) {
    return FrameHeader{static_cast<std::uint8_t>(word1 & 0xFFu), static_cast<std::uint8_t>((word1 >> 8) & 0xFFu),
                       static_cast<std::uint16_t>(word1 >> 16), word2};
}

// ---------------------------------------------------------------------------------------------
// Trial record: kRecordWords 32-bit words
//
//   word 0..1   trial index (64 bit): 0 for the first trigger after CLEAR, +1 per trigger
//   word 2..3   t_trigger_cycles: cycle counter when the synchronised trigger edge was detected
//   word 4..5   t_setting_cycles: cycle counter when setting_out took the new value (0: not driven)
//   word 6..7   t_outcome_cycles: cycle counter when the outcome was latched (0: none latched)
//   word 8      [0] setting bit, [1] outcome bit, [23:8] flags (RecordFlag), [31:24] zero
//
// Timestamps are values of the station's free-running 64-bit cycle counter (CLOCK_HZ register).
// ---------------------------------------------------------------------------------------------
constexpr unsigned kRecordWords = 9;
constexpr unsigned kRecordBytes = kRecordWords * 4;
constexpr unsigned kRecordsPerFrame = 8; // firmware frames hold 1..kRecordsPerFrame records
constexpr unsigned kRecordSettingBit = 0;
constexpr unsigned kRecordOutcomeBit = 1;
constexpr unsigned kRecordFlagsShift = 8;
constexpr unsigned kRecordFlagsWidth = 16;
constexpr std::uint32_t kRecordReservedMask = 0xFF000000u | 0xFCu; // must read as zero

// The value a trial carries when no setting was driven or no outcome was latched.
constexpr unsigned kFixedSettingWhenLate = 0;
constexpr unsigned kFixedOutcomeWhenMissing = 0;

// X(name, bit, meaning). Firmware sets bits 0..7; bits 8..15 are for host-side annotations.
#define DIRA_RECORD_FLAGS(X)                                                                        \
    X(TRIGGER_LATE, 0, "trigger came while a trial was open: no setting driven, setting and outcome fixed") \
    X(OUTCOME_MISSING, 1, "no readout strobe inside the window (missing or late): outcome fixed")           \
    X(INTERRUPTED, 2, "a late trigger closed this trial before its window ended")                          \
    X(HEALTH_RCT, 3, "the weak source's repetition-count alarm was latched")                               \
    X(HEALTH_APT, 4, "the weak source's adaptive-proportion alarm was latched")                            \
    X(WS_REUSED, 5, "no new weak-source bit arrived since the previous setting: the bit was reused")       \
    X(LIGHT_CONE, 8, "host annotation: the light-cone verifier found this trial not space-like separated")

enum RecordFlag : std::uint16_t {
#define DIRA_X(name, bit, doc) kFlag_##name = 1u << (bit),
    DIRA_RECORD_FLAGS(DIRA_X)
#undef DIRA_X
};

struct RecordFlagInfo {
    const char* name;
    unsigned bit;
    const char* meaning;
};
constexpr RecordFlagInfo kRecordFlagTable[] = {
#define DIRA_X(name, bit, doc) {#name, bit, doc},
    DIRA_RECORD_FLAGS(DIRA_X)
#undef DIRA_X
};

struct TrialRecord {
    std::uint64_t trial_index = 0;
    std::uint64_t t_trigger_cycles = 0;
    std::uint64_t t_setting_cycles = 0;
    std::uint64_t t_outcome_cycles = 0;
    std::uint8_t setting = 0;
    std::uint8_t outcome = 0;
    std::uint16_t flags = 0;

    constexpr bool has(RecordFlag f) const { return (flags & f) != 0; }
};

// Spelled out (C++14, the HLS standard, has no defaulted comparison): a field added to
// TrialRecord is added here too.
constexpr bool operator==(const TrialRecord& a, const TrialRecord& b) {
    return a.trial_index == b.trial_index && a.t_trigger_cycles == b.t_trigger_cycles &&
           a.t_setting_cycles == b.t_setting_cycles && a.t_outcome_cycles == b.t_outcome_cycles &&
           a.setting == b.setting && a.outcome == b.outcome && a.flags == b.flags;
}
constexpr bool operator!=(const TrialRecord& a, const TrialRecord& b) { return !(a == b); }

constexpr void pack_record(const TrialRecord& r, std::uint32_t (&w)[kRecordWords]) {
    const std::uint64_t v[4] = {r.trial_index, r.t_trigger_cycles, r.t_setting_cycles, r.t_outcome_cycles};
    for (unsigned i = 0; i < 4; ++i) {
        w[2 * i] = static_cast<std::uint32_t>(v[i]);
        w[2 * i + 1] = static_cast<std::uint32_t>(v[i] >> 32);
    }
    w[8] = (std::uint32_t{r.setting} & 1u) << kRecordSettingBit | (std::uint32_t{r.outcome} & 1u) << kRecordOutcomeBit |
           std::uint32_t{r.flags} << kRecordFlagsShift;
}

constexpr std::uint64_t record_u64(const std::uint32_t* w, unsigned i) {
    return std::uint64_t{w[2 * i]} | (std::uint64_t{w[2 * i + 1]} << 32);
}

// Unpacks without judging: the caller checks reserved bits (kRecordReservedMask) and reports.
constexpr TrialRecord unpack_record(const std::uint32_t* w) {
    TrialRecord r;
    r.trial_index = record_u64(w, 0);
    r.t_trigger_cycles = record_u64(w, 1);
    r.t_setting_cycles = record_u64(w, 2);
    r.t_outcome_cycles = record_u64(w, 3);
    r.setting = static_cast<std::uint8_t>((w[8] >> kRecordSettingBit) & 1u);
    r.outcome = static_cast<std::uint8_t>((w[8] >> kRecordOutcomeBit) & 1u);
    r.flags = static_cast<std::uint16_t>(w[8] >> kRecordFlagsShift);
    return r;
}

// ---------------------------------------------------------------------------------------------
// Register commands, host -> board (the FIFO's receive direction), two words each:
//   word 0  [15:0] register address, [23:16] zero, [31:24] opcode (RegisterOpcode)
//   word 1  value to write (ignored, but still sent, for a read)
// Every command is answered on stream register_reply with the pair (address, value after the
// command). A command with an unknown opcode or address, or a write to a read-only register, is
// answered with the pair (kRegisterErrorAddress, the offending command's word 0) and changes nothing.
// ---------------------------------------------------------------------------------------------
enum class RegisterOpcode : std::uint8_t { read = 0x01, write = 0x02 };
constexpr unsigned kRegisterCommandWords = 2;
constexpr unsigned kRegisterReplyWords = 2; // one (address, value) pair
constexpr std::uint32_t kRegisterErrorAddress = 0xFFFFFFFFu;

constexpr std::uint32_t pack_register_command(RegisterOpcode op, std::uint16_t address) {
    return (std::uint32_t{static_cast<std::uint8_t>(op)} << 24) | address;
}

} // namespace dira
