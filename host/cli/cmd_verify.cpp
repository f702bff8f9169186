// dira verify RUN_DIR: re-checks every checksum and hash a run directory and its certificate claim,
// the pre-registered plan's binding, and (unless --quick) recomputes the certificate (run/verify.hpp).
#include <cstdio>
#include <iostream>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "run/verify.hpp"

namespace dira::cli {
namespace {

struct VerifyArgs {
    std::string run_dir;
    bool json = false;
    bool quiet = false;
    bool quick = false;
};

void run(const VerifyArgs& a) {
    const auto report = run::verify_run_directory(a.run_dir, {.recompute = !a.quick});
    if (a.json) {
        std::cout << report.to_json().dump(2) << '\n';
    } else {
        for (const auto& c : report.checks)
            if (!a.quiet || !c.ok) std::printf("%s  %s: %s\n", c.ok ? "ok  " : "FAIL", c.what.c_str(), c.message.c_str());
        std::printf("%s: %zu checks, %zu failed\n", a.run_dir.c_str(), report.checks.size(), report.failures());
    }
    if (!report.ok())
        throw Error(ErrorKind::integrity, a.run_dir + " failed " + std::to_string(report.failures()) +
                                              " check(s): do not certify or publish it as it is");
}

void add_verify(CLI::App& app) {
    auto args = std::make_shared<VerifyArgs>();
    auto* cmd = app.add_subcommand("verify", "check every checksum, hash and loss ledger of a run directory and its certificate");
    cmd->add_option("run_dir", args->run_dir, "the run directory")->required();
    cmd->add_flag("--json", args->json, "print one JSON object");
    cmd->add_flag("--quiet,-q", args->quiet, "print only failed checks and the summary");
    cmd->add_flag("--quick", args->quick, "skip recomputing the certificate from the stored data (every hash is still checked)");
    cmd->callback([args] { run(*args); });
}

} // namespace

DIRA_COMMAND(90, add_verify);

} // namespace dira::cli
