#include "sim/simulate.hpp"

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "lab/random.hpp"
#include "run/run_dir.hpp"
#include "sim/sim_devices.hpp"

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

} // namespace

nlohmann::json lab_json(std::uint64_t seed, const lab::SimLabConfig& c, const lab::LabStats& stats) {
    const auto& q = c.lab.qubits;
    const auto& t = c.lab.timing;
    const auto& f = c.lab.faults;
    nlohmann::json sources = nlohmann::json::object();
    for (auto side : kStations) {
        const auto& s = c.lab.sources[index(side)];
        sources[station_name(side)] = {{"epsilon", s.epsilon}, {"mode", lab::to_string(s.mode)}, {"seed", s.seed}};
    }
    return {{"seed", seed},
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

void write_simulated_second_source(const std::filesystem::path& run_dir, const nlohmann::json& simulation,
                                   certify::Preregistration& plan) {
    const auto sizes = certify::registered_plan(plan).length;
    if (sizes.extractor.output_bits == 0) return; // the plan certifies nothing: no extraction
    const auto& source = simulation.at("weak_sources").at("alice");
    lab::WeakSourceParams params;
    params.epsilon = source.at("epsilon").get<double>();
    params.mode = lab::parse_bias_mode(source.at("mode").get<std::string>());
    params.seed = lab::derive_seed(simulation.at("seed").get<std::uint64_t>(), kSeedSecondSource);
    const auto path = run_dir / run::kWeakSourceFile;
    lab::write_weak_source_bits(path.string(), params, sizes.extractor_inputs.second_input_bits);
    plan.second_source = certify::InputFile{"weak-source bits", run::kWeakSourceFile, sha256_file_hex(path)};
}

// Two sim: boards in one new lab, then the run path every run takes (run/run_path.hpp).
SimulationResult simulate(const SimulationOptions& options, const run::Experiment::ProgressFn& progress,
                          const std::function<void(const char*, double)>& finalize_progress) {
    if (options.trials == 0) throw Error(ErrorKind::invalid_argument, "--trials must be at least 1");
    auto session = new_lab(options.seed, options.lab);
    transport::Station alice(std::make_unique<SimTransport>(session, StationId::alice));
    transport::Station bob(std::make_unique<SimTransport>(session, StationId::bob));

    run::RunRequest request;
    request.out = options.out;
    request.overwrite = options.overwrite;
    request.plan.trials = options.trials;
    request.plan.station = options.station;
    // An unfinished run resumes under the run id it registered; a new run gets a new one.
    const auto registered = run::is_unfinished_run(options.out) && !options.overwrite ? run::registered_plan_of(options.out) : std::nullopt;
    request.run_id = registered ? registered->run_id : run::new_run_id();
    certify::Preregistration registration = simulation_plan(options, request.run_id);
    (void)certify::preregistration_bytes(registration); // a plan that cannot certify is refused before anything is written
    request.before_first_trial = [&](run::RunWriter& writer, const nlohmann::json& simulation) {
        write_simulated_second_source(options.out, simulation, registration);
        writer.register_plan(registration);
    };
    auto collected = run::collect_run(alice, bob, request, progress);

    SimulationResult result;
    result.run_id = collected.run_id;
    result.run_dir = collected.run_dir;
    result.experiment = std::move(collected.experiment);
    result.lab = session->lab.lab().stats();
    result.manifest = std::move(collected.manifest);
    result.verdict = run::finish_run(options.out, {options.out / run::kWeakSourceFile}, finalize_progress);
    return result;
}

} // namespace dira::sim
