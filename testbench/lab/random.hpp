// Seeded, reproducible randomness for the lab models. std::mt19937_64 is specified exactly by the
// C++ standard; the std:: distributions are not (they differ between standard libraries), so the
// conversions to [0,1) and to Bernoulli draws are written here, once.
#pragma once

#include <cstdint>
#include <random>

namespace dira::lab {

class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
    bool bernoulli(double p_true) { return uniform() < p_true; }
    bool bit() { return (engine_() >> 63) != 0; }
    std::uint64_t next() { return engine_(); }

private:
    std::mt19937_64 engine_;
};

// Independent child seeds from one run seed (splitmix64 finaliser), so that each model gets its own
// stream and adding a model does not shift the others.
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace dira::lab
