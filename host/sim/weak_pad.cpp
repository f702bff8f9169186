#include "sim/weak_pad.hpp"

#include "lab/weak_source.hpp"

namespace dira::sim {

std::vector<std::uint8_t> weak_source_bits(double epsilon, const std::string& mode, std::uint64_t seed, std::size_t bits) {
    lab::WeakSource source({epsilon, lab::parse_bias_mode(mode), seed});
    std::vector<std::uint8_t> packed((bits + 7) / 8, 0);
    for (std::size_t i = 0; i < bits; ++i)
        if (source.next_bit()) packed[i / 8] |= std::uint8_t(1u << (i % 8));
    return packed;
}

} // namespace dira::sim
