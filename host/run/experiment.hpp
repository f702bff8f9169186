// Runs one Bell-test experiment on two stations (any transport): arm both, start the triggers,
// collect every record as it streams in, read back the counters. The same code drives simulated
// boards and real ones; only `start_triggers` differs (the simulated sequencer, or the lab's).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "dira/register_map.hpp"
#include "stream/record_stream.hpp"
#include "transport/station.hpp"

namespace dira::run {

// Register settings written to each station before a run (defaults: the register map's resets).
struct StationSettings {
    std::uint32_t window_open_cycles = 2;
    std::uint32_t window_close_cycles = 24;
    std::uint32_t flush_cycles = 256;
};

struct ExperimentPlan {
    std::uint64_t trials = 0;
    StationSettings station;
    // A station that sends nothing for this long (wall clock) while trials are outstanding is an error.
    std::chrono::milliseconds stall_timeout{10000};
    // Polled while trials stream in; true stops the run cleanly (Ctrl-C): both stations stop
    // (CONTROL = 0), what is in flight drains, and run() throws Interrupted.
    std::function<bool()> stop_requested = {};
};

// The run was stopped on request before its last trial; every record delivered so far went to the sink.
struct Interrupted : Error {
    explicit Interrupted(std::uint64_t trials_done)
        : Error(ErrorKind::timeout, "stopped on request after " + std::to_string(trials_done) + " trials"), trials(trials_done) {}
    std::uint64_t trials;
};

struct StationResult {
    StationId side;
    std::string device;
    transport::Identity identity;
    transport::Counters counters;
    transport::FrameMark clear_mark; // at the reply to CLEAR: FRAMES_SENT counts from that frame on
    std::uint64_t records_received = 0;
    std::vector<stream::LostSpan> lost;
    transport::LinkHealth health;
};

struct ExperimentResult {
    std::array<StationResult, 2> stations;
    double wall_seconds = 0;
};

struct Progress {
    std::uint64_t trials_done; // the lesser of the two stations
    std::uint64_t trials_total;
    double wall_seconds;
    std::array<std::uint64_t, 2> lost_trials{}; // per station, in sequence gaps so far
    // Trials both stations recorded, and those won (a xor b = x.y): filled by run::collect_run.
    std::uint64_t pairs = 0;
    std::uint64_t wins = 0;
};

class Experiment {
public:
    using RecordSink = std::function<void(StationId, const TrialRecord&)>;
    using ProgressFn = std::function<void(const Progress&)>;

    Experiment(transport::Station& alice, transport::Station& bob);

    // Identifies both stations (version handshake) and checks that each is the side it claims.
    void identify();
    const std::array<transport::Identity, 2>& identities() const { return identities_; }
    ExperimentResult run(const ExperimentPlan& plan, const std::function<void()>& start_triggers,
                         const RecordSink& sink, const ProgressFn& progress = {});

private:
    transport::FrameMark arm(transport::Station& station, const ExperimentPlan& plan); // returns the CLEAR mark
    bool collect_once(std::size_t i, const ExperimentPlan& plan);
    StationResult finish(std::size_t i, const ExperimentPlan& plan);
    [[noreturn]] void stop(const ExperimentPlan& plan);

    std::array<transport::Station*, 2> stations_;
    std::array<transport::Identity, 2> identities_{};
    std::array<transport::FrameMark, 2> clear_marks_{};
    bool identified_ = false;
};

} // namespace dira::run
