// The lab description: the default lab loads; every kind of bad or inconsistent file gets an error
// that names the key and says what is wrong; a station naming its board takes the board's pad timing.
#include <catch2/catch.hpp>

#include <string>

#include "core/error.hpp"
#include "dira/station_timing.hpp"
#include "timing/lab_description.hpp"
#include "timing/pad_timing.hpp"
#include "timing_test_support.hpp"

using namespace dira;
using namespace dira::timing;
using dira::test::default_lab_json;
using Catch::Matchers::Contains;

namespace {

// Parses `j` and returns the error message (empty when it parsed).
std::string error_of(const nlohmann::json& j) {
    try {
        parse_lab(j, "test.json");
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::invalid_argument);
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("the default lab loads: 30 m between the stations") {
    const LabDescription lab = load_lab(dira::test::default_lab_path());
    CHECK(lab.name == "default-30m");
    CHECK(station_distance_m(lab) == Approx(30.0));
    CHECK(light_travel_ps(station_distance_m(lab)) == Approx(30.0 / 299'792'458.0 * 1e12));
    // What to_json writes, parse_lab reads back unchanged.
    const LabDescription again = parse_lab(to_json(lab));
    CHECK(to_json(again) == to_json(lab));
}

TEST_CASE("unknown and missing keys are named with their path") {
    auto j = default_lab_json();
    j["stations"]["bob"]["fpga"]["clok_hz"] = 1;
    const std::string unknown = error_of(j);
    CHECK(unknown.find("stations.bob.fpga.clok_hz") != std::string::npos);
    CHECK(unknown.find("test.json") == 0);

    j = default_lab_json();
    j["stations"]["alice"]["qubit"].erase("rotation_pulse_ns");
    CHECK_THAT(error_of(j), Contains("missing key 'stations.alice.qubit.rotation_pulse_ns'"));

    j = default_lab_json();
    j["format"] = "dira-lab/99";
    CHECK_THAT(error_of(j), Contains("dira-lab/1"));
}

TEST_CASE("values of the wrong type or sign are refused") {
    auto j = default_lab_json();
    j["stations"]["alice"]["qubit"]["readout_integration_ns"] = -5.0;
    CHECK_THAT(error_of(j), Contains("cannot be negative"));
    j = default_lab_json();
    j["stations"]["alice"]["position_m"] = {1.0, 2.0};
    CHECK_THAT(error_of(j), Contains("[x, y, z]"));
    j = default_lab_json();
    j["stations"]["bob"]["fpga"]["clock_hz"] = 2'000'000'000;
    CHECK_THAT(error_of(j), Contains("between 1 MHz and 1 GHz"));
    j = default_lab_json();
    j["simulation"]["pair_model"] = "bohmian";
    CHECK_THAT(error_of(j), Contains("simulation.pair_model"));
}

TEST_CASE("the basis-selection latency is the firmware's: a file may only restate it") {
    auto j = default_lab_json();
    j["stations"]["bob"]["fpga"]["basis_latency_cycles"] = kBasisLatencyCycles + 1;
    const std::string e = error_of(j);
    CHECK(e.find("kBasisLatencyCycles") != std::string::npos);
    CHECK(e.find(std::to_string(kBasisLatencyCycles + 1)) != std::string::npos);
    j["stations"]["bob"]["fpga"].erase("basis_latency_cycles");
    CHECK(error_of(j).empty());
}

TEST_CASE("physically impossible or unservable labs are refused") {
    SECTION("a trigger cable faster than light") {
        auto j = default_lab_json();
        j["stations"]["alice"]["trigger_cable_ns"] = 10.0; // the sequencer is 15 m away: 50 ns at c
        CHECK_THAT(error_of(j), Contains("faster than light"));
    }
    SECTION("both stations at one place") {
        auto j = default_lab_json();
        j["stations"]["bob"]["position_m"] = j["stations"]["alice"]["position_m"];
        CHECK_THAT(error_of(j), Contains("same position"));
    }
    SECTION("a weak-source strobe too short for the synchroniser") {
        auto j = default_lab_json();
        j["stations"]["alice"]["weak_source"]["strobe_high_ns"] = 5.0; // < 2 cycles of 4 ns
        CHECK_THAT(error_of(j), Contains("strobe_high_ns"));
    }
    SECTION("the strobe before the bit") {
        auto j = default_lab_json();
        j["stations"]["alice"]["weak_source"]["strobe_after_bit_ns"] = 1.0;
        CHECK_THAT(error_of(j), Contains("strobe_after_bit_ns"));
    }
    SECTION("a readout window the outcome never falls into") {
        auto j = default_lab_json();
        j["stations"]["bob"]["fpga"]["window_close_cycles"] = 5;
        j["stations"]["bob"]["fpga"]["window_open_cycles"] = 2;
        CHECK_THAT(error_of(j), Contains("outside the readout window"));
    }
    SECTION("triggers faster than a trial") {
        auto j = default_lab_json();
        j["sequencer"]["trigger_period_ns"] = 60.0;
        j["sequencer"]["trigger_pulse_ns"] = 20.0;
        CHECK_THAT(error_of(j), Contains("trigger_period_ns"));
    }
}

TEST_CASE("set_station_distance moves Bob along the line from Alice") {
    LabDescription lab = load_lab(dira::test::default_lab_path());
    set_station_distance(lab, 12.5);
    CHECK(station_distance_m(lab) == Approx(12.5));
    CHECK(lab.station(StationId::alice).position_m == load_lab(dira::test::default_lab_path()).station(StationId::alice).position_m);
    CHECK_THROWS_AS(set_station_distance(lab, -1.0), Error);
}

TEST_CASE("a station that names its board takes the board's pad timing; a restated delay must agree") {
    const LabDescription lab = load_lab(dira::test::default_lab_path());
    const PadTiming& ac701 = find_pad_timing("ac701-ft601");
    for (auto side : kStations) {
        CHECK(lab.station(side).fpga.board == "ac701-ft601");
        CHECK(lab.station(side).fpga.input_delay_ns == ac701.input_delay_ns);
        CHECK(lab.station(side).fpga.output_delay_ns == ac701.output_delay_ns);
    }
    auto j = default_lab_json();
    j["stations"]["alice"]["fpga"]["input_delay_ns"] = ac701.input_delay_ns; // the same: a restatement
    CHECK(error_of(j).empty());
    j["stations"]["alice"]["fpga"]["output_delay_ns"] = 2.0;
    const std::string differs = error_of(j);
    CHECK_THAT(differs, Contains("'stations.alice.fpga.output_delay_ns' says 2 ns but board ac701-ft601 has 4.4 ns"));
    CHECK_THAT(differs, Contains("constraints/ac701-ft601/pad_timing.json"));

    j = default_lab_json();
    j["stations"]["bob"]["fpga"]["board"] = "ac701";
    const std::string unknown = error_of(j);
    CHECK_THAT(unknown, Contains("'stations.bob.fpga.board'"));
    CHECK_THAT(unknown, Contains("ac701-ft601, ice40-hx8k-ft2232h"));

    // Without a board the file must give both delays itself.
    j = default_lab_json();
    j["stations"]["bob"]["fpga"].erase("board");
    CHECK_THAT(error_of(j), Contains("missing key 'stations.bob.fpga.input_delay_ns'"));
    j["stations"]["bob"]["fpga"]["input_delay_ns"] = 1.5;
    j["stations"]["bob"]["fpga"]["output_delay_ns"] = 2.5;
    CHECK(parse_lab(j).station(StationId::bob).fpga.input_delay_ns == 1.5);
}
