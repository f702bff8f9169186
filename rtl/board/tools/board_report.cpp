// dira_board_report: the figures of an iCE40 board build (docs/boards.md) from yosys' log and
// nextpnr's --report JSON: LUTs, flip-flops, logic cells, Fmax per clock, and the trigger-to-setting
// pin-to-pin delay at most. Writes them as JSON and fails when a clock misses its constraint or the
// station clock was not constrained at the documented frequency.
//
//   dira_board_report SYNTH_LOG NEXTPNR_REPORT STATION_CLOCK_HZ OUT_JSON
//
// Trigger pin to setting pin, at most: the slowest pad-to-flop path into the station clock (every
// station-clock input is a lab pin going into its synchroniser), kBasisLatencyCycles station
// periods (the RTL's count), and the slowest station-clock flop-to-pad path (only the setting
// outputs are such paths on the board: ice40_hx8k_top.sv keeps it so).
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "dira/station_timing.hpp"

namespace {

// The cell counts of the last `stat` in a yosys log (the whole design after flattening).
std::map<std::string, long> last_cell_counts(const std::string& log_path) {
    std::ifstream in(log_path);
    if (!in) throw std::runtime_error("cannot read " + log_path);
    std::map<std::string, long> counts;
    const std::regex cell_line(R"(^\s+(SB_[A-Z0-9_]+|\$_[A-Z_]+_)\s+([0-9]+)\s*$)");
    for (std::string line; std::getline(in, line);) {
        if (line.find("Number of cells:") != std::string::npos) counts.clear(); // a new stat block
        std::smatch m;
        if (std::regex_match(line, m, cell_line)) counts[m[1]] = std::stol(m[2]);
    }
    return counts;
}

// Sum of the delays along nextpnr's worst path from `from` to `to` (0 when there is none).
double path_ns(const nlohmann::json& report, const std::string& from, const std::string& to) {
    for (const auto& p : report.at("critical_paths"))
        if (p.at("from") == from && p.at("to") == to) {
            double total = 0;
            for (const auto& step : p.at("path")) total += step.at("delay").get<double>();
            return total;
        }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: dira_board_report SYNTH_LOG NEXTPNR_REPORT STATION_CLOCK_HZ OUT_JSON\n";
        return 2;
    }
    try {
        const auto cells = last_cell_counts(argv[1]);
        std::ifstream report_file(argv[2]);
        const nlohmann::json report = nlohmann::json::parse(report_file);
        const double clock_hz = std::stod(argv[3]);
        long luts = 0, ffs = 0;
        for (const auto& [cell, n] : cells) {
            if (cell == "SB_LUT4") luts += n;
            if (cell.rfind("SB_DFF", 0) == 0) ffs += n;
        }
        nlohmann::json out;
        out["luts"] = luts;
        out["flip_flops"] = ffs;
        out["ram_blocks"] = cells.count("SB_RAM40_4K") ? cells.at("SB_RAM40_4K") : 0;
        out["logic_cells"] = report.at("utilization").at("ICESTORM_LC").at("used");
        out["logic_cells_available"] = report.at("utilization").at("ICESTORM_LC").at("available");
        bool closed = true;
        for (const auto& [clock, f] : report.at("fmax").items()) {
            const double achieved = f.at("achieved"), constraint = f.at("constraint");
            out["clocks"][clock] = {{"fmax_mhz", achieved}, {"constraint_mhz", constraint}, {"met", achieved >= constraint}};
            closed = closed && achieved >= constraint;
        }
        // nextpnr derives the station clock's constraint through the PLL, rounding periods to
        // picoseconds: it lands within a fraction of a per mille of the documented clock.
        if (!report.at("fmax").contains("clk") ||
            std::abs(report["fmax"]["clk"]["constraint"].get<double>() / (clock_hz / 1e6) - 1) > 5e-3) {
            std::cerr << "dira_board_report: the station clock 'clk' was not constrained at " << clock_hz / 1e6 << " MHz\n";
            return 1;
        }
        const double period_ns = 1e9 / clock_hz;
        const double in_ns = path_ns(report, "<async>", "posedge clk"), out_ns = path_ns(report, "posedge clk", "<async>");
        out["station_clock_mhz"] = clock_hz / 1e6;
        out["input_pad_to_flop_ns"] = in_ns;
        out["flop_to_output_pad_ns"] = out_ns;
        out["basis_latency_cycles"] = dira::kBasisLatencyCycles;
        out["trigger_to_setting_max_ns"] = in_ns + dira::kBasisLatencyCycles * period_ns + out_ns;
        out["trigger_to_setting_min_ns"] = in_ns + dira::kSyncStages * period_ns + out_ns;
        out["timing_closed"] = closed;
        std::ofstream(argv[4]) << out.dump(2) << '\n';
        std::printf("LUTs %ld, flip-flops %ld, logic cells %d/%d\n", luts, ffs, out["logic_cells"].get<int>(),
                    out["logic_cells_available"].get<int>());
        for (const auto& [clock, c] : out["clocks"].items())
            std::printf("clock %s: Fmax %.2f MHz at a %.2f MHz constraint: %s\n", clock.c_str(), c["fmax_mhz"].get<double>(),
                        c["constraint_mhz"].get<double>(), c["met"].get<bool>() ? "met" : "FAILED");
        std::printf("trigger pin to setting pin: at most %.2f ns = %.2f (pad to flop) + %u x %.2f ns + %.2f (flop to pad)\n",
                    out["trigger_to_setting_max_ns"].get<double>(), in_ns, dira::kBasisLatencyCycles, period_ns, out_ns);
        return closed ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "dira_board_report: " << e.what() << '\n';
        return 1;
    }
}
