// The weak-source model: a Santha-Vazirani source with the bias it is given.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/error.hpp"
#include "lab/weak_source.hpp"

using namespace dira::lab;

TEST_CASE("a constant-bias source emits ones at 1/2 + epsilon") {
    WeakSource s({0.05, BiasMode::constant, 3});
    const int n = 200000;
    int ones = 0;
    for (int i = 0; i < n; ++i) ones += s.next_bit();
    REQUIRE(std::abs(ones / double(n) - 0.55) < 5 * std::sqrt(0.55 * 0.45 / n));
}

TEST_CASE("a drifting source stays within its bias on average") {
    WeakSource s({0.05, BiasMode::drifting, 3});
    const int n = 200000;
    int ones = 0;
    for (int i = 0; i < n; ++i) ones += s.next_bit();
    REQUIRE(std::abs(ones / double(n) - 0.5) < 5 * std::sqrt(0.25 / n));
}

TEST_CASE("weak-source pins: one new bit per period, stable around its strobe") {
    WeakSourcePins pins({0.0075, BiasMode::constant, 1}, 8);
    int rises = 0;
    bool last_strobe = false, bit_at_rise = false;
    for (int c = 0; c < 800; ++c) {
        const bool bit_before = pins.bit();
        pins.tick();
        if (pins.strobe() && !last_strobe) {
            ++rises;
            bit_at_rise = pins.bit();
            REQUIRE(bit_before == bit_at_rise); // the bit was already there the cycle before
        }
        if (pins.strobe()) REQUIRE(pins.bit() == bit_at_rise);
        last_strobe = pins.strobe();
    }
    REQUIRE(rises == 100);
    REQUIRE(pins.bits_emitted() == 100);
}

TEST_CASE("bad weak-source parameters are refused") {
    REQUIRE_THROWS_WITH(WeakSource({0.5, BiasMode::constant, 1}), Catch::Contains("epsilon"));
    REQUIRE_THROWS_AS(WeakSourcePins({0.01, BiasMode::constant, 1}, 3), dira::Error);
    REQUIRE_THROWS_WITH(parse_bias_mode("fair"), Catch::Contains("constant"));
}
