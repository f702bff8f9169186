// The simulated experiment end to end, through the Verilated stations and the host path.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "run/record_file.hpp"
#include "run/run_dir.hpp"
#include "sim/simulate.hpp"
#include "support/temp_dir.hpp"

using namespace dira;

namespace {

sim::SimulationResult simulate(const std::filesystem::path& out, std::uint64_t trials, lab::PairModel model,
                               std::uint64_t seed = 1, unsigned threads = 1) {
    sim::SimulationOptions o;
    o.trials = trials;
    o.seed = seed;
    o.out = out;
    o.lab.lab.qubits.model = model;
    o.lab.threads = threads;
    return sim::simulate(o);
}

// S from the correlators, with its standard error (certification's estimate_chsh).
std::pair<double, double> chsh_of(const sim::SimulationResult& r) {
    const auto& e = *r.verdict.certificate.chsh;
    return {*e.chsh_from_correlators, *e.chsh_from_correlators_stderr};
}

// Both stations' records of a run (the files differ from run to run: each store's header names its
// run's plan, whose run id is new each time).
std::array<std::vector<TrialRecord>, 2> records_of(const std::filesystem::path& run_dir) {
    std::array<std::vector<TrialRecord>, 2> out;
    for (auto side : kStations) {
        run::RecordFileReader reader(run::records_path(run_dir, side));
        out[index(side)].resize(reader.records());
        REQUIRE(reader.read(out[index(side)]) == out[index(side)].size());
    }
    return out;
}

} // namespace

TEST_CASE("the quantum pair gives S within 5 standard errors of 2 sqrt(2) V, through the RTL") {
    TempDir dir("dira-sim-quantum");
    const auto r = simulate(dir / "run", 40000, lab::PairModel::quantum);
    const auto [s, stderr_s] = chsh_of(r);
    const double expected = 2 * std::sqrt(2.0) * lab::QubitPairParams{}.visibility;
    INFO("S = " << s << " +- " << stderr_s << ", expected " << expected);
    REQUIRE(std::abs(s - expected) < 5 * stderr_s);
    for (const auto& station : r.experiment.stations) {
        REQUIRE(station.records_received == 40000);
        REQUIRE(station.lost.empty());
        REQUIRE(station.counters.get("TRIGGERS") == 40000);
        REQUIRE(station.counters.get("LATE_TRIGGERS") == 0);
        REQUIRE(station.counters.get("RECORDS_DROPPED") == 0);
    }
}

TEST_CASE("local hidden variables give S <= 2 within 5 standard errors, and certify nothing") {
    TempDir dir("dira-sim-lhv");
    const auto r = simulate(dir / "run", 40000, lab::PairModel::local_hidden_variable);
    const auto [s, stderr_s] = chsh_of(r);
    INFO("S = " << s << " +- " << stderr_s);
    REQUIRE(s < 2.0 + 5 * stderr_s);
    REQUIRE(!r.verdict.certificate.certified());
    REQUIRE(!std::filesystem::exists(dir / "run" / run::kOutputFile));
}

TEST_CASE("the basis-selection latency measured on the pins equals the documented cycle count") {
    TempDir dir("dira-sim-latency");
    const auto r = simulate(dir / "run", 2000, lab::PairModel::quantum);
    for (auto side : kStations) {
        REQUIRE(r.lab.basis_latency_min_cycles[index(side)] == kBasisLatencyCycles);
        REQUIRE(r.lab.basis_latency_max_cycles[index(side)] == kBasisLatencyCycles);
        REQUIRE(r.experiment.stations[index(side)].identity.basis_latency_cycles == kBasisLatencyCycles);
    }
}

TEST_CASE("one seed gives the same records, whatever the thread count") {
    TempDir dir("dira-sim-seed");
    simulate(dir / "one", 3000, lab::PairModel::quantum, 7, 1);
    simulate(dir / "two", 3000, lab::PairModel::quantum, 7, 2);
    const auto one = records_of(dir / "one");
    REQUIRE(one[0].size() == 3000);
    REQUIRE(one == records_of(dir / "two"));
    simulate(dir / "other", 3000, lab::PairModel::quantum, 8, 1);
    REQUIRE(records_of(dir / "other")[0] != one[0]);
}

TEST_CASE("the model engine writes the RTL engine's records, record for record") {
    TempDir dir("dira-sim-engines");
    sim::SimulationOptions o;
    o.trials = 20'000;
    o.lab.lab.faults.back_to_back_probability = 0.01;
    o.lab.lab.qubits.missing_probability = 0.01;
    o.out = dir / "rtl";
    const auto rtl = sim::simulate(o);
    o.out = dir / "model";
    o.lab.engine = testbench::StationEngine::model;
    const auto model = sim::simulate(o);
    REQUIRE(records_of(dir / "rtl") == records_of(dir / "model"));
    for (auto side : kStations) {
        const auto name = station_name(side);
        REQUIRE(rtl.manifest["stations"][name]["counters"] == model.manifest["stations"][name]["counters"]);
    }
    REQUIRE(model.manifest["simulation"]["engine"] == "model");
    REQUIRE(rtl.manifest["simulation"]["engine"] == "rtl");
}

TEST_CASE("the run directory holds the records, the manifest and the certificate") {
    TempDir dir("dira-sim-dir");
    const auto r = simulate(dir / "run", 1000, lab::PairModel::quantum);
    const auto m = run::read_manifest(dir / "run");
    REQUIRE(m["trials"] == 1000);
    REQUIRE(m["run_id"] == r.run_id);
    REQUIRE(m["simulation"]["seed"] == 1);
    REQUIRE(m["stations"]["alice"]["firmware_version"].is_string());
    REQUIRE(std::filesystem::exists(dir / "run" / "certificate.json"));
    // A run directory is never overwritten by accident.
    sim::SimulationOptions o;
    o.trials = 10;
    o.out = dir / "run";
    REQUIRE_THROWS_WITH(sim::simulate(o), Catch::Contains("--force"));
}

TEST_CASE("bad simulation parameters are refused before anything runs") {
    TempDir dir("dira-sim-bad");
    sim::SimulationOptions o;
    o.out = dir / "run";
    o.trials = 0;
    REQUIRE_THROWS_AS(sim::simulate(o), Error);
    o.trials = 10;
    o.lab.lab.timing.trigger_period_cycles = 2;
    REQUIRE_THROWS_WITH(sim::simulate(o), Catch::Contains("trigger period"));
    o = {};
    o.out = dir / "run2";
    o.lab.threads = 3;
    REQUIRE_THROWS_WITH(sim::simulate(o), Catch::Contains("threads"));
}
