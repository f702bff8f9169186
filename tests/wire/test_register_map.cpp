// The register map is consistent: unique addresses, counters clear of registers, known resets.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "dira/register_map.hpp"

using namespace dira;

TEST_CASE("register and counter addresses are unique") {
    std::set<std::uint16_t> used;
    for (const auto& r : kRegisterTable) REQUIRE(used.insert(r.address).second);
    for (const auto& c : kCounterTable) {
        REQUIRE(c.address_lo % 2 == 0);
        REQUIRE(used.insert(c.address_lo).second);
        REQUIRE(used.insert(static_cast<std::uint16_t>(c.address_lo + 1)).second);
    }
}

TEST_CASE("counters sit at consecutive even addresses in table order") {
    // The RTL indexes counters as COUNTER_BASE + 2*i: the table must say the same.
    for (std::size_t i = 0; i < std::size(kCounterTable); ++i)
        REQUIRE(kCounterTable[i].address_lo == kCounterTable[0].address_lo + 2 * i);
}

TEST_CASE("identification registers carry the one definition of each fact") {
    auto reset_of = [](Reg reg) {
        for (const auto& r : kRegisterTable)
            if (r.address == address(reg)) return r.reset;
        FAIL("register missing");
        return 0u;
    };
    REQUIRE(reset_of(Reg::ID_MAGIC) == kSyncWord);
    REQUIRE(reset_of(Reg::FW_VERSION) == kFirmwareVersionWord);
    REQUIRE(reset_of(Reg::API_LEVEL) == kApiLevel);
    REQUIRE(reset_of(Reg::BASIS_LATENCY_CYCLES) == kBasisLatencyCycles);
    REQUIRE(reset_of(Reg::WINDOW_OPEN_CYCLES) < reset_of(Reg::WINDOW_CLOSE_CYCLES));
}

TEST_CASE("register commands pack opcode and address") {
    const auto w = pack_register_command(RegisterOpcode::write, address(Reg::CONTROL));
    REQUIRE((w >> 24) == static_cast<unsigned>(RegisterOpcode::write));
    REQUIRE((w & 0xFFFFu) == address(Reg::CONTROL));
}
