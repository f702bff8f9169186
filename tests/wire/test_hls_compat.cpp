// hls_compat.hpp's stand-in beyond the conformance table (ap_int_conformance.tsv, Xilinx's values):
// multi-word arithmetic checked against the compiler's 128-bit integers on random operands, and
// hls::stream's failures, which Xilinx's C-simulation only warns about or hangs on.
#include <catch2/catch.hpp>

#include <random>

#include "dira/hls_compat.hpp"

namespace {

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

ap_uint<128> from_u128(u128 v) { return (ap_uint<128>(static_cast<std::uint64_t>(v >> 64)) << 64) | ap_uint<128>(static_cast<std::uint64_t>(v)); }
template <int W, bool S>
u128 low_128(const ap_int_base<W, S>& v) {
    u128 r = 0;
    for (int i = 0; i < 128 && i < W; ++i) r |= static_cast<u128>(v[i] ? 1 : 0) << i;
    return r;
}

} // namespace

TEST_CASE("ap_uint<128> arithmetic, logic and shifts agree with 128-bit integers") {
    std::mt19937_64 rng(11);
    for (int round = 0; round < 2000; ++round) {
        const u128 a = (static_cast<u128>(rng()) << 64) | rng(), b = (static_cast<u128>(rng()) << 64) | rng();
        const int s = static_cast<int>(rng() % 128);
        const ap_uint<128> x = from_u128(a), y = from_u128(b);
        REQUIRE(low_128(x + y) == a + b);               // the 129th bit is the carry ...
        REQUIRE((x + y)[128] == (a + b < a));           // ... which the wider result keeps
        REQUIRE(low_128(x - y) == a - b);
        REQUIRE((x - y < 0) == (a < b));                // the difference is signed
        REQUIRE(low_128(x * y) == a * b);               // the low half of the 256-bit product
        REQUIRE(low_128(x & y) == (a & b));
        REQUIRE(low_128(x | y) == (a | b));
        REQUIRE(low_128(x ^ y) == (a ^ b));
        REQUIRE(low_128(x << s) == a << s);
        REQUIRE(low_128(x >> s) == a >> s);
        REQUIRE((x < y) == (a < b));
        REQUIRE((x == y) == (a == b));
    }
}

TEST_CASE("ap_int<100> is signed: sign extension, arithmetic right shift, signed compare") {
    std::mt19937_64 rng(12);
    for (int round = 0; round < 2000; ++round) {
        const i128 a = static_cast<i128>((static_cast<u128>(rng()) << 64) | rng()) >> 29; // 99 bits and sign
        const i128 b = static_cast<i128>((static_cast<u128>(rng()) << 64) | rng()) >> 29;
        const int s = static_cast<int>(rng() % 100);
        ap_int<100> x = 0, y = 0;
        for (int i = 0; i < 100; ++i) {
            x[i] = ((a >> i) & 1) != 0;
            y[i] = ((b >> i) & 1) != 0;
        }
        const u128 mask100 = (static_cast<u128>(1) << 100) - 1;
        REQUIRE((low_128(ap_int<100>(x + y)) & mask100) == (static_cast<u128>(a + b) & mask100));
        REQUIRE((low_128(ap_int<100>(x - y)) & mask100) == (static_cast<u128>(a - b) & mask100));
        REQUIRE((low_128(x >> s) & mask100) == (static_cast<u128>(a >> s) & mask100));
        REQUIRE((x < y) == (a < b));
        REQUIRE((x < 0) == (a < 0));
    }
}

TEST_CASE("hls::stream is a FIFO, and reading an empty one is an error") {
    hls::stream<int> s("s");
    s.write(1);
    s << 2;
    REQUIRE(s.read() == 1);
    int v = 0;
    s >> v;
    REQUIRE(v == 2);
    REQUIRE(s.empty());
    REQUIRE_THROWS_WITH(s.read(), Catch::Contains("'s'") && Catch::Contains("empty"));
}

TEST_CASE("a stream with a declared depth refuses to hold more: C-simulation catches an overflow") {
    hls::stream<int, 2> s("two");
    REQUIRE(s.write_nb(1));
    REQUIRE(s.write_nb(2));
    REQUIRE(s.full());
    REQUIRE(!s.write_nb(3));
    REQUIRE_THROWS_WITH(s.write(3), Catch::Contains("'two'") && Catch::Contains("depth 2"));
    REQUIRE(s.read() == 1);
    s.write(3);
    REQUIRE(s.size() == 2);
}
