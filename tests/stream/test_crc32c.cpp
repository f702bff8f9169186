// The fast CRC-32C paths agree with the reference definition.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "dira/crc32c.hpp"
#include "stream/crc32c_fast.hpp"

using namespace dira;

TEST_CASE("fast CRC-32C has the catalogue check value") {
    const char* check = "123456789";
    REQUIRE(stream::crc32c(reinterpret_cast<const std::uint8_t*>(check), 9) == 0xE3069283u);
}

TEST_CASE("hardware and portable CRC-32C agree with the reference at every length and alignment") {
    std::mt19937_64 rng(1);
    std::vector<std::uint8_t> data(300);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    INFO("implementation: " << stream::crc32c_implementation());
    for (std::size_t start = 0; start < 9; ++start)
        for (std::size_t n = 0; start + n <= data.size(); n += 7) {
            const std::uint32_t expected = crc32c_bytes_reference(data.data() + start, n);
            REQUIRE(stream::crc32c(data.data() + start, n) == expected);
            REQUIRE((stream::crc32c_update_portable(kCrc32cInit, data.data() + start, n) ^ kCrc32cFinalXor) == expected);
        }
}

TEST_CASE("CRC-32C can be computed in pieces") {
    std::vector<std::uint8_t> data(1000, 0x5A);
    std::uint32_t crc = kCrc32cInit;
    crc = stream::crc32c_update(crc, data.data(), 333);
    crc = stream::crc32c_update(crc, data.data() + 333, 667);
    REQUIRE((crc ^ kCrc32cFinalXor) == stream::crc32c(data.data(), data.size()));
}
