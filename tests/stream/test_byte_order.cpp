// core/byte_order.hpp: integers on the wire and in files are little endian, whatever the host.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "core/byte_order.hpp"

using namespace dira;

TEST_CASE("load_le reads the least significant byte first, at any alignment") {
    const std::uint8_t bytes[] = {0xEE, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
    CHECK(load_le<std::uint8_t>(bytes + 1) == 0x01);
    CHECK(load_le<std::uint16_t>(bytes + 1) == 0x0201);
    CHECK(load_le<std::uint32_t>(bytes + 1) == 0x04030201u);
    CHECK(load_le<std::uint64_t>(bytes + 1) == 0x0807060504030201ull);
    CHECK(load_le<std::uint32_t>(bytes) == 0x030201EEu);
}

TEST_CASE("store_le and append_le write the least significant byte first") {
    std::uint8_t bytes[9] = {};
    store_le<std::uint32_t>(bytes + 1, 0x41524944u); // the sync word: the bytes "DIRA"
    CHECK(bytes[0] == 0);
    CHECK(bytes[1] == 'D');
    CHECK(bytes[2] == 'I');
    CHECK(bytes[3] == 'R');
    CHECK(bytes[4] == 'A');
    store_le<std::uint16_t>(bytes + 5, 0xBEEF);
    CHECK(bytes[5] == 0xEF);
    CHECK(bytes[6] == 0xBE);

    std::vector<std::uint8_t> out{0x99};
    append_le<std::uint64_t>(out, 0x1122334455667788ull);
    append_le<std::uint8_t>(out, 0x7F);
    CHECK(out == std::vector<std::uint8_t>{0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x7F});
    CHECK(load_le<std::uint64_t>(out.data() + 1) == 0x1122334455667788ull);
}
