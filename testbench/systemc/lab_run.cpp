#include "systemc/lab_run.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>

#include "core/error.hpp"
#include "dira/version.hpp"
#include "run/experiment.hpp"
#include "run/run_dir.hpp"
#include "systemc/sc_transport.hpp"
#include "timing/svg.hpp"
#include "transport/station.hpp"

namespace dira::systemc {
namespace {

constexpr std::uint32_t kFlushCycles = 256;
// Wall-clock patience of the experiment loop: the SystemC lab is slow, not stuck.
constexpr std::chrono::milliseconds kStallTimeout{120'000};

run::StationSettings station_settings(const timing::LabDescription& lab) {
    const auto& a = lab.station(StationId::alice).fpga;
    const auto& b = lab.station(StationId::bob).fpga;
    if (a.window_open_cycles != b.window_open_cycles || a.window_close_cycles != b.window_close_cycles)
        throw Error(ErrorKind::invalid_argument,
                    "the SystemC lab arms both stations with one readout window (as dira's Experiment does): give both "
                    "stations the same fpga.window_open_cycles and window_close_cycles");
    run::StationSettings s;
    s.window_open_cycles = a.window_open_cycles;
    s.window_close_cycles = a.window_close_cycles;
    s.flush_cycles = kFlushCycles;
    return s;
}

// light_cone.csv: one line per trial, times in picoseconds of the lab frame (0: simulation start).
class TrialCsv {
public:
    explicit TrialCsv(const std::filesystem::path& path) : out_(path, std::ios::trunc) {
        if (!out_) throw Error(ErrorKind::io, "cannot write " + path.string());
        out_ << "trial";
        for (const char* side : {"alice", "bob"})
            for (const char* col : {"trigger_pin_ps", "setting_driven", "ws_bit_created_ps", "setting_pin_ps", "outcome_missing",
                                    "outcome_fixed_ps"})
                out_ << ',' << side << '_' << col;
        out_ << ",margin_alice_setting_ps,margin_bob_setting_ps,light_cone_flag\n";
    }
    void row(const timing::TrialVerdict& v, const timing::TrialEvents& e) {
        char buffer[128];
        out_ << e.trial;
        for (const auto& s : e.stations) {
            std::snprintf(buffer, sizeof buffer, ",%.3f,%d", s.trigger_pin_ps, s.setting_driven ? 1 : 0);
            out_ << buffer;
            if (s.setting_driven)
                std::snprintf(buffer, sizeof buffer, ",%.3f,%.3f,%d,%.3f", s.ws_bit_created_ps, s.setting_pin_ps,
                              s.outcome_missing ? 1 : 0, s.outcome_fixed_ps());
            else
                std::snprintf(buffer, sizeof buffer, ",,,,");
            out_ << buffer;
        }
        for (const auto& m : v.margin_ps) {
            if (m) std::snprintf(buffer, sizeof buffer, ",%.3f", *m);
            else std::snprintf(buffer, sizeof buffer, ",");
            out_ << buffer;
        }
        out_ << ',' << (v.space_like() ? 0 : 1) << '\n';
    }
    void close() {
        out_.close();
        if (!out_) throw Error(ErrorKind::io, std::string("cannot finish ") + kLightConeCsv);
    }

private:
    std::ofstream out_;
};

nlohmann::json basis_json(const BasisStats& b, const timing::StationDescription& s) {
    const double io_ns = s.fpga.input_delay_ns + s.fpga.output_delay_ns;
    return {{"served", b.served},
            {"clock_edges_min", b.min_edges},
            {"clock_edges_max", b.max_edges},
            {"pin_to_pin_min_ns", b.min_pin_to_pin_ps / 1000.0},
            {"pin_to_pin_max_ns", b.max_pin_to_pin_ps / 1000.0},
            {"model_basis_selection_ns", timing::basis_selection_ps(s.fpga) / 1000.0},
            {"model_pin_to_pin_max_ns", timing::basis_selection_ps(s.fpga) / 1000.0 + io_ns},
            {"clock_period_ns", s.fpga.clock_period_ps() / 1000.0}};
}

} // namespace

LabRunResult run_lab(const LabRunOptions& o) {
    static bool ran = false;
    if (ran) throw Error(ErrorKind::internal, "SystemC runs one simulation per process: run_lab was called twice");
    ran = true;
    if (o.trials == 0) throw Error(ErrorKind::invalid_argument, "--trials must be at least 1");
    const auto wall_start = std::chrono::steady_clock::now();
    LabRunResult result;
    result.run_dir = o.out;
    result.budget = timing::compute_budget(o.lab);
    const run::StationSettings settings = station_settings(o.lab);

    run::RunWriter writer(o.out, o.overwrite);
    TrialCsv csv(o.out / kLightConeCsv);
    std::optional<timing::TrialEvents> least, chosen;
    double least_margin_ps = 0;

    // The annotator's sink needs the lab (to check each record) and the lab's verdicts feed the
    // annotator: the lab is built second and reached through this pointer.
    LabSc* lab_ptr = nullptr;
    timing::RecordAnnotator annotator([&](StationId side, const TrialRecord& r) {
        lab_ptr->check_record(side, r);
        writer.append(side, r);
    });
    // SystemC modules stay alive until the process ends (the kernel keeps references to them).
    auto* lab = new LabSc("lab", o.lab, [&](const timing::TrialVerdict& v, const timing::TrialEvents& e) {
        annotator.on_verdict(v);
        csv.row(v, e);
        const auto m = v.min_margin_ps();
        if (m && (!least || *m < least_margin_ps)) {
            least = e;
            least_margin_ps = *m;
        }
        if (o.svg_trial && e.trial == *o.svg_trial) chosen = e;
    });
    lab_ptr = lab;

    transport::Station alice(std::make_unique<ScTransport>(*lab, StationId::alice));
    transport::Station bob(std::make_unique<ScTransport>(*lab, StationId::bob));
    run::Experiment experiment(alice, bob);
    run::ExperimentPlan plan;
    plan.trials = o.trials;
    plan.station = settings;
    plan.stall_timeout = kStallTimeout;
    const run::ExperimentResult experiment_result = experiment.run(
        plan, [&] { lab->start_triggers(o.trials); },
        [&](StationId side, const TrialRecord& r) { annotator.on_record(side, r); });
    annotator.finish();
    csv.close();

    result.light_cone = lab->verifier().summary();
    result.flagged_records = annotator.flagged_records();
    result.basis = lab->basis_stats();
    result.delayed_outcomes = lab->delayed_outcomes();

    const timing::TrialEvents* drawn = chosen ? &*chosen : least ? &*least : nullptr;
    if (drawn)
        timing::write_text_file((o.out / kSpaceTimeSvg).string(),
                                timing::space_time_svg(o.lab, *drawn, "SystemC lab \"" + o.lab.name + "\": trial " +
                                                                          std::to_string(drawn->trial) +
                                                                          (chosen ? "" : " (the least light-cone margin of the run)")));
    timing::write_text_file((o.out / kMarginsSvg).string(),
                            timing::margin_histogram_svg(result.light_cone.margins_ps,
                                                         "SystemC lab \"" + o.lab.name + "\": light-cone margins of " +
                                                             std::to_string(o.trials) + " trials"));

    nlohmann::json m;
    m["run_id"] = run::new_run_id();
    m["trials"] = o.trials;
    m["source_bias"] = o.lab.simulation.source_epsilon;
    // The abort rule, fixed before the run (docs/certification.md): the CHSH value the simulated
    // pair is built to show.
    lab::QubitPairParams pair;
    pair.model = lab::parse_pair_model(o.lab.simulation.pair_model);
    pair.visibility = o.lab.simulation.visibility;
    pair.readout_error = o.lab.simulation.readout_error;
    m["expected_chsh"] = pair.expected_chsh();
    m["host"] = {{"dira_version", std::to_string(kFirmwareVersionMajor) + "." + std::to_string(kFirmwareVersionMinor) + "." +
                                      std::to_string(kFirmwareVersionPatch)},
                 {"api_level", kApiLevel}};
    m["station_settings"] = {{"window_open_cycles", settings.window_open_cycles},
                             {"window_close_cycles", settings.window_close_cycles},
                             {"flush_cycles", settings.flush_cycles}};
    m["simulation"] = {{"kind", "systemc-lab"}, {"lab_source", o.lab_source}, {"lab", timing::to_json(o.lab)}};
    for (const auto& s : experiment_result.stations) m["stations"][station_name(s.side)] = run::station_json(s);
    const auto& lc = result.light_cone;
    m["light_cone"] = {{"checked_trials", lc.trials - lc.unchecked},
                       {"unchecked_trials", lc.unchecked},
                       {"violations", lc.violations},
                       {"flagged_records", result.flagged_records},
                       {"min_margin_ns", lc.margins_ps.empty() ? nlohmann::json() : nlohmann::json(lc.min_margin_ps / 1000.0)},
                       {"min_margin_trial", lc.min_margin_trial},
                       {"budget_min_margin_ns", result.budget.min_margin_ns},
                       {"flag", "records of trials that are not space-like separated carry LIGHT_CONE (bit 8): such a run must not be certified"},
                       {"files", {kLightConeCsv, kSpaceTimeSvg, kMarginsSvg}}};
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    m["wall_seconds"] = result.wall_seconds;
    writer.finish(m, experiment_result);
    result.manifest = run::read_manifest(o.out);
    return result;
}

nlohmann::json to_json(const LabRunResult& r) {
    const auto& lc = r.light_cone;
    const auto& lab = r.manifest["simulation"]["lab"];
    nlohmann::json basis;
    timing::LabDescription description = timing::parse_lab(lab, "the run's manifest");
    for (auto side : kStations) basis[station_name(side)] = basis_json(r.basis[index(side)], description.station(side));
    return {{"run_dir", r.run_dir.string()},
            {"lab", description.name},
            {"distance_m", r.budget.distance_m},
            {"trials", r.manifest["trials"]},
            {"checked_trials", lc.trials - lc.unchecked},
            {"violations", lc.violations},
            {"flagged_records", r.flagged_records},
            {"min_margin_ns", lc.margins_ps.empty() ? nlohmann::json() : nlohmann::json(lc.min_margin_ps / 1000.0)},
            {"min_margin_trial", lc.min_margin_trial},
            {"budget_margin_worst_ns", r.budget.min_margin_ns},
            {"basis_selection", basis},
            {"delayed_outcomes", r.delayed_outcomes},
            {"wall_seconds", r.wall_seconds}};
}

} // namespace dira::systemc
