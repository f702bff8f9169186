#include "cli/run_report.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "extract/lengths.hpp"
#include "run/run_dir.hpp"

namespace dira::cli {
namespace {

// Plain log lines (stderr not a terminal) come at most this often.
constexpr double kLogIntervalSeconds = 10.0;

// S_win = 8 w - 4 from the trials both stations recorded so far, with its standard error.
std::string live_chsh(const run::Progress& p) {
    if (p.pairs == 0) return "S_win -";
    const double w = double(p.wins) / double(p.pairs);
    char text[64];
    std::snprintf(text, sizeof text, "S_win %.3f +- %.3f", 8 * w - 4, 8 * std::sqrt(w * (1 - w) / double(p.pairs)));
    return text;
}

} // namespace

void print_chsh(const certify::Certificate& c) {
    if (!c.chsh || !c.counts_complete) return;
    const auto& e = *c.chsh;
    if (e.chsh_from_correlators)
        std::printf("  S = %.4f +- %.4f (correlators)   S_win = %.4f +- %.4f (8 x win rate - 4, what certification uses)\n",
                    *e.chsh_from_correlators, e.chsh_from_correlators_stderr.value_or(0), e.chsh_from_wins,
                    e.chsh_from_wins_stderr);
    std::printf("  per setting pair (x,y): trials, a xor b = x.y\n");
    for (unsigned x = 0; x < 2; ++x)
        for (unsigned y = 0; y < 2; ++y) {
            std::uint64_t trials = 0, wins = 0;
            for (unsigned a = 0; a < 2; ++a)
                for (unsigned b = 0; b < 2; ++b) {
                    const auto n = c.counts.count(x, y, a, b);
                    trials += n;
                    if ((a ^ b) == (x & y)) wins += n;
                }
            std::printf("    (%u,%u): %10llu trials, %10llu wins (%.4f)\n", x, y, static_cast<unsigned long long>(trials),
                        static_cast<unsigned long long>(wins), trials ? double(wins) / double(trials) : 0.0);
        }
}

void print_stations(const run::ExperimentResult& result) {
    for (const auto& s : result.stations) {
        std::printf("  %-5s: %llu records, frames %llu, late %llu, missing %llu, dropped %llu, stray %llu, lost spans %zu\n",
                    station_name(s.side), static_cast<unsigned long long>(s.records_received),
                    static_cast<unsigned long long>(s.counters.get("FRAMES_SENT")),
                    static_cast<unsigned long long>(s.counters.get("LATE_TRIGGERS")),
                    static_cast<unsigned long long>(s.counters.get("MISSING_OUTCOMES")),
                    static_cast<unsigned long long>(s.counters.get("RECORDS_DROPPED")),
                    static_cast<unsigned long long>(s.counters.get("STRAY_STROBES")), s.lost.size());
    }
}

void print_verdict(const run::FinalizeResult& v) {
    const auto& c = v.certificate;
    if (c.certified() && v.extraction) {
        std::printf("  certified: %llu random bits (soundness %g, %s extractor, %s model) -> %s\n",
                    static_cast<unsigned long long>(c.output_bits()), c.options.soundness_error,
                    std::string(extract::to_string(c.options.extractor)).c_str(), std::string(certify::to_string(c.options.model)).c_str(),
                    (v.certificate_path.parent_path() / run::kOutputFile).c_str());
    } else if (c.certified()) {
        std::printf("  certified for %llu random bits, not extracted: give the weak-source bits with --second-source, "
                    "then `dira extract`\n",
                    static_cast<unsigned long long>(c.output_bits()));
    } else {
        std::printf("  not certified:\n");
        for (const auto& r : c.refusals) std::printf("    - %s\n", r.message.c_str());
    }
    std::printf("  certificate: %s\n", v.certificate_path.c_str());
}

nlohmann::json verdict_json(const run::FinalizeResult& v, const std::filesystem::path& run_dir) {
    const auto& c = v.certificate;
    nlohmann::json j;
    if (c.chsh) {
        j["S"] = c.chsh->chsh_from_correlators.value_or(c.chsh->chsh_from_wins);
        j["S_stderr"] = c.chsh->chsh_from_correlators_stderr.value_or(c.chsh->chsh_from_wins_stderr);
        j["S_win"] = c.chsh->chsh_from_wins;
        j["S_win_stderr"] = c.chsh->chsh_from_wins_stderr;
    }
    j["certified_bits"] = c.output_bits();
    j["certificate"] = v.certificate_path.string();
    if (c.certified() && v.extraction) j["output"] = (run_dir / run::kOutputFile).string();
    return j;
}

ProgressStyle progress_style(bool json) {
    if (json) return ProgressStyle::json_events;
    return isatty(STDERR_FILENO) ? ProgressStyle::status_line : ProgressStyle::log_lines;
}

void ProgressPrinter::trials(const run::Progress& p) {
    const double rate = p.trials_done / std::max(p.wall_seconds, 1e-9);
    const double eta = rate > 0 ? double(p.trials_total - p.trials_done) / rate : 0.0;
    switch (style_) {
    case ProgressStyle::none: return;
    case ProgressStyle::status_line:
        std::fprintf(stderr, "\r  %llu / %llu trials (%.0f%%), %.0f trials/s, ETA %.0f s, %s, lost %llu/%llu   ",
                     static_cast<unsigned long long>(p.trials_done), static_cast<unsigned long long>(p.trials_total),
                     100.0 * p.trials_done / p.trials_total, rate, eta, live_chsh(p).c_str(),
                     static_cast<unsigned long long>(p.lost_trials[0]), static_cast<unsigned long long>(p.lost_trials[1]));
        std::fflush(stderr);
        return;
    case ProgressStyle::log_lines:
        if (p.wall_seconds - last_log_seconds_ < kLogIntervalSeconds && p.trials_done < p.trials_total) return;
        last_log_seconds_ = p.wall_seconds;
        std::fprintf(stderr, "dira: %llu / %llu trials, %.0f trials/s, ETA %.0f s, %s, lost alice %llu bob %llu\n",
                     static_cast<unsigned long long>(p.trials_done), static_cast<unsigned long long>(p.trials_total), rate, eta,
                     live_chsh(p).c_str(), static_cast<unsigned long long>(p.lost_trials[0]),
                     static_cast<unsigned long long>(p.lost_trials[1]));
        return;
    case ProgressStyle::json_events:
        std::cout << nlohmann::json{{"event", "progress"},
                                    {"trials_done", p.trials_done},
                                    {"trials_total", p.trials_total},
                                    {"trials_per_second", rate},
                                    {"eta_seconds", eta},
                                    {"pairs", p.pairs},
                                    {"wins", p.wins},
                                    {"lost_trials", {{"alice", p.lost_trials[0]}, {"bob", p.lost_trials[1]}}},
                                    {"wall_seconds", p.wall_seconds}}
                         .dump()
                  << std::endl;
        return;
    }
}

void ProgressPrinter::stage(const char* stage, double fraction) {
    if (style_ == ProgressStyle::status_line) std::fprintf(stderr, "\r  %s: %.0f%%          ", stage, 100 * fraction);
}

void ProgressPrinter::done() {
    if (style_ == ProgressStyle::status_line) std::fprintf(stderr, "\n");
}

} // namespace dira::cli
