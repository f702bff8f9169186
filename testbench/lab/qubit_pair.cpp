#include "lab/qubit_pair.hpp"

#include <cmath>

#include "core/error.hpp"

namespace dira::lab {
namespace {

void require_probability(double p, const char* what) {
    if (!(p >= 0.0 && p <= 1.0))
        throw Error(ErrorKind::invalid_argument, std::string(what) + " must be a probability in [0, 1], got " + std::to_string(p));
}

} // namespace

PairModel parse_pair_model(const std::string& name) {
    if (name == "quantum") return PairModel::quantum;
    if (name == "lhv") return PairModel::local_hidden_variable;
    throw Error(ErrorKind::invalid_argument, "unknown qubit-pair model '" + name + "': use quantum or lhv");
}

const char* to_string(PairModel model) { return model == PairModel::quantum ? "quantum" : "lhv"; }

double QubitPairParams::expected_chsh() const {
    // Readout errors shrink each correlator by (1 - 2e) per station; missing readouts are scored by
    // the certification with a fixed outcome, which this figure does not try to predict.
    const double shrink = (1.0 - 2.0 * readout_error) * (1.0 - 2.0 * readout_error);
    return (model == PairModel::quantum ? 2.0 * std::sqrt(2.0) * visibility : 2.0) * shrink;
}

QubitPair::QubitPair(const QubitPairParams& params) : params_(params), rng_(params.seed) {
    require_probability(params.visibility, "visibility V");
    require_probability(params.readout_error, "readout error");
    require_probability(params.missing_probability, "missing-readout probability");
}

std::pair<bool, bool> QubitPair::ideal_outcomes(bool x, bool y) {
    const bool r = rng_.bit();
    if (params_.model == PairModel::quantum) {
        const double p_win = 0.5 * (1.0 + params_.visibility / std::sqrt(2.0));
        const bool win = rng_.bernoulli(p_win);
        return {r, r ^ (x && y) ^ !win};
    }
    // One of the four optimal local relations, chosen by the shared hidden variable.
    switch (rng_.next() >> 62) {
    case 0: return {r, r};                // a xor b = 0: loses on (1,1)
    case 1: return {r ^ x, r};            // a xor b = x: loses on (1,0)
    case 2: return {r, r ^ y};            // a xor b = y: loses on (0,1)
    default: return {r ^ x, r ^ y ^ true}; // a xor b = x xor y xor 1: loses on (0,0)
    }
}

Readout QubitPair::read_out(bool outcome) {
    if (rng_.bernoulli(params_.missing_probability)) return {false, false};
    return {true, outcome != rng_.bernoulli(params_.readout_error)};
}

PairReadout QubitPair::measure(std::optional<bool> setting_alice, std::optional<bool> setting_bob) {
    PairReadout out;
    if (setting_alice && setting_bob) {
        const auto [a, b] = ideal_outcomes(*setting_alice, *setting_bob);
        out.alice = read_out(a);
        out.bob = read_out(b);
    } else if (setting_alice) {
        out.alice = read_out(rng_.bit());
    } else if (setting_bob) {
        out.bob = read_out(rng_.bit());
    }
    return out;
}

} // namespace dira::lab
