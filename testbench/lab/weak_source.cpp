#include "lab/weak_source.hpp"

#include <cmath>
#include <fstream>
#include <vector>

#include "core/error.hpp"
#include "core/files.hpp"

namespace dira::lab {

BiasMode parse_bias_mode(const std::string& name) {
    if (name == "constant") return BiasMode::constant;
    if (name == "drifting") return BiasMode::drifting;
    if (name == "stuck") return BiasMode::stuck;
    throw Error(ErrorKind::invalid_argument, "unknown weak-source mode '" + name + "': use constant, drifting or stuck");
}

const char* to_string(BiasMode mode) {
    switch (mode) {
    case BiasMode::constant: return "constant";
    case BiasMode::drifting: return "drifting";
    case BiasMode::stuck: return "stuck";
    }
    return "?";
}

WeakSource::WeakSource(const WeakSourceParams& params) : params_(params), rng_(params.seed) {
    if (!(params.epsilon >= 0.0 && params.epsilon < 0.5))
        throw Error(ErrorKind::invalid_argument,
                    "weak-source bias epsilon must be in [0, 0.5), got " + std::to_string(params.epsilon));
}

bool WeakSource::next_bit() {
    switch (params_.mode) {
    case BiasMode::constant: return rng_.bernoulli(0.5 + params_.epsilon);
    case BiasMode::drifting: {
        const double delta = (2.0 * rng_.uniform() - 1.0) * params_.epsilon;
        return rng_.bernoulli(0.5 + delta);
    }
    case BiasMode::stuck: return true;
    }
    return false;
}

void write_weak_source_bits(const std::string& path, const WeakSourceParams& params, std::uint64_t bits) {
    WeakSource source(params);
    AtomicFile out(path, Access::secret); // the extractor's seed: a secret, written whole or not at all
    std::vector<std::uint8_t> block;
    block.reserve(1 << 16);
    for (std::uint64_t done = 0; done < bits;) {
        std::uint8_t byte = 0;
        for (unsigned k = 0; k < 8 && done < bits; ++k, ++done) byte |= static_cast<std::uint8_t>(source.next_bit() << k);
        block.push_back(byte);
        if (block.size() == block.capacity() || done == bits) {
            out.write(block);
            block.clear();
        }
    }
    out.commit();
}

WeakSourcePins::WeakSourcePins(const WeakSourceParams& params, unsigned bit_period_cycles)
    : source_(params), period_(bit_period_cycles) {
    if (period_ < 4)
        throw Error(ErrorKind::invalid_argument,
                    "weak-source bit period must be at least 4 cycles (strobe high and low for 2 cycles each)");
}

void WeakSourcePins::tick() {
    if (phase_ == 0) {
        bit_ = source_.next_bit();
        ++bits_emitted_;
    }
    strobe_ = phase_ >= 1 && phase_ <= period_ / 2;
    phase_ = (phase_ + 1) % period_;
}

} // namespace dira::lab
