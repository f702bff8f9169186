// Benchmarks of the extractors (docs/extraction.md section "Performance"): ns per input bit and peak
// memory for dodis, circulant and toeplitz at n ~ 2^16 .. 2^28 with m = n/2 and n/50, the speed-up
// over a plain NTT reference (one word per bit), and the RTL's cycles per block.
//
//   bench_extract --benchmark_filter=Extract            host extraction, 2^16 .. 2^28
//   bench_extract --benchmark_filter=VersusNtt          side-by-side ratio against the NTT reference
//   bench_extract --benchmark_filter=Rtl                cycles per block of the Verilated RTL
//   DIRA_BENCH_FULL_RUN=1 bench_extract --benchmark_filter=FullRun    n = 2.68e9 (minutes, ~8 GB)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "extract/extractor.hpp"
#include "extract/gf2_multiply.hpp"
#include "dira/station_timing.hpp"
#include "extract_rtl_driver.hpp"
#include "ntt_reference.hpp"

using namespace dira::extract;

namespace {

// Peak resident memory of this process since the last reset (Linux: VmHWM, reset via clear_refs).
void reset_peak_memory() { std::ofstream("/proc/self/clear_refs") << "5"; }
double peak_memory_mib() {
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            double kib = 0;
            status >> kib;
            return kib / 1024;
        }
        status.ignore(1 << 20, '\n');
    }
    return 0;
}

// CPU seconds of the whole process (both worker threads): on a shared machine the wall clock also
// counts the time other jobs hold the cores.
double process_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

BitString random_string(std::uint64_t bits, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    BitString s(bits);
    for (auto& w : s.words) w = rng();
    truncate_bits(s, bits);
    return s;
}

std::uint64_t extractor_n(Kind kind, std::uint64_t target) {
    return kind == Kind::toeplitz ? target : usable_cyclic_length_at_least(target);
}

// n from the log2 argument (a value above 40 means that many bits exactly: the full-run size).
std::uint64_t target_bits(std::int64_t arg) { return arg <= 40 ? std::uint64_t{1} << arg : static_cast<std::uint64_t>(arg); }

void BM_Extract(benchmark::State& state) {
    const Kind kind = static_cast<Kind>(state.range(0));
    const std::uint64_t n = extractor_n(kind, target_bits(state.range(1)));
    const std::uint64_t m = n / static_cast<std::uint64_t>(state.range(2));
    const BitString x = random_string(required_x_bits(kind, n), 1), y = random_string(required_y_bits(kind, n, m), 2);
    const double inputs_mib = static_cast<double>(x.words.size() + y.words.size()) * 8 / (1 << 20);
    reset_peak_memory();
    double seconds = 0, cpu_seconds = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = process_cpu_seconds();
        benchmark::DoNotOptimize(extract(kind, x, y, m).words.data());
        cpu_seconds += process_cpu_seconds() - c0;
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    // Per bit of x (the n the extractor is named by): wall clock with both cores allowed, and the
    // CPU time of both threads together.
    const double per_bit = 1e9 / static_cast<double>(state.iterations()) / static_cast<double>(x.size_bits);
    state.counters["ns_per_input_bit"] = seconds * per_bit;
    state.counters["cpu_ns_per_input_bit"] = cpu_seconds * per_bit;
    state.counters["peak_rss_MiB"] = peak_memory_mib(); // includes the inputs held in memory
    state.counters["inputs_MiB"] = inputs_mib;
    state.counters["n"] = static_cast<double>(n);
    state.counters["m"] = static_cast<double>(m);
    state.SetLabel(std::string(to_string(kind)) + " m=n/" + std::to_string(state.range(2)) + " kernel=" +
                   std::string(to_string(active_cpu_kernel())));
}

void extract_args(benchmark::internal::Benchmark* b) {
    for (int kind = 0; kind < 3; ++kind)
        for (int log2n : {16, 20, 24, 28})
            for (int divisor : {2, 50}) b->Args({kind, log2n, divisor});
    b->Unit(benchmark::kMillisecond)->UseRealTime();
}
BENCHMARK(BM_Extract)->Apply(extract_args)->Iterations(1)->Repetitions(1);

// The same extraction done both ways, one after the other in each iteration, and the ratio.
void BM_VersusNtt(benchmark::State& state) {
    const std::uint64_t n = usable_cyclic_length_at_least(std::uint64_t{1} << state.range(0));
    const std::uint64_t m = n / static_cast<std::uint64_t>(state.range(1));
    const BitString x = random_string(n, 3), y = random_string(n, 4);
    std::vector<std::uint8_t> xb(n), yb(n);
    for (std::uint64_t i = 0; i < n; ++i) xb[i] = x.get(i), yb[i] = y.get(i);
    double ours_s = 0, ntt_s = 0, ours_cpu_s = 0, ntt_cpu_s = 0;
    for (auto _ : state) {
        auto t0 = std::chrono::steady_clock::now();
        const double c0 = process_cpu_seconds();
        const BitString z = extract(Kind::dodis, x, y, m);
        auto t1 = std::chrono::steady_clock::now();
        const double c1 = process_cpu_seconds();
        const std::vector<std::uint8_t> zr = dira::bench::NttReference::dodis(xb, yb, m);
        auto t2 = std::chrono::steady_clock::now();
        ours_cpu_s += c1 - c0;
        ntt_cpu_s += process_cpu_seconds() - c1;
        for (std::uint64_t i = 0; i < m; ++i)
            if (zr[i] != z.get(i)) {
                state.SkipWithError("the NTT reference and dira disagree");
                return;
            }
        ours_s += std::chrono::duration<double>(t1 - t0).count();
        ntt_s += std::chrono::duration<double>(t2 - t1).count();
        state.SetIterationTime(std::chrono::duration<double>(t2 - t0).count());
    }
    state.counters["dira_s"] = ours_s / static_cast<double>(state.iterations());
    state.counters["ntt_s"] = ntt_s / static_cast<double>(state.iterations());
    state.counters["speedup"] = ntt_s / ours_s;          // wall clock, side by side
    state.counters["cpu_speedup"] = ntt_cpu_s / ours_cpu_s; // CPU time (dira's on both threads)
    state.SetLabel("dodis m=n/" + std::to_string(state.range(1)));
}
BENCHMARK(BM_VersusNtt)
    ->ArgsProduct({{16, 20, 24}, {2, 50}})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Full-run size (ETH: 1.34e9 trials x 2 outcome bits), only when asked: minutes and several GB.
void BM_FullRun(benchmark::State& state) { BM_Extract(state); }
void full_run_args(benchmark::internal::Benchmark* b) {
    for (int kind = 0; kind < 3; ++kind)
        for (int divisor : {2, 50}) b->Args({kind, 2'680'000'000, divisor});
    b->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);
}

// Cycles per block of the Verilated RTL (W = P = 64) and the throughput at the station clock.
void BM_RtlBlock(benchmark::State& state) {
    const std::uint64_t n = usable_cyclic_length_at_least(static_cast<std::uint64_t>(state.range(0)));
    const std::uint64_t m = static_cast<std::uint64_t>(state.range(1));
    const BitString x = random_string(n, 5), y = random_string(n, 6);
    dira::rtl_extract::ExtractRtl rtl;
    dira::rtl_extract::BlockResult r;
    for (auto _ : state) r = rtl.run(0, x.words, static_cast<std::uint32_t>(n), y.words, static_cast<std::uint32_t>(n),
                                     static_cast<std::uint32_t>(m));
    if (r.status != 0) state.SkipWithError("the RTL refused the block");
    const double clock_hz = dira::kDefaultClockHz;
    const double passes = static_cast<double>((m + 63) / 64);
    state.counters["cycles_per_block"] = static_cast<double>(r.cycles);
    state.counters["load_cycles"] = static_cast<double>(r.load_cycles);
    state.counters["input_bits_per_cycle"] =
        static_cast<double>(n) * passes / static_cast<double>(r.cycles - r.load_cycles); // per pass: W
    state.counters["block_us_at_250MHz"] = static_cast<double>(r.cycles) / clock_hz * 1e6;
    state.counters["output_Mbit_per_s_at_250MHz"] = static_cast<double>(m) / (static_cast<double>(r.cycles) / clock_hz) / 1e6;
    state.counters["n"] = static_cast<double>(n);
    state.counters["m"] = static_cast<double>(m);
}
BENCHMARK(BM_RtlBlock)->Args({1 << 16, 1 << 10})->Args({250'000, 4096})->Args({250'000, 64})->Iterations(1);

} // namespace

int main(int argc, char** argv) {
    if (const char* full = std::getenv("DIRA_BENCH_FULL_RUN"); full && std::string(full) == "1")
        benchmark::RegisterBenchmark("BM_FullRun", BM_FullRun)->Apply(full_run_args);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
