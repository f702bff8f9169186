// The boards' constraints and documents against the one definition of each fact, so that a
// documented board figure cannot drift from what the constraints and the model say:
//  - every board's pad timing (constraints/<board>/pad_timing.json) is compiled in, covers exactly
//    its top's lab pins, and is refused when a bound is below a pin's buffer delay plus allowance;
//  - the AC701 XDC gives each lab pin the IO standard (slew, drive) its cited buffer delay is for,
//    leaves the bounds to pad_timing.json, and its MMCM makes kDefaultClockHz;
//  - docs/boards.md's wiring tables agree with the XDC and the PCF pin by pin, and its pad bounds
//    and pin-to-pin figure with pad_timing.json;
//  - docs/timing.md's and README's budget tables say what dira timing computes.
// (The iCE40 build's own figures are held to docs/boards.md by its ctest: dira_board_report --doc.)
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

#include "core/error.hpp"
#include "dira/station_timing.hpp"
#include "timing/pad_timing.hpp"
#include "timing/timing_budget.hpp"
#include "timing_test_support.hpp"

using namespace dira;
using namespace dira::timing;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const fs::path kRepo = DIRA_SOURCE_DIR;

const std::set<std::string> kLabInputs = {"trigger_in", "ws_bit_in", "ws_strobe_in", "readout_valid_in", "readout_bit_in"};
const std::set<std::string> kLabOutputs = {"setting_out", "setting_strobe_out"};

std::string fixed(double v, int digits) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", digits, v);
    return text;
}

std::string shortest(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

double generic(const std::string& sv, const std::string& name) {
    std::smatch m;
    REQUIRE(std::regex_search(sv, m, std::regex("\\." + name + R"(\(([0-9.]+)\))")));
    return std::stod(m[1]);
}

// Every port bit of a module's ANSI header: name, or name[i] for a bus.
std::set<std::string> port_bits(const std::string& sv, const std::string& module) {
    const auto start = sv.find("module " + module);
    REQUIRE(start != std::string::npos);
    const std::string header = sv.substr(start, sv.find(");", start) - start);
    const std::regex port(R"((input|output|inout)\s+(logic|wire)?\s*(\[\s*(\d+)\s*:\s*(\d+)\s*\])?\s*(\w+))");
    std::set<std::string> bits;
    for (auto it = std::sregex_iterator(header.begin(), header.end(), port); it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        if (!m[3].matched) {
            bits.insert(m[6]);
            continue;
        }
        for (int i = std::stoi(m[5]); i <= std::stoi(m[4]); ++i) bits.insert(std::string(m[6]) + "[" + std::to_string(i) + "]");
    }
    return bits;
}

// The XDC's `set_property -dict {...} [get_ports X]` lines: port -> {property -> value}, and the
// line's trailing comment under "comment".
std::map<std::string, std::map<std::string, std::string>> xdc_ports(const std::string& xdc) {
    std::map<std::string, std::map<std::string, std::string>> ports;
    const std::regex line(R"(^set_property -dict \{([^}]*)\} \[get_ports \{?([\w\[\]]+)\}?\](.*)$)");
    std::istringstream lines(xdc);
    for (std::string text; std::getline(lines, text);) {
        std::smatch m;
        if (!std::regex_match(text, m, line)) continue;
        std::istringstream dict(m[1].str());
        auto& props = ports[m[2]];
        for (std::string key, value; dict >> key >> value;) props[key] = value;
        props["comment"] = m[3];
    }
    return ports;
}

// The rows of the first markdown table whose header row starts with `header`: cells, trimmed.
std::vector<std::vector<std::string>> table_rows(const std::string& doc, const std::string& header) {
    const auto start = doc.find(header);
    REQUIRE(start != std::string::npos);
    std::istringstream lines(doc.substr(start));
    std::vector<std::vector<std::string>> rows;
    std::string text;
    std::getline(lines, text); // the header
    std::getline(lines, text); // | --- |
    while (std::getline(lines, text) && !text.empty() && text.find('|') != std::string::npos) {
        std::vector<std::string> cells;
        std::istringstream row(text.substr(text.find('|') + 1));
        for (std::string cell; std::getline(row, cell, '|');) {
            const auto a = cell.find_first_not_of(' '), b = cell.find_last_not_of(' ');
            cells.push_back(a == std::string::npos ? "" : cell.substr(a, b - a + 1));
        }
        rows.push_back(cells);
    }
    return rows;
}

// "a, b, c" -> {a, b, c}; the first word of each part (a cell may carry notes in parentheses).
std::vector<std::string> listed(const std::string& cell) {
    std::vector<std::string> items;
    std::istringstream parts(std::regex_replace(cell, std::regex(R"(\([^)]*\))"), ""));
    for (std::string part; std::getline(parts, part, ',');) {
        std::istringstream words(part);
        std::string word;
        words >> word;
        items.push_back(word);
    }
    return items;
}

// A budget stage label as the tables write it: without emphasis and the leading "= ".
std::string plain(std::string label) {
    label = std::regex_replace(label, std::regex(R"(\*\*)"), "");
    if (label.rfind("= ", 0) == 0) label = label.substr(2);
    return label;
}

} // namespace

TEST_CASE("every board's pad timing is compiled in and covers exactly its top's lab pins") {
    std::set<std::string> on_disk, compiled;
    for (const auto& entry : fs::directory_iterator(kRepo / "constraints"))
        if (fs::exists(entry.path() / "pad_timing.json")) on_disk.insert(entry.path().filename());
    for (const auto& t : pad_timings()) compiled.insert(t.board);
    CHECK(compiled == on_disk);
    CHECK(compiled == std::set<std::string>{"ac701-ft601", "ice40-hx8k-ft2232h"});

    const std::map<std::string, std::pair<std::string, std::string>> tops = {
        {"ac701-ft601", {"rtl/board/ac701_top.sv", "ac701_top"}},
        {"ice40-hx8k-ft2232h", {"rtl/board/ice40_hx8k_top.sv", "ice40_hx8k_top"}}};
    for (const auto& t : pad_timings()) {
        INFO(t.board);
        const auto [file, module] = tops.at(t.board);
        const auto ports = port_bits(read_text(kRepo / file), module);
        std::set<std::string> inputs, outputs;
        for (const auto& [port, pin] : t.definition.at("inputs").items()) inputs.insert(port);
        for (const auto& [port, pin] : t.definition.at("outputs").items()) outputs.insert(port);
        CHECK(inputs == kLabInputs);
        CHECK(outputs == kLabOutputs);
        for (const auto& port : inputs) CHECK(ports.count(port) == 1);
        for (const auto& port : outputs) CHECK(ports.count(port) == 1);
        CHECK_FALSE(t.citation.empty());
    }
}

TEST_CASE("a pad timing whose bound is below a pin's buffer delay plus its allowance is refused") {
    nlohmann::json j = find_pad_timing("ac701-ft601").definition;
    CHECK_NOTHROW(parse_pad_timing(j, "test.json"));
    j["input_delay_ns"] = 1.0; // the old optimistic bound: below LVTTL's 1.34 ns buffer alone
    try {
        parse_pad_timing(j, "test.json");
        FAIL("a bound below the buffer delay was accepted");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::invalid_argument);
        CHECK_THAT(e.what(), Contains("'input_delay_ns' (1 ns) is below"));
        CHECK_THAT(e.what(), Contains("raise the bound to at least 3.34 ns"));
    }
    j = find_pad_timing("ac701-ft601").definition;
    j["outputs"]["setting_out"]["buffer"] = "LVCMOS33_F12.TIOOP";
    CHECK_THROWS_WITH(parse_pad_timing(j, "test.json"), Contains("names \"LVCMOS33_F12.TIOOP\", which 'buffers' does not define"));
    j = find_pad_timing("ac701-ft601").definition;
    j["datasheet"].erase("cite");
    CHECK_THROWS_WITH(parse_pad_timing(j, "test.json"), Contains("missing key 'datasheet.cite'"));
    CHECK_THROWS_WITH(find_pad_timing("kc705"), Contains("ac701-ft601, ice40-hx8k-ft2232h"));
}

TEST_CASE("the AC701 XDC gives each lab pin the IO standard its cited buffer delay is for, and no bound of its own") {
    const std::string xdc = read_text(kRepo / "constraints/ac701-ft601/station.xdc");
    const auto ports = xdc_ports(xdc);
    const nlohmann::json& pads = find_pad_timing("ac701-ft601").definition;
    for (const char* direction : {"inputs", "outputs"})
        for (const auto& [port, pin] : pads.at(direction).items()) {
            INFO(port);
            REQUIRE(ports.count(port) == 1);
            const auto& props = ports.at(port);
            CHECK(props.at("IOSTANDARD") == pin.at("iostandard").get<std::string>());
            const std::string buffer = pin.at("buffer");
            CHECK(buffer.rfind(pin.at("iostandard").get<std::string>(), 0) == 0); // the row is the standard's
            if (pin.contains("slew")) {
                CHECK(props.at("SLEW") == pin.at("slew").get<std::string>());
                CHECK(props.at("DRIVE") == std::to_string(pin.at("drive").get<int>()));
                // DS181 names a row by standard, slew and drive: LVTTL_F8 is fast, 8 mA.
                const std::string row = "_" + std::string(1, props.at("SLEW")[0]) + props.at("DRIVE") + ".";
                CHECK(buffer.find(row) != std::string::npos);
            }
        }
    // The bounds live in pad_timing.json alone (build.tcl applies them); the outputs' allowance
    // counts on the setting flops sitting in the IOBs.
    std::istringstream lines(xdc);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("#", 0) != 0) CHECK(line.find("set_max_delay") == std::string::npos);
    CHECK(xdc.find("set_property IOB TRUE [get_ports {setting_out setting_strobe_out}]") != std::string::npos);
}

TEST_CASE("the AC701's MMCM makes kDefaultClockHz, and the pins are at most the model's trigger-to-setting apart") {
    const std::string xdc = read_text(kRepo / "constraints/ac701-ft601/station.xdc");
    const std::string top = read_text(kRepo / "rtl/board/ac701_top.sv");
    std::smatch period;
    REQUIRE(std::regex_search(xdc, period, std::regex(R"(create_clock -period ([0-9.]+) -name sysclk)")));
    CHECK(std::stod(period[1]) == generic(top, "CLKIN1_PERIOD"));
    const double station_hz = 1e9 / generic(top, "CLKIN1_PERIOD") * generic(top, "CLKFBOUT_MULT_F") / generic(top, "DIVCLK_DIVIDE") /
                              generic(top, "CLKOUT0_DIVIDE_F");
    CHECK(station_hz == Approx(kDefaultClockHz));
    const PadTiming& pads = find_pad_timing("ac701-ft601");
    LabDescription lab = load_lab(dira::test::default_lab_path());
    for (auto side : kStations) CHECK(lab.station(side).fpga.clock_hz == kDefaultClockHz);
    lab.station(StationId::alice).fpga.clock_ppm = 0;
    const FpgaTiming& f = lab.station(StationId::alice).fpga;
    const double pin_to_pin_ns = pads.input_delay_ns + kBasisLatencyCycles * 1e9 / station_hz + pads.output_delay_ns;
    CHECK(f.input_delay_ns + basis_selection_ps(f) / 1000 + f.output_delay_ns == Approx(pin_to_pin_ns));
    // docs/boards.md states the same pin-to-pin figure and each bound.
    const std::string boards = read_text(kRepo / "docs/boards.md");
    CHECK(boards.find("= **" + shortest(pin_to_pin_ns) + " ns**") != std::string::npos);
    for (const auto& row : table_rows(boards, "| lab pin | IO standard | DS181 v1.21 Table 17, -2 |")) {
        INFO(row.at(0));
        const std::string port = listed(row.at(0)).front();
        const bool input = kLabInputs.count(port) == 1;
        const nlohmann::json& pin = pads.definition.at(input ? "inputs" : "outputs").at(port);
        const nlohmann::json& buffer = pads.definition.at("buffers").at(pin.at("buffer").get<std::string>()).at("ns");
        if (!buffer.is_null()) CHECK_THAT(row.at(2), Contains(fixed(buffer.get<double>(), 2) + " ns"));
        CHECK(row.at(4) == (input ? "input_delay_ns " + shortest(pads.input_delay_ns) : "output_delay_ns " + shortest(pads.output_delay_ns)) + " ns");
    }
}

TEST_CASE("docs/boards.md's AC701 wiring agrees with the XDC pin by pin") {
    const std::string xdc = read_text(kRepo / "constraints/ac701-ft601/station.xdc");
    const auto ports = xdc_ports(xdc);
    const std::string boards = read_text(kRepo / "docs/boards.md");
    std::set<std::string> documented;
    for (const auto& row : table_rows(boards, "| signal | FT601 [PCL] | FMC [PCL] | HPC pin [BS] | AC701 ball [BS] | bank [PKG] |")) {
        const std::string port = row.at(0), fmc = row.at(2), ball = listed(row.at(4)).front();
        INFO(port);
        REQUIRE(ports.count(port) == 1);
        CHECK(ports.at(port).at("PACKAGE_PIN") == ball);
        // The XDC names the FMC signal beside the pin (ft_clk on the comment line above it).
        const auto at = xdc.find("[get_ports " + (port.find('[') != std::string::npos ? "{" + port + "}" : port) + "]");
        REQUIRE(at != std::string::npos);
        const std::string near = xdc.substr(at > 200 ? at - 200 : 0, 300);
        CHECK(near.find(fmc) != std::string::npos);
        documented.insert(port);
    }
    for (const auto& row : table_rows(boards, "| signal | where | ball [BS] | bank [PKG] | IO standard |")) {
        const auto names = listed(row.at(0)), balls = listed(row.at(2));
        for (std::size_t i = 0; i < names.size(); ++i) {
            std::string port = names[i];
            if (port == "sysclk_p/n") port = "sysclk_p";
            INFO(port);
            REQUIRE(ports.count(port) == 1);
            const std::string ball = balls.at(std::min(i, balls.size() - 1));
            CHECK(ports.at(port).at("PACKAGE_PIN") == ball.substr(0, ball.find('/')));
            CHECK_THAT(row.at(4), Contains(ports.at(port).at("IOSTANDARD")));
            documented.insert(port);
        }
    }
    // Every port of the top is in one of the two tables.
    for (const auto& bit : port_bits(read_text(kRepo / "rtl/board/ac701_top.sv"), "ac701_top"))
        if (bit != "sysclk_n") {
            INFO(bit);
            CHECK(documented.count(bit) == 1);
        }
}

TEST_CASE("docs/boards.md's iCE40 wiring agrees with the PCF pin by pin") {
    const std::string pcf = read_text(kRepo / "constraints/ice40-hx8k-ft2232h/station.pcf");
    std::map<std::string, std::string> ball_of;
    std::set<std::string> balls;
    const std::regex set_io(R"(^set_io\s+(\S+)\s+(\S+))");
    std::istringstream lines(pcf);
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (!std::regex_search(line, m, set_io)) continue;
        CHECK(ball_of.count(m[1]) == 0);
        CHECK(balls.insert(m[2]).second);
        ball_of[m[1]] = m[2];
    }
    const auto ports = port_bits(read_text(kRepo / "rtl/board/ice40_hx8k_top.sv"), "ice40_hx8k_top");
    for (const auto& p : ports) CHECK(ball_of.count(p) == 1);
    for (const auto& [port, ball] : ball_of) CHECK(ports.count(port) == 1);
    // The FT2232H's CLKOUT is on a global buffer input (GBIN) of the CT256 package.
    CHECK(ball_of.at("ft_clkout") == "H16");

    const std::string boards = read_text(kRepo / "docs/boards.md");
    std::set<std::string> documented;
    std::set<int> j2_pins; // each signal on its own J2 pin, of the header's 40
    auto j2_pin = [&](const std::string& cell) {
        if (cell.empty() || cell.front() == '(') return; // not on J2: "(on the board)"
        const int pin = std::stoi(cell);
        CHECK((pin >= 1 && pin <= 40));
        CHECK(j2_pins.insert(pin).second);
    };
    for (const auto& row : table_rows(boards, "| signal | FT2232H (channel A) | Mini Module pin [MM] | iCE40 ball [ICE] | breakout J2 pin [J2] |")) {
        INFO(row.at(0));
        CHECK(ball_of.at(row.at(0)) == listed(row.at(3)).front());
        CHECK(row.at(2).rfind("CN2-", 0) == 0); // channel A is all on CN2
        j2_pin(row.at(4));
        documented.insert(row.at(0));
    }
    for (const auto& row : table_rows(boards, "| signal | where | iCE40 ball [ICE] | breakout J2 pin [J2] |")) {
        const auto names = listed(row.at(0)), row_balls = listed(row.at(2)), row_pins = listed(row.at(3));
        REQUIRE(names.size() == row_balls.size());
        for (std::size_t i = 0; i < names.size(); ++i) {
            INFO(names[i]);
            CHECK(ball_of.at(names[i]) == row_balls[i]);
            if (row_pins.size() == names.size()) j2_pin(row_pins[i]);
            documented.insert(names[i]);
        }
    }
    CHECK(j2_pins.size() == 22); // the 15 bus lines and the 7 lab lines
    for (const auto& [port, ball] : ball_of) CHECK(documented.count(port) == 1);
}

TEST_CASE("the budget tables of docs/timing.md and README and the margin in docs/boards.md say what dira timing computes") {
    const TimingBudget b = compute_budget(load_lab(dira::test::default_lab_path()));
    const auto& alice = b.stations[0];
    const auto& bob = b.stations[1];
    std::map<std::string, std::pair<double, double>> stage; // label -> (alice, bob), worst case
    for (auto stages : {&StationBudget::setting_stages, &StationBudget::measurement_stages})
        for (std::size_t i = 0; i < (alice.*stages).size(); ++i)
            stage[(alice.*stages)[i].label] = {(alice.*stages)[i].worst_ns, (bob.*stages)[i].worst_ns};
    stage["setting fixed before the trigger pin"] = {alice.lead_worst_ns, bob.lead_worst_ns};
    stage["trigger pin to outcome latched"] = {alice.latency_worst_ns, bob.latency_worst_ns};
    stage["trigger cable from the sequencer"] = {alice.trigger_cable_ns, bob.trigger_cable_ns};
    stage["trigger pin to readout window close (missing outcome)"] = {alice.window_close_worst_ns, bob.window_close_worst_ns};

    const std::string timing_md = read_text(kRepo / "docs/timing.md");
    const auto timing_rows = table_rows(timing_md, "| stage (worst case) | Alice (ns) | Bob (ns) |");
    CHECK(timing_rows.size() == stage.size());
    for (const auto& row : timing_rows) {
        INFO(row.at(0));
        REQUIRE(stage.count(plain(row.at(0))) == 1);
        CHECK(plain(row.at(1)) == fixed(stage.at(plain(row.at(0))).first, 3));
        CHECK(plain(row.at(2)) == fixed(stage.at(plain(row.at(0))).second, 3));
    }
    const std::string readme = read_text(kRepo / "README.md");
    for (const auto& row : table_rows(readme, "| stage | ns |")) {
        INFO(row.at(0));
        REQUIRE(stage.count(plain(row.at(0))) == 1);
        CHECK(row.at(1) == fixed(stage.at(plain(row.at(0))).first, 3));
    }

    // The margins: each check of docs/timing.md, and Alice's two in README.
    const auto check = [&](StationId setting, bool window) {
        for (const auto& c : b.checks)
            if (c.setting_side == setting && c.window_close == window) return c;
        FAIL("no such check");
        return b.checks.front();
    };
    const auto margin_rows = table_rows(timing_md, "| check | worst phases | best phases |");
    REQUIRE(margin_rows.size() == 5);
    for (std::size_t i = 0; i < 4; ++i) {
        const auto c = check(i % 2 == 0 ? StationId::alice : StationId::bob, i >= 2);
        CHECK(plain(margin_rows[i].at(1)) == fixed(c.margin_worst_ns, 3) + " ns");
        CHECK(margin_rows[i].at(2) == fixed(c.margin_best_ns, 3) + " ns");
    }
    CHECK_THAT(margin_rows[4].at(1), Contains(fixed(b.min_margin_ns, 3) + " ns"));
    const auto readme_margins = table_rows(readme, "| margin (light minus the largest");
    REQUIRE(readme_margins.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto c = check(StationId::alice, i == 1);
        CHECK(readme_margins[i].at(1) == fixed(c.margin_worst_ns, 3));
        CHECK(readme_margins[i].at(2) == fixed(c.margin_best_ns, 3));
    }

    // The iCE40 lab's margin that docs/boards.md quotes.
    const TimingBudget ice40 = compute_budget(load_lab(kRepo / "labs/ice40-hx8k-150m.json"));
    CHECK(read_text(kRepo / "docs/boards.md").find(fixed(ice40.min_margin_ns, 3) + " ns margin at 150 m") != std::string::npos);
}
