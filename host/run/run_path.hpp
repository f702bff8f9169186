// The one path every run takes, whatever its boards: `dira simulate` (two sim: boards in one lab),
// `dira run` (any two devices: usb:, ftdi:, sim:, tcp://) and `dira run --resume`.
//
//   collect_run   identify both stations, arm them, start the triggers (the simulated lab's, or wait
//                 for the lab's own), store every record, write the manifest
//   finish_run    the end of every run: certify, extract, say where things are
//
// Everything that decides the certificate is fixed in the RunRequest before the first trial.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "run/experiment.hpp"
#include "run/finalize.hpp"
#include "run/run_dir.hpp"
#include "transport/station.hpp"

namespace dira::run {

struct RunRequest {
    std::filesystem::path out; // the run directory
    std::string run_id;        // empty: a new one
    bool overwrite = false;
    ExperimentPlan plan;
    // Called once both stations are identified and the run directory is open, before any trial:
    // where the plan is registered (RunWriter::register_plan; certification refuses a run without
    // one). `simulation`: the simulated boards' lab (null for real boards). May throw to refuse the run.
    std::function<void(RunWriter& writer, const nlohmann::json& simulation)> before_first_trial = {};
    // Called once both stations are armed: `simulated` when the simulated lab's sequencer was
    // started, false when the lab's own sequencer must now trigger them (the caller says so).
    std::function<void(bool simulated)> triggers_started = {};
};

struct CollectedRun {
    std::string run_id;
    std::filesystem::path run_dir;
    ExperimentResult experiment;
    bool simulated_triggers = false; // the simulated lab's sequencer; else the lab's own
    nlohmann::json manifest;         // as written to RUN_DIR/manifest.json
};

// Runs the experiment on two open stations into request.out (run/run_dir.hpp: an unfinished run
// there is resumed by replay). When plan.stop_requested stops it, the record files are closed with
// every record received, no manifest is written, and Interrupted is rethrown: the run can be resumed. The manifest says what each board is, which trigger source ran, and,
// for simulated boards, their lab ("simulation").
CollectedRun collect_run(transport::Station& alice, transport::Station& bob, const RunRequest& request,
                         const Experiment::ProgressFn& progress = {});

// The end of every run: certify the run directory, and when it certifies, extract with `second`
// (run/finalize.hpp). Whatever a finished run should also produce (a report page) belongs here.
FinalizeResult finish_run(const std::filesystem::path& run_dir, const SecondSource& second,
                          const std::function<void(const char* stage, double fraction)>& progress = {});

} // namespace dira::run
