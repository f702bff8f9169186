// dira_board_report: the figures of an iCE40 board build (docs/boards.md) from yosys' log, nextpnr's
// --report JSON (with --detailed-timing-report) and the board's pad timing
// (constraints/<board>/pad_timing.json): LUTs, flip-flops, logic cells, Fmax per clock, the lab
// pins' pad-to-flop and flop-to-pad delays, the trigger-to-setting pin-to-pin delay at most, and the
// FT2232H bus's setup and hold slack against the chip's timing. Writes them as JSON. Fails when a
// clock misses its constraint, the station clock was not constrained at the documented frequency,
// a lab pin's path is longer than its pad timing allows, or the bus misses the chip's timing; with
// --doc, also when the figures table of docs/boards.md (and README's summary) drifted from the
// build (the rows to write are printed).
//
//   dira_board_report SYNTH_LOG NEXTPNR_REPORT STATION_CLOCK_HZ PAD_TIMING_JSON OUT_JSON
//                     [--doc BOARDS_MD README_MD]
//
// nextpnr-ice40 (0.4) times a path from an SB_IO's D_IN_0 or to its D_OUT_0: the I/O buffers are not
// in it, it takes no input or output delay constraint (only clock frequencies), and it times the
// slow corner only. So a pad path here is nextpnr's path plus the buffer delay pad_timing.json
// cites, and the FT2232H bus (usb_bus, every output registered in its I/O cell, every input through
// a chain of LUTs to a capture flop; rtl/board/ice40_hx8k_top.sv) is checked here:
//   read setup:  chip clock-to-out max + input pad max + nextpnr's worst pad-to-flop path into
//                CLKOUT's domain (setup included) <= CLKOUT period + clock insertion min;
//   read hold:   for each input, chip clock-to-out min + input pad min + its route at the fast
//                corner (nextpnr's arrival at the capture LUT, less the setup, times the library's
//                smallest fast/slow ratio) >= clock insertion max + the flop's hold;
//   write setup: clock insertion max + I/O register clock to pad max + chip setup <= period;
//   write hold:  clock insertion min + I/O register clock to pad min >= chip hold.
// Trigger pin to setting pin, at most: the slowest lab pad-to-flop path into the station clock
// (every station-clock input is a lab pin going into its synchroniser), kBasisLatencyCycles station
// periods (the RTL's count), and the slowest station-clock flop-to-pad path (only the setting
// outputs are such paths on the board: ice40_hx8k_top.sv keeps it so).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

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

// nextpnr's figure at the one endpoint of `net` (--detailed-timing-report): the arrival from the
// path's start plus the endpoint's setup.
double endpoint_ns(const nlohmann::json& report, const std::string& net) {
    if (!report.contains("detailed_net_timings"))
        throw std::runtime_error("nextpnr's report has no detailed_net_timings: run nextpnr with --detailed-timing-report");
    for (const auto& n : report.at("detailed_net_timings"))
        if (n.at("net") == net) {
            if (n.at("endpoints").size() != 1)
                throw std::runtime_error("net " + net + " has " + std::to_string(n.at("endpoints").size()) + " endpoints, not the one LUT");
            return n.at("endpoints").at(0).at("delay").get<double>();
        }
    throw std::runtime_error("nextpnr's report has no net " + net + " (the bus inputs' delay chains, ice40_hx8k_top.sv)");
}

// The FT2232H bus's setup and hold slack both ways (the formulas at the top of this file).
nlohmann::json check_usb_bus(const nlohmann::json& report, const nlohmann::json& bus, const std::string& usb_edge) {
    const auto& chip = bus.at("chip");
    const auto& clock = bus.at("clock_insertion");
    const auto& in = bus.at("input");
    const auto& io_out = bus.at("output");
    auto ns = [](const nlohmann::json& j, const char* key) { return j.at(key).get<double>(); };
    const double period = ns(chip, "clock_period_ns");

    const double worst_in = path_ns(report, "<async>", usb_edge);
    if (worst_in == 0) throw std::runtime_error("nextpnr's report has no path from a pad into " + usb_edge);
    const double read_setup = period + ns(clock, "min_ns") - ns(chip, "clock_to_output_max_ns") - ns(in, "pad_max_ns") - worst_in;

    double shortest = 1e9; // nextpnr's arrival at the last delay LUT, setup taken off
    std::string shortest_net;
    for (int i = 0; i < in.at("delayed_net_count").get<int>(); ++i) {
        const std::string net = in.at("delayed_nets").get<std::string>() + "[" + std::to_string(i) + "]";
        const double arrival = endpoint_ns(report, net) - ns(in, "capture_setup_max_ns");
        if (arrival < shortest) shortest = arrival, shortest_net = net;
    }
    const double read_hold = ns(chip, "clock_to_output_min_ns") + ns(in, "pad_min_ns") + ns(in, "route_min_factor") * shortest -
                             ns(clock, "max_ns") - ns(in, "capture_hold_ns");

    const double write_setup = period - ns(clock, "max_ns") - ns(io_out, "clock_to_pad_max_ns") - ns(chip, "input_setup_ns");
    const double write_hold = ns(clock, "min_ns") + ns(io_out, "clock_to_pad_min_ns") - ns(chip, "input_hold_ns");
    return {{"pad_to_capture_worst_ns", worst_in},
            {"shortest_input_route_ns", shortest},
            {"shortest_input_net", shortest_net},
            {"read_setup_slack_ns", read_setup},
            {"read_hold_slack_ns", read_hold},
            {"write_setup_slack_ns", write_setup},
            {"write_hold_slack_ns", write_hold},
            {"met", read_setup >= 0 && read_hold >= 0 && write_setup >= 0 && write_hold >= 0}};
}

double buffer_ns(const nlohmann::json& pads, const std::string& direction) {
    // Every lab pin of a direction uses the same buffer on this board; the slowest one bounds them.
    double worst = 0;
    for (const auto& [port, pin] : pads.at(direction).items())
        worst = std::max(worst, pads.at("buffers").at(pin.at("buffer").get<std::string>()).at("ns").get<double>());
    return worst;
}

std::string fixed(double v, int digits = 2) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", digits, v);
    return text;
}

// The rows of docs/boards.md's figures table, as the build says they are.
std::vector<std::string> figure_rows(const nlohmann::json& out, const std::string& station_clock, const std::string& usb_clock) {
    const auto& c = out.at("clocks");
    const auto& u = out.at("usb_bus");
    auto row = [](const std::string& label, const std::string& value) { return "| " + label + " | " + value + " |"; };
    auto fmax = [&](const std::string& clock) {
        return "Fmax " + fixed(c.at(clock).at("fmax_mhz").get<double>()) + " MHz at a " +
               fixed(c.at(clock).at("constraint_mhz").get<double>(), 0) + " MHz constraint";
    };
    return {
        row("LUTs (SB_LUT4)", std::to_string(out.at("luts").get<long>())),
        row("flip-flops", std::to_string(out.at("flip_flops").get<long>())),
        row("logic cells", std::to_string(out.at("logic_cells").get<int>()) + " of " + std::to_string(out.at("logic_cells_available").get<int>())),
        row("block RAMs", std::to_string(out.at("ram_blocks").get<long>()) + " of 32"),
        row("station clock", fmax(station_clock)),
        row("USB clock (CLKOUT)", fmax(usb_clock)),
        row("lab input pin to synchroniser flop", "at most " + fixed(out.at("input_pad_to_flop_ns").get<double>()) + " ns = " +
                                                     fixed(out.at("input_buffer_ns").get<double>()) + " (input buffer) + " +
                                                     fixed(out.at("input_route_ns").get<double>()) + " (nextpnr)"),
        row("setting flop to setting pin", "at most " + fixed(out.at("flop_to_output_pad_ns").get<double>()) + " ns = " +
                                               fixed(out.at("output_route_ns").get<double>()) + " (nextpnr) + " +
                                               fixed(out.at("output_buffer_ns").get<double>()) + " (output buffer)"),
        row("trigger pin to setting pin", "at most " + fixed(out.at("trigger_to_setting_max_ns").get<double>()) + " ns"),
        row("FT2232H read (RXF#, TXE#, DATA): setup slack", fixed(u.at("read_setup_slack_ns").get<double>()) + " ns"),
        row("FT2232H read: hold slack (least of the 10 inputs)", fixed(u.at("read_hold_slack_ns").get<double>()) + " ns"),
        row("FT2232H write (WR#, RD#, OE#, SIWU#, DATA): setup slack", fixed(u.at("write_setup_slack_ns").get<double>()) + " ns"),
        row("FT2232H write: hold slack", fixed(u.at("write_hold_slack_ns").get<double>()) + " ns"),
    };
}

// The README's one-line summary of the board, as the build says it is.
std::string readme_summary(const nlohmann::json& out, const std::string& station_clock) {
    const auto& c = out.at("clocks").at(station_clock);
    return "**Fmax " + fixed(c.at("fmax_mhz").get<double>()) + " MHz at " + fixed(c.at("constraint_mhz").get<double>(), 0) +
           " MHz**; trigger pin → setting pin ≤ " + fixed(out.at("trigger_to_setting_max_ns").get<double>()) + " ns";
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The lines of `expected` that `doc` does not contain; printed so that they can be pasted.
bool doc_has(const std::string& doc_path, const std::vector<std::string>& expected) {
    const std::string doc = read_text(doc_path);
    bool ok = true;
    for (const auto& line : expected)
        if (doc.find(line) == std::string::npos) {
            if (ok) std::cerr << "dira_board_report: " << doc_path << " no longer says what the build does; write:\n";
            std::cerr << "  " << line << '\n';
            ok = false;
        }
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 6 && !(argc == 9 && std::string(argv[6]) == "--doc")) {
        std::cerr << "usage: dira_board_report SYNTH_LOG NEXTPNR_REPORT STATION_CLOCK_HZ PAD_TIMING_JSON OUT_JSON [--doc BOARDS_MD README_MD]\n";
        return 2;
    }
    try {
        const auto cells = last_cell_counts(argv[1]);
        const nlohmann::json report = nlohmann::json::parse(read_text(argv[2]));
        const double clock_hz = std::stod(argv[3]);
        const nlohmann::json pads = nlohmann::json::parse(read_text(argv[4]));
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
        bool ok = true;
        std::string usb_clock;
        for (const auto& [clock, f] : report.at("fmax").items()) {
            const double achieved = f.at("achieved"), constraint = f.at("constraint");
            out["clocks"][clock] = {{"fmax_mhz", achieved}, {"constraint_mhz", constraint}, {"met", achieved >= constraint}};
            ok = ok && achieved >= constraint;
            if (clock.rfind(pads.at("usb_bus").at("clock").get<std::string>(), 0) == 0) usb_clock = clock;
        }
        // nextpnr derives the station clock's constraint through the PLL, rounding periods to
        // picoseconds: it lands within a fraction of a per mille of the documented clock.
        if (!report.at("fmax").contains("clk") ||
            std::abs(report["fmax"]["clk"]["constraint"].get<double>() / (clock_hz / 1e6) - 1) > 5e-3) {
            std::cerr << "dira_board_report: the station clock 'clk' was not constrained at " << clock_hz / 1e6 << " MHz\n";
            return 1;
        }
        if (usb_clock.empty()) throw std::runtime_error("nextpnr's report has no clock named like the USB bus's");

        // --- lab pins: nextpnr's routed part plus the I/O buffers, held to the pad timing ------
        const double period_ns = 1e9 / clock_hz;
        const double in_route = path_ns(report, "<async>", "posedge clk"), out_route = path_ns(report, "posedge clk", "<async>");
        const double in_buffer = buffer_ns(pads, "inputs"), out_buffer = buffer_ns(pads, "outputs");
        const double in_ns = in_route + in_buffer, out_ns = out_route + out_buffer;
        out["station_clock_mhz"] = clock_hz / 1e6;
        out["input_route_ns"] = in_route;
        out["input_buffer_ns"] = in_buffer;
        out["input_pad_to_flop_ns"] = in_ns;
        out["output_route_ns"] = out_route;
        out["output_buffer_ns"] = out_buffer;
        out["flop_to_output_pad_ns"] = out_ns;
        out["basis_latency_cycles"] = dira::kBasisLatencyCycles;
        out["trigger_to_setting_max_ns"] = in_ns + dira::kBasisLatencyCycles * period_ns + out_ns;
        out["trigger_to_setting_min_ns"] = in_ns + dira::kSyncStages * period_ns + out_ns;
        for (auto [ns, key] : {std::pair{in_ns, "input_delay_ns"}, std::pair{out_ns, "output_delay_ns"}}) {
            const double bound = pads.at(key).get<double>();
            out["pad_timing"][key] = bound;
            if (ns > bound) {
                std::cerr << "dira_board_report: a lab pin's path takes " << ns << " ns, more than the board's " << key << " ("
                          << bound << " ns, " << argv[4] << "): the lab budget would be wrong\n";
                ok = false;
            }
        }

        // --- the FT2232H bus against the chip's timing ----------------------------------------
        const auto usb_bus = check_usb_bus(report, pads.at("usb_bus"), "posedge " + usb_clock);
        out["usb_bus"] = usb_bus;
        if (!usb_bus.at("met").get<bool>()) {
            std::cerr << "dira_board_report: the FT2232H bus misses the chip's timing (" << usb_bus.dump() << ")\n";
            ok = false;
        }
        out["timing_closed"] = ok;
        std::ofstream(argv[5]) << out.dump(2) << '\n';

        std::printf("LUTs %ld, flip-flops %ld, logic cells %d/%d\n", luts, ffs, out["logic_cells"].get<int>(),
                    out["logic_cells_available"].get<int>());
        for (const auto& [clock, c] : out["clocks"].items())
            std::printf("clock %s: Fmax %.2f MHz at a %.2f MHz constraint: %s\n", clock.c_str(), c["fmax_mhz"].get<double>(),
                        c["constraint_mhz"].get<double>(), c["met"].get<bool>() ? "met" : "FAILED");
        std::printf("trigger pin to setting pin: at most %.2f ns = %.2f (pad to flop) + %u x %.2f ns + %.2f (flop to pad)\n",
                    out["trigger_to_setting_max_ns"].get<double>(), in_ns, dira::kBasisLatencyCycles, period_ns, out_ns);
        std::printf("FT2232H bus slack: read setup %.2f ns, read hold %.2f ns, write setup %.2f ns, write hold %.2f ns%s\n",
                    usb_bus["read_setup_slack_ns"].get<double>(), usb_bus["read_hold_slack_ns"].get<double>(),
                    usb_bus["write_setup_slack_ns"].get<double>(), usb_bus["write_hold_slack_ns"].get<double>(),
                    usb_bus["met"].get<bool>() ? "" : " (misses the chip's timing: docs/boards.md, \"FT2232H bus timing\")");
        if (argc == 9) {
            ok = doc_has(argv[7], figure_rows(out, "clk", usb_clock)) && ok;
            ok = doc_has(argv[8], {readme_summary(out, "clk")}) && ok;
        }
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "dira_board_report: " << e.what() << '\n';
        return 1;
    }
}
