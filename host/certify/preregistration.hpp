// The pre-registered plan: everything that decides a run's certificate, fixed and committed before
// the first trial is stored (docs/certification.md section 8.1, docs/host.md "What binds a run").
//
// RUN_DIR/plan.json holds the plan's parameters (expected S, source bias eps, trials, soundness,
// extractor, security model, completeness target, the source test's false-refusal probability), the
// run id, and what follows from them: the abort threshold and the extractor's input and output sizes
// (certify/plan.hpp's make_plan), and optionally the SHA-256 of the second source's bits when they
// exist before the run. The SHA-256 of plan.json's bytes is written into each station's record
// store header before the first record (store/record_store.hpp) and into the manifest, so a plan
// edited after the data were seen no longer matches the data it claims to judge. Certification takes
// its parameters from plan.json only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "certify/certificate.hpp"
#include "certify/plan.hpp"
#include "certify/records.hpp"

namespace dira::certify {

inline constexpr const char* kPreregistrationFormat = "dira-plan/1";

struct Preregistration {
    std::string run_id;
    std::uint64_t first_trial = 0;
    PlanParameters params;                    // expected S, eps, trials, soundness, extractor, model, completeness
    double source_test_false_refusal = 1e-6;  // P[an honest eps-SV source is refused]
    // The extractor's second input, when it exists before the run: its name in the run directory
    // and SHA-256. Then certification uses exactly these bits.
    std::optional<InputFile> second_source;
};

// The plan.json bytes: checks the parameters first (validate_plan_parameters: invalid_argument with
// what to change, e.g. an expected S at or below the SV-local bound), then writes parameters and
// derived values. Numbers are those a reader will parse back (12 significant digits), so the plan
// judges with exactly what it shows.
std::string preregistration_bytes(const Preregistration& plan);

// Parses plan.json. format error for anything that is not a plan this dira wrote (a missing or
// non-finite number, an unknown key value); integrity error when the derived values (abort
// threshold, extractor sizes) differ from what the parameters give: the file was edited.
Preregistration parse_preregistration(const std::string& bytes);

// What make_plan gives for the registered parameters (the abort rule and the extractor's sizes).
Plan registered_plan(const Preregistration& plan);

// The run's fixed facts and the certification options, from the plan alone.
RunInfo run_info_from(const Preregistration& plan);
CertifyOptions certify_options_from(const Preregistration& plan);

} // namespace dira::certify
