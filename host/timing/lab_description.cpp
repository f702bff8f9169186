#include "timing/lab_description.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "dira/station_timing.hpp"
#include "timing/pad_timing.hpp"
#include "timing/timing_budget.hpp"

namespace dira::timing {
namespace {

std::string format_number(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

[[noreturn]] void fail(const std::string& origin, const std::string& message) {
    throw Error(ErrorKind::invalid_argument, origin + ": " + message);
}

// Reads one JSON object strictly: every key must be known (a typo is an error, never a silently
// ignored setting) and every required key present. Messages name the full key path.
class ObjectReader {
public:
    ObjectReader(const nlohmann::json& j, std::string path, const std::string& origin)
        : j_(j), path_(std::move(path)), origin_(origin) {
        if (!j_.is_object()) fail(origin_, where("") + "must be a JSON object");
    }

    double number(const std::string& key) {
        const auto& v = get(key);
        if (!v.is_number()) fail(origin_, where(key) + "must be a number");
        const double d = v.get<double>();
        if (!std::isfinite(d)) fail(origin_, where(key) + "must be finite");
        return d;
    }
    double duration_ns(const std::string& key) {
        const double d = number(key);
        if (d < 0) fail(origin_, where(key) + "is a duration and cannot be negative (got " + format_number(d) + ")");
        return d;
    }
    std::uint64_t unsigned_integer(const std::string& key) {
        const auto& v = get(key);
        // JSON has no unsigned type: a file's 5 parses as unsigned, a program's 5 as signed.
        if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<std::int64_t>() < 0))
            fail(origin_, where(key) + "must be a non-negative integer");
        return v.get<std::uint64_t>();
    }
    std::string text(const std::string& key) {
        const auto& v = get(key);
        if (!v.is_string()) fail(origin_, where(key) + "must be a string");
        return v.get<std::string>();
    }
    Position_m position(const std::string& key) {
        const auto& v = get(key);
        if (!v.is_array() || v.size() != 3) fail(origin_, where(key) + "must be [x, y, z] in metres");
        Position_m p{};
        for (std::size_t i = 0; i < 3; ++i) {
            if (!v[i].is_number() || !std::isfinite(v[i].get<double>()))
                fail(origin_, where(key) + "must hold three finite numbers");
            p[i] = v[i].get<double>();
        }
        return p;
    }
    ObjectReader object(const std::string& key) { return ObjectReader(get(key), path_ + key + ".", origin_); }
    bool has(const std::string& key) {
        known_.insert(key);
        return j_.contains(key);
    }
    // Call after reading every key: anything left is unknown.
    void finish() const {
        for (const auto& [key, value] : j_.items())
            if (!known_.count(key)) {
                std::string list;
                for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
                fail(origin_, "unknown key '" + path_ + key + "' (known here: " + list + ")");
            }
    }

private:
    const nlohmann::json& get(const std::string& key) {
        known_.insert(key);
        if (!j_.contains(key)) fail(origin_, "missing key '" + path_ + key + "'");
        return j_.at(key);
    }
    std::string where(const std::string& key) const { return "'" + path_ + key + "' "; }

    const nlohmann::json& j_;
    std::string path_;
    const std::string& origin_;
    std::set<std::string> known_;
};

WeakSourceTiming parse_weak_source(ObjectReader r) {
    WeakSourceTiming w;
    w.bit_period_ns = r.duration_ns("bit_period_ns");
    w.creation_to_pin_ns = r.duration_ns("creation_to_pin_ns");
    w.strobe_after_bit_ns = r.duration_ns("strobe_after_bit_ns");
    w.strobe_high_ns = r.duration_ns("strobe_high_ns");
    w.phase_ns = r.duration_ns("phase_ns");
    w.ppm = r.number("ppm");
    r.finish();
    return w;
}

FpgaTiming parse_fpga(ObjectReader r, const std::string& origin, const std::string& path) {
    FpgaTiming f;
    const std::uint64_t hz = r.unsigned_integer("clock_hz");
    if (hz < 1'000'000 || hz > 1'000'000'000)
        fail(origin, "'" + path + "clock_hz' must be between 1 MHz and 1 GHz (got " + std::to_string(hz) + ")");
    f.clock_hz = static_cast<std::uint32_t>(hz);
    f.clock_ppm = r.number("clock_ppm");
    f.clock_phase_ns = r.duration_ns("clock_phase_ns");
    if (r.has("board")) {
        // The board's pad timing is the one definition; the file may restate it, and is checked.
        f.board = r.text("board");
        const PadTiming* pads = nullptr;
        try {
            pads = &find_pad_timing(f.board);
        } catch (const Error& e) {
            fail(origin, "'" + path + "board': " + e.what());
        }
        for (auto [key, value] : {std::pair{"input_delay_ns", pads->input_delay_ns}, std::pair{"output_delay_ns", pads->output_delay_ns}}) {
            if (r.has(key) && r.duration_ns(key) != value)
                fail(origin, "'" + path + key + "' says " + format_number(r.duration_ns(key)) + " ns but board " + f.board +
                                 " has " + format_number(value) + " ns (constraints/" + f.board +
                                 "/pad_timing.json): remove the key or correct it");
        }
        f.input_delay_ns = pads->input_delay_ns;
        f.output_delay_ns = pads->output_delay_ns;
    } else {
        f.input_delay_ns = r.duration_ns("input_delay_ns");
        f.output_delay_ns = r.duration_ns("output_delay_ns");
    }
    f.window_open_cycles = static_cast<std::uint32_t>(r.unsigned_integer("window_open_cycles"));
    f.window_close_cycles = static_cast<std::uint32_t>(r.unsigned_integer("window_close_cycles"));
    // The latency is the firmware's; a file may only restate it, and is checked.
    if (r.has("basis_latency_cycles")) {
        const std::uint64_t stated = r.unsigned_integer("basis_latency_cycles");
        if (stated != kBasisLatencyCycles)
            fail(origin, "'" + path + "basis_latency_cycles' says " + std::to_string(stated) +
                             " but the firmware selects the basis in " + std::to_string(kBasisLatencyCycles) +
                             " cycles (kBasisLatencyCycles, measured by the RTL tests): remove the key or correct it");
    }
    r.finish();
    return f;
}

QubitTiming parse_qubit(ObjectReader r) {
    QubitTiming q;
    q.setting_to_pulse_ns = r.duration_ns("setting_to_pulse_ns");
    q.rotation_pulse_ns = r.duration_ns("rotation_pulse_ns");
    q.readout_integration_ns = r.duration_ns("readout_integration_ns");
    q.discrimination_ns = r.duration_ns("discrimination_ns");
    q.outcome_to_pin_ns = r.duration_ns("outcome_to_pin_ns");
    q.readout_pulse_ns = r.duration_ns("readout_pulse_ns");
    r.finish();
    return q;
}

StationDescription parse_station(ObjectReader r, const std::string& origin, const std::string& path) {
    StationDescription s;
    s.position_m = r.position("position_m");
    s.trigger_cable_ns = r.duration_ns("trigger_cable_ns");
    s.weak_source = parse_weak_source(r.object("weak_source"));
    s.fpga = parse_fpga(r.object("fpga"), origin, path + "fpga.");
    s.qubit = parse_qubit(r.object("qubit"));
    r.finish();
    return s;
}

SimulationDescription parse_simulation(ObjectReader r) {
    SimulationDescription s;
    s.pair_model = r.text("pair_model");
    s.visibility = r.number("visibility");
    s.readout_error = r.number("readout_error");
    s.missing_probability = r.number("missing_probability");
    s.source_epsilon = r.number("source_epsilon");
    s.source_mode = r.text("source_mode");
    s.seed = r.unsigned_integer("seed");
    r.finish();
    return s;
}

// --- validation -------------------------------------------------------------------------------

void require(bool ok, const std::string& origin, const std::string& message) {
    if (!ok) fail(origin, message);
}

std::string ns(double v) { return format_number(v) + " ns"; }

void validate_pulses(const StationDescription& s, const SequencerDescription& seq, const std::string& origin,
                     const std::string& who) {
    const double clock_ns = s.fpga.clock_period_ps() / 1000.0;
    const double two_cycles_ns = kSyncStages * clock_ns;
    const WeakSourceTiming& w = s.weak_source;
    // A pin level must last kSyncStages clock periods for the synchroniser to be sure to see it.
    require(w.strobe_high_ns >= two_cycles_ns, origin,
            who + ".weak_source.strobe_high_ns (" + ns(w.strobe_high_ns) + ") must be at least " + std::to_string(kSyncStages) +
                " station clock periods (" + ns(two_cycles_ns) + ") or the synchroniser may miss the strobe");
    require(w.bit_period_ns - w.strobe_high_ns >= two_cycles_ns, origin,
            who + ".weak_source: the strobe must stay low at least " + ns(two_cycles_ns) + " per bit period (bit_period_ns " +
                ns(w.bit_period_ns) + " minus strobe_high_ns " + ns(w.strobe_high_ns) + ")");
    require(w.strobe_after_bit_ns >= clock_ns, origin,
            who + ".weak_source.strobe_after_bit_ns (" + ns(w.strobe_after_bit_ns) +
                ") must be at least one station clock period (" + ns(clock_ns) +
                "): the bit must reach the synchroniser no later than its strobe");
    require(w.strobe_after_bit_ns + clock_ns <= w.bit_period_ns, origin,
            who + ".weak_source: the bit changes again before its strobe is surely sampled (strobe_after_bit_ns + one clock period > bit_period_ns)");
    require(s.qubit.readout_pulse_ns >= two_cycles_ns, origin,
            who + ".qubit.readout_pulse_ns (" + ns(s.qubit.readout_pulse_ns) + ") must be at least " + ns(two_cycles_ns) +
                " or the synchroniser may miss the readout strobe");
    require(seq.trigger_pulse_ns >= two_cycles_ns, origin,
            "sequencer.trigger_pulse_ns (" + ns(seq.trigger_pulse_ns) + ") must be at least " + ns(two_cycles_ns) + " for " + who +
                "'s station clock");
    require(seq.trigger_period_ns - seq.trigger_pulse_ns >= two_cycles_ns, origin,
            "the trigger must stay low at least " + ns(two_cycles_ns) + " between pulses for " + who + "'s synchroniser");
}

void validate_window(const LabDescription& lab, StationId side, const std::string& origin) {
    const StationDescription& s = lab.station(side);
    const std::string who = std::string("stations.") + station_name(side);
    const FpgaTiming& f = s.fpga;
    require(f.window_open_cycles <= f.window_close_cycles, origin,
            who + ".fpga: window_open_cycles (" + std::to_string(f.window_open_cycles) + ") is after window_close_cycles (" +
                std::to_string(f.window_close_cycles) + ")");
    const unsigned detect = outcome_detect_cycles_after_setting(s);
    require(detect >= f.window_open_cycles && detect <= f.window_close_cycles, origin,
            who + ": the outcome is detected " + std::to_string(detect) + " cycles after the setting, outside the readout window [" +
                std::to_string(f.window_open_cycles) + ", " + std::to_string(f.window_close_cycles) +
                "]: every outcome would be recorded missing; move the window (fpga.window_*_cycles) or fix the qubit delays");
    const StationBudget b = station_budget(lab, side);
    const double trial_ns = b.window_close_worst_ns + s.qubit.readout_pulse_ns + 2 * b.clock_period_ns;
    require(lab.sequencer.trigger_period_ns > trial_ns, origin,
            "sequencer.trigger_period_ns (" + ns(lab.sequencer.trigger_period_ns) + ") is shorter than " + who +
                "'s trial (" + ns(trial_ns) + " from trigger pin to the end of the readout window): triggers would come while a trial is open");
}

void validate_cables(const LabDescription& lab, const std::string& origin) {
    for (auto side : kStations) {
        const StationDescription& s = lab.station(side);
        const double d = distance_m(lab.sequencer.position_m, s.position_m);
        const double light_ns = light_travel_ps(d) / 1000.0;
        require(s.trigger_cable_ns >= light_ns, origin,
                std::string("stations.") + station_name(side) + ".trigger_cable_ns (" + ns(s.trigger_cable_ns) +
                    ") is faster than light: the sequencer is " + format_number(d) + " m away (" + ns(light_ns) +
                    " at c); no cable can do that, check the positions or the delay");
    }
}

void validate_simulation(const SimulationDescription& s, const std::string& origin) {
    require(s.pair_model == "quantum" || s.pair_model == "lhv", origin,
            "simulation.pair_model must be \"quantum\" or \"lhv\" (got \"" + s.pair_model + "\")");
    for (auto [value, key] : {std::pair{s.visibility, "visibility"}, std::pair{s.readout_error, "readout_error"},
                              std::pair{s.missing_probability, "missing_probability"}})
        require(value >= 0 && value <= 1, origin, std::string("simulation.") + key + " must be in [0, 1] (got " + format_number(value) + ")");
    require(s.source_epsilon >= 0 && s.source_epsilon < 0.5, origin,
            "simulation.source_epsilon must be in [0, 0.5) (got " + format_number(s.source_epsilon) + ")");
    require(s.source_mode == "constant" || s.source_mode == "drifting" || s.source_mode == "stuck", origin,
            "simulation.source_mode must be constant, drifting or stuck (got \"" + s.source_mode + "\")");
}

nlohmann::json position_json(const Position_m& p) { return nlohmann::json::array({p[0], p[1], p[2]}); }

nlohmann::json fpga_json(const FpgaTiming& f) {
    nlohmann::json j = {{"clock_hz", f.clock_hz}, {"clock_ppm", f.clock_ppm}, {"clock_phase_ns", f.clock_phase_ns},
                        {"input_delay_ns", f.input_delay_ns}, {"output_delay_ns", f.output_delay_ns},
                        {"window_open_cycles", f.window_open_cycles}, {"window_close_cycles", f.window_close_cycles},
                        {"basis_latency_cycles", kBasisLatencyCycles}};
    if (!f.board.empty()) j["board"] = f.board;
    return j;
}

} // namespace

double distance_m(const Position_m& a, const Position_m& b) {
    return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

double station_distance_m(const LabDescription& lab) {
    return distance_m(lab.stations[0].position_m, lab.stations[1].position_m);
}

double light_travel_ps(double d_m) { return d_m / kSpeedOfLight_m_per_s * 1e12; }

void validate(const LabDescription& lab, const std::string& origin) {
    require(!lab.name.empty(), origin, "'name' must not be empty");
    require(station_distance_m(lab) > 0, origin, "the two stations stand at the same position: no Bell test without distance");
    const SequencerDescription& seq = lab.sequencer;
    require(seq.trigger_period_ns > 0, origin, "sequencer.trigger_period_ns must be positive");
    for (auto side : kStations) {
        const StationDescription& s = lab.station(side);
        const std::string who = std::string("stations.") + station_name(side);
        require(std::abs(s.fpga.clock_ppm) <= 1000 && std::abs(s.weak_source.ppm) <= 1000, origin,
                who + ": clock_ppm and weak_source.ppm must be within +-1000 ppm");
        require(s.weak_source.bit_period_ns > 0, origin, who + ".weak_source.bit_period_ns must be positive");
        validate_pulses(s, seq, origin, who);
    }
    validate_cables(lab, origin);
    for (auto side : kStations) validate_window(lab, side, origin);
    validate_simulation(lab.simulation, origin);
}

LabDescription parse_lab(const nlohmann::json& j, const std::string& origin) {
    ObjectReader r(j, "", origin);
    const std::string format = r.text("format");
    if (format != kLabFormat)
        fail(origin, "format is \"" + format + "\", this dira reads \"" + std::string(kLabFormat) + "\"");
    LabDescription lab;
    lab.name = r.text("name");
    lab.description = r.has("description") ? r.text("description") : "";
    {
        ObjectReader s = r.object("sequencer");
        lab.sequencer.position_m = s.position("position_m");
        lab.sequencer.trigger_period_ns = s.duration_ns("trigger_period_ns");
        lab.sequencer.trigger_pulse_ns = s.duration_ns("trigger_pulse_ns");
        s.finish();
    }
    {
        ObjectReader stations = r.object("stations");
        for (auto side : kStations)
            lab.station(side) = parse_station(stations.object(station_name(side)), origin,
                                              std::string("stations.") + station_name(side) + ".");
        stations.finish();
    }
    lab.simulation = parse_simulation(r.object("simulation"));
    r.finish();
    validate(lab, origin);
    return lab;
}

LabDescription load_lab(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw Error(ErrorKind::not_found, "cannot open lab description " + path.string() + ": give an existing file (labs/default-30m.json is the default lab)");
    nlohmann::json j;
    try {
        in >> j;
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::invalid_argument, path.string() + " is not valid JSON: " + e.what());
    }
    return parse_lab(j, path.string());
}

nlohmann::json to_json(const LabDescription& lab) {
    nlohmann::json stations = nlohmann::json::object();
    for (auto side : kStations) {
        const StationDescription& s = lab.station(side);
        const auto& w = s.weak_source;
        const auto& f = s.fpga;
        const auto& q = s.qubit;
        stations[station_name(side)] = {
            {"position_m", position_json(s.position_m)},
            {"trigger_cable_ns", s.trigger_cable_ns},
            {"weak_source",
             {{"bit_period_ns", w.bit_period_ns}, {"creation_to_pin_ns", w.creation_to_pin_ns},
              {"strobe_after_bit_ns", w.strobe_after_bit_ns}, {"strobe_high_ns", w.strobe_high_ns},
              {"phase_ns", w.phase_ns}, {"ppm", w.ppm}}},
            {"fpga", fpga_json(f)},
            {"qubit",
             {{"setting_to_pulse_ns", q.setting_to_pulse_ns}, {"rotation_pulse_ns", q.rotation_pulse_ns},
              {"readout_integration_ns", q.readout_integration_ns}, {"discrimination_ns", q.discrimination_ns},
              {"outcome_to_pin_ns", q.outcome_to_pin_ns}, {"readout_pulse_ns", q.readout_pulse_ns}}},
        };
    }
    const auto& sim = lab.simulation;
    return {{"format", kLabFormat},
            {"name", lab.name},
            {"description", lab.description},
            {"sequencer",
             {{"position_m", position_json(lab.sequencer.position_m)},
              {"trigger_period_ns", lab.sequencer.trigger_period_ns},
              {"trigger_pulse_ns", lab.sequencer.trigger_pulse_ns}}},
            {"stations", stations},
            {"simulation",
             {{"pair_model", sim.pair_model}, {"visibility", sim.visibility}, {"readout_error", sim.readout_error},
              {"missing_probability", sim.missing_probability}, {"source_epsilon", sim.source_epsilon},
              {"source_mode", sim.source_mode}, {"seed", sim.seed}}}};
}

void set_station_distance(LabDescription& lab, double d_m) {
    if (!(d_m > 0) || !std::isfinite(d_m))
        throw Error(ErrorKind::invalid_argument, "the station distance must be a positive number of metres");
    const Position_m& a = lab.station(StationId::alice).position_m;
    Position_m& b = lab.station(StationId::bob).position_m;
    const double now = distance_m(a, b);
    for (std::size_t i = 0; i < 3; ++i) b[i] = a[i] + (b[i] - a[i]) * (d_m / now);
}

} // namespace dira::timing
