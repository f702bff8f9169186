// Bit positions of the command word, derived from the packers in wire_format.hpp (so they are never
// restated here): the station's command parser needs to take word 0 apart.
#pragma once

#include <cstdint>

#include "dira/wire_format.hpp"

namespace dira { namespace hls_station {

constexpr unsigned lowest_set_bit(std::uint32_t v) {
    unsigned i = 0;
    while (i < 32 && !((v >> i) & 1u)) ++i;
    return i;
}

constexpr std::uint32_t kCommandAddressMask =
    pack_register_command(RegisterOpcode::read, 0xFFFFu) ^ pack_register_command(RegisterOpcode::read, 0);
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

} } // namespace dira::hls_station
