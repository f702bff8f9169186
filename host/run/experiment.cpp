#include "run/experiment.hpp"

#include "core/error.hpp"

namespace dira::run {
namespace {

using Clock = std::chrono::steady_clock;
// Long enough for a frame flush (FLUSH_CYCLES) at any station clock; in simulation a timeout is
// simulated time, so a long one would cost seconds of wall clock at every quiet moment.
constexpr std::chrono::milliseconds kPollTimeout{1};

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

} // namespace

Experiment::Experiment(transport::Station& alice, transport::Station& bob) : stations_{&alice, &bob} {}

void Experiment::identify() {
    for (auto side : kStations) {
        auto& station = *stations_[index(side)];
        identities_[index(side)] = station.identify();
        const auto claimed = identities_[index(side)].station_id;
        if (claimed != static_cast<std::uint32_t>(side))
            throw Error(ErrorKind::device, station.device().id + " was given as " + station_name(side) +
                                               "'s station but its STATION_ID register says " + std::to_string(claimed) +
                                               ": check the wiring or the --alice/--bob devices");
    }
    identified_ = true;
}

transport::FrameMark Experiment::arm(transport::Station& station, const ExperimentPlan& plan) {
    if (plan.trials == 0 || plan.trials > 0xFFFFFFFFull)
        throw Error(ErrorKind::invalid_argument, "trials must be between 1 and 4294967295 (TRIAL_LIMIT is 32 bits), got " +
                                                     std::to_string(plan.trials));
    station.write_register(Reg::CONTROL, 0);
    station.write_register(Reg::CONTROL, kControlClear);
    const transport::FrameMark clear_mark = station.last_reply_mark();
    station.write_register(Reg::WINDOW_OPEN_CYCLES, plan.station.window_open_cycles);
    station.write_register(Reg::WINDOW_CLOSE_CYCLES, plan.station.window_close_cycles);
    station.write_register(Reg::FLUSH_CYCLES, plan.station.flush_cycles);
    station.write_register(Reg::TRIAL_LIMIT, static_cast<std::uint32_t>(plan.trials));
    station.reset_record_stream(0);
    station.write_register(Reg::CONTROL, kControlRun);
    return clear_mark;
}

// Polls one station once; returns true when all of its trials are accounted for.
bool Experiment::collect_once(std::size_t i, const ExperimentPlan& plan) {
    auto& station = *stations_[i];
    if (station.records().next_trial() >= plan.trials) return true;
    if (station.poll(kPollTimeout) > 0) return station.records().next_trial() >= plan.trials;
    // A quiet link: either still waiting for triggers, or done with its last trials lost (e.g.
    // dropped on overflow); finish() then waits out what may still be in flight.
    return (station.read_register(Reg::STATUS) & kStatusDone) != 0;
}

StationResult Experiment::finish(std::size_t i, const ExperimentPlan& plan) {
    auto& station = *stations_[i];
    station.write_register(Reg::CONTROL, 0);
    // Records still in flight arrive within a frame flush; wait only if some are missing.
    while (station.records().next_trial() < plan.trials && station.poll(kPollTimeout) > 0) {
    }
    station.finish_record_stream(plan.trials);
    const auto& records = station.records();
    StationResult r;
    r.side = kStations[i];
    r.device = station.device().id;
    r.identity = identities_[i];
    r.counters = station.read_counters();
    r.clear_mark = clear_marks_[i];
    r.records_received = records.records_delivered();
    r.lost = records.lost_spans();
    r.health = station.health();
    return r;
}

void Experiment::stop(const ExperimentPlan& plan) {
    for (auto* station : stations_) {
        station->write_register(Reg::CONTROL, 0);
        while (station->records().next_trial() < plan.trials && station->poll(kPollTimeout) > 0) {
        }
    }
    throw Interrupted(std::min(stations_[0]->records().next_trial(), stations_[1]->records().next_trial()));
}

ExperimentResult Experiment::run(const ExperimentPlan& plan, const std::function<void()>& start_triggers,
                                 const RecordSink& sink, const ProgressFn& progress) {
    if (!identified_) identify();
    const auto t0 = Clock::now();
    for (auto side : kStations) {
        stations_[index(side)]->on_record([&sink, side](const TrialRecord& r) { sink(side, r); });
        clear_marks_[index(side)] = arm(*stations_[index(side)], plan);
    }
    start_triggers();

    std::array<bool, 2> done{};
    std::array<std::uint64_t, 2> last_count{};
    std::array<Clock::time_point, 2> last_progress{t0, t0};
    std::uint64_t reported = 0;
    while (!(done[0] && done[1])) {
        if (plan.stop_requested && plan.stop_requested()) stop(plan);
        for (std::size_t i = 0; i < 2; ++i) {
            if (done[i]) continue;
            done[i] = collect_once(i, plan);
            const auto n = stations_[i]->records().next_trial();
            if (n != last_count[i]) {
                last_count[i] = n;
                last_progress[i] = Clock::now();
            } else if (!done[i] && Clock::now() - last_progress[i] > plan.stall_timeout) {
                throw Error(ErrorKind::timeout,
                            stations_[i]->device().id + " sent no trial for " +
                                std::to_string(plan.stall_timeout.count() / 1000) + " s with " + std::to_string(n) +
                                " of " + std::to_string(plan.trials) + " trials in: are the triggers running?");
            }
        }
        const auto trials_done = std::min(last_count[0], last_count[1]);
        if (progress && trials_done >= reported + plan.trials / 100) {
            reported = trials_done;
            Progress p{trials_done, plan.trials, seconds_since(t0)};
            for (std::size_t i = 0; i < 2; ++i)
                for (const auto& span : stations_[i]->records().lost_spans()) p.lost_trials[i] += span.count;
            progress(p);
        }
    }
    ExperimentResult result;
    for (std::size_t i = 0; i < 2; ++i) result.stations[i] = finish(i, plan);
    result.wall_seconds = seconds_since(t0);
    return result;
}

} // namespace dira::run
