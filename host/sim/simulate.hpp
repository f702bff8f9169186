// `dira simulate` as a library call: the two-station experiment in the simulated lab, end to end
// through the same host path a real run takes (run/run_path.hpp: collect_run, then finish_run).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "certify/preregistration.hpp"
#include "lab/sim_lab.hpp"
#include "run/experiment.hpp"
#include "run/finalize.hpp"
#include "run/run_path.hpp"

namespace dira::sim {

struct SimulationOptions {
    std::uint64_t trials = 1'000'000;
    std::uint64_t seed = 1;
    lab::SimLabConfig lab;         // qubit pair, weak sources, timing, faults, clock (seeds are derived)
    // Register settings for both stations: the readout window fits the lab's compressed timeline
    // (lab_model.hpp, LabTiming), closing 16 cycles after the setting.
    run::StationSettings station{.window_open_cycles = 2, .window_close_cycles = 16, .flush_cycles = 256};
    std::filesystem::path out;     // the run directory to write
    bool overwrite = false;
    // The pre-registered plan's expected CHSH value: what the abort rule expects of the devices, fixed
    // before the run (default: the default quantum pair's S), never the simulated device's own value.
    double planned_chsh = lab::QubitPairParams{}.expected_chsh();
};

struct SimulationResult {
    std::string run_id;
    std::filesystem::path run_dir;
    run::ExperimentResult experiment;
    lab::LabStats lab;
    nlohmann::json manifest;
    run::FinalizeResult verdict; // the certificate, and the extraction when it certifies
};

// The manifest's "simulation" entry: the lab a simulated board ran in, from its seed.
nlohmann::json lab_json(std::uint64_t seed, const lab::SimLabConfig& config, const lab::LabStats& stats);

// Derives each model's seed from options.seed, so one number reproduces the whole run; the stations
// are built without their extraction engine (the host extracts).
lab::SimLabConfig seeded_lab_config(const SimulationOptions& options);

// The plan `simulate` registers before the first trial (certify/preregistration.hpp): the planned S,
// the weak sources' eps, the trials and the default certification options. Throws invalid_argument
// for a plan that cannot certify (e.g. a planned S at or below the SV-local bound).
certify::Preregistration simulation_plan(const SimulationOptions& options, const std::string& run_id);

// The extractor's second input of a simulated run, written to RUN_DIR/weak_source.bits before the
// first trial and named, with its SHA-256, in the plan: as many bits as the plan's extractor reads,
// a further stretch of the lab's SV source (its own seed stream). `simulation` is the lab's JSON
// (lab_json, Transport::simulated_lab). Nothing when the plan certifies nothing.
void write_simulated_second_source(const std::filesystem::path& run_dir, const nlohmann::json& simulation,
                                   certify::Preregistration& plan);

// Opens two sim: boards in one new lab and runs them through the path every run takes
// (run/run_path.hpp): the experiment, the run directory, certification and extraction.
SimulationResult simulate(const SimulationOptions& options, const run::Experiment::ProgressFn& progress = {},
                          const std::function<void(const char* stage, double fraction)>& finalize_progress = {});

} // namespace dira::sim
