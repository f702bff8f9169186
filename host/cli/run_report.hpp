// What `dira simulate` and `dira run` print about a finished run: the CHSH figures and the verdict,
// and the progress line while it runs (a status line on a terminal, a log line per interval
// otherwise, a JSON event per interval with --json).
#pragma once

#include <nlohmann/json.hpp>

#include "certify/certificate.hpp"
#include "run/experiment.hpp"
#include "run/finalize.hpp"

namespace dira::cli {

void print_chsh(const certify::Certificate& c);
// Per station: records, frames, late triggers, missing outcomes, dropped records, lost spans.
void print_stations(const run::ExperimentResult& result);
void print_verdict(const run::FinalizeResult& v);
// The verdict's figures for a JSON summary (certified bits, S, where the files are).
nlohmann::json verdict_json(const run::FinalizeResult& v, const std::filesystem::path& run_dir);

enum class ProgressStyle { none, status_line, log_lines, json_events };
// The style for this run: json events with --json, a status line when stderr is a terminal, log
// lines otherwise.
ProgressStyle progress_style(bool json);

class ProgressPrinter {
public:
    explicit ProgressPrinter(ProgressStyle style) : style_(style) {}
    void trials(const run::Progress& p);
    void stage(const char* stage, double fraction);
    void done(); // ends the status line

private:
    ProgressStyle style_;
    double last_log_seconds_ = -1e9;
};

} // namespace dira::cli
