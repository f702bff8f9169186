// Devices by id (transport/devices.hpp): which kind takes an id, what an unknown or non-station id
// says, a kind registered from outside libdira (the simulated boards), and the lab that two sim
// boards open at once share.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/error.hpp"
#include "sim/sim_devices.hpp"
#include "sim/sim_transport.hpp"
#include "transport/devices.hpp"

using namespace dira;

namespace {

std::vector<std::string> kind_names() {
    std::vector<std::string> names;
    for (const auto& k : transport::device_kinds()) names.push_back(k.name);
    return names;
}

} // namespace

TEST_CASE("libdira's kinds are built in; sim joins once, however often it registers") {
    const auto before = kind_names();
    REQUIRE(before.size() >= 3);
    REQUIRE(before[0] == "usb");
    REQUIRE(before[1] == "ftdi");
    REQUIRE(before[2] == "xrt");
    sim::register_device_kind();
    sim::register_device_kind();
    auto after = kind_names();
    REQUIRE(std::count(after.begin(), after.end(), "sim") == 1);
    REQUIRE(transport::find_device_kind("sim:alice")->name == "sim");
    REQUIRE(transport::find_device_kind("usb:3-7")->name == "usb");
    REQUIRE(transport::find_device_kind("ftdi:FT5ABC")->name == "ftdi");
    REQUIRE(transport::find_device_kind("simulated") == nullptr); // the prefix is "sim:", not "sim"
}

TEST_CASE("an id no kind takes is a usage error that lists the forms of every kind") {
    sim::register_device_kind();
    try {
        transport::open_device("bogus:1");
        FAIL("opened bogus:1");
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::invalid_argument);
        REQUIRE_THAT(e.what(), Catch::Contains("unknown device 'bogus:1'") && Catch::Contains("usb:SERIAL") &&
                                   Catch::Contains("ftdi:SERIAL or ftdi:BUS-ADDRESS") &&
                                   Catch::Contains("sim:alice or sim:bob") && Catch::Contains("dira devices"));
    }
    REQUIRE_THROWS_AS(transport::open_device("sim:carol"), Error);
}

TEST_CASE("an XRT id is refused as no station board, whether or not XRT was built in") {
    try {
        transport::open_device("xrt:0");
        FAIL("opened xrt:0 as a station");
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::unsupported);
        REQUIRE_THAT(e.what(), Catch::Contains("xrt"));
    }
}

TEST_CASE("the sim kind lists both stations; boards open together share one lab, a later one gets a new lab") {
    sim::register_device_kind();
    const auto listed = transport::find_device_kind("sim:")->list({});
    REQUIRE(listed.size() == 2);
    REQUIRE(listed[0].id == "sim:alice");
    REQUIRE(listed[1].id == "sim:bob");
    REQUIRE(listed[0].station);

    auto alice = transport::open_device("sim:alice");
    auto bob = transport::open_device("sim:bob");
    REQUIRE(alice->info().id == "sim:alice");
    REQUIRE(bob->info().id == "sim:bob");
    lab::SimLab* shared = &dynamic_cast<sim::SimTransport&>(*alice).lab();
    REQUIRE(&dynamic_cast<sim::SimTransport&>(*bob).lab() == shared);
    shared->advance();
    REQUIRE(shared->cycle() > 0);
    alice.reset();
    bob.reset();
    auto again = transport::open_device("sim:alice");
    REQUIRE(dynamic_cast<sim::SimTransport&>(*again).lab().cycle() == 0); // a fresh lab
}

TEST_CASE("a sim id may choose the station engine; boards of one lab share it, a bad engine is a usage error") {
    sim::register_device_kind();
    auto alice = transport::open_device("sim:alice?engine=model");
    REQUIRE(dynamic_cast<sim::SimTransport&>(*alice).lab().config().engine == testbench::StationEngine::model);
    REQUIRE_THAT(alice->info().description, Catch::Contains("HLS C++ station model"));
    auto bob = transport::open_device("sim:bob?engine=model");
    REQUIRE(&dynamic_cast<sim::SimTransport&>(*bob).lab() == &dynamic_cast<sim::SimTransport&>(*alice).lab());
    try {
        transport::open_device("sim:bob?engine=rtl");
        FAIL("a board with another engine joined the open lab");
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::busy);
        REQUIRE_THAT(e.what(), Catch::Contains("model engine"));
    }
    alice.reset();
    bob.reset();
    REQUIRE(dynamic_cast<sim::SimTransport&>(*transport::open_device("sim:bob")).lab().config().engine ==
            testbench::StationEngine::rtl);
    REQUIRE_THROWS_WITH(transport::open_device("sim:alice?engine=fast"), Catch::Contains("use rtl"));
    REQUIRE_THROWS_WITH(transport::open_device("sim:carol?engine=model"), Catch::Contains("?engine=model"));
}
