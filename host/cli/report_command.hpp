// Writing a run's report (host/report) from the dira command: `dira report RUN` and the end of
// `dira simulate` share this, so both give the page the same weak-source pad for its picture.
#pragma once

#include <filesystem>

#include "report/report.hpp"

namespace dira::cli {

// Writes RUN_DIR/report.html; progress on stderr when `progress` is set. Throws dira::Error.
report::ReportResult write_run_report(const std::filesystem::path& run_dir, bool progress);

} // namespace dira::cli
