// `dira report RUN`: RUN/report.html, one self-contained page (scripts, style and data inlined,
// nothing fetched) that shows a run to the people who took it and those who rely on its bits: the
// verdict and certificate, S over the run against the abort line, the setting pairs, certified
// min-entropy against the plan, the weak sources and their health tests, losses per station, the
// light-cone margins, and the one-time-pad picture. docs/report.md says how to read each part.
//
// The report re-certifies the run from its records in the same pass that bins them for the charts
// (one read of each record store) and compares the result with the stored certificate.json and the
// hashes it names: a run whose files were changed after certification says "verification failed"
// at the top, in red.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dira::report {

// Bits from a visibly weak source for the one-time-pad picture; the report asks for as many bits
// as the picture has pixels.
struct WeakPad {
    std::string description; // what made them, shown under the picture
    std::function<std::vector<std::uint8_t>(std::size_t bits)> bits; // packed, bit i in byte i / 8 at bit i % 8
};

struct ReportOptions {
    std::optional<WeakPad> weak_pad; // none: the page says that panel was not made
    std::function<void(const char* stage, double fraction)> progress;
};

// One check of the run's files against what the certificate and manifest claim.
struct VerificationCheck {
    std::string what;
    bool ok = false;
    std::string message;
};

struct ReportResult {
    std::filesystem::path path;              // RUN/report.html
    std::uint64_t bytes = 0;
    bool certified = false;                  // the verdict recomputed from the records
    std::uint64_t output_bits = 0;
    std::vector<VerificationCheck> checks;
    bool verified() const;                   // every check passed
};

// The page for RUN_DIR, as text. Throws dira::Error: not_found (no run directory, no manifest),
// format (a manifest that is not a run's), integrity (a file of the run that is a symlink, a device,
// a FIFO or a directory where a file belongs).
std::string render_report(const std::filesystem::path& run_dir, const ReportOptions& options, ReportResult& result);

// Renders and writes RUN_DIR/report.html (a temporary file renamed into place; owner-only, since
// the picture discloses the first output bits: docs/report.md).
ReportResult write_report(const std::filesystem::path& run_dir, const ReportOptions& options = {});

} // namespace dira::report
