// Usable lengths for the cyclic extractors, choose_length, and the length checks.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "extract/lengths.hpp"

using namespace dira::extract;

namespace {
// Primes with 2 as a primitive root below 200 (OEIS A001122), checked against the definition below.
const std::vector<std::uint64_t> kUsableBelow200 = {3,   5,   11,  13,  19,  29,  37,  53,  59,  61,  67,  83,
                                                    101, 107, 131, 139, 149, 163, 173, 179, 181, 197};

// The order of 2 mod n by brute force.
std::uint64_t order_of_two(std::uint64_t n) {
    std::uint64_t v = 2 % n, k = 1;
    while (v != 1 && k <= n) v = v * 2 % n, ++k;
    return k;
}

bool is_prime_slow(std::uint64_t n) {
    if (n < 2) return false;
    for (std::uint64_t d = 2; d * d <= n; ++d)
        if (n % d == 0) return false;
    return true;
}
} // namespace

TEST_CASE("usable cyclic lengths are the primes with 2 as a primitive root") {
    std::vector<std::uint64_t> found;
    for (std::uint64_t n = 0; n < 200; ++n)
        if (is_usable_cyclic_length(n)) found.push_back(n);
    CHECK(found == kUsableBelow200);
    for (std::uint64_t n = 3; n < 5000; ++n)
        CHECK(is_usable_cyclic_length(n) == (is_prime_slow(n) && order_of_two(n) == n - 1));
}

TEST_CASE("usable lengths near a full run") {
    // ETH-size: 1.34e9 trials, two outcome bits each.
    const std::uint64_t bits = 2'680'000'000;
    const std::uint64_t up = usable_cyclic_length_at_least(bits), down = usable_cyclic_length_at_most(bits);
    CHECK(up >= bits);
    CHECK(down <= bits);
    CHECK(is_usable_cyclic_length(up));
    CHECK(is_usable_cyclic_length(down));
    for (std::uint64_t n = down + 1; n < up; ++n) CHECK_FALSE(is_usable_cyclic_length(n));
    CHECK(up - down < 2000); // Artin: about 37% of primes qualify, gaps stay small
}

TEST_CASE("choose_length fits x to a usable length in each direction") {
    SECTION("dodis") {
        auto d = choose_length(Kind::dodis, 100, Direction::down);
        CHECK(d.n_bits == 83);
        CHECK(d.x_bits == 83);
        CHECK(d.dropped_bits == 17);
        CHECK(d.padded_bits == 0);
        auto u = choose_length(Kind::dodis, 100, Direction::up);
        CHECK(u.n_bits == 101);
        CHECK(u.padded_bits == 1);
        CHECK(u.dropped_bits == 0);
        auto near = choose_length(Kind::dodis, 100, Direction::nearest);
        CHECK(near.n_bits == 101);
        auto exact = choose_length(Kind::dodis, 101, Direction::down);
        CHECK(exact.n_bits == 101);
        CHECK(exact.dropped_bits + exact.padded_bits == 0);
    }
    SECTION("circulant reads n - 1 bits of x") {
        auto d = choose_length(Kind::circulant, 100, Direction::down); // n - 1 <= 100: n = 101
        CHECK(d.n_bits == 101);
        CHECK(d.x_bits == 100);
        CHECK(d.dropped_bits == 0);
        auto u = choose_length(Kind::circulant, 101, Direction::up); // n - 1 >= 101: n = 107
        CHECK(u.n_bits == 107);
        CHECK(u.x_bits == 106);
        CHECK(u.padded_bits == 5);
        auto tie = choose_length(Kind::circulant, 56, Direction::nearest); // n = 57: 53 (4 down) or 59 (2 up)
        CHECK(tie.n_bits == 59);
    }
    SECTION("a tie goes down") {
        CHECK(choose_length(Kind::dodis, 8, Direction::nearest).n_bits == 5); // 5 and 11 are both 3 away
    }
    SECTION("toeplitz takes any length") {
        auto t = choose_length(Kind::toeplitz, 1234, Direction::up);
        CHECK(t.n_bits == 1234);
        CHECK(t.x_bits == 1234);
        CHECK(t.dropped_bits + t.padded_bits == 0);
    }
    SECTION("nothing below 3") {
        CHECK_THROWS_AS(choose_length(Kind::dodis, 2, Direction::down), dira::Error);
        CHECK(choose_length(Kind::dodis, 2, Direction::up).n_bits == 3);
        CHECK(choose_length(Kind::dodis, 0, Direction::nearest).n_bits == 3);
    }
}

TEST_CASE("check_lengths names what is wrong") {
    auto message = [](Kind k, std::uint64_t x, std::uint64_t y, std::uint64_t m) -> std::string {
        try {
            check_lengths(k, x, y, m);
        } catch (const dira::Error& e) {
            CHECK(e.kind() == dira::ErrorKind::invalid_argument);
            return e.what();
        }
        return "";
    };
    CHECK(message(Kind::dodis, 101, 101, 50).empty());
    CHECK(message(Kind::dodis, 101, 101, 101).empty());
    CHECK_THAT(message(Kind::dodis, 100, 100, 5), Catch::Contains("83 and 101"));
    CHECK_THAT(message(Kind::dodis, 101, 100, 5), Catch::Contains("y must have n = 101"));
    CHECK_THAT(message(Kind::dodis, 101, 101, 102), Catch::Contains("larger than n"));
    CHECK_THAT(message(Kind::dodis, 101, 101, 0), Catch::Contains("at least 1"));
    CHECK(message(Kind::circulant, 100, 101, 7).empty());
    CHECK_THAT(message(Kind::circulant, 101, 101, 7), Catch::Contains("x bits + 1"));
    CHECK(message(Kind::toeplitz, 10, 14, 5).empty());
    CHECK_THAT(message(Kind::toeplitz, 10, 15, 5), Catch::Contains("n1 + m - 1 = 14"));
    CHECK_THAT(message(Kind::toeplitz, 0, 4, 5), Catch::Contains("empty"));
}

TEST_CASE("kind and direction names") {
    for (Kind k : {Kind::dodis, Kind::circulant, Kind::toeplitz}) CHECK(parse_kind(to_string(k)) == k);
    for (Direction d : {Direction::down, Direction::up, Direction::nearest}) CHECK(parse_direction(to_string(d)) == d);
    CHECK_THROWS_AS(parse_kind("trevisan"), dira::Error);
    CHECK_THROWS_AS(parse_direction("sideways"), dira::Error);
}
