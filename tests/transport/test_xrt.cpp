// The xrt transport against the host extractor, on a machine with XRT, a card and an xclbin built
// from hls/extract (docs/host.md "XRT"). Registered only when CMake found XRT and DIRA_XCLBIN names
// the xclbin at configure time; DIRA_XRT_DEVICE picks the card (default 0).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>

#include "extract/extractor.hpp"
#include "transport/xrt_extractor.hpp"

using namespace dira;

namespace {

extract::BitString random_bits(std::uint64_t n, std::mt19937_64& rng) {
    extract::BitString s(n);
    for (auto& w : s.words) w = rng();
    extract::truncate_bits(s, n);
    return s;
}

} // namespace

TEST_CASE("the XRT kernel gives the host extractor's bits for every kind") {
    const char* device = std::getenv("DIRA_XRT_DEVICE");
    transport::XrtExtractor xrt(device ? static_cast<unsigned>(std::atoi(device)) : 0u, DIRA_XCLBIN);
    std::mt19937_64 rng(2024);
    for (auto kind : {extract::Kind::dodis, extract::Kind::circulant, extract::Kind::toeplitz}) {
        for (std::uint64_t bits : {std::uint64_t{1019}, std::uint64_t{65'537}}) {
            const std::uint64_t n = kind == extract::Kind::toeplitz ? bits : extract::usable_cyclic_length_at_least(bits);
            const std::uint64_t m = n / 3;
            const auto x = random_bits(extract::required_x_bits(kind, n), rng);
            const auto y = random_bits(extract::required_y_bits(kind, n, m), rng);
            INFO(extract::to_string(kind) << " n=" << n << " m=" << m);
            REQUIRE(xrt.extract(kind, x, y, m) == extract::extract(kind, x, y, m));
        }
    }
}
