// dira simulate: the two-station experiment in the simulated lab, end to end, into a run directory.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/run_report.hpp"
#include "cli/report_command.hpp"
#include "dira/station_timing.hpp"
#include "extract/lengths.hpp"
#include "sim/simulate.hpp"

namespace dira::cli {
namespace {

struct SimulateArgs {
    sim::SimulationOptions options;
    std::string out;
    std::string model = "quantum";
    std::string source_mode = "constant";
    std::string engine = "rtl";
    double source_bias = 0.0075;
    bool json = false;
};

std::string default_run_dir() {
    const std::time_t now = std::time(nullptr);
    char name[64];
    std::strftime(name, sizeof name, "runs/sim-%Y%m%d-%H%M%S", std::gmtime(&now));
    return name;
}

void add_options(CLI::App& cmd, SimulateArgs& a) {
    auto& o = a.options;
    auto& lab = o.lab.lab;
    cmd.add_option("--trials,-n", o.trials, "trials to run (each station records one per trigger)")
        ->capture_default_str()->check(CLI::Range(std::uint64_t{1}, std::uint64_t{0xFFFFFFFF}));
    cmd.add_option("--out,-o", a.out, "run directory to write (default: runs/sim-<UTC time>)");
    cmd.add_flag("--force", o.overwrite, "overwrite a non-empty run directory");
    cmd.add_flag("--json", a.json, "print one JSON object instead of the report");
    cmd.add_option("--seed", o.seed, "seed for every model of the lab (the same seed gives the same records)")->capture_default_str();
    cmd.add_option("--model", a.model, "qubit pair: quantum (Werner state) or lhv (local hidden variables)")
        ->capture_default_str()->check(CLI::IsMember({"quantum", "lhv"}));
    cmd.add_option("--visibility,-V", lab.qubits.visibility, "Werner visibility V; S = 2 sqrt(2) V")
        ->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd.add_option("--readout-error", lab.qubits.readout_error, "probability that a readout flips")
        ->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd.add_option("--missing", lab.qubits.missing_probability, "probability that a readout never comes")
        ->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd.add_option("--source-bias", a.source_bias, "Santha-Vazirani bias epsilon of both weak sources")
        ->capture_default_str()->check(CLI::Range(0.0, 0.4999999));
    cmd.add_option("--source-mode", a.source_mode, "weak sources: constant (bias +eps), drifting (in [-eps, eps]) or stuck")
        ->capture_default_str()->check(CLI::IsMember({"constant", "drifting", "stuck"}));
    cmd.add_option("--trigger-period", lab.timing.trigger_period_cycles, "cycles between triggers")->capture_default_str();
    cmd.add_option("--readout-delay", lab.timing.readout_delay_cycles, "cycles from setting strobe to readout strobe")->capture_default_str();
    cmd.add_option("--window-open", o.station.window_open_cycles, "readout window opens this many cycles after the setting")->capture_default_str();
    cmd.add_option("--window-close", o.station.window_close_cycles, "readout window closes this many cycles after the setting")->capture_default_str();
    cmd.add_option("--back-to-back", lab.faults.back_to_back_probability, "probability that a trigger follows too soon (late trigger)")
        ->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd.add_option("--late-readout", lab.faults.late_readout_probability, "probability that a readout comes after its window")
        ->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd.add_option("--threads", o.lab.threads, "1: both stations in one thread; 2: a thread per station (same records)")
        ->capture_default_str()->check(CLI::Range(1u, 2u));
    cmd.add_option("--expected-chsh", o.planned_chsh,
                   "the plan's expected S, registered before the run: the abort rule expects it of the devices "
                   "(default: the default quantum pair's, whatever the simulated pair does)")
        ->capture_default_str();
    cmd.add_option("--engine", a.engine, "stations simulated as the Verilated RTL (rtl) or the HLS C++ model (model): same records")
        ->capture_default_str()->check(CLI::IsMember({"rtl", "model"}));
    cmd.add_option("--clock-hz", o.lab.clock_hz, "station clock (reported; the simulation counts cycles)")->capture_default_str();
}

void print_report(const sim::SimulationResult& r) {
    const auto& m = r.manifest;
    const auto& sim = m["simulation"];
    std::printf("dira simulate: %llu trials, %s qubit pair (V = %.4f, expected S = %.3f), weak sources eps = %g, seed %llu\n",
                static_cast<unsigned long long>(m["trials"].get<std::uint64_t>()),
                sim["qubit_pair"]["model"].get<std::string>().c_str(), sim["qubit_pair"]["visibility"].get<double>(),
                sim["qubit_pair"]["expected_chsh"].get<double>(), r.verdict.certificate.run.source_bias,
                static_cast<unsigned long long>(sim["seed"].get<std::uint64_t>()));
    print_chsh(r.verdict.certificate);
    const auto& stats = r.lab;
    const double clock_hz = r.experiment.stations[0].identity.clock_hz;
    std::printf("  basis-selection latency: %u cycles documented (%.1f ns at %.0f MHz); measured on the pins: %llu..%llu cycles\n",
                kBasisLatencyCycles, kBasisLatencyCycles * 1e9 / clock_hz, clock_hz / 1e6,
                static_cast<unsigned long long>(std::min(stats.basis_latency_min_cycles[0], stats.basis_latency_min_cycles[1])),
                static_cast<unsigned long long>(std::max(stats.basis_latency_max_cycles[0], stats.basis_latency_max_cycles[1])));
    print_stations(r.experiment);
    std::printf("  run directory: %s (run id %s); %.1f s, %.0f trials/s\n", r.run_dir.c_str(), r.run_id.c_str(),
                r.experiment.wall_seconds, m["trials"].get<double>() / r.experiment.wall_seconds);
    print_verdict(r.verdict);
}

nlohmann::json summary_json(const sim::SimulationOptions& o, const sim::SimulationResult& r) {
    nlohmann::json j = verdict_json(r.verdict, r.run_dir);
    j["trials"] = o.trials;
    j["run_dir"] = r.run_dir.string();
    j["run_id"] = r.run_id;
    j["basis_latency_cycles"] = r.experiment.stations[0].identity.basis_latency_cycles;
    j["basis_latency_measured_cycles"] = {std::min(r.lab.basis_latency_min_cycles[0], r.lab.basis_latency_min_cycles[1]),
                                          std::max(r.lab.basis_latency_max_cycles[0], r.lab.basis_latency_max_cycles[1])};
    std::uint64_t late = 0, missing = 0, frames = 0, dropped = 0;
    for (const auto& s : r.experiment.stations) {
        late += s.counters.get("LATE_TRIGGERS");
        missing += s.counters.get("MISSING_OUTCOMES");
        frames += s.counters.get("FRAMES_SENT");
        dropped += s.counters.get("RECORDS_DROPPED");
    }
    j["late"] = late;
    j["missing"] = missing;
    j["frames"] = frames;
    j["dropped"] = dropped;
    j["wall_seconds"] = r.experiment.wall_seconds;
    j["stations"] = r.manifest["stations"];
    return j;
}

void run(SimulateArgs& a) {
    auto& o = a.options;
    o.out = a.out.empty() ? default_run_dir() : a.out;
    o.lab.lab.qubits.model = lab::parse_pair_model(a.model);
    o.lab.engine = testbench::parse_station_engine(a.engine);
    for (auto& s : o.lab.lab.sources) {
        s.epsilon = a.source_bias;
        s.mode = lab::parse_bias_mode(a.source_mode);
    }
    // A status line on a terminal; nothing else (--json prints one object at the end).
    const bool show_progress = !a.json && isatty(STDERR_FILENO);
    ProgressPrinter printer(show_progress ? ProgressStyle::status_line : ProgressStyle::none);
    const auto result = sim::simulate(
        o, [&](const run::Progress& p) { printer.trials(p); }, [&](const char* stage, double f) { printer.stage(stage, f); });
    printer.done();
    if (a.json) {
        auto summary = summary_json(o, result);
        summary["report"] = write_run_report(result.run_dir, false).path.string();
        std::cout << summary.dump(2) << '\n';
    } else {
        print_report(result);
        std::printf("  report: %s\n", write_run_report(result.run_dir, show_progress).path.c_str());
    }
}

void add_simulate(CLI::App& app) {
    auto args = std::make_shared<SimulateArgs>();
    auto* cmd = app.add_subcommand("simulate", "run the two-station Bell experiment in the simulated lab (Verilated or modelled stations)");
    add_options(*cmd, *args);
    cmd->callback([args] { run(*args); });
}

} // namespace

DIRA_COMMAND(10, add_simulate);

} // namespace dira::cli
