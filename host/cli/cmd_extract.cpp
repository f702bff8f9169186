// dira extract: the two-source extractor on two bit files (the logic is extract/extract_command.cpp).
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "extract/extract_command.hpp"

namespace {

void add_extract(CLI::App& app) {
    auto command = std::make_shared<dira::extract::ExtractCommand>();
    auto kind = std::make_shared<std::string>("dodis");
    auto fit = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto quiet = std::make_shared<bool>(false);
    auto memory_mib = std::make_shared<std::uint64_t>(command->options.memory_budget_bytes >> 20);

    CLI::App* sub = app.add_subcommand(
        "extract", "Run a two-source extractor (dodis, circulant, toeplitz) on two bit files (docs/extraction.md)");
    sub->add_option("--kind", *kind, "dodis | circulant | toeplitz")->capture_default_str();
    sub->add_option("--x", command->x_path, "first input x (bit i = bit i%8 of byte i/8)")->required();
    sub->add_option("--y", command->y_path, "second input y (the seed for toeplitz)")->required();
    sub->add_option("--x-bits", command->x_bits, "bits of x to use (default: the whole file)");
    sub->add_option("--y-bits", command->y_bits, "bits of y to use (default: the whole file)");
    sub->add_option("--m", command->m_bits, "output bits")->required();
    sub->add_option("--out", command->out_path, "output file: m bits, zero-padded to a byte")->required();
    sub->add_option("--fit", *fit,
                    "fit x to a usable length: down (drop bits), up (pad zeros) or nearest; default: exact sizes");
    sub->add_option("--threads", command->options.threads, "1 or 2 (0: automatic)")->capture_default_str();
    sub->add_option("--memory-mib", *memory_mib, "working-memory budget")->capture_default_str();
    sub->add_flag("--json", *json, "print the report as JSON");
    sub->add_flag("--quiet", *quiet, "no progress on stderr (shown only on a terminal anyway)");
    sub->callback([=] {
        command->kind = dira::extract::parse_kind(*kind);
        if (!fit->empty()) command->fit = dira::extract::parse_direction(*fit);
        command->options.memory_budget_bytes = *memory_mib << 20;
        if (!*quiet && ::isatty(STDERR_FILENO))
            command->options.progress = [](std::uint64_t done, std::uint64_t total) {
                std::cerr << "\rextract: " << (100 * done / total) << "% of x" << std::flush;
                if (done == total) std::cerr << '\n';
            };
        const auto report = dira::extract::run_extract_command(*command);
        std::cout << (*json ? dira::extract::to_json(report) + "\n" : dira::extract::to_text(report));
    });
}

DIRA_COMMAND(60, add_extract);

} // namespace
