// One run of the SystemC lab, end to end through the host's own path (Station over a transport,
// Experiment, RunWriter): both stations armed with the lab's readout window, the sequencer firing,
// every trial checked by the light-cone verifier, every record checked against the lab and
// annotated (LIGHT_CONE) before it is written. SystemC allows one simulation per process: call
// run_lab once.
//
// The run directory gets, besides the records and the manifest (with a "light_cone" section):
//   light_cone.csv   per trial: each station's events (ps) and both margins, and the flag
//   spacetime.svg    the space-time diagram of one trial (the least margin, or --svg-trial)
//   margins.svg      the histogram of the margins
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "systemc/lab_sc.hpp"
#include "timing/timing_budget.hpp"

namespace dira::systemc {

inline constexpr const char* kLightConeCsv = "light_cone.csv";
inline constexpr const char* kSpaceTimeSvg = "spacetime.svg";
inline constexpr const char* kMarginsSvg = "margins.svg";

struct LabRunOptions {
    timing::LabDescription lab;
    std::string lab_source; // where the description came from, for the manifest
    std::uint64_t trials = 1000;
    std::filesystem::path out;
    bool overwrite = false;
    std::optional<std::uint64_t> svg_trial; // default: the trial with the least margin
};

struct LabRunResult {
    std::filesystem::path run_dir;
    timing::TimingBudget budget;
    timing::LightConeSummary light_cone;
    std::uint64_t flagged_records = 0;
    std::array<BasisStats, 2> basis;
    std::uint64_t delayed_outcomes = 0;
    double wall_seconds = 0;
    nlohmann::json manifest;
};

LabRunResult run_lab(const LabRunOptions& options);
nlohmann::json to_json(const LabRunResult& result);

} // namespace dira::systemc
