// Bits from the simulator's weak source (testbench/lab/weak_source.hpp), packed as the run's bit
// files are (bit i is bit i mod 8 of byte i / 8): the report's one-time-pad picture uses them as
// the pad of a visibly weak source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dira::sim {

// mode: constant, drifting or stuck (lab::parse_bias_mode); throws dira::Error for a bad mode or eps.
std::vector<std::uint8_t> weak_source_bits(double epsilon, const std::string& mode, std::uint64_t seed, std::size_t bits);

} // namespace dira::sim
