#include "timing/timing_budget.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "dira/register_map.hpp"
#include "dira/station_timing.hpp"
#include "timing/pad_timing.hpp"

namespace dira::timing {
namespace {

constexpr double kPsPerNs = 1000.0;

double period_ns(const FpgaTiming& f) { return f.clock_period_ps() / kPsPerNs; }

double sum(const std::vector<Stage>& stages, double Stage::*field) {
    double total = 0;
    for (const auto& s : stages) total += s.*field;
    return total;
}

std::vector<Stage> setting_stages(const WeakSourceTiming& ws, double clock_ns) {
    // The freshest bit is the one whose strobe the station sampled at or before the edge that first
    // sampled the trigger. At worst the next strobe just missed that edge (the bit is a whole period
    // old); at best the strobe rose up to one clock period after the trigger pin and still made it.
    return {
        {"weak-source bit: creation to pin", ws.creation_to_pin_ns, ws.creation_to_pin_ns},
        {"weak-source strobe after the bit", ws.strobe_after_bit_ns, ws.strobe_after_bit_ns},
        {"freshest bit waits for the trigger", ws.bit_period_ns, -clock_ns},
    };
}

std::vector<Stage> measurement_stages(const StationDescription& s) {
    const FpgaTiming& f = s.fpga;
    const QubitTiming& q = s.qubit;
    const double clock_ns = period_ns(f);
    const double sync_ns = kSyncStages * clock_ns;
    // The outcome path runs on the station's own clock, so where the readout lands relative to the
    // edges is fixed: it is sampled by the edge `detect` cycles after t_setting's, minus kSyncStages-1.
    const double to_pin_ns = f.output_delay_ns + q.setting_to_pulse_ns + q.rotation_pulse_ns +
                             q.readout_integration_ns + q.discrimination_ns + q.outcome_to_pin_ns;
    const unsigned sample_cycles = outcome_detect_cycles_after_setting(s) + 1 - kSyncStages;
    const double alignment_ns = sample_cycles * clock_ns - to_pin_ns;
    char basis_label[96];
    std::snprintf(basis_label, sizeof basis_label, "basis selection: %u cycles (kBasisLatencyCycles)", kBasisLatencyCycles);
    char latch_label[96];
    std::snprintf(latch_label, sizeof latch_label, "outcome latch: %u synchroniser cycles", kSyncStages);
    return {
        {"trigger: FPGA input pad", f.input_delay_ns, f.input_delay_ns},
        {basis_label, basis_selection_ps(f) / kPsPerNs, sync_ns},
        {"setting: clock to pin", f.output_delay_ns, f.output_delay_ns},
        {"setting to rotation pulse", q.setting_to_pulse_ns, q.setting_to_pulse_ns},
        {"rotation pulse", q.rotation_pulse_ns, q.rotation_pulse_ns},
        {"readout integration", q.readout_integration_ns, q.readout_integration_ns},
        {"discrimination", q.discrimination_ns, q.discrimination_ns},
        {"outcome to FPGA pin", q.outcome_to_pin_ns, q.outcome_to_pin_ns},
        {"outcome: input pad and clock-edge alignment", alignment_ns, alignment_ns},
        {latch_label, sync_ns, sync_ns},
    };
}

MarginCheck margin_check(const TimingBudget& b, StationId setting_side, bool window_close) {
    const StationBudget& mine = b.stations[index(setting_side)];
    const StationBudget& other = b.stations[1 - index(setting_side)];
    const double cable_offset_ns = other.trigger_cable_ns - mine.trigger_cable_ns;
    const double other_worst = window_close ? other.window_close_worst_ns : other.latency_worst_ns;
    const double other_best = window_close ? other.window_close_best_ns : other.latency_best_ns;
    MarginCheck m;
    m.setting_side = setting_side;
    m.window_close = window_close;
    // delta spans [best, worst]: the largest |delta| over that interval decides the margin.
    m.delta_worst_ns = cable_offset_ns + other_worst + mine.lead_worst_ns;
    m.delta_best_ns = cable_offset_ns + other_best + mine.lead_best_ns;
    const double extreme = std::max(std::abs(m.delta_worst_ns), std::abs(m.delta_best_ns));
    const bool straddles_zero = m.delta_best_ns <= 0 && m.delta_worst_ns >= 0;
    const double least = straddles_zero ? 0.0 : std::min(std::abs(m.delta_worst_ns), std::abs(m.delta_best_ns));
    m.margin_worst_ns = b.light_ns - extreme;
    m.margin_best_ns = b.light_ns - least;
    return m;
}

const char* side_name(StationId s) { return station_name(s); }

} // namespace

double basis_selection_ps(const FpgaTiming& fpga) { return kBasisLatencyCycles * fpga.clock_period_ps(); }

unsigned outcome_detect_cycles_after_setting(const StationDescription& s) {
    const FpgaTiming& f = s.fpga;
    const QubitTiming& q = s.qubit;
    // From the edge that starts cycle t_setting, the readout reaches the first flop after
    // output delay, the analog chain and the input delay; the first edge strictly after that
    // samples it (an edge at exactly that instant is taken as missed: the conservative choice),
    // and the strobe is detected kSyncStages - 1 cycles after the cycle that edge ends.
    const double arrival_ps = (f.output_delay_ns + q.setting_to_pulse_ns + q.rotation_pulse_ns + q.readout_integration_ns +
                               q.discrimination_ns + q.outcome_to_pin_ns + f.input_delay_ns) *
                              kPsPerNs;
    const auto edges = static_cast<unsigned>(std::floor(arrival_ps / f.clock_period_ps())) + 1;
    return edges + kSyncStages - 1;
}

StationBudget station_budget(const LabDescription& lab, StationId side) {
    const StationDescription& s = lab.station(side);
    StationBudget b;
    b.side = side;
    b.board = s.fpga.board;
    if (!b.board.empty()) b.pad_citation = find_pad_timing(b.board).citation;
    b.clock_period_ns = period_ns(s.fpga);
    b.setting_stages = setting_stages(s.weak_source, b.clock_period_ns);
    b.measurement_stages = measurement_stages(s);
    b.trigger_cable_ns = s.trigger_cable_ns;
    b.lead_worst_ns = sum(b.setting_stages, &Stage::worst_ns);
    b.lead_best_ns = sum(b.setting_stages, &Stage::best_ns);
    b.latency_worst_ns = sum(b.measurement_stages, &Stage::worst_ns);
    b.latency_best_ns = sum(b.measurement_stages, &Stage::best_ns);
    b.outcome_detect_cycles_after_setting = outcome_detect_cycles_after_setting(s);
    // The window closes at the end of cycle t_setting + WINDOW_CLOSE_CYCLES.
    const double setting_register_worst_ns = s.fpga.input_delay_ns + basis_selection_ps(s.fpga) / kPsPerNs;
    const double setting_register_best_ns = s.fpga.input_delay_ns + kSyncStages * b.clock_period_ns;
    const double window_ns = (s.fpga.window_close_cycles + 1) * b.clock_period_ns;
    b.window_close_worst_ns = setting_register_worst_ns + window_ns;
    b.window_close_best_ns = setting_register_best_ns + window_ns;
    return b;
}

TimingBudget compute_budget(const LabDescription& lab) {
    TimingBudget b;
    b.lab_name = lab.name;
    b.distance_m = station_distance_m(lab);
    b.light_ns = light_travel_ps(b.distance_m) / kPsPerNs;
    for (auto side : kStations) b.stations[index(side)] = station_budget(lab, side);
    for (bool window_close : {false, true})
        for (auto side : kStations) b.checks.push_back(margin_check(b, side, window_close));
    b.min_margin_ns = b.checks.front().margin_worst_ns;
    for (const auto& c : b.checks) b.min_margin_ns = std::min(b.min_margin_ns, c.margin_worst_ns);
    return b;
}

nlohmann::json to_json(const TimingBudget& b) {
    nlohmann::json stations = nlohmann::json::object();
    for (const auto& s : b.stations) {
        auto stages = [](const std::vector<Stage>& v) {
            nlohmann::json a = nlohmann::json::array();
            for (const auto& st : v) a.push_back({{"stage", st.label}, {"worst_ns", st.worst_ns}, {"best_ns", st.best_ns}});
            return a;
        };
        stations[side_name(s.side)] = {
            {"board", s.board.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.board)},
            {"pad_timing_source", s.board.empty() ? nlohmann::json("the lab file") : nlohmann::json(s.pad_citation)},
            {"clock_period_ns", s.clock_period_ns},
            {"basis_latency_cycles", kBasisLatencyCycles},
            {"setting_stages", stages(s.setting_stages)},
            {"measurement_stages", stages(s.measurement_stages)},
            {"trigger_cable_ns", s.trigger_cable_ns},
            {"setting_lead_worst_ns", s.lead_worst_ns},
            {"setting_lead_best_ns", s.lead_best_ns},
            {"trigger_to_outcome_worst_ns", s.latency_worst_ns},
            {"trigger_to_outcome_best_ns", s.latency_best_ns},
            {"trigger_to_window_close_worst_ns", s.window_close_worst_ns},
            {"outcome_detect_cycles_after_setting", s.outcome_detect_cycles_after_setting},
        };
    }
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : b.checks) {
        const auto other = c.setting_side == StationId::alice ? StationId::bob : StationId::alice;
        checks.push_back({{"setting", side_name(c.setting_side)},
                          {"outcome", side_name(other)},
                          {"outcome_event", c.window_close ? "window_close" : "outcome_latched"},
                          {"delta_worst_ns", c.delta_worst_ns},
                          {"delta_best_ns", c.delta_best_ns},
                          {"margin_worst_ns", c.margin_worst_ns},
                          {"margin_best_ns", c.margin_best_ns},
                          {"crossed", c.crossed()}});
    }
    return {{"lab", b.lab_name},
            {"distance_m", b.distance_m},
            {"light_ns", b.light_ns},
            {"stations", stations},
            {"checks", checks},
            {"min_margin_ns", b.min_margin_ns},
            {"light_cone_crossed", b.crossed()}};
}

namespace {

void append(std::string& out, const char* format, auto... args) {
    char line[256];
    std::snprintf(line, sizeof line, format, args...);
    out += line;
}

// Where the input pad and clock-to-pin stages come from: a board's pad timing, or the lab file.
void append_pad_source(std::string& out, const TimingBudget& b) {
    for (const auto& s : b.stations) {
        if (s.board.empty())
            append(out, "%s pad and clock-to-pin delays: as the lab file states (it names no board)\n", side_name(s.side));
        else
            out += std::string(side_name(s.side)) + " pad and clock-to-pin delays: board " + s.board + ", constraints/" + s.board +
                   "/pad_timing.json (" + s.pad_citation + ")\n";
    }
    out += "\n";
}

void append_stage_rows(std::string& out, const TimingBudget& b, std::vector<Stage> StationBudget::*stages) {
    const auto& a = b.stations[0].*stages;
    const auto& o = b.stations[1].*stages;
    for (std::size_t i = 0; i < a.size(); ++i)
        append(out, "  %-52s %9.3f %9.3f\n", a[i].label.c_str(), a[i].worst_ns, o[i].worst_ns);
}

} // namespace

std::string format_budget(const TimingBudget& b) {
    std::string out;
    const auto& A = b.stations[0];
    const auto& B = b.stations[1];
    append(out, "lab \"%s\": stations %.3f m apart, light needs %.3f ns\n", b.lab_name.c_str(), b.distance_m, b.light_ns);
    append(out, "station clocks: alice %.3f ns, bob %.3f ns per cycle; basis selection %u cycles (kBasisLatencyCycles)\n",
           A.clock_period_ns, B.clock_period_ns, kBasisLatencyCycles);
    append_pad_source(out, b);
    append(out, "  %-52s %9s %9s\n", "stage (worst case, ns)", station_name(StationId::alice),
           station_name(StationId::bob));
    append_stage_rows(out, b, &StationBudget::setting_stages);
    append(out, "  %-52s %9.3f %9.3f\n", "= setting fixed before the trigger pin", A.lead_worst_ns, B.lead_worst_ns);
    append_stage_rows(out, b, &StationBudget::measurement_stages);
    append(out, "  %-52s %9.3f %9.3f\n", "= trigger pin to outcome latched", A.latency_worst_ns, B.latency_worst_ns);
    append(out, "  %-52s %9.3f %9.3f\n", "trigger cable from the sequencer", A.trigger_cable_ns, B.trigger_cable_ns);
    append(out, "  %-52s %9.3f %9.3f\n\n", "trigger pin to readout window close (missing outcome)",
           A.window_close_worst_ns, B.window_close_worst_ns);
    append(out, "light-cone margins (light %.3f ns minus the largest |t_outcome - t_setting|):\n", b.light_ns);
    for (const auto& c : b.checks) {
        const auto other = c.setting_side == StationId::alice ? StationId::bob : StationId::alice;
        append(out, "  %-5s setting vs %-5s %-16s worst %9.3f ns, best %9.3f ns  %s\n", side_name(c.setting_side),
               side_name(other), c.window_close ? "window close" : "outcome", c.margin_worst_ns, c.margin_best_ns,
               c.crossed() ? "CROSSED" : "ok");
    }
    if (b.crossed())
        append(out, "minimum margin %.3f ns: a light cone is crossed; trials at the worst phases are not space-like separated\n",
               b.min_margin_ns);
    else
        append(out, "minimum margin %.3f ns: every trial is space-like separated\n", b.min_margin_ns);
    return out;
}

} // namespace dira::timing
