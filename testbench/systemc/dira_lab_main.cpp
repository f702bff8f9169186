// dira-lab: the two-station experiment in the SystemC lab (picosecond time, both stations' RTL),
// with the light-cone verifier on every trial. Writes a run directory (records annotated with
// LIGHT_CONE where a trial is not space-like separated) and the figures; docs/timing.md.
//
// Exit status: 0 every trial space-like separated, 1 some trial crossed a light cone (its records
// are flagged; the run must not be certified) or the run failed, 2 bad arguments or lab file.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <iostream>

#include <CLI/CLI.hpp>
#include <systemc>

#include "core/error.hpp"
#include "systemc/lab_run.hpp"

namespace {

std::string default_run_dir() {
    const std::time_t now = std::time(nullptr);
    char name[64];
    std::strftime(name, sizeof name, "runs/lab-%Y%m%d-%H%M%S", std::gmtime(&now));
    return name;
}

void print_report(const dira::systemc::LabRunResult& r) {
    const auto j = dira::systemc::to_json(r);
    std::printf("dira-lab: lab \"%s\", stations %.3f m apart, %llu trials (%llu checked) in %.1f s\n",
                j["lab"].get<std::string>().c_str(), r.budget.distance_m,
                static_cast<unsigned long long>(j["trials"].get<std::uint64_t>()),
                static_cast<unsigned long long>(j["checked_trials"].get<std::uint64_t>()), r.wall_seconds);
    double outcome_worst_ns = 1e300;
    for (const auto& c : r.budget.checks)
        if (!c.window_close) outcome_worst_ns = std::min(outcome_worst_ns, c.margin_worst_ns);
    if (!j["min_margin_ns"].is_null())
        std::printf("  light-cone margin: minimum %.3f ns (trial %llu); the static budget's worst case is %.3f ns "
                    "(%.3f ns for a missing outcome's window close)\n",
                    j["min_margin_ns"].get<double>(), static_cast<unsigned long long>(j["min_margin_trial"].get<std::uint64_t>()),
                    outcome_worst_ns, r.budget.min_margin_ns);
    for (const char* side : {"alice", "bob"}) {
        const auto& b = j["basis_selection"][side];
        std::printf("  %-5s basis selection: %llu..%llu clock edges trigger->setting register; pin to pin %.3f..%.3f ns "
                    "(model: at most %.3f ns = %.3f ns basis selection + I/O)\n",
                    side, static_cast<unsigned long long>(b["clock_edges_min"].get<std::uint64_t>()),
                    static_cast<unsigned long long>(b["clock_edges_max"].get<std::uint64_t>()), b["pin_to_pin_min_ns"].get<double>(),
                    b["pin_to_pin_max_ns"].get<double>(), b["model_pin_to_pin_max_ns"].get<double>(),
                    b["model_basis_selection_ns"].get<double>());
    }
    std::printf("  %llu trials not space-like separated; %llu records flagged LIGHT_CONE\n",
                static_cast<unsigned long long>(j["violations"].get<std::uint64_t>()),
                static_cast<unsigned long long>(j["flagged_records"].get<std::uint64_t>()));
    std::printf("  run directory: %s (light_cone.csv, spacetime.svg, margins.svg)\n", r.run_dir.c_str());
}

} // namespace

int sc_main(int argc, char* argv[]) {
    dira::systemc::set_femtosecond_resolution();
    CLI::App app{"dira-lab: the Bell-test lab in SystemC (both stations' RTL, picosecond light cones)"};
    std::string config, out;
    double distance_m = 0, trigger_period_ns = 0;
    std::optional<std::uint64_t> seed, svg_trial;
    dira::systemc::LabRunOptions options;
    bool json = false;
    app.add_option("--config,-c", config, "lab description (JSON, docs/timing.md), e.g. labs/default-30m.json")->required();
    app.add_option("--trials,-n", options.trials, "trials to run")->capture_default_str()->check(CLI::Range(std::uint64_t{1}, std::uint64_t{0xFFFFFFFF}));
    app.add_option("--out,-o", out, "run directory to write (default: runs/lab-<UTC time>)");
    app.add_flag("--force", options.overwrite, "overwrite a non-empty run directory");
    app.add_option("--distance", distance_m, "place the stations this many metres apart (moves Bob along the line)")->check(CLI::PositiveNumber);
    app.add_option("--trigger-period-ns", trigger_period_ns,
                   "override the sequencer's trigger period (a shorter period simulates faster; it must exceed a trial)")
        ->check(CLI::PositiveNumber);
    app.add_option("--seed", seed, "override simulation.seed of the lab file");
    app.add_option("--svg-trial", svg_trial, "draw this trial's space-time diagram (default: the least margin)");
    app.add_flag("--json", json, "print one JSON object instead of the report");
    try {
        app.parse(argc, argv);
        options.lab = dira::timing::load_lab(config);
        options.lab_source = config;
        if (distance_m > 0) dira::timing::set_station_distance(options.lab, distance_m);
        if (trigger_period_ns > 0) options.lab.sequencer.trigger_period_ns = trigger_period_ns;
        if (seed) options.lab.simulation.seed = *seed;
        dira::timing::validate(options.lab, config + " (with the command line's changes)");
        options.out = out.empty() ? default_run_dir() : out;
        options.svg_trial = svg_trial;
        const auto result = dira::systemc::run_lab(options);
        if (json)
            std::cout << dira::systemc::to_json(result).dump(2) << '\n';
        else
            print_report(result);
        return result.light_cone.violations == 0 ? 0 : 1;
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    } catch (const dira::Error& e) {
        std::cerr << "dira-lab: " << dira::to_string(e.kind()) << ": " << e.what() << '\n';
        return e.kind() == dira::ErrorKind::invalid_argument ? 2 : 1;
    } catch (const std::exception& e) {
        std::cerr << "dira-lab: " << e.what() << '\n';
        return 1;
    }
}
