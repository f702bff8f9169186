// The qubit-pair model has the statistics it claims: S = 2 sqrt(2) V for the quantum model, S = 2
// for local hidden variables, uniform marginals, readout errors and missing readouts as configured.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>

#include "core/error.hpp"
#include "lab/qubit_pair.hpp"
#include "lab/random.hpp"

using namespace dira::lab;

namespace {

struct ChshEstimate {
    double s = 0, stderr_s = 0, alice_ones = 0;
};

// Uniform settings; S from the four correlators, its standard error from their variances.
ChshEstimate estimate(QubitPair& pair, int trials, std::uint64_t seed) {
    Random settings(seed);
    std::array<std::array<double, 2>, 4> sum{}; // per (x,y): sum of (-1)^(a xor b), and count
    double ones = 0;
    for (int i = 0; i < trials; ++i) {
        const bool x = settings.bit(), y = settings.bit();
        const auto r = pair.measure(x, y);
        const int k = 2 * x + y;
        sum[k][0] += (r.alice.outcome ^ r.bob.outcome) ? -1.0 : 1.0;
        sum[k][1] += 1.0;
        ones += r.alice.outcome;
    }
    ChshEstimate e;
    double var = 0;
    for (int k = 0; k < 4; ++k) {
        const double corr = sum[k][0] / sum[k][1];
        e.s += (k == 3 ? -corr : corr);
        var += (1.0 - corr * corr) / sum[k][1];
    }
    e.stderr_s = std::sqrt(var);
    e.alice_ones = ones / trials;
    return e;
}

} // namespace

TEST_CASE("quantum model gives S = 2 sqrt(2) V within 5 standard errors") {
    for (double v : {0.8026, 1.0, 0.72}) {
        QubitPairParams p;
        p.visibility = v;
        p.seed = 7;
        QubitPair pair(p);
        const auto e = estimate(pair, 400000, 3);
        INFO("V = " << v << " S = " << e.s << " +- " << e.stderr_s);
        REQUIRE(std::abs(e.s - 2 * std::sqrt(2.0) * v) < 5 * e.stderr_s);
        REQUIRE(std::abs(e.alice_ones - 0.5) < 5 * 0.5 / std::sqrt(400000.0));
    }
}

TEST_CASE("local hidden variables give S = 2 within 5 standard errors, never above") {
    QubitPairParams p;
    p.model = PairModel::local_hidden_variable;
    QubitPair pair(p);
    const auto e = estimate(pair, 400000, 4);
    INFO("S = " << e.s << " +- " << e.stderr_s);
    REQUIRE(std::abs(e.s - 2.0) < 5 * e.stderr_s);
    REQUIRE(p.expected_chsh() == 2.0);
}

TEST_CASE("each local strategy's outcome depends only on its own setting") {
    // Same hidden variable (same seed), different remote setting: the local outcome must not move.
    for (std::uint64_t seed = 1; seed < 200; ++seed) {
        QubitPairParams p;
        p.model = PairModel::local_hidden_variable;
        p.seed = seed;
        QubitPair first(p), second(p);
        for (bool x : {false, true}) {
            QubitPair a(p), b(p);
            REQUIRE(a.measure(x, false).alice.outcome == b.measure(x, true).alice.outcome);
            QubitPair c(p), d(p);
            REQUIRE(c.measure(false, x).bob.outcome == d.measure(true, x).bob.outcome);
        }
    }
}

TEST_CASE("readout errors shrink S by (1 - 2e)^2") {
    QubitPairParams p;
    p.visibility = 1.0;
    p.readout_error = 0.05;
    QubitPair pair(p);
    const auto e = estimate(pair, 400000, 5);
    REQUIRE(std::abs(e.s - p.expected_chsh()) < 5 * e.stderr_s);
    REQUIRE(p.expected_chsh() == Approx(2 * std::sqrt(2.0) * 0.81));
}

TEST_CASE("missing readouts are withheld at the configured rate") {
    QubitPairParams p;
    p.missing_probability = 0.1;
    QubitPair pair(p);
    int missing = 0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) missing += !pair.measure(true, false).alice.present;
    REQUIRE(std::abs(missing / double(n) - 0.1) < 5 * std::sqrt(0.09 / n));
}

TEST_CASE("a station without a setting is not read out") {
    QubitPair pair(QubitPairParams{});
    const auto r = pair.measure(std::nullopt, true);
    REQUIRE(!r.alice.present);
    REQUIRE(r.bob.present);
}

TEST_CASE("the model is reproducible from its seed") {
    QubitPairParams p;
    p.seed = 99;
    QubitPair a(p), b(p);
    for (int i = 0; i < 1000; ++i) {
        const auto ra = a.measure(i & 1, i & 2), rb = b.measure(i & 1, i & 2);
        REQUIRE(ra.alice.outcome == rb.alice.outcome);
        REQUIRE(ra.bob.outcome == rb.bob.outcome);
    }
}

TEST_CASE("bad qubit-pair parameters are refused with a clear error") {
    QubitPairParams p;
    p.visibility = 1.2;
    REQUIRE_THROWS_WITH(QubitPair(p), Catch::Contains("visibility"));
    p = {};
    p.missing_probability = -0.1;
    REQUIRE_THROWS_AS(QubitPair(p), dira::Error);
    REQUIRE_THROWS_WITH(parse_pair_model("classical"), Catch::Contains("quantum or lhv"));
}
