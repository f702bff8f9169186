// The boards' pad and clock-to-pin bounds: how long a lab input may take from its pin to the first
// synchroniser flop, and the setting from its flop's clock edge to its pin. Their one definition is
// constraints/<board>/pad_timing.json, beside the board's pins: Vivado's build applies them
// (constraints/ac701-ft601/build.tcl), the iCE40 build's report is held to them
// (rtl/board/tools/board_report.cpp), and a lab description that names the board takes them as its
// fpga.input_delay_ns and fpga.output_delay_ns. The files are compiled in at build time, so an
// installed dira knows them.
//
// Each file also cites, per lab pin, the datasheet buffer delay of the pin's IO standard; a bound
// must be at least that delay plus the file's routing allowance, or the file is refused.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dira::timing {

inline constexpr const char* kPadTimingFormat = "dira-pad-timing/1";

struct PadTiming {
    std::string board;             // the folder under constraints/
    double input_delay_ns = 0;     // lab input pin -> first synchroniser flop, at most
    double output_delay_ns = 0;    // setting flop clock edge -> setting pin, at most
    std::string citation;          // the datasheet and table the bounds rest on, in a line
    nlohmann::json definition;     // the whole file
};

// Parses and checks one file; throws dira::Error(invalid_argument) naming `origin` and the key.
PadTiming parse_pad_timing(const nlohmann::json& j, const std::string& origin);

// Every board's, in the order of their folder names.
const std::vector<PadTiming>& pad_timings();
// Throws dira::Error(invalid_argument) listing the boards that have pad timing.
const PadTiming& find_pad_timing(const std::string& board);

} // namespace dira::timing
