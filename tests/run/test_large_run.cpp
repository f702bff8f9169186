// The largest simulated run CI affords, end to end with the model engine (the stations as the HLS
// C++ model, byte-exact with the Verilated RTL: tests/lab/test_engines.cpp): DIRA_LARGE_RUN_TRIALS
// trials of the default lab (S = 2 sqrt(2) 0.8026, eps = 0.0075), stored, verified, certified and
// extracted; the certified length must be what `dira plan` predicts for that run.
#include <catch2/catch.hpp>

#include "certify/plan.hpp"
#include "sim/simulate.hpp"
#include "store/run_verify.hpp"
#include "support/temp_dir.hpp"

using namespace dira;

TEST_CASE("a large simulated run with the model engine certifies what dira plan predicts") {
    TempDir dir("dira-sim-large");
    sim::SimulationOptions o;
    o.trials = DIRA_LARGE_RUN_TRIALS;
    o.out = dir / "run";
    o.lab.engine = testbench::StationEngine::model;
    const auto r = sim::simulate(o);
    for (const auto& s : r.experiment.stations) {
        REQUIRE(s.records_received == o.trials);
        REQUIRE(s.lost.empty());
    }
    REQUIRE(store::verify_run(dir / "run").ok());
    const auto& c = r.verdict.certificate;
    INFO(certify::certificate_to_json(c).dump(2));
    REQUIRE(c.certified());
    certify::PlanParameters p;
    p.expected_chsh = o.lab.lab.qubits.expected_chsh();
    p.source_bias = o.lab.lab.sources[0].epsilon;
    p.trials = o.trials;
    REQUIRE(c.output_bits() == certify::make_plan(p).length.extractor.output_bits);
    REQUIRE(r.verdict.extraction);
    REQUIRE(std::filesystem::file_size(dir / "run" / run::kOutputFile) == (c.output_bits() + 7) / 8);
}
