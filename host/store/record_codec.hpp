// The compact encoding of one chunk of trial records (the payload of a store chunk, before zstd).
//
// Records are stored column by column. Five integer columns are turned into small unsigned codes
// by predicting each value from what came before, then bit-packed with one width per chunk:
//
//   column   prediction                                  code
//   trial    previous trial index + 1                    zigzag(residual - base)
//   trigger  previous t_trigger                          zigzag(delta - base)
//   setting  t_trigger (0 stays 0: "not driven")         0, or zigzag(t_setting - t_trigger - base) + 1
//   outcome  t_trigger (0 stays 0: "none latched")       0, or zigzag(t_outcome - t_trigger - base) + 1
//   flags    -                                           zigzag(flags - base)
//
// `base` is the column's median residual in the chunk (so a steady trigger period or readout delay
// costs no bits). A value whose code does not fit the chunk's width is an exception: its slot in the
// packed array is zero and its raw field value is stored beside it, by position. The width is the
// one that minimises the packed size plus the exceptions. Setting and outcome bits are two bitmaps
// (bit i is bit i%8 of byte i/8, as everywhere in dira).
//
// Layout (all integers little endian):
//   u32 record_count, u64 first_trial, u64 first_t_trigger
//   5 x column: u8 width_bits, u64 base, u32 exception_count, packed codes (ceil(n*width/8) bytes),
//               exception_count x (u32 position, u64 raw value)
//   setting bitmap (ceil(n/8) bytes), outcome bitmap (ceil(n/8) bytes)
//
// Decoding checks every length and position against the buffer and throws dira::Error(format) on
// anything inconsistent: the reader is fuzzed (fuzz/fuzz_store_reader.cpp).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dira/wire_format.hpp"

namespace dira::store {

// The widest code packed in place; wider codes are exceptions. 56 bits keep every packed value
// inside one unaligned 64-bit load.
inline constexpr unsigned kMaxPackedWidthBits = 56;

// A decoded chunk, column by column (what certification reads fastest), plus a way to get records.
struct RecordColumns {
    std::vector<std::uint64_t> trial_index;
    std::vector<std::uint64_t> t_trigger_cycles;
    std::vector<std::uint64_t> t_setting_cycles;
    std::vector<std::uint64_t> t_outcome_cycles;
    std::vector<std::uint16_t> flags;
    std::vector<std::uint8_t> setting_bits; // bitmap, bit i = record i
    std::vector<std::uint8_t> outcome_bits; // bitmap

    std::size_t size() const { return trial_index.size(); }
    std::uint8_t setting(std::size_t i) const { return (setting_bits[i / 8] >> (i % 8)) & 1u; }
    std::uint8_t outcome(std::size_t i) const { return (outcome_bits[i / 8] >> (i % 8)) & 1u; }
    TrialRecord record(std::size_t i) const;
    void clear();
};

// Appends the encoding of `records` (1 .. 2^32-1 of them, trial indices strictly increasing) to `out`.
void encode_records(std::span<const TrialRecord> records, std::vector<std::uint8_t>& out);

// Decodes a whole encoding into `columns` (replacing what it held); throws dira::Error(format).
void decode_records(std::span<const std::uint8_t> encoded, RecordColumns& columns);

} // namespace dira::store
