// dira certify RUN_DIR: scores the run's records, decides, writes RUN_DIR/certificate.json and prints
// the verdict. Exit status 1 when the run is refused. docs/certification.md explains the certificate.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <cstdio>
#include <iostream>
#include <string>

#include "certify/certificate.hpp"
#include "cli/command.hpp"
#include "run/finalize.hpp"
#include "core/error.hpp"
#include "core/files.hpp"

namespace dira::cli {
namespace {

struct CertifyCommandOptions {
    std::string run_directory;
    std::string second_source;
    bool json = false;
};

std::string general(double value, const char* pattern = "%.6g") {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

void print_verdict(const certify::Certificate& c, const std::string& certificate_path) {
    if (c.counts_complete && c.chsh) {
        std::cout << "run " << c.run.run_id << ": " << c.counts.trials << " trials, " << c.counts.scored_wins << " scored wins ("
                  << c.counts.unscored_trials << " unscored), S = " << general(c.chsh->chsh_from_wins, "%.4f") << " +- "
                  << general(c.chsh->chsh_from_wins_stderr, "%.4f") << " from the win rate";
        if (c.chsh->chsh_from_correlators)
            std::cout << ", " << general(*c.chsh->chsh_from_correlators, "%.4f") << " from the correlators";
        std::cout << "\n";
    }
    if (c.local_bound) {
        const auto& t = *c.local_bound;
        const std::string p_value = t.log10_p_value > -4.0 ? general(std::pow(10.0, t.log10_p_value), "%.3g")
                                                           : "10^" + general(t.log10_p_value, "%.1f");
        std::cout << "  SV-local bound S_local = " << general(t.local_chsh, "%.5f")
                  << (t.margin_chsh > 0 ? " beaten by " : " not beaten: margin ") << general(t.margin_chsh, "%.4f") << " ("
                  << general(t.margin_in_stderr, "%.1f") << " standard errors, p-value " << p_value << ")\n";
    }
    if (c.certified()) {
        std::cout << "certified: " << c.output_bits() << " output bits (smooth min-entropy "
                  << general(c.length->entropy.min_entropy_bits, "%.0f") << " bits, soundness "
                  << general(c.options.soundness_error) << ", " << extract::to_string(c.options.extractor) << " extractor, "
                  << certify::to_string(c.options.model) << " model)\n";
    } else {
        std::cout << "refused:\n";
        for (const auto& r : c.refusals) std::cout << "  - " << certify::to_string(r.reason) << ": " << r.message << "\n";
    }
    std::cout << "certificate: " << certificate_path << "\n";
}

// The run's own weak-source bits (simulated runs keep them) or --second-source, copied into the run
// directory as weak_source.bits (a run directory holds every file its certificate names): then the
// output is extracted too, as `dira simulate` does, and the certificate names it.
std::filesystem::path second_source_of(const CertifyCommandOptions& o) {
    const auto own = std::filesystem::path(o.run_directory) / run::kWeakSourceFile;
    std::error_code ec;
    const bool have_own = std::filesystem::exists(std::filesystem::symlink_status(own, ec));
    if (o.second_source.empty() || same_file(o.second_source, own)) return have_own ? own : std::filesystem::path();
    if (have_own)
        throw Error(ErrorKind::invalid_argument, o.run_directory + " already holds " + run::kWeakSourceFile +
                                                     ": certify with it (no --second-source), or remove it first");
    copy_file_atomically(o.second_source, own, Access::secret);
    return own;
}

void run_certify(const CertifyCommandOptions& o) {
    auto progress = [](const char* stage, double fraction) {
        if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\r%s: %.0f%%   %s", stage, 100 * fraction, fraction >= 1 ? "\n" : "");
    };
    const run::FinalizeResult verdict = run::certify_and_extract(o.run_directory, {second_source_of(o)}, progress);
    const certify::Certificate& certificate = verdict.certificate;
    const std::string certificate_path = verdict.certificate_path.string();
    if (o.json) {
        std::ifstream in(verdict.certificate_path);
        std::cout << in.rdbuf();
    } else {
        print_verdict(certificate, certificate_path);
    }
    if (!certificate.certified())
        throw Error(ErrorKind::refused, "run " + certificate.run.run_id + " certifies no output; the reasons are in " + certificate_path);
}

void add_certify(CLI::App& app) {
    auto options = std::make_shared<CertifyCommandOptions>();
    CLI::App* cmd = app.add_subcommand("certify", "decide how many certified random bits a run gives and write its certificate (docs/certification.md)");
    cmd->add_option("RUN_DIR", options->run_directory, "the run directory (manifest.json, alice.records, bob.records)")->required();
    cmd->add_option("--second-source", options->second_source,
                    "further weak-source bits for the extractor (default: RUN_DIR/weak_source.bits when the run has it); "
                    "with them the certified output is extracted into RUN_DIR/output.bits")
        ->check(CLI::ExistingFile);
    cmd->add_flag("--json", options->json, "print the certificate (the same JSON as certificate.json)");
    cmd->callback([options] { run_certify(*options); });
}

} // namespace

DIRA_COMMAND(50, add_certify);

} // namespace dira::cli
