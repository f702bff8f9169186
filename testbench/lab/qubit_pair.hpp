// A model of the entangled qubit pair and its readout, for settings x (Alice) and y (Bob).
//
// Quantum: the CHSH-optimal measurements on a Werner-like state of visibility V. The outcomes have
// uniform marginals and P(a xor b = x and y) = (1 + V/sqrt 2)/2 for every setting pair, so the
// correlators are E_xy = (-1)^(xy) V/sqrt 2 and S = E00 + E01 + E10 - E11 = 2 sqrt(2) V
// (Tsirelson's bound at V = 1). V = 0.8026 gives S = 2.270, the ETH figure.
//
// Local hidden variables: shared randomness picks, per trial, one of the four deterministic
// relations a xor b in {0, x, y, x xor y xor 1}, each losing on exactly one setting pair, plus a
// uniform bit r: a = r xor f(x), b = r xor g(y). Each side's outcome depends only on its own
// setting, marginals are uniform, and with uniform settings S = 2 in expectation: the local bound.
//
// Readout: each outcome flips with its readout-error probability, and goes missing with the
// missing-readout probability (the discriminator never fires).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lab/random.hpp"

namespace dira::lab {

enum class PairModel { quantum, local_hidden_variable };
PairModel parse_pair_model(const std::string& name); // "quantum" | "lhv"
const char* to_string(PairModel model);

struct QubitPairParams {
    PairModel model = PairModel::quantum;
    double visibility = 0.8026; // S = 2 sqrt(2) V
    double readout_error = 0.0; // per station, independent
    double missing_probability = 0.0;
    std::uint64_t seed = 1;

    double expected_chsh() const; // what S the model produces with uniform settings
};

struct Readout {
    bool present = false; // false: the discriminator does not fire
    bool outcome = false;
};

struct PairReadout {
    Readout alice, bob;
};

class QubitPair {
public:
    explicit QubitPair(const QubitPairParams& params); // validates every probability

    // Measures one pair. A station that drove no setting (its trigger was late) is std::nullopt:
    // its qubit is not read out, and the other outcome is then a fair coin.
    PairReadout measure(std::optional<bool> setting_alice, std::optional<bool> setting_bob);

private:
    std::pair<bool, bool> ideal_outcomes(bool x, bool y);
    Readout read_out(bool outcome);

    QubitPairParams params_;
    Random rng_;
};

} // namespace dira::lab
