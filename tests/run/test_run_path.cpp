// The one run path (run/run_path.hpp) over boards opened by id: `dira run` on sim: boards gives
// what `dira simulate` gives, record for record, whether the two boards share one lab or each runs
// alone in its own (as when each is served by its own process).
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "run/record_file.hpp"
#include "run/run_dir.hpp"
#include "run/run_path.hpp"
#include "sim/sim_devices.hpp"
#include "sim/simulate.hpp"
#include "support/temp_dir.hpp"
#include "transport/devices.hpp"

using namespace dira;

namespace {

constexpr std::uint64_t kTrials = 3000;
constexpr std::uint64_t kSeed = 5;

// The same station settings and plan as `dira simulate` (seed kSeed, kTrials trials).
run::RunRequest request_for(const std::filesystem::path& out) {
    sim::SimulationOptions defaults;
    defaults.trials = kTrials;
    run::RunRequest r;
    r.out = out;
    r.plan.trials = kTrials;
    r.plan.station = defaults.station;
    r.run_id = run::new_run_id();
    r.before_first_trial = [defaults, id = r.run_id](run::RunWriter& writer, const nlohmann::json& simulation) {
        auto plan = sim::simulation_plan(defaults, id);
        sim::write_simulated_second_source(writer.dir(), simulation, plan);
        writer.register_plan(plan);
    };
    return r;
}

sim::SimulationResult simulated(const std::filesystem::path& out) {
    sim::SimulationOptions o;
    o.trials = kTrials;
    o.seed = kSeed;
    o.out = out;
    return sim::simulate(o);
}

// Record for record (the files differ: each store's header names its own run's plan).
void require_same_records(const std::filesystem::path& a, const std::filesystem::path& b) {
    for (auto side : kStations) {
        run::RecordFileReader ra(run::records_path(a, side)), rb(run::records_path(b, side));
        std::vector<TrialRecord> va(ra.records()), vb(rb.records());
        REQUIRE(va.size() == kTrials);
        REQUIRE(ra.read(va) == va.size());
        REQUIRE(rb.read(vb) == vb.size());
        REQUIRE(va == vb);
    }
}

} // namespace

TEST_CASE("dira run's path over sim: boards opened by id equals dira simulate with the same seed") {
    sim::register_device_kind();
    TempDir dir("dira-run-path");
    const auto reference = simulated(dir / "simulate");
    transport::Station alice(transport::open_device("sim:alice?seed=5"));
    transport::Station bob(transport::open_device("sim:bob?seed=5"));
    bool simulated_triggers = false;
    auto request = request_for(dir / "run");
    request.triggers_started = [&](bool simulated) { simulated_triggers = simulated; };
    const auto run = run::collect_run(alice, bob, request);
    REQUIRE(simulated_triggers);
    REQUIRE(run.manifest["triggers"] == "simulated lab sequencer");
    REQUIRE(run.manifest["simulation"]["seed"] == kSeed);
    require_same_records(dir / "simulate", dir / "run");
    // The end of the run is the same call as simulate's: the same counts, S and verdict.
    const auto verdict = run::finish_run(dir / "run", {dir / "run" / run::kWeakSourceFile});
    const auto& mine = verdict.certificate;
    const auto& theirs = reference.verdict.certificate;
    REQUIRE(mine.chsh->chsh_from_wins == theirs.chsh->chsh_from_wins);
    REQUIRE(mine.certified() == theirs.certified());
    REQUIRE(mine.output_bits() == theirs.output_bits());
    REQUIRE(mine.refusals.size() == theirs.refusals.size());
}

TEST_CASE("a sim: board alone in its own lab (its twin armed alike) records what it records in a shared lab") {
    TempDir dir("dira-run-solo");
    simulated(dir / "simulate");
    // Two labs, one board open in each: what two `dira station serve` processes hold.
    auto lab_a = sim::new_lab(kSeed, {}), lab_b = sim::new_lab(kSeed, {});
    transport::Station alice(std::make_unique<sim::SimTransport>(lab_a, StationId::alice));
    transport::Station bob(std::make_unique<sim::SimTransport>(lab_b, StationId::bob));
    run::collect_run(alice, bob, request_for(dir / "solo"));
    require_same_records(dir / "simulate", dir / "solo");
}

TEST_CASE("two sim: boards of different seeds, or a board opened twice, are refused before any trial") {
    sim::register_device_kind();
    {
        auto alice = transport::open_device("sim:alice?seed=1");
        REQUIRE_THROWS_WITH(transport::open_device("sim:bob?seed=2"), Catch::Contains("both boards share one lab"));
        REQUIRE_THROWS_WITH(transport::open_device("sim:alice?seed=1"), Catch::Contains("already open"));
    }
    REQUIRE_THROWS_WITH(transport::open_device("sim:alice?seed=x"), Catch::Contains("whole number"));
    REQUIRE_THROWS_WITH(transport::open_device("sim:alice?colour=red"), Catch::Contains("known: seed"));
    REQUIRE_THROWS_WITH(transport::open_device("sim:carol"), Catch::Contains("unknown simulated board"));
    // Separate labs of different seeds (two processes given different seeds): refused before any
    // trial, and no run directory is made.
    TempDir dir("dira-run-seeds");
    auto lab_a = sim::new_lab(1, {}), lab_b = sim::new_lab(2, {});
    transport::Station alice(std::make_unique<sim::SimTransport>(lab_a, StationId::alice));
    transport::Station bob(std::make_unique<sim::SimTransport>(lab_b, StationId::bob));
    REQUIRE_THROWS_WITH(run::collect_run(alice, bob, request_for(dir / "mixed")), Catch::Contains("different seeds"));
    REQUIRE_FALSE(std::filesystem::exists(dir / "mixed"));
}

TEST_CASE("stations that run different clocks are refused before any trial") {
    TempDir dir("dira-run-clocks");
    lab::SimLabConfig fast, slow;
    slow.clock_hz = fast.clock_hz / 2;
    auto lab_a = sim::new_lab(kSeed, fast), lab_b = sim::new_lab(kSeed, slow);
    transport::Station alice(std::make_unique<sim::SimTransport>(lab_a, StationId::alice));
    transport::Station bob(std::make_unique<sim::SimTransport>(lab_b, StationId::bob));
    REQUIRE_THROWS_WITH(run::collect_run(alice, bob, request_for(dir / "clocks")),
                        Catch::Contains("different clocks") && Catch::Contains("CLOCK_HZ 250000000") &&
                            Catch::Contains("(Bob) 125000000"));
    REQUIRE_FALSE(std::filesystem::exists(dir / "clocks"));
}

namespace {

// A board that takes commands and never answers (unpowered, wrong bitstream, cable to nowhere).
class Silent : public transport::Transport {
public:
    const transport::DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t>) override {}
    std::size_t read(std::span<std::uint8_t>, std::chrono::milliseconds) override { return 0; }

private:
    transport::DeviceInfo info_{"test", "test:silent", "a board that never answers"};
};

} // namespace

TEST_CASE("a board that does not answer is a timeout naming it, before any trial") {
    TempDir dir("dira-run-silent");
    auto lab = sim::new_lab(kSeed, {});
    transport::Station alice(std::make_unique<sim::SimTransport>(lab, StationId::alice));
    transport::Station bob(std::make_unique<Silent>(), std::chrono::milliseconds(50));
    try {
        run::collect_run(alice, bob, request_for(dir / "silent"));
        FAIL("a silent board was accepted");
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::timeout);
        REQUIRE_THAT(e.what(), Catch::Contains("test:silent"));
    }
    REQUIRE_FALSE(std::filesystem::exists(dir / "silent"));
}
