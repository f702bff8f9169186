// Bit and word positions of the wire format's fields, derived from the packers in wire_format.hpp
// (so they are never restated): the station's command parser takes word 0 apart with them, and
// dira_gen_sv_pkg writes them into the SystemVerilog package for the RTL. C++14, as the HLS sources.
#pragma once

#include <cstdint>

#include "dira/wire_format.hpp"

namespace dira {

constexpr unsigned lowest_set_bit(std::uint32_t v) {
    unsigned i = 0;
    while (i < 32 && !((v >> i) & 1u)) ++i;
    return i;
}

// --- register command, word 0 --------------------------------------------------------------------
constexpr std::uint32_t kCommandAddressMask =
    pack_register_command(RegisterOpcode::read, 0xFFFFu) ^ pack_register_command(RegisterOpcode::read, 0);
constexpr unsigned kCommandAddressBits = lowest_set_bit(~kCommandAddressMask);
constexpr unsigned kCommandOpcodeShift =
    lowest_set_bit(pack_register_command(RegisterOpcode::read, 0)) -
    lowest_set_bit(static_cast<std::uint32_t>(RegisterOpcode::read));
constexpr std::uint32_t kCommandOpcodeMask = 0xFFu << kCommandOpcodeShift;
// Bits between the address and the opcode must be zero; a command with any of them set is refused.
constexpr std::uint32_t kCommandReservedMask = ~(kCommandAddressMask | kCommandOpcodeMask);

constexpr std::uint16_t command_address(std::uint32_t word0) {
    return static_cast<std::uint16_t>(word0 & kCommandAddressMask);
}
constexpr std::uint8_t command_opcode(std::uint32_t word0) {
    return static_cast<std::uint8_t>(word0 >> kCommandOpcodeShift);
}

static_assert(kCommandAddressMask == 0xFFFFu, "register addresses are 16 bits (wire_format.hpp)");

// --- frame header, word 1 ------------------------------------------------------------------------
constexpr unsigned kHeaderVersionShift = lowest_set_bit(pack_header_word1(1, 0, 0));
constexpr unsigned kHeaderStreamShift = lowest_set_bit(pack_header_word1(0, 1, 0));
constexpr unsigned kHeaderLengthShift = lowest_set_bit(pack_header_word1(0, 0, 1));

// --- trial record ------------------------------------------------------------------------------
enum class RecordField { trial_index, t_trigger, t_setting, t_outcome, bits };

// The word of a packed record that `field` set to 1 lands in (for a 64-bit field, the low half; the
// high half follows).
constexpr unsigned record_word_of(RecordField field) {
    TrialRecord r{};
    switch (field) {
    case RecordField::trial_index: r.trial_index = 1; break;
    case RecordField::t_trigger: r.t_trigger_cycles = 1; break;
    case RecordField::t_setting: r.t_setting_cycles = 1; break;
    case RecordField::t_outcome: r.t_outcome_cycles = 1; break;
    case RecordField::bits: r.setting = 1; break;
    }
    std::uint32_t w[kRecordWords] = {};
    pack_record(r, w);
    for (unsigned i = 0; i < kRecordWords; ++i)
        if (w[i] != 0) return i;
    return kRecordWords;
}
constexpr unsigned kRecordWordTrialIndex = record_word_of(RecordField::trial_index);
constexpr unsigned kRecordWordTTrigger = record_word_of(RecordField::t_trigger);
constexpr unsigned kRecordWordTSetting = record_word_of(RecordField::t_setting);
constexpr unsigned kRecordWordTOutcome = record_word_of(RecordField::t_outcome);
// The word with the setting, outcome and flag bits.
constexpr unsigned kRecordWordBits = record_word_of(RecordField::bits);

} // namespace dira
