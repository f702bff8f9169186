// The boards' constraint files against the one definition of each fact: the AC701's max-delay
// bounds are the timing model's input and output delays and its MMCM makes kDefaultClockHz; the
// iCE40 PCF pins every port of its top once.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "dira/station_timing.hpp"
#include "timing/timing_budget.hpp"
#include "timing_test_support.hpp"

using namespace dira;
using namespace dira::timing;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const fs::path kRepo = DIRA_SOURCE_DIR;

// The value of `set_max_delay -datapath_only <from|to> [get_ports <port>] <value>` in the XDC.
double max_delay(const std::string& xdc, const std::string& direction, const std::string& port) {
    const std::regex line("set_max_delay -datapath_only -" + direction + R"( \[get_ports )" + port + R"(\] ([0-9.]+))");
    std::smatch m;
    REQUIRE(std::regex_search(xdc, m, line));
    return std::stod(m[1]);
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
    const std::regex port(R"((input|output|inout)\s+(logic|wire)?\s*(\[(\d+):(\d+)\])?\s*(\w+))");
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

} // namespace

TEST_CASE("the AC701 XDC bounds trigger-to-setting with the timing model's numbers") {
    const std::string xdc = read_text(kRepo / "constraints/ac701-ft601/station.xdc");
    const std::string top = read_text(kRepo / "rtl/board/ac701_top.sv");
    const LabDescription lab = load_lab(dira::test::default_lab_path());
    const double in_ns = max_delay(xdc, "from", "trigger_in");
    const double out_ns = max_delay(xdc, "to", "setting_out");
    CHECK(max_delay(xdc, "to", "setting_strobe_out") == out_ns);
    for (auto side : kStations) {
        CHECK(lab.station(side).fpga.input_delay_ns == in_ns);
        CHECK(lab.station(side).fpga.output_delay_ns == out_ns);
        CHECK(lab.station(side).fpga.clock_hz == kDefaultClockHz);
    }
    // The MMCM turns the 200 MHz input the XDC declares into kDefaultClockHz.
    std::smatch period;
    REQUIRE(std::regex_search(xdc, period, std::regex(R"(create_clock -period ([0-9.]+) -name sysclk)")));
    CHECK(std::stod(period[1]) == generic(top, "CLKIN1_PERIOD"));
    const double station_hz = 1e9 / generic(top, "CLKIN1_PERIOD") * generic(top, "CLKFBOUT_MULT_F") / generic(top, "DIVCLK_DIVIDE") /
                              generic(top, "CLKOUT0_DIVIDE_F");
    CHECK(station_hz == Approx(kDefaultClockHz));
    // With those bounds the pins are at most the model's trigger-to-setting apart.
    LabDescription nominal = lab;
    nominal.station(StationId::alice).fpga.clock_ppm = 0;
    const double model_ns = nominal.station(StationId::alice).fpga.input_delay_ns +
                            basis_selection_ps(nominal.station(StationId::alice).fpga) / 1000 +
                            nominal.station(StationId::alice).fpga.output_delay_ns;
    CHECK(in_ns + kBasisLatencyCycles * 1e9 / station_hz + out_ns == Approx(model_ns));
}

TEST_CASE("the iCE40 PCF pins every port of its top once, on distinct balls") {
    const std::string pcf = read_text(kRepo / "constraints/ice40-hx8k-ft2232h/station.pcf");
    const std::set<std::string> ports = port_bits(read_text(kRepo / "rtl/board/ice40_hx8k_top.sv"), "ice40_hx8k_top");
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
    for (const auto& p : ports) CHECK(ball_of.count(p) == 1);
    for (const auto& [port, ball] : ball_of) CHECK(ports.count(port) == 1);
    // The FT2232H's CLKOUT is on a global buffer input (GBIN) of the CT256 package.
    CHECK(ball_of.at("ft_clkout") == "H16");
}
