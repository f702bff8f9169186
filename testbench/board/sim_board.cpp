#include "board/sim_board.hpp"

#include "core/error.hpp"

namespace dira::testbench {

StationEngine parse_station_engine(const std::string& name) {
    if (name == "rtl") return StationEngine::rtl;
    if (name == "model") return StationEngine::model;
    throw Error(ErrorKind::invalid_argument, "unknown station engine '" + name + "': use rtl (Verilated) or model (HLS C++)");
}

const char* to_string(StationEngine engine) { return engine == StationEngine::rtl ? "rtl" : "model"; }

} // namespace dira::testbench
