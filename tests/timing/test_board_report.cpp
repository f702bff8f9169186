// dira_board_report's FT2232H bus check (rtl/board/tools/board_report.cpp) on made-up nextpnr
// reports around the board's own pad timing (constraints/ice40-hx8k-ft2232h/pad_timing.json): the
// slacks follow the formulas of docs/boards.md ("FT2232H bus timing") input by input, a miss either
// way fails the build, and a report the check cannot use is refused with what is missing.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "timing_test_support.hpp"

namespace {

using nlohmann::json;

const std::string kUsbClock = "ft_clkout$SB_IO_IN_$glb_clk"; // as nextpnr names CLKOUT's net

json path(const std::string& from, const std::string& to, double ns) {
    return {{"from", from}, {"to", to}, {"path", json::array({{{"delay", ns}}})}};
}

// A build whose worst pad-to-flop path into CLKOUT's domain takes `worst_in` ns and whose bus
// inputs reach their last delay LUT at `arrivals` (nextpnr's endpoint figures, setup included).
json nextpnr_report(double worst_in, const std::vector<double>& arrivals) {
    json r;
    r["utilization"]["ICESTORM_LC"] = {{"used", 7000}, {"available", 7680}};
    r["fmax"]["clk"] = {{"achieved", 36.0}, {"constraint", 30.0}};
    r["fmax"][kUsbClock] = {{"achieved", 66.0}, {"constraint", 60.0}};
    r["critical_paths"] = {path("<async>", "posedge clk", 2.0), path("posedge clk", "<async>", 3.8),
                           path("<async>", "posedge " + kUsbClock, worst_in)};
    r["detailed_net_timings"] = json::array();
    for (std::size_t i = 0; i < arrivals.size(); ++i)
        r["detailed_net_timings"].push_back({{"net", "ft_in_delayed[" + std::to_string(i) + "]"},
                                             {"driver", "lut2"},
                                             {"port", "O"},
                                             {"endpoints", json::array({{{"cell", "lut3"}, {"port", "I0"}, {"delay", arrivals[i]}}})}});
    return r;
}

struct Run {
    int status = -1;
    json out;
    std::string err;
};

Run run_report(const std::string& name, const json& nextpnr) {
    const auto dir = dira::test::scratch_dir("board-report-" + name);
    std::ofstream(dir / "synth.log") << "   Number of cells:               10\n     SB_LUT4                     4000\n     SB_DFF 3000\n";
    dira::test::write_json(dir / "nextpnr.json", nextpnr);
    const auto pads = std::filesystem::path(DIRA_SOURCE_DIR) / "constraints/ice40-hx8k-ft2232h/pad_timing.json";
    const auto r = dira::test::run_program(std::string(DIRA_BOARD_REPORT) + " " + (dir / "synth.log").string() + " " +
                                               (dir / "nextpnr.json").string() + " 30000000 " + pads.string() + " " +
                                               (dir / "report.json").string(),
                                           dir);
    Run run;
    run.status = r.exit_status;
    std::ifstream err(dir / "stderr.txt");
    run.err.assign(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>());
    std::ifstream out(dir / "report.json");
    if (out) out >> run.out;
    return run;
}

json bus_timing() {
    std::ifstream in(std::filesystem::path(DIRA_SOURCE_DIR) / "constraints/ice40-hx8k-ft2232h/pad_timing.json");
    json pads;
    in >> pads;
    return pads.at("usb_bus");
}

const std::vector<double> kInside = {5.0, 5.2, 5.9, 6.1, 6.4, 5.5, 6.9, 7.0, 5.3, 5.8};

} // namespace

TEST_CASE("the board report holds the FT2232H bus to the chip's setup and hold, input by input") {
    const json bus = bus_timing();
    const auto& chip = bus.at("chip");
    const auto& clock = bus.at("clock_insertion");
    const auto& in = bus.at("input");
    const auto& io_out = bus.at("output");
    auto ns = [](const json& j, const char* key) { return j.at(key).get<double>(); };
    // What the fastest input gives for hold, and the slowest path for setup (docs/boards.md).
    auto read_hold = [&](double shortest) {
        return ns(chip, "clock_to_output_min_ns") + ns(in, "pad_min_ns") +
               ns(in, "route_min_factor") * (shortest - ns(in, "capture_setup_max_ns")) - ns(clock, "max_ns") - ns(in, "capture_hold_ns");
    };
    auto read_setup = [&](double worst) {
        return ns(chip, "clock_period_ns") + ns(clock, "min_ns") - ns(chip, "clock_to_output_max_ns") - ns(in, "pad_max_ns") - worst;
    };

    SECTION("every input inside the window: met, with the slacks of the formulas") {
        const Run r = run_report("met", nextpnr_report(7.0, kInside));
        INFO(r.err);
        REQUIRE(r.status == 0);
        const json& u = r.out.at("usb_bus");
        CHECK(u.at("met").get<bool>());
        CHECK(u.at("shortest_input_net") == "ft_in_delayed[0]");
        CHECK(u.at("read_hold_slack_ns").get<double>() == Approx(read_hold(5.0)));
        CHECK(u.at("read_setup_slack_ns").get<double>() == Approx(read_setup(7.0)));
        CHECK(u.at("write_setup_slack_ns").get<double>() ==
              Approx(ns(chip, "clock_period_ns") - ns(clock, "max_ns") - ns(io_out, "clock_to_pad_max_ns") - ns(chip, "input_setup_ns")));
        CHECK(u.at("write_hold_slack_ns").get<double>() == Approx(ns(clock, "min_ns") + ns(io_out, "clock_to_pad_min_ns") - ns(chip, "input_hold_ns")));
        CHECK(u.at("write_setup_slack_ns").get<double>() > 0);
        CHECK(u.at("write_hold_slack_ns").get<double>() > 0);
    }
    SECTION("one input too fast for the late clock: hold missed on it, the build fails") {
        auto arrivals = kInside;
        arrivals[3] = 3.0;
        REQUIRE(read_hold(3.0) < 0);
        const Run r = run_report("hold", nextpnr_report(7.0, arrivals));
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Catch::Contains("misses the chip's timing"));
        CHECK(r.out.at("usb_bus").at("shortest_input_net") == "ft_in_delayed[3]");
        CHECK_FALSE(r.out.at("usb_bus").at("met").get<bool>());
    }
    SECTION("a pad-to-flop path too long for the chip's clock to output: setup missed") {
        REQUIRE(read_setup(9.0) < 0);
        const Run r = run_report("setup", nextpnr_report(9.0, kInside));
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Catch::Contains("misses the chip's timing"));
    }
    SECTION("a report without nextpnr's per-net timing is refused, saying which option gives it") {
        json report = nextpnr_report(7.0, kInside);
        report.erase("detailed_net_timings");
        const Run r = run_report("no-detail", report);
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Catch::Contains("--detailed-timing-report"));
    }
    SECTION("an input whose delay chain is not in the report is named") {
        auto arrivals = kInside;
        arrivals.pop_back();
        const Run r = run_report("missing-net", nextpnr_report(7.0, arrivals));
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Catch::Contains("no net ft_in_delayed[9]"));
    }
}
