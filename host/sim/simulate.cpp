#include "sim/simulate.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "dira/version.hpp"
#include "lab/random.hpp"
#include "run/run_dir.hpp"
#include "sim/sim_transport.hpp"

namespace dira::sim {
namespace {

// Seed streams of the lab's models (lab::derive_seed): fixed, so a seed means the same run forever.
enum SeedStream : std::uint64_t {
    kSeedQubits = 1,
    kSeedSourceAlice = 2,
    kSeedSourceBob = 3,
    kSeedSequencer = 4,
    kSeedSecondSource = 5, // further weak-source bits for the extractor
};

// A run id is unique per run, even for the same seed: two runs are two runs.
nlohmann::json simulation_json(const SimulationOptions& o, const lab::SimLabConfig& c, const lab::LabStats& stats) {
    const auto& q = c.lab.qubits;
    const auto& t = c.lab.timing;
    const auto& f = c.lab.faults;
    nlohmann::json sources = nlohmann::json::object();
    for (auto side : kStations) {
        const auto& s = c.lab.sources[index(side)];
        sources[station_name(side)] = {{"epsilon", s.epsilon}, {"mode", lab::to_string(s.mode)}, {"seed", s.seed}};
    }
    return {{"seed", o.seed},
            {"clock_hz", c.clock_hz},
            {"engine", testbench::to_string(c.engine)},
            {"station_extractor", c.station_extractor},
            {"qubit_pair",
             {{"model", lab::to_string(q.model)},
              {"visibility", q.visibility},
              {"readout_error", q.readout_error},
              {"missing_probability", q.missing_probability},
              {"expected_chsh", q.expected_chsh()},
              {"seed", q.seed}}},
            {"weak_sources", sources},
            {"timing",
             {{"trigger_period_cycles", t.trigger_period_cycles},
              {"trigger_pulse_cycles", t.trigger_pulse_cycles},
              {"ws_bit_period_cycles", t.ws_bit_period_cycles},
              {"readout_delay_cycles", t.readout_delay_cycles},
              {"readout_pulse_cycles", t.readout_pulse_cycles}}},
            {"faults",
             {{"back_to_back_probability", f.back_to_back_probability},
              {"late_readout_probability", f.late_readout_probability}}},
            {"lab_stats",
             {{"triggers", stats.triggers},
              {"pairs_measured", stats.pairs_measured},
              {"single_measured", stats.single_measured},
              {"unmeasured", stats.unmeasured},
              {"basis_latency_min_cycles", stats.basis_latency_min_cycles},
              {"basis_latency_max_cycles", stats.basis_latency_max_cycles}}}};
}

} // namespace

lab::SimLabConfig seeded_lab_config(const SimulationOptions& options) {
    lab::SimLabConfig c = options.lab;
    // dira simulate extracts on the host (run/finalize.hpp): its stations are built without the
    // extraction engine, which the Verilated station would otherwise evaluate, idle, every cycle.
    c.station_extractor = false;
    c.lab.qubits.seed = lab::derive_seed(options.seed, kSeedQubits);
    c.lab.sources[index(StationId::alice)].seed = lab::derive_seed(options.seed, kSeedSourceAlice);
    c.lab.sources[index(StationId::bob)].seed = lab::derive_seed(options.seed, kSeedSourceBob);
    c.lab.sequencer_seed = lab::derive_seed(options.seed, kSeedSequencer);
    return c;
}

certify::Preregistration simulation_plan(const SimulationOptions& options, const std::string& run_id) {
    certify::Preregistration plan;
    plan.run_id = run_id;
    plan.params.expected_chsh = options.planned_chsh;
    plan.params.source_bias = std::max(options.lab.lab.sources[0].epsilon, options.lab.lab.sources[1].epsilon);
    plan.params.trials = options.trials;
    return plan;
}

namespace {

// The extractor's second input, as many bits as the plan's extractor reads: a further stretch of the
// simulated lab's SV source (its own seed stream), written to RUN_DIR/weak_source.bits before the
// first trial so that the plan can name its SHA-256 (the bits exist before the outcomes they meet).
void write_second_source(const std::filesystem::path& run_dir, const SimulationOptions& options, certify::Preregistration& plan) {
    const auto sizes = certify::registered_plan(plan).length;
    if (sizes.extractor.output_bits == 0) return; // the plan certifies nothing: no extraction
    lab::WeakSourceParams params = options.lab.lab.sources[index(StationId::alice)];
    params.seed = lab::derive_seed(options.seed, kSeedSecondSource);
    const auto path = run_dir / run::kWeakSourceFile;
    lab::write_weak_source_bits(path.string(), params, sizes.extractor_inputs.second_input_bits);
    plan.second_source = certify::InputFile{"weak-source bits", run::kWeakSourceFile, sha256_file_hex(path)};
}

} // namespace

SimulationResult simulate(const SimulationOptions& options, const run::Experiment::ProgressFn& progress,
                          const std::function<void(const char*, double)>& finalize_progress) {
    if (options.trials == 0) throw Error(ErrorKind::invalid_argument, "--trials must be at least 1");
    const lab::SimLabConfig config = seeded_lab_config(options);
    auto sim = std::make_shared<lab::SimLab>(config);
    transport::Station alice(std::make_unique<SimTransport>(sim, StationId::alice));
    transport::Station bob(std::make_unique<SimTransport>(sim, StationId::bob));

    SimulationResult result;
    // An unfinished run resumes under the run id it registered; a new run gets a new one.
    const auto registered = run::is_unfinished_run(options.out) && !options.overwrite ? run::registered_plan_of(options.out) : std::nullopt;
    result.run_id = registered ? registered->run_id : run::new_run_id();
    certify::Preregistration registration = simulation_plan(options, result.run_id);
    (void)certify::preregistration_bytes(registration); // a plan that cannot certify is refused before anything is written

    run::RunWriter writer(options.out, options.overwrite);
    write_second_source(options.out, options, registration);
    writer.register_plan(registration);
    run::Experiment experiment(alice, bob);
    run::ExperimentPlan plan;
    plan.trials = options.trials;
    plan.station = options.station;
    result.run_dir = options.out;
    result.experiment = experiment.run(
        plan, [&] { sim->lab().start_triggers(options.trials); },
        [&](StationId side, const TrialRecord& r) { writer.append(side, r); }, progress);
    result.lab = sim->lab().stats();

    nlohmann::json m;
    m["run_id"] = result.run_id;
    m["trials"] = options.trials;
    m["host"] = {{"dira_version", std::to_string(kFirmwareVersionMajor) + "." + std::to_string(kFirmwareVersionMinor) +
                                      "." + std::to_string(kFirmwareVersionPatch)},
                 {"api_level", kApiLevel}};
    m["station_settings"] = {{"window_open_cycles", options.station.window_open_cycles},
                             {"window_close_cycles", options.station.window_close_cycles},
                             {"flush_cycles", options.station.flush_cycles}};
    m["simulation"] = simulation_json(options, config, result.lab);
    for (const auto& s : result.experiment.stations) m["stations"][station_name(s.side)] = run::station_json(s);
    m["wall_seconds"] = result.experiment.wall_seconds;
    writer.finish(m, result.experiment);
    result.manifest = run::read_manifest(options.out);
    result.verdict = run::certify_and_extract(options.out, {options.out / run::kWeakSourceFile}, finalize_progress);
    return result;
}

} // namespace dira::sim
