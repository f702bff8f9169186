// The lab description: where the two stations stand and how long every stage of a trial takes, from
// the weak-source bit coming into existence to the outcome latched in the FPGA. One JSON file
// (format "dira-lab/1", documented key by key in docs/timing.md; labs/default-30m.json is the
// default lab) feeds the static budget (`dira timing`), the light-cone verifier and the SystemC lab.
//
// The FPGA's basis-selection latency is not a lab figure: it is kBasisLatencyCycles (what the RTL
// does, what its tests measure) times the station clock period. A file may state it
// (fpga.basis_latency_cycles) only to have it checked against the firmware. Likewise the pad and
// clock-to-pin delays of a station that names its board (fpga.board) are the board's
// (constraints/<board>/pad_timing.json), and a file may only restate them.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "dira/register_map.hpp"

namespace dira::timing {

inline constexpr const char* kLabFormat = "dira-lab/1";
// The speed of light in vacuum, exact by the definition of the metre.
inline constexpr double kSpeedOfLight_m_per_s = 299'792'458.0;

using Position_m = std::array<double, 3>;

struct WeakSourceTiming {
    double bit_period_ns = 16.0;        // a new bit every period (free running)
    double creation_to_pin_ns = 2.0;    // the bit comes into existence -> ws_bit_in pin
    double strobe_after_bit_ns = 4.0;   // ws_strobe_in rises this long after ws_bit_in changed
    double strobe_high_ns = 8.0;        // ws_strobe_in stays high this long
    double phase_ns = 0.0;              // simulation: when the first bit is created
    double ppm = 0.0;                   // simulation: the source's rate offset
};

struct FpgaTiming {
    std::string board;                  // a board with pad timing (timing/pad_timing.hpp), or empty
    std::uint32_t clock_hz = kDefaultClockHz;
    double clock_ppm = 0.0;             // simulation: the station oscillator's offset
    double clock_phase_ns = 0.0;        // simulation: the first rising edge
    double input_delay_ns = 1.0;        // pin -> first synchroniser flop (pad and routing); the board's when named
    double output_delay_ns = 2.0;       // clock edge -> setting_out pin (clock-to-out); the board's when named
    std::uint32_t window_open_cycles = 2;   // the registers the host writes (WINDOW_OPEN_CYCLES)
    std::uint32_t window_close_cycles = 14; // WINDOW_CLOSE_CYCLES

    // The oscillator's real period: clock_hz with its clock_ppm offset (a lab fact, like a cable).
    double clock_period_ps() const { return 1e12 / (clock_hz * (1.0 + clock_ppm * 1e-6)); }
};

struct QubitTiming {
    double setting_to_pulse_ns = 3.0;     // setting_out pin -> the rotation pulse starts at the qubit
    double rotation_pulse_ns = 8.0;       // basis rotation
    double readout_integration_ns = 20.0; // readout pulse and integration
    double discrimination_ns = 3.0;       // end of integration -> discriminated outcome
    double outcome_to_pin_ns = 2.0;       // discriminator -> readout_valid_in / readout_bit_in pins
    double readout_pulse_ns = 16.0;       // how long readout_valid_in stays high
};

struct StationDescription {
    Position_m position_m{};
    double trigger_cable_ns = 0.0; // sequencer output -> this station's trigger_in pin
    WeakSourceTiming weak_source;
    FpgaTiming fpga;
    QubitTiming qubit;
};

struct SequencerDescription {
    Position_m position_m{};
    double trigger_period_ns = 20'000.0; // 50 kHz
    double trigger_pulse_ns = 40.0;
};

// What the SystemC lab needs beyond timing: the statistics of the pair and the sources.
struct SimulationDescription {
    std::string pair_model = "quantum"; // "quantum" | "lhv"
    double visibility = 0.8026;
    double readout_error = 0.0;
    double missing_probability = 0.0;
    double source_epsilon = 0.0075;
    std::string source_mode = "constant"; // "constant" | "drifting" | "stuck"
    std::uint64_t seed = 1;
};

struct LabDescription {
    std::string name;
    std::string description;
    SequencerDescription sequencer;
    std::array<StationDescription, 2> stations; // index(StationId)
    SimulationDescription simulation;

    const StationDescription& station(StationId side) const { return stations[index(side)]; }
    StationDescription& station(StationId side) { return stations[index(side)]; }
};

double distance_m(const Position_m& a, const Position_m& b);
double station_distance_m(const LabDescription& lab);
double light_travel_ps(double distance_m);

// Parses and validates; throws dira::Error(invalid_argument) naming the key and what to do. `origin`
// (a file name) prefixes every message.
LabDescription parse_lab(const nlohmann::json& j, const std::string& origin = "lab description");
LabDescription load_lab(const std::filesystem::path& path);
nlohmann::json to_json(const LabDescription& lab);

// Checks that the description is physically possible and that the firmware can serve it (cables
// not faster than light, pulses the synchronisers can see, the outcome inside the readout window,
// the trigger period longer than a trial). Called by parse_lab; call it again after editing a
// description in code. Throws dira::Error(invalid_argument).
void validate(const LabDescription& lab, const std::string& origin = "lab description");

// Moves Bob along the line from Alice so that the stations are `distance_m` apart (what
// `--distance` does). The trigger cables are kept: a shorter lab may reuse the longer cables.
void set_station_distance(LabDescription& lab, double distance_m);

} // namespace dira::timing
