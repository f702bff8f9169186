// The ap_uint / hls::stream stand-in behaves like the Vitis types where dira's kernels rely on it.
#include <catch2/catch.hpp>

#include "dira/hls_compat.hpp"

TEST_CASE("ap_uint arithmetic wraps modulo 2^W") {
    ap_uint<4> a = 15;
    ++a;
    REQUIRE(a.to_uint64() == 0);
    ap_uint<4> b = 3;
    REQUIRE((b - ap_uint<4>(5)).to_uint64() == 14);
    ap_uint<70> wide = ~ap_uint<70>(0);
    ++wide;
    REQUIRE(wide.is_zero());
}

TEST_CASE("ap_uint negative ints sign-extend across words") {
    ap_uint<100> all = -1;
    for (int i = 0; i < 100; ++i) REQUIRE(all[i]);
}

TEST_CASE("ap_uint bits, ranges and shifts across word boundaries") {
    ap_uint<130> x = 0;
    x[127] = 1;
    x[3] = 1;
    REQUIRE(x[127]);
    REQUIRE((x >> 124).to_uint64() == 8);
    REQUIRE((x << 2)[129]);
    REQUIRE(!(x << 3)[129]); // bit 127 moved to 130, past the width: gone
    REQUIRE((x << 3).get_bit(6));
    x.set_range(71, 60, ap_uint<130>(0xABC));
    REQUIRE(x.range(71, 60) == 0xABC);
    REQUIRE(x.range(3, 3) == 1);
}

TEST_CASE("ap_uint compares by value") {
    ap_uint<128> a = 5, b = 7;
    REQUIRE(a < b);
    REQUIRE(b > a);
    REQUIRE(a != b);
    REQUIRE((a ^ b).to_uint64() == 2);
}

TEST_CASE("hls::stream is FIFO and reading empty is an error") {
    hls::stream<int> s("s");
    s.write(1);
    s << 2;
    REQUIRE(s.read() == 1);
    int v = 0;
    s >> v;
    REQUIRE(v == 2);
    REQUIRE(s.empty());
    REQUIRE_THROWS(s.read());
}

TEST_CASE("a bounded hls::stream reports full") {
    hls::stream<int, 2> s;
    REQUIRE(s.write_nb(1));
    REQUIRE(s.write_nb(2));
    REQUIRE(s.full());
    REQUIRE(!s.write_nb(3));
    REQUIRE_THROWS(s.write(3));
}
