// The single-round formulas (docs/certification.md sections 2-4), pinned against values computed
// independently with tests/certify/reference_values.py (mpmath, 40 digits, straight from the
// definitions; derivatives by numerical differentiation, not by the closed forms used here).
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "certify/chsh_bounds.hpp"
#include "certify/quantum_tradeoff.hpp"
#include "core/error.hpp"

using namespace dira::certify;
using Catch::Matchers::WithinRel;
using Catch::Matchers::WithinAbs;

TEST_CASE("binary entropy matches the definition, also near 0") {
    // h(p) = -p log2 p - (1-p) log2(1-p); mpmath values.
    CHECK_THAT(binary_entropy_bits(0.11), WithinRel(0.49991595816452799564, 1e-14));
    CHECK_THAT(binary_entropy_bits(1e-12), WithinRel(4.1305832179536590234e-11, 1e-12));
    CHECK(binary_entropy_bits(0.5) == 1.0);
    CHECK(binary_entropy_bits(0.0) == 0.0);
    CHECK(binary_entropy_bits(1.0) == 0.0);
    CHECK_THAT(binary_entropy_bits(0.3), WithinRel(binary_entropy_bits(0.7), 1e-15));
    CHECK_THROWS_AS(binary_entropy_bits(1.5), dira::Error);
}

TEST_CASE("single-party CHSH rate 1 - h(1/2 + 1/2 sqrt(S^2/4 - 1)) and its slope") {
    // Pironio et al. 2009. rate(S) from the definition in mpmath; slope by mpmath's numerical diff.
    CHECK_THAT(chsh_single_party_rate_bits(2.271), WithinRel(0.22018201709003770017, 1e-13));
    CHECK_THAT(chsh_single_party_rate_bits(2.5), WithinRel(0.45643555680040359401, 1e-13));
    CHECK_THAT(chsh_single_party_rate_slope_bits(2.271), WithinRel(0.91548405668723196898, 1e-12));
    CHECK_THAT(chsh_single_party_rate_slope_bits(2.5), WithinRel(1.1697312175240017114, 1e-12));
    // Near S = 2 the rate is a difference of nearly equal numbers; the log1p form keeps it. S is
    // 2 + 1e-9 only to about 1e-7 relative in a double, hence the tolerance.
    CHECK_THAT(chsh_single_party_rate_bits(2.000000001), WithinRel(7.2134752074504317064e-10, 1e-6));
    // The slope's limit at S -> 2 is S / (4 ln 2) = 0.72134752...
    CHECK_THAT(chsh_single_party_rate_slope_bits(2.000000001), WithinRel(0.72134752104560463771, 1e-8));
    CHECK(chsh_single_party_rate_bits(2.0) == 0.0);
    CHECK(chsh_single_party_rate_bits(1.2) == 0.0);
    CHECK_THAT(chsh_single_party_rate_bits(kTsirelsonChsh), WithinAbs(1.0, 1e-12));
    CHECK_THROWS_AS(chsh_single_party_rate_bits(2.9), dira::Error);
}

TEST_CASE("SV model: pair weights, the local bound and the effective CHSH value") {
    // eps = 0.0075: delta = (1/2 - eps)^2 = 0.4925^2 = 0.24255625 exactly; local win 0.75744375;
    // local S = 8 * 0.75744375 - 4 = 2.05955.
    CHECK_THAT(sv_min_pair_weight(0.0075), WithinRel(0.24255625, 1e-15));
    CHECK_THAT(sv_local_win_probability(0.0075), WithinRel(0.75744375, 1e-15));
    CHECK_THAT(sv_local_chsh(0.0075), WithinRel(2.05955, 1e-14));
    CHECK(sv_local_chsh(0.0) == 2.0); // uniform settings: the usual local bound
    CHECK_THAT(sv_max_quantum_win_probability(0.0075), WithinRel(0.85791383838835903593, 1e-14));
    // An honest Werner device with S = 2.271 wins with 1/2 + S/8 = 0.783875 whatever the settings'
    // distribution; the SV adversary's view of it: S_eff = 4 - 2 (1 - w) / delta (mpmath).
    CHECK_THAT(sv_effective_chsh(0.783875, 0.0075), WithinRel(2.2179391378288541318, 1e-14));
    CHECK_THAT(sv_tradeoff_rate_bits(0.783875, 0.0075), WithinRel(0.17279273122559747261, 1e-12));
    CHECK_THAT(sv_tradeoff_slope_bits(0.783875, 0.0075), WithinRel(7.1849322633800641080, 1e-10));
    // At the local bound the right slope is 1 / (delta ln 2) (rate slope S/(4 ln 2) at S = 2 times 2/delta).
    CHECK_THAT(sv_tradeoff_slope_bits(0.75744375, 0.0075), WithinRel(5.9478782380951363132, 1e-12));
    CHECK(sv_tradeoff_rate_bits(0.75744375, 0.0075) == 0.0);
    CHECK_THAT(sv_min_entropy_per_bit(0.0075), WithinRel(0.97852027258954846758, 1e-14));
    CHECK_THROWS_AS(sv_min_pair_weight(0.5), dira::Error);
    CHECK_THROWS_AS(sv_min_pair_weight(-0.01), dira::Error);
}

namespace {

// Every extreme point of the SV set for two bits x then y: P(x=1) and P(y=1|x) for each x, each
// 1/2 - eps or 1/2 + eps. A linear function of the distribution is extremal at one of these 8.
std::array<std::array<double, 4>, 8> sv_extreme_distributions(double eps) {
    std::array<std::array<double, 4>, 8> result{};
    for (unsigned k = 0; k < 8; ++k) {
        const double px1 = (k & 1) ? 0.5 + eps : 0.5 - eps;
        const double py1[2] = {(k & 2) ? 0.5 + eps : 0.5 - eps, (k & 4) ? 0.5 + eps : 0.5 - eps};
        for (unsigned x = 0; x < 2; ++x)
            for (unsigned y = 0; y < 2; ++y)
                result[k][2 * x + y] = (x ? px1 : 1 - px1) * (y ? py1[x] : 1 - py1[x]);
    }
    return result;
}

} // namespace

TEST_CASE("the SV-local bound is what the best local deterministic strategy wins, by brute force") {
    // Derivation (docs 3.1): a local deterministic strategy a = f(x), b = g(y) loses on an odd number
    // of setting pairs, at least one; the SV source can give that pair weight (1/2 - eps)^2 and no
    // less. Check: maximise over all 16 strategies and all extreme SV distributions.
    for (double eps : {0.0, 0.0075, 0.05, 0.2}) {
        double best = 0;
        for (unsigned f = 0; f < 4; ++f)
            for (unsigned g = 0; g < 4; ++g)
                for (const auto& q : sv_extreme_distributions(eps)) {
                    double win = 0;
                    for (unsigned x = 0; x < 2; ++x)
                        for (unsigned y = 0; y < 2; ++y) {
                            const unsigned a = (f >> x) & 1u, b = (g >> y) & 1u;
                            win += q[2 * x + y] * double((a ^ b) == (x & y));
                        }
                    best = std::max(best, win);
                }
        CHECK_THAT(best, WithinRel(sv_local_win_probability(eps), 1e-14));
    }
}

TEST_CASE("S_eff never exceeds the uniform CHSH value of the device that produced the win rate") {
    // Docs 4.2: for conditional win probabilities w_xy and any SV distribution q,
    // sum q_xy w_xy <= 1 - delta (4 - sum w_xy), i.e. S_eff(win rate) <= S_uniform = 2 sum w_xy - 4.
    // Random devices (a deterministic generator) against every extreme SV distribution.
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return double(state >> 11) * 0x1.0p-53;
    };
    for (double eps : {0.0, 0.0075, 0.1}) {
        for (int device = 0; device < 2000; ++device) {
            double w[4], total = 0;
            for (double& v : w) total += (v = device % 3 == 0 ? std::round(next()) : next());
            const double s_uniform = 2 * total - 4;
            for (const auto& q : sv_extreme_distributions(eps)) {
                double win = 0;
                for (int i = 0; i < 4; ++i) win += q[i] * w[i];
                CHECK(sv_effective_chsh(win, eps) <= s_uniform + 1e-12);
            }
        }
    }
}

TEST_CASE("the min-tradeoff function F is convex and non-decreasing") {
    // Convexity is what makes the tangent lines of the EAT valid lower bounds (docs 4.3).
    const double eps = 0.0075;
    const double low = sv_local_win_probability(eps) - 0.01, high = sv_max_quantum_win_probability(eps);
    const int steps = 400;
    const double h = (high - low) / steps;
    for (int i = 1; i < steps; ++i) {
        const double w = low + i * h;
        const double left = sv_tradeoff_rate_bits(w - h, eps), mid = sv_tradeoff_rate_bits(w, eps),
                     right = sv_tradeoff_rate_bits(w + h, eps);
        CHECK(left <= mid);
        CHECK(left + right - 2 * mid >= -1e-15);
    }
}

TEST_CASE("the honest device's worst-case win probability under an SV source, by brute force") {
    // Every eps-SV distribution of the pair is p(x) p(y|x) with each factor in [1/2 - eps, 1/2 + eps];
    // the closed form must equal the minimum over a fine grid of such distributions (the grid
    // includes the corners) and never exceed any of them.
    std::mt19937_64 rng(12);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int device = 0; device < 200; ++device) {
        const std::array<double, 4> w = {unit(rng), unit(rng), unit(rng), unit(rng)};
        const double eps = 0.12 * unit(rng);
        const double closed = sv_worst_case_win_probability(w, eps);
        double smallest = 2;
        for (int i = 0; i <= 10; ++i)
            for (int j = 0; j <= 10; ++j)
                for (int k = 0; k <= 10; ++k) {
                    const double px = 0.5 - eps + 2 * eps * i / 10.0;
                    const double py0 = 0.5 - eps + 2 * eps * j / 10.0, py1 = 0.5 - eps + 2 * eps * k / 10.0;
                    const double win = px * (py0 * w[0] + (1 - py0) * w[1]) + (1 - px) * (py1 * w[2] + (1 - py1) * w[3]);
                    CHECK(closed <= win + 1e-15);
                    smallest = std::min(smallest, win);
                }
        CHECK_THAT(closed, Catch::Matchers::WithinAbs(smallest, 1e-15));
    }
    CHECK(sv_worst_case_win_probability({0.8, 0.8, 0.8, 0.8}, 0.0075) == 0.8);
}

TEST_CASE("the bound never exceeds the entropy of explicit attacks") {
    // Explicit quantum attacks whose entropy we compute exactly (issue 12, item 7). The devices share
    // rho = p Phi+ + (1 - p) Phi-, Eve holds its purification sqrt(p) Phi+ |0> + sqrt(1 - p) Phi- |1>;
    // Alice measures sigma_z (x = 0) and sigma_x (x = 1), Bob cos(b_y) sigma_z + sin(b_y) sigma_x.
    // Correlators: E_0y = cos b_y, E_1y = (2p - 1) sin b_y. Given Alice's z outcome Eve's state is the
    // pure sqrt(p)|0> +- sqrt(1 - p)|1>, so H(A_0|E) = H(A) + H(E|A) - H(E) = 1 - h(p); her x outcome
    // leaves Eve with diag(p, 1 - p) either way, so H(A_1|E) = 1. With probability lam the devices
    // instead play the SV-local deterministic strategy that loses only on the source's lightest pair
    // (entropy 0), and Eve knows which component ran. H(AB|XYE) >= H(A|XYE) = (1 - lam) sum_x q(x)
    // H(A_x|E), which the bound F(win rate) must not exceed, for every eps-SV distribution q.
    const double pi = 3.14159265358979323846;
    for (double eps : {0.0, 0.0075, 0.05, 0.1}) {
        const double delta = sv_min_pair_weight(eps);
        // The certified lines of docs 4.2b at a few slopes (the EAT uses one of them).
        std::vector<TradeoffLine> lines;
        for (double slope : {1.0, 5.0, 7.3815, 10.0}) lines.push_back({certified_intercept_bits(slope, eps), slope});
        for (const auto& q : sv_extreme_distributions(eps)) {
            const double q_x0 = q[0] + q[1];
            for (double p : {0.5, 0.7, 0.85, 0.9, 0.95, 0.99, 1.0})
                for (int i = 0; i < 24; ++i)
                    for (int j = 0; j < 24; ++j) {
                        const double b[2] = {2 * pi * i / 24, 2 * pi * j / 24};
                        double c[4]; // winning correlators (-1)^{xy} E_xy
                        for (unsigned y = 0; y < 2; ++y) {
                            c[y] = std::cos(b[y]);
                            c[2 + y] = (y ? -1 : 1) * (2 * p - 1) * std::sin(b[y]);
                        }
                        double quantum_win = 0;
                        for (int k = 0; k < 4; ++k) quantum_win += q[k] * (1 + c[k]) / 2;
                        const double quantum_entropy = q_x0 * (1 - binary_entropy_bits(p)) + (1 - q_x0) * 1.0;
                        for (double lam : {0.0, 0.25, 0.5, 0.75, 0.9}) {
                            const double win = lam * (1 - delta) + (1 - lam) * quantum_win;
                            CHECK(sv_tradeoff_rate_bits(win, eps) <= (1 - lam) * quantum_entropy + 1e-12);
                            for (const auto& line : lines) CHECK(line.value_at(win) <= (1 - lam) * quantum_entropy + 1e-12);
                        }
                    }
        }
    }
}

TEST_CASE("at eps = 0 the bound is the one-party CHSH rate of the win rate") {
    // F(w) = 1 - h(1/2 + 1/2 sqrt(S^2/4 - 1)) with S = 8w - 4 (Pironio et al. 2009; Acin et al. 2007),
    // values from tests/certify/reference_values.py.
    CHECK_THAT(sv_tradeoff_rate_bits(0.5 + 2.271 / 8, 0.0), WithinRel(0.22018201709003770017, 1e-12));
    CHECK_THAT(sv_tradeoff_rate_bits(0.5 + 2.5 / 8, 0.0), WithinRel(0.45643555680040359401, 1e-12));
    for (int i = 0; i <= 100; ++i) {
        const double w = 0.75 + (0.5 + std::sqrt(2.0) / 4 - 0.75) * i / 100.0;
        CHECK_THAT(sv_tradeoff_rate_bits(w, 0.0), WithinAbs(chsh_single_party_rate_bits(8 * w - 4), 1e-12));
    }
}
