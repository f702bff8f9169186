// Simulated trials per wall-clock second: the whole `dira simulate` path (two stations in the lab,
// the host decoding frames, the run store, certification), with each station engine (0: the
// Verilated RTL, 1: the HLS C++ model) and one or two threads; and, for scale, how many station
// clock cycles per second the lab runs when the stations idle.
//
//   build/bench/simulate/bench_simulate --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <filesystem>
#include <unistd.h>

#include "lab/sim_lab.hpp"
#include "sim/simulate.hpp"

namespace {

constexpr std::uint64_t kTrials = 50'000;

dira::testbench::StationEngine engine_arg(const benchmark::State& state) {
    return state.range(0) == 0 ? dira::testbench::StationEngine::rtl : dira::testbench::StationEngine::model;
}

void BM_DiraSimulate(benchmark::State& state) {
    const auto dir = std::filesystem::temp_directory_path() / ("dira-bench-sim-" + std::to_string(::getpid()));
    for (auto _ : state) {
        dira::sim::SimulationOptions o;
        o.trials = kTrials;
        o.out = dir;
        o.overwrite = true;
        o.lab.engine = engine_arg(state);
        o.lab.threads = static_cast<unsigned>(state.range(1));
        benchmark::DoNotOptimize(dira::sim::simulate(o));
    }
    std::filesystem::remove_all(dir);
    state.counters["trials_per_s"] = benchmark::Counter(double(kTrials) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DiraSimulate)->ArgsProduct({{0, 1}, {1, 2}})->ArgNames({"engine", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Two idle stations in the lab, no host: each engine's floor.
void BM_LabIdle(benchmark::State& state) {
    dira::lab::SimLabConfig config;
    config.engine = engine_arg(state);
    config.threads = static_cast<unsigned>(state.range(1));
    dira::lab::SimLab lab(config);
    const std::uint64_t cycles = kTrials * config.lab.timing.trigger_period_cycles;
    for (auto _ : state) {
        for (std::uint64_t c = 0; c < cycles;) c += lab.advance();
    }
    state.counters["station_cycles_per_s"] = benchmark::Counter(2.0 * double(cycles) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LabIdle)->ArgsProduct({{0, 1}, {1, 2}})->ArgNames({"engine", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

} // namespace

BENCHMARK_MAIN();
