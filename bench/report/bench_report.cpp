// The run report of a large run: CPU time per trial and peak memory of report::write_report (which
// re-certifies the run and bins it in one pass over both record stores), and the page's size.
//
// The run is made once, by the real run writer (run::RunWriter, the record store's chunked format)
// and certified by run::certify_and_extract, from an honest Werner-state device with ε-biased
// settings (tests/certify/synthetic_run.hpp). Its size: DIRA_BENCH_REPORT_TRIALS (default 10^7; the
// ETH run is 1342177280, about 2.3 GB of stores). DIRA_BENCH_REPORT_DIR=DIR makes it in DIR/run and
// keeps it (and reuses it when it is there), e.g. for `/usr/bin/time -v dira report DIR/run`.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "certify/preregistration.hpp"
#include "certify/synthetic_run.hpp"
#include "report/report.hpp"
#include "run/finalize.hpp"
#include "run/run_dir.hpp"

using namespace dira;
namespace fs = std::filesystem;

namespace {

std::uint64_t bench_trials() {
    const char* text = std::getenv("DIRA_BENCH_REPORT_TRIALS");
    return text ? std::strtoull(text, nullptr, 10) : 10'000'000;
}

// Bits for the extractor's second input (the bench only needs the report's cost, not good bits).
void write_random_bits(const fs::path& path, std::uint64_t bits) {
    std::mt19937_64 random(42);
    std::ofstream out(path, std::ios::binary);
    for (std::uint64_t i = 0; i < (bits + 63) / 64; ++i) {
        const std::uint64_t word = random();
        out.write(reinterpret_cast<const char*>(&word), sizeof word);
    }
}

const fs::path& bench_run() {
    static const fs::path dir = [] {
        const char* base = std::getenv("DIRA_BENCH_REPORT_DIR");
        const fs::path path = base ? fs::path(base) / "run" : fs::temp_directory_path() / ("dira-bench-report-" + std::to_string(::getpid()));
        if (base && fs::exists(path / run::kManifestFile) && fs::exists(path / store::kCertificateFile)) return path;
        const std::uint64_t trials = bench_trials();
        auto device = certify::testing::werner_device(5, 0.8026, 0.5075, 0.5075);
        run::RunWriter writer(path, true);
        certify::Preregistration plan; // fixed before the first record, as every run's (certify/preregistration.hpp)
        plan.run_id = "bench-report";
        plan.params.expected_chsh = 2.2700956; // 2 sqrt(2) V for the device's V = 0.8026
        plan.params.source_bias = 0.0075;
        plan.params.trials = trials;
        writer.register_plan(plan);
        std::vector<TrialRecord> chunk(1u << 16);
        for (bool alice : {true, false}) {
            certify::testing::ModelRecordSource source(device, trials, alice);
            while (const std::size_t n = source.read(chunk))
                for (std::size_t i = 0; i < n; ++i) writer.append(alice ? StationId::alice : StationId::bob, chunk[i]);
        }
        nlohmann::json manifest = {{"run_id", plan.run_id}, {"trials", trials}};
        // What the firmware's counters would say of a loss-free run (the loss ledger reconciles with them).
        for (const char* side : {"alice", "bob"})
            manifest["stations"][side]["counters"] = {
                {"TRIGGERS", trials}, {"RECORDS", trials}, {"RECORDS_DROPPED", 0}, {"FRAMES_SENT", (trials + kRecordsPerFrame - 1) / kRecordsPerFrame}};
        writer.finish(manifest);
        // The extractor's second input: more bits than it reads (it takes about as many as the 2N outcome bits).
        write_random_bits(path / run::kWeakSourceFile, 4 * trials + 4096);
        run::certify_and_extract(path, {path / run::kWeakSourceFile});
        return path;
    }();
    return dir;
}

long peak_rss_kib() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

void Report(benchmark::State& state) {
    const fs::path& dir = bench_run();
    const long rss_before = peak_rss_kib();
    report::ReportResult result;
    for (auto _ : state) result = report::write_report(dir);
    state.counters["trials"] = double(bench_trials());
    state.counters["trials/s"] = benchmark::Counter(double(bench_trials()) * double(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["page_kB"] = double(result.bytes) / 1000;
    state.counters["peak_rss_MiB"] = double(peak_rss_kib()) / 1024;
    state.counters["rss_before_MiB"] = double(rss_before) / 1024;
    state.counters["certified_bits"] = double(result.output_bits);
    state.counters["verified"] = result.verified();
}
BENCHMARK(Report)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    if (!std::getenv("DIRA_BENCH_REPORT_DIR")) {
        std::error_code ignored;
        fs::remove_all(fs::temp_directory_path() / ("dira-bench-report-" + std::to_string(::getpid())), ignored);
    }
    return 0;
}
