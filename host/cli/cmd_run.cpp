// dira run: the experiment on two station boards over any transport (usb:, ftdi:, sim:, tcp://),
// into a run directory, then certified and extracted by the path `dira simulate` takes
// (run/run_path.hpp).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/report_command.hpp"
#include "cli/run_report.hpp"
#include "cli/stop_signal.hpp"
#include "certify/preregistration.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "run/run_dir.hpp"
#include "run/run_path.hpp"
#include "sim/simulate.hpp"
#include "timing/lab_description.hpp"
#include "transport/devices.hpp"

namespace dira::cli {
namespace {

// Exit status after Ctrl-C, as a shell reports a program stopped by SIGINT.
constexpr int kExitInterrupted = 130;
constexpr const char* kRequestFormat = "dira-run-request/1";

struct RunArgs {
    std::string resume;
    std::string alice, bob;
    std::uint64_t trials = 0;
    std::string out;
    bool force = false;
    std::string lab;
    double source_bias = 0.0075;
    double planned_chsh = sim::SimulationOptions{}.planned_chsh;
    run::StationSettings station;
    std::string second_source;
    double stall_seconds = 10;
    bool json = false;
    transport::DeviceOptions devices;
};

std::string default_run_dir() {
    const std::time_t now = std::time(nullptr);
    char name[64];
    std::strftime(name, sizeof name, "runs/run-%Y%m%d-%H%M%S", std::gmtime(&now));
    return name;
}

void add_options(CLI::App& cmd, RunArgs& a) {
    cmd.add_option("--alice", a.alice, "Alice's station board (see `dira devices`): usb:..., ftdi:..., sim:alice, tcp://HOST:PORT");
    cmd.add_option("--bob", a.bob, "Bob's station board");
    cmd.add_option("--trials,-n", a.trials, "trials to run (each station records one per trigger)")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{0xFFFFFFFF}));
    cmd.add_option("--resume", a.resume, "continue the unfinished run in this directory (after Ctrl-C, kill or power loss), "
                                         "with the devices and settings it was started with");
    cmd.add_option("--out,-o", a.out, "run directory to write (default: runs/run-<UTC time>)");
    cmd.add_flag("--force", a.force, "overwrite a non-empty run directory");
    cmd.add_option("--lab", a.lab, "lab description (labs/NAME.json): the stations' readout windows and the source bias");
    cmd.add_option("--source-bias", a.source_bias, "Santha-Vazirani bias epsilon of the settings source (default: the lab's, else 0.0075)")
        ->check(CLI::Range(0.0, 0.4999999));
    cmd.add_option("--planned-chsh", a.planned_chsh, "the CHSH value S the plan expects (fixed before the run: the abort rule)")
        ->capture_default_str();
    cmd.add_option("--window-open", a.station.window_open_cycles, "readout window opens this many cycles after the setting")
        ->capture_default_str();
    cmd.add_option("--window-close", a.station.window_close_cycles, "readout window closes this many cycles after the setting")
        ->capture_default_str();
    cmd.add_option("--second-source", a.second_source,
                   "file of further weak-source bits for the extractor (simulated boards make their own)");
    cmd.add_option("--stall-timeout", a.stall_seconds, "seconds without a trial before the run stops with an error")
        ->capture_default_str()->check(CLI::PositiveNumber);
    cmd.add_option("--key", a.devices.curve_key_file, "this certifier's secret key file, for tcp:// stations (`dira keys NAME`)");
    cmd.add_flag("--json", a.json, "JSON lines on stdout: progress events, then the summary");
}

// The readout windows and source bias from a lab description; one setting for both stations, as
// the run arms both alike.
void apply_lab(RunArgs& a, const CLI::App& cmd) {
    if (a.lab.empty()) return;
    const auto lab = timing::load_lab(a.lab);
    const auto& fa = lab.station(StationId::alice).fpga;
    const auto& fb = lab.station(StationId::bob).fpga;
    if (fa.window_open_cycles != fb.window_open_cycles || fa.window_close_cycles != fb.window_close_cycles)
        throw Error(ErrorKind::invalid_argument, a.lab + ": Alice's and Bob's readout windows differ; dira run arms both "
                                                         "stations alike: give both the same window_open/close_cycles");
    if (cmd.count("--window-open") == 0) a.station.window_open_cycles = fa.window_open_cycles;
    if (cmd.count("--window-close") == 0) a.station.window_close_cycles = fa.window_close_cycles;
    if (cmd.count("--source-bias") == 0) a.source_bias = lab.simulation.source_epsilon;
}

nlohmann::json request_json(const RunArgs& a, const std::string& run_id) {
    return {{"format", kRequestFormat},
            {"run_id", run_id},
            {"alice", a.alice},
            {"bob", a.bob},
            {"trials", a.trials},
            {"window_open_cycles", a.station.window_open_cycles},
            {"window_close_cycles", a.station.window_close_cycles},
            {"flush_cycles", a.station.flush_cycles},
            {"source_bias", a.source_bias},
            {"planned_chsh", a.planned_chsh},
            {"second_source", a.second_source},
            {"stall_timeout_seconds", a.stall_seconds}};
}

// --resume RUN: what the run was started with (RUN/run.json); the run id comes back with it.
std::string load_request(RunArgs& a) {
    const std::filesystem::path dir = a.resume;
    if (!a.alice.empty() || !a.bob.empty() || a.trials != 0 || !a.lab.empty())
        throw Error(ErrorKind::invalid_argument, "--resume continues a run with the devices and settings it was started with: "
                                                 "give no --alice, --bob, --trials or --lab with it");
    if (std::filesystem::exists(run::manifest_path(dir)))
        throw Error(ErrorKind::invalid_argument, dir.string() + " is a finished run (it has its manifest): nothing to resume");
    std::ifstream in(dir / store::kRunRequestFile);
    if (!in || !run::is_unfinished_run(dir))
        throw Error(ErrorKind::not_found, dir.string() + " is not an unfinished `dira run` (no " + store::kRunRequestFile +
                                              " and record files): nothing to resume");
    nlohmann::json j;
    try {
        in >> j;
        if (j.at("format") != kRequestFormat) throw Error(ErrorKind::format, "unknown format");
        a.alice = j.at("alice");
        a.bob = j.at("bob");
        a.trials = j.at("trials");
        a.station = {j.at("window_open_cycles"), j.at("window_close_cycles"), j.at("flush_cycles")};
        a.source_bias = j.at("source_bias");
        a.planned_chsh = j.at("planned_chsh");
        a.second_source = j.at("second_source");
        a.stall_seconds = j.at("stall_timeout_seconds");
        a.out = a.resume;
        return j.at("run_id");
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::format, (dir / store::kRunRequestFile).string() + " is not a dira run request: " + e.what());
    }
}

nlohmann::json summary_json(const run::CollectedRun& c, const run::FinalizeResult& v) {
    nlohmann::json j = verdict_json(v, c.run_dir);
    j["event"] = "done";
    j["trials"] = c.manifest["trials"];
    j["run_dir"] = c.run_dir.string();
    j["run_id"] = c.run_id;
    j["triggers"] = c.manifest["triggers"];
    j["wall_seconds"] = c.experiment.wall_seconds;
    j["stations"] = c.manifest["stations"];
    return j;
}

void print_report(const run::CollectedRun& c, const run::FinalizeResult& v) {
    std::printf("dira run: %llu trials, Alice %s, Bob %s, triggers from the %s\n",
                static_cast<unsigned long long>(c.manifest["trials"].get<std::uint64_t>()),
                c.experiment.stations[0].device.c_str(), c.experiment.stations[1].device.c_str(),
                c.manifest["triggers"].get<std::string>().c_str());
    print_chsh(v.certificate);
    print_stations(c.experiment);
    std::printf("  run directory: %s (run id %s); %.1f s\n", c.run_dir.c_str(), c.run_id.c_str(), c.experiment.wall_seconds);
    print_verdict(v);
}

// The pre-registered plan (certify/preregistration.hpp), the same bytes again when resuming.
certify::Preregistration run_plan(const RunArgs& a, const std::string& run_id) {
    certify::Preregistration plan;
    plan.run_id = run_id;
    plan.params.expected_chsh = a.planned_chsh;
    plan.params.source_bias = a.source_bias;
    plan.params.trials = a.trials;
    return plan;
}

// Registers the plan before the first trial, with the extractor's second input named in it: the
// --second-source file, or the simulated lab's weak source.
void register_plan(run::RunWriter& writer, const nlohmann::json& simulation, const RunArgs& a, const std::string& run_id) {
    auto plan = run_plan(a, run_id);
    if (!a.second_source.empty())
        plan.second_source = certify::InputFile{"weak-source bits", std::filesystem::absolute(a.second_source).string(),
                                                sha256_file_hex(a.second_source)};
    else if (!simulation.is_null())
        sim::write_simulated_second_source(writer.dir(), simulation, plan);
    writer.register_plan(plan);
}

run::RunRequest make_request(RunArgs& a, const CLI::App& cmd) {
    run::RunRequest request;
    if (!a.resume.empty()) {
        request.run_id = load_request(a);
    } else {
        if (a.alice.empty() || a.bob.empty() || a.trials == 0)
            throw Error(ErrorKind::invalid_argument, "give --alice DEVICE, --bob DEVICE and --trials N (or --resume RUN)");
        apply_lab(a, cmd);
        request.run_id = run::new_run_id();
    }
    (void)certify::preregistration_bytes(run_plan(a, request.run_id)); // a plan that cannot certify: refused now
    request.before_first_trial = [&a, id = request.run_id](run::RunWriter& writer, const nlohmann::json& simulation) {
        if (a.resume.empty()) run::write_json_file(writer.dir() / store::kRunRequestFile, request_json(a, id));
        register_plan(writer, simulation, a, id);
    };
    request.out = a.out.empty() ? default_run_dir() : a.out;
    a.out = request.out.string();
    request.overwrite = a.force && a.resume.empty();
    request.plan.trials = a.trials;
    request.plan.station = a.station;
    request.plan.stall_timeout = std::chrono::milliseconds(static_cast<long long>(a.stall_seconds * 1000));
    request.plan.stop_requested = [] { return stop_flag().load(); };
    request.triggers_started = [&a](bool simulated) {
        if (!simulated && !a.json)
            std::fprintf(stderr, "dira: both stations are armed for %llu trials: waiting for the lab's trigger sequencer\n",
                         static_cast<unsigned long long>(a.trials));
    };
    return request;
}

// Where the plan said the extractor's second input is (none for real boards without --second-source).
run::SecondSource second_source(const RunArgs& a, const run::CollectedRun& c) {
    if (!a.second_source.empty()) return {a.second_source};
    if (c.manifest.contains("simulation")) return {c.run_dir / run::kWeakSourceFile};
    return {};
}

void run(RunArgs& a, const CLI::App& cmd) {
    run::RunRequest request = make_request(a, cmd);
    ProgressPrinter printer(progress_style(a.json));
    run::CollectedRun collected;
    catch_stop_signals();
    try {
        transport::Station alice(transport::open_device(a.alice, a.devices));
        transport::Station bob(transport::open_device(a.bob, a.devices));
        collected = run::collect_run(alice, bob, request, [&](const run::Progress& p) { printer.trials(p); });
    } catch (const run::Interrupted& stopped) {
        printer.done();
        std::fprintf(stderr, "dira run: stopped after %llu of %llu trials; every record received is stored in %s.\n"
                             "  continue with: dira run --resume %s\n",
                     static_cast<unsigned long long>(stopped.trials), static_cast<unsigned long long>(a.trials), a.out.c_str(),
                     a.out.c_str());
        std::exit(kExitInterrupted);
    }
    restore_stop_signals();
    const auto verdict = run::finish_run(collected.run_dir,
                                         second_source(a, collected),
                                         [&](const char* stage, double f) { printer.stage(stage, f); });
    printer.done();
    // The run's page (host/report), as `dira simulate` writes it; the run stands without it.
    std::string report;
    try {
        report = write_run_report(collected.run_dir, !a.json && isatty(STDERR_FILENO)).path.string();
    } catch (const Error& e) {
        std::fprintf(stderr, "dira run: the report page was not written (%s); `dira report %s` tries again\n", e.what(),
                     collected.run_dir.c_str());
    }
    if (a.json) {
        auto summary = summary_json(collected, verdict);
        summary["report"] = report;
        std::cout << summary.dump() << std::endl;
    } else {
        print_report(collected, verdict);
        if (!report.empty()) std::printf("  report: %s\n", report.c_str());
    }
}

void add_run(CLI::App& app) {
    auto args = std::make_shared<RunArgs>();
    auto* cmd = app.add_subcommand("run", "run the Bell experiment on two station boards (any transport), certify and extract");
    add_options(*cmd, *args);
    cmd->callback([args, cmd] { run(*args, *cmd); });
}

} // namespace

DIRA_COMMAND(20, add_run);

} // namespace dira::cli
