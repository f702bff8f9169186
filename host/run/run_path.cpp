#include "run/run_path.hpp"

#include <cstdint>
#include <deque>

#include "core/error.hpp"
#include "dira/version.hpp"
#include "run/run_dir.hpp"

namespace dira::run {
namespace {

std::string host_version() {
    return std::to_string(kFirmwareVersionMajor) + "." + std::to_string(kFirmwareVersionMinor) + "." +
           std::to_string(kFirmwareVersionPatch);
}

// Starts the simulated lab's sequencer through whichever board reaches it (both do when they share
// a lab, each its own when served by two processes: each lab starts its own). False: real boards,
// the lab's own sequencer triggers them.
bool start_lab_triggers(transport::Station& alice, transport::Station& bob, std::uint64_t trials) {
    const bool a = alice.transport().start_triggers(trials);
    const bool b = bob.transport().start_triggers(trials);
    if (a != b)
        throw Error(ErrorKind::device, "one board is simulated and the other is not (" + alice.device().id + ", " +
                                           bob.device().id + "): a run takes two simulated boards or two real ones");
    return a;
}

// The simulated lab of both boards (one lab, or the same lab simulated twice); null for real boards.
nlohmann::json simulated_lab(const transport::Station& alice, const transport::Station& bob) {
    auto a = alice.transport().simulated_lab(), b = bob.transport().simulated_lab();
    if (a.is_null()) return a;
    if (a.value("seed", std::uint64_t{0}) != b.value("seed", std::uint64_t{0}))
        throw Error(ErrorKind::device, "the two simulated boards run labs of different seeds (" + alice.device().id + ", " +
                                           bob.device().id + "): their records are not one experiment");
    return a;
}

// One run's timestamps and readout windows are counted in clock cycles at both stations: they must
// mean the same time at both.
void require_same_clock(const Experiment& experiment, const transport::Station& alice, const transport::Station& bob) {
    const auto& ids = experiment.identities();
    if (ids[0].clock_hz != ids[1].clock_hz)
        throw Error(ErrorKind::device, "the stations run different clocks: " + alice.device().id + " (Alice) reports CLOCK_HZ " +
                                           std::to_string(ids[0].clock_hz) + ", " + bob.device().id + " (Bob) " +
                                           std::to_string(ids[1].clock_hz) +
                                           ": cycle counts would mean different times; build both stations for one clock");
}

// Stores a trial only once both stations are past it: a station that runs ahead (its CONTROL = 0
// came later, or it simply streams faster) holds its newest records back. A run stopped by Ctrl-C
// or killed then holds, per station, only trials the other station also measured, and a resumed run
// replays them as they were.
class PairedAppender {
public:
    explicit PairedAppender(RunWriter& writer) : writer_(writer) {}
    void add(StationId side, const TrialRecord& r) {
        const auto i = index(side);
        held_[i].push_back(r);
        seen_[i] = std::max(seen_[i], r.trial_index + 1);
        flush(std::min(seen_[0], seen_[1]));
    }
    // Stores every record held back (the run completed: nothing is ahead of anything).
    void flush_all() { flush(UINT64_MAX); }

private:
    void flush(std::uint64_t below) {
        auto& a = held_[0];
        auto& b = held_[1];
        for (;;) {
            const bool has_a = !a.empty() && a.front().trial_index < below;
            const bool has_b = !b.empty() && b.front().trial_index < below;
            if (!has_a && !has_b) return;
            if (has_a && has_b && a.front().trial_index == b.front().trial_index) {
                ++pairs_;
                wins_ += ((a.front().outcome ^ b.front().outcome) & 1u) == (a.front().setting & b.front().setting & 1u);
            }
            const bool take_a = has_a && (!has_b || a.front().trial_index <= b.front().trial_index);
            const bool take_b = has_b && (!has_a || b.front().trial_index <= a.front().trial_index);
            if (take_a) writer_.append(StationId::alice, a.front()), a.pop_front();
            if (take_b) writer_.append(StationId::bob, b.front()), b.pop_front();
        }
    }

public:
    std::uint64_t pairs() const { return pairs_; }
    std::uint64_t wins() const { return wins_; }

private:
    RunWriter& writer_;
    std::array<std::deque<TrialRecord>, 2> held_;
    std::array<std::uint64_t, 2> seen_{};
    std::uint64_t pairs_ = 0, wins_ = 0; // the live S_win: a preview; certification recounts from the stores
};

} // namespace

CollectedRun collect_run(transport::Station& alice, transport::Station& bob, const RunRequest& request,
                         const Experiment::ProgressFn& progress) {
    if (request.plan.trials == 0) throw Error(ErrorKind::invalid_argument, "--trials must be at least 1");
    Experiment experiment(alice, bob);
    experiment.identify();
    require_same_clock(experiment, alice, bob);
    const auto lab = simulated_lab(alice, bob); // two simulated labs of different seeds are refused before any trial
    RunWriter writer(request.out, request.overwrite);
    if (request.before_first_trial) request.before_first_trial(writer, lab);

    CollectedRun out;
    out.run_id = request.run_id.empty() ? new_run_id() : request.run_id;
    out.run_dir = request.out;
    PairedAppender paired(writer);
    try {
        out.experiment = experiment.run(
        request.plan,
        [&] {
            out.simulated_triggers = start_lab_triggers(alice, bob, request.plan.trials);
            if (request.triggers_started) request.triggers_started(out.simulated_triggers);
        },
        [&](StationId side, const TrialRecord& r) { paired.add(side, r); },
        [&](const Progress& p) {
            if (!progress) return;
            Progress scored = p;
            scored.pairs = paired.pairs();
            scored.wins = paired.wins();
            progress(scored);
        });
        paired.flush_all();
    } catch (const Interrupted&) {
        writer.suspend();
        throw;
    }

    nlohmann::json m;
    m["run_id"] = out.run_id;
    m["trials"] = request.plan.trials;
    m["host"] = {{"dira_version", host_version()}, {"api_level", kApiLevel}};
    m["station_settings"] = {{"window_open_cycles", request.plan.station.window_open_cycles},
                             {"window_close_cycles", request.plan.station.window_close_cycles},
                             {"flush_cycles", request.plan.station.flush_cycles}};
    m["triggers"] = out.simulated_triggers ? "simulated lab sequencer" : "lab sequencer";
    if (auto lab = simulated_lab(alice, bob); !lab.is_null()) m["simulation"] = std::move(lab);
    for (const auto& s : out.experiment.stations) m["stations"][station_name(s.side)] = station_json(s);
    m["wall_seconds"] = out.experiment.wall_seconds;
    writer.finish(m, out.experiment);
    out.manifest = read_manifest(request.out);
    return out;
}

FinalizeResult finish_run(const std::filesystem::path& run_dir, const SecondSource& second,
                          const std::function<void(const char* stage, double fraction)>& progress) {
    return certify_and_extract(run_dir, second, progress);
}

} // namespace dira::run
