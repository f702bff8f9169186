// A model of the imperfect settings source: a Santha-Vazirani (SV) source with bias epsilon. Each
// bit is 1 with a conditional probability 1/2 + delta_t given all earlier bits, |delta_t| <= epsilon.
// How delta_t is chosen is the source's (or the adversary's) business; the modes below cover an
// honest-but-biased device and a source that drifts.
#pragma once

#include <cstdint>
#include <string>

#include "lab/random.hpp"

namespace dira::lab {

enum class BiasMode {
    constant, // delta_t = +epsilon: the most biased stationary source
    drifting, // delta_t uniform in [-epsilon, +epsilon], fresh for every bit
    stuck,    // always emits 1: a broken source, for health-test checks (not SV for epsilon < 1/2)
};
BiasMode parse_bias_mode(const std::string& name); // throws dira::Error on an unknown name
const char* to_string(BiasMode mode);

struct WeakSourceParams {
    double epsilon = 0.0075;
    BiasMode mode = BiasMode::constant;
    std::uint64_t seed = 1;
};

class WeakSource {
public:
    explicit WeakSource(const WeakSourceParams& params); // validates: 0 <= epsilon < 1/2
    bool next_bit();
    const WeakSourceParams& params() const { return params_; }

private:
    WeakSourceParams params_;
    Random rng_;
};

// Writes `bits` bits of the source to a file (DESIGN.md section 8 bit order): the further weak-source
// bits a run hands to the extractor. Throws dira::Error(io) when the file cannot be written.
void write_weak_source_bits(const std::string& path, const WeakSourceParams& params, std::uint64_t bits);

// Drives the station's weak-source pins: a new bit every `bit_period_cycles`; ws_bit changes one cycle
// before ws_strobe rises and holds for the whole period, so the station's synchronisers see it stable.
class WeakSourcePins {
public:
    WeakSourcePins(const WeakSourceParams& params, unsigned bit_period_cycles);
    void tick(); // advance one station cycle
    bool bit() const { return bit_; }
    bool strobe() const { return strobe_; }
    std::uint64_t bits_emitted() const { return bits_emitted_; }

private:
    WeakSource source_;
    unsigned period_;
    unsigned phase_ = 0;
    bool bit_ = false;
    bool strobe_ = false;
    std::uint64_t bits_emitted_ = 0;
};

} // namespace dira::lab
