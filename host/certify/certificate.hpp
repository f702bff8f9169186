// The verdict: from a run's records to a certificate that says how many perfectly random bits the run
// certifies, or why it certifies none (docs/certification.md section 8). Deterministic: the same run
// gives the same certificate bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "certify/plan.hpp"
#include "certify/records.hpp"
#include "certify/scoring.hpp"
#include "certify/source_test.hpp"

namespace dira::certify {

// How a run is certified. Like the abort rule, these belong to the protocol and are fixed before the
// run (the run directory's manifest may set them; these are the defaults).
struct CertifyOptions {
    double soundness_error = 1e-12;
    ExtractorKind extractor = ExtractorKind::dodis;
    SecurityModel model = SecurityModel::markov;
    double completeness_target = 1e-6;        // for an abort rule derived from the expected S
    double source_test_false_refusal = 1e-6;  // P[an honest eps-SV source is refused]
    ScoreOptions scoring;                     // chunk size and progress: do not change the verdict
};

// The observed wins against the best local device for this source (docs section 5.2).
struct LocalBoundTest {
    double local_win_probability = 0;  // 1 - (1/2 - eps)^2
    double local_chsh = 0;
    double observed_win_rate = 0;      // scored wins / trials
    double margin_win_probability = 0; // observed - local
    double margin_chsh = 0;            // 8 * margin
    double margin_in_stderr = 0;       // margin / sqrt(w (1 - w) / N)
    double log10_p_value = 0;          // log10 P[Binomial(N, local) >= scored wins]
};

struct Certificate {
    RunInfo run;
    CertifyOptions options;
    SoundnessBudget budget;
    std::vector<InputFile> inputs;            // sorted by role
    bool counts_complete = false;             // every trial was scored (no integrity refusal)
    TrialCounts counts;
    std::optional<ChshEstimate> chsh;
    std::optional<SourceTest> source_test;
    std::optional<LocalBoundTest> local_bound;
    std::optional<AbortRule> abort_rule;
    std::optional<CertifiedLength> length;    // only when every check passed
    std::vector<Refusal> refusals;
    std::optional<InputFile> output;          // the extracted bits, filled by the extraction step

    std::uint64_t output_bits() const { return refusals.empty() && length ? length->extractor.output_bits : 0; }
    bool certified() const { return output_bits() > 0; }
};

// Scores both streams and decides. Refusals (integrity, source, abort rule, nothing certified) are part
// of the certificate, not exceptions; dira::Error is thrown only for bad options (invalid_argument) and
// for errors that are not about the run (io, internal).
Certificate certify_run(const RunInfo& run, RecordSource& alice, RecordSource& bob, const CertifyOptions& options = {});

inline constexpr const char* kCertificateFormat = "dira-certificate/1";

nlohmann::json certificate_to_json(const Certificate& certificate);
// Names the extracted output in an existing certificate (the extraction step calls this).
void record_output(nlohmann::json& certificate, const InputFile& output);

} // namespace dira::certify
