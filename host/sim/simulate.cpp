#include "sim/simulate.hpp"

#include <cstdio>

#include "core/error.hpp"
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

run::SecondSource simulated_second_source(const std::filesystem::path& run_dir, const nlohmann::json& manifest) {
    const auto& source = manifest.at("simulation").at("weak_sources").at("alice");
    lab::WeakSourceParams params;
    params.epsilon = source.at("epsilon").get<double>();
    params.mode = lab::parse_bias_mode(source.at("mode").get<std::string>());
    params.seed = lab::derive_seed(manifest.at("simulation").at("seed").get<std::uint64_t>(), kSeedSecondSource);
    return {run_dir / run::kWeakSourceFile, [params](const std::filesystem::path& path, std::uint64_t bits) {
                lab::write_weak_source_bits(path.string(), params, bits);
            }};
}

SimulationResult simulate(const SimulationOptions& options, const run::Experiment::ProgressFn& progress,
                          const std::function<void(const char*, double)>& finalize_progress) {
    if (options.trials == 0) throw Error(ErrorKind::invalid_argument, "--trials must be at least 1");
    const lab::SimLabConfig config = seeded_lab_config(options);
    auto sim = std::make_shared<lab::SimLab>(config);
    transport::Station alice(std::make_unique<SimTransport>(sim, StationId::alice));
    transport::Station bob(std::make_unique<SimTransport>(sim, StationId::bob));

    run::RunWriter writer(options.out, options.overwrite);
    run::Experiment experiment(alice, bob);
    run::ExperimentPlan plan;
    plan.trials = options.trials;
    plan.station = options.station;
    SimulationResult result;
    result.run_id = run::new_run_id();
    result.run_dir = options.out;
    result.experiment = experiment.run(
        plan, [&] { sim->lab().start_triggers(options.trials); },
        [&](StationId side, const TrialRecord& r) { writer.append(side, r); }, progress);
    result.lab = sim->lab().stats();

    nlohmann::json m;
    m["run_id"] = result.run_id;
    m["trials"] = options.trials;
    m["source_bias"] = std::max(config.lab.sources[0].epsilon, config.lab.sources[1].epsilon);
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
    result.verdict = run::certify_and_extract(options.out, simulated_second_source(options.out, result.manifest), finalize_progress);
    return result;
}

} // namespace dira::sim
