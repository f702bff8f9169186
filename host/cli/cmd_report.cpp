// dira report RUN_DIR: writes RUN_DIR/report.html, the run as a page a person opens in a browser
// (host/report/report.hpp, docs/report.md).
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/report_command.hpp"
#include "sim/weak_pad.hpp"

namespace dira::cli {
namespace {

// The picture's weak pad: the simulator's weak source in its constant-bias mode at a bias no one
// would certify with, so that the image visibly shows through.
constexpr double kVisiblyWeakBias = 0.4; // P[1] = 0.9
constexpr std::uint64_t kVisiblyWeakSeed = 1;

report::WeakPad visibly_weak_pad() {
    report::WeakPad pad;
    char description[160];
    std::snprintf(description, sizeof description, "the simulator's weak source, constant bias eps = %.1f (P[1] = %.2f)", kVisiblyWeakBias,
                  0.5 + kVisiblyWeakBias);
    pad.description = description;
    pad.bits = [](std::size_t bits) { return sim::weak_source_bits(kVisiblyWeakBias, "constant", kVisiblyWeakSeed, bits); };
    return pad;
}

struct ReportArgs {
    std::string run_dir;
    bool json = false;
};

void run_report(const ReportArgs& a) {
    const auto result = write_run_report(a.run_dir, !a.json && isatty(STDERR_FILENO));
    if (a.json) {
        nlohmann::json checks = nlohmann::json::array();
        for (const auto& c : result.checks) checks.push_back({{"what", c.what}, {"ok", c.ok}, {"message", c.message}});
        std::cout << nlohmann::json{{"report", result.path.string()}, {"bytes", result.bytes}, {"verified", result.verified()},
                                    {"certified", result.certified}, {"output_bits", result.output_bits}, {"checks", checks}}
                         .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << '\n';
        return;
    }
    std::printf("report: %s (%.0f kB)%s\n", result.path.c_str(), double(result.bytes) / 1000,
                result.verified() ? "" : " -- verification FAILED: the run's files are not what its certificate says");
}

void add_report(CLI::App& app) {
    auto args = std::make_shared<ReportArgs>();
    auto* cmd = app.add_subcommand("report", "write RUN_DIR/report.html: the run's verdict and plots, one page that opens offline (docs/report.md)");
    cmd->add_option("RUN_DIR", args->run_dir, "the run directory")->required();
    cmd->add_flag("--json", args->json, "print where the report is and what its checks found, as JSON");
    cmd->callback([args] { run_report(*args); });
}

} // namespace

report::ReportResult write_run_report(const std::filesystem::path& run_dir, bool progress) {
    report::ReportOptions options;
    options.weak_pad = visibly_weak_pad();
    if (progress)
        options.progress = [](const char* stage, double fraction) { std::fprintf(stderr, "\r%s: %.0f%%   ", stage, 100 * fraction); };
    auto result = report::write_report(run_dir, options);
    if (progress) std::fprintf(stderr, "\r%60s\r", "");
    return result;
}

DIRA_COMMAND(55, add_report);

} // namespace dira::cli
