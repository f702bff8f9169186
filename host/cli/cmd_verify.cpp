// dira verify RUN_DIR: re-checks every checksum and hash a run directory and its certificate claim.
#include <cstdio>
#include <iostream>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "store/run_verify.hpp"

namespace dira::cli {
namespace {

struct VerifyArgs {
    std::string run_dir;
    bool json = false;
    bool quiet = false;
};

void run(const VerifyArgs& a) {
    const auto report = store::verify_run(a.run_dir);
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
    cmd->callback([args] { run(*args); });
}

} // namespace

DIRA_COMMAND(90, add_verify);

} // namespace dira::cli
