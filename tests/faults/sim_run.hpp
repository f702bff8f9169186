// A small two-station run in the simulated lab, written to a run directory through the same host
// path as `dira simulate` (Station, Experiment, RunWriter), with Alice's link behind a
// FaultyTransport so a test can damage it.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "faults/fault_transport.hpp"
#include "lab/sim_lab.hpp"
#include "run/run_dir.hpp"
#include "sim/simulate.hpp"
#include "store/loss_ledger.hpp"
#include "sim/sim_devices.hpp"
#include "sim/sim_transport.hpp"

namespace dira::faults {

struct SimRunOptions {
    std::uint64_t trials = 400;
    std::uint64_t seed = 11;
    store::StoreOptions store{64}; // small chunks: several per run
    std::function<void(FaultyTransport& alice_link, lab::SimLab& sim)> setup = {};
};

inline run::ExperimentResult sim_run(const std::filesystem::path& dir, const SimRunOptions& o) {
    sim::SimulationOptions so;
    so.trials = o.trials;
    so.seed = o.seed;
    auto session = sim::new_lab(o.seed, so.lab);
    auto link = std::make_unique<FaultyTransport>(std::make_unique<sim::SimTransport>(session, StationId::alice));
    if (o.setup) o.setup(*link, session->lab);
    transport::Station alice(std::move(link));
    transport::Station bob(std::make_unique<sim::SimTransport>(session, StationId::bob));
    run::RunWriter writer(dir, false, o.store);
    run::Experiment experiment(alice, bob);
    run::ExperimentPlan plan;
    plan.trials = o.trials;
    plan.stall_timeout = std::chrono::seconds(60);
    auto result = experiment.run(plan, [&] { session->lab.lab().start_triggers(o.trials); },
                                 [&](StationId side, const TrialRecord& r) { writer.append(side, r); });
    nlohmann::json m;
    m["trials"] = o.trials;
    m["seed"] = o.seed;
    writer.finish(m, result);
    return result;
}

inline store::LossLedger ledger_of(const std::filesystem::path& dir, StationId side) {
    return store::LossLedger::from_json(run::read_manifest(dir)["stations"][station_name(side)]["ledger"]);
}

} // namespace dira::faults
