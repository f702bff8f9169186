// The SystemC lab end to end (dira-lab: both stations' RTL, picosecond lab models, the verifier on
// every trial): a comfortable lab keeps every trial space-like and within the budget; a lab that is
// too small or too slow flags exactly the trials that cross, in the records the run writes, and the
// certification refuses that run; the basis selection the RTL really performs takes
// kBasisLatencyCycles clock periods.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <sstream>

#include "certify/certificate.hpp"
#include "dira/station_timing.hpp"
#include "run/record_file.hpp"
#include "run/run_dir.hpp"
#include "timing/timing_budget.hpp"
#include "timing_test_support.hpp"

using namespace dira;
using namespace dira::timing;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kTrials = 600;
// Not a multiple of the clock or weak-source periods: trial after trial, the phases sweep.
constexpr double kTriggerPeriodNs = 653.7;

struct LabRun {
    int exit_status = -1;
    nlohmann::json report;
    fs::path dir;
};

LabRun run_lab(const std::string& name, const LabDescription& lab) {
    const fs::path scratch = dira::test::scratch_dir("systemc-" + name);
    dira::test::write_json(scratch / "lab.json", to_json(lab));
    LabRun r;
    r.dir = scratch / "run";
    std::ostringstream command;
    command << DIRA_LAB_PROGRAM << " --config '" << (scratch / "lab.json").string() << "' --trials " << kTrials
            << " --trigger-period-ns " << kTriggerPeriodNs << " --out '" << r.dir.string() << "' --json";
    const auto result = dira::test::run_program(command.str(), scratch);
    r.exit_status = result.exit_status;
    INFO("dira-lab said: " << result.out);
    REQUIRE_NOTHROW(r.report = nlohmann::json::parse(result.out));
    return r;
}

struct CsvTrial {
    std::uint64_t trial = 0;
    std::array<bool, 2> driven{};
    std::array<double, 2> setting_ps{}, outcome_ps{};
    std::array<std::optional<double>, 2> margin_ps;
    bool flagged = false;
};

std::vector<CsvTrial> read_csv(const fs::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line); // header
    std::vector<CsvTrial> rows;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream s(line);
        for (std::string cell; std::getline(s, cell, ',');) f.push_back(cell);
        if (line.back() == ',') f.emplace_back();
        REQUIRE(f.size() == 16);
        CsvTrial t;
        t.trial = std::stoull(f[0]);
        for (int i = 0; i < 2; ++i) {
            const int base = 1 + 6 * i;
            t.driven[i] = f[base + 1] == "1";
            if (t.driven[i]) {
                t.setting_ps[i] = std::stod(f[base + 2]);
                t.outcome_ps[i] = std::stod(f[base + 5]);
            }
            if (!f[13 + i].empty()) t.margin_ps[i] = std::stod(f[13 + i]);
        }
        t.flagged = f[15] == "1";
        rows.push_back(t);
    }
    return rows;
}

std::vector<TrialRecord> read_records(const fs::path& run_dir, StationId side) {
    run::RecordFileReader reader(run::records_path(run_dir, side));
    std::vector<TrialRecord> all(reader.records());
    std::size_t n = 0;
    while (n < all.size()) {
        const std::size_t got = reader.read(std::span<TrialRecord>(all).subspan(n));
        if (got == 0) break;
        n += got;
    }
    all.resize(n);
    return all;
}

std::set<std::uint64_t> flagged_trials(const std::vector<TrialRecord>& records) {
    std::set<std::uint64_t> s;
    for (const auto& r : records)
        if (r.has(kFlag_LIGHT_CONE)) s.insert(r.trial_index);
    return s;
}

bool certification_refuses_light_cone(const LabRun& run, std::vector<TrialRecord> alice, std::vector<TrialRecord> bob) {
    const auto manifest = run::read_manifest(run.dir);
    certify::RunInfo info;
    info.run_id = info.alice_run_id = info.bob_run_id = manifest["run_id"].get<std::string>();
    info.trials = manifest["trials"].get<std::uint64_t>();
    info.source_bias = manifest["source_bias"].get<double>();
    info.expected_chsh = 2.27;
    certify::MemoryRecordSource a(std::move(alice)), b(std::move(bob));
    const certify::Certificate c = certify::certify_run(info, a, b);
    for (const auto& r : c.refusals)
        if (r.reason == certify::RefusalReason::light_cone_violation) return true;
    return false;
}

// Every trial's margins follow from its events (recomputed here from the CSV), the flag is set
// exactly when a margin is not positive, and the records carry the flag exactly for those trials.
std::set<std::uint64_t> check_flags_follow_events(const LabRun& run, const LabDescription& lab) {
    const double light_ps = light_travel_ps(station_distance_m(lab));
    const auto rows = read_csv(run.dir / "light_cone.csv");
    REQUIRE(rows.size() == kTrials);
    std::set<std::uint64_t> crossing;
    for (const auto& t : rows) {
        bool crossed = false;
        for (int i = 0; i < 2; ++i) {
            REQUIRE(t.driven[i]);
            const double margin = light_ps - std::abs(t.outcome_ps[1 - i] - t.setting_ps[i]);
            REQUIRE(t.margin_ps[i]);
            CHECK(*t.margin_ps[i] == Approx(margin).margin(0.002));
            crossed = crossed || margin <= 0;
        }
        CHECK(t.flagged == crossed);
        if (crossed) crossing.insert(t.trial);
    }
    const auto alice = read_records(run.dir, StationId::alice);
    const auto bob = read_records(run.dir, StationId::bob);
    REQUIRE(alice.size() == kTrials);
    REQUIRE(bob.size() == kTrials);
    CHECK(flagged_trials(alice) == crossing);
    CHECK(flagged_trials(bob) == crossing);
    CHECK(run.report["flagged_records"].get<std::uint64_t>() == 2 * crossing.size());
    CHECK(run.report["violations"].get<std::uint64_t>() == crossing.size());
    CHECK(certification_refuses_light_cone(run, alice, bob) == !crossing.empty());
    return crossing;
}

const MarginCheck& outcome_check(const TimingBudget& b, StationId setting_side) {
    for (const auto& c : b.checks)
        if (c.setting_side == setting_side && !c.window_close) return c;
    FAIL("no check");
    return b.checks.front();
}

} // namespace

TEST_CASE("a comfortable lab: every trial space-like, within the static budget, nothing flagged") {
    const LabDescription lab = load_lab(dira::test::default_lab_path());
    const LabRun run = run_lab("comfortable", lab);
    CHECK(run.exit_status == 0);
    CHECK(run.report["checked_trials"] == kTrials);
    check_flags_follow_events(run, lab);
    // Each trial's margins lie between the budget's worst and best phases.
    const TimingBudget b = compute_budget(lab);
    for (const auto& t : read_csv(run.dir / "light_cone.csv"))
        for (auto side : kStations) {
            const auto& c = outcome_check(b, side);
            CHECK(*t.margin_ps[index(side)] / 1000.0 >= c.margin_worst_ns - 1e-6);
            CHECK(*t.margin_ps[index(side)] / 1000.0 <= c.margin_best_ns + 1e-6);
        }
    CHECK(run.report["min_margin_ns"].get<double>() > 0);
    const auto manifest = run::read_manifest(run.dir);
    CHECK(manifest["light_cone"]["violations"] == 0);
    for (const char* file : {"spacetime.svg", "margins.svg"}) CHECK(fs::file_size(run.dir / file) > 1000);
}

TEST_CASE("the SystemC model's basis selection takes kBasisLatencyCycles clock periods, as the RTL counts") {
    const LabDescription lab = load_lab(dira::test::default_lab_path());
    const LabRun run = run_lab("basis-latency", lab);
    for (auto side : kStations) {
        const auto& b = run.report["basis_selection"][station_name(side)];
        const auto& fpga = lab.station(side).fpga;
        const double period_ns = fpga.clock_period_ps() / 1000.0;
        const double io_ns = fpga.input_delay_ns + fpga.output_delay_ns;
        CHECK(b["served"] == kTrials);
        // Every trial: the setting register loads on the kBasisLatencyCycles-th edge from the trigger pin.
        CHECK(b["clock_edges_min"] == kBasisLatencyCycles);
        CHECK(b["clock_edges_max"] == kBasisLatencyCycles);
        // Pin to pin: at most the model's kBasisLatencyCycles periods (plus I/O), approached as the phases
        // sweep; at least one period less.
        CHECK(b["model_basis_selection_ns"].get<double>() == Approx(kBasisLatencyCycles * period_ns));
        const double worst = kBasisLatencyCycles * period_ns + io_ns;
        CHECK(b["pin_to_pin_max_ns"].get<double>() <= worst + 1e-6);
        CHECK(b["pin_to_pin_max_ns"].get<double>() > worst - period_ns / 8);
        CHECK(b["pin_to_pin_min_ns"].get<double>() >= worst - period_ns - 1e-6);
        CHECK(b["pin_to_pin_min_ns"].get<double>() < worst - period_ns + period_ns / 8);
        // The station reports the same count in its register.
        const auto manifest = run::read_manifest(run.dir);
        CHECK(manifest["stations"][station_name(side)]["basis_latency_cycles"] == kBasisLatencyCycles);
    }
}

TEST_CASE("stations moved too close: exactly the crossing trials are flagged and the run is refused") {
    LabDescription lab = load_lab(dira::test::default_lab_path());
    // Light travel time halfway between the budget's worst and best |t_outcome - t_setting|: some
    // trials cross, others do not, depending on their phases.
    const TimingBudget b = compute_budget(lab);
    const auto& c = outcome_check(b, StationId::alice);
    const double light_ns = (c.delta_worst_ns + c.delta_best_ns) / 2;
    set_station_distance(lab, light_ns * kSpeedOfLight_m_per_s * 1e-9);
    const LabRun run = run_lab("too-close", lab);
    CHECK(run.exit_status == 1);
    const auto crossing = check_flags_follow_events(run, lab);
    CHECK(crossing.size() > kTrials / 20);
    CHECK(crossing.size() < kTrials - kTrials / 20);
}

TEST_CASE("one station's readout slowed: only trials crossing that outcome's light cone are flagged") {
    LabDescription lab = load_lab(dira::test::default_lab_path());
    const TimingBudget before = compute_budget(lab);
    const auto& c = outcome_check(before, StationId::alice);
    // Slower by the midpoint of the margin's range: Bob's outcome now crosses Alice's cone in part
    // of the trials; Alice's outcome is untouched.
    const double slower_ns = (c.margin_worst_ns + c.margin_best_ns) / 2;
    auto& bob = lab.station(StationId::bob);
    bob.qubit.readout_integration_ns += slower_ns;
    for (auto side : kStations) lab.station(side).fpga.window_close_cycles += static_cast<std::uint32_t>(std::ceil(slower_ns / 4.0));
    validate(lab);
    const LabRun run = run_lab("slow-readout", lab);
    CHECK(run.exit_status == 1);
    const auto crossing = check_flags_follow_events(run, lab);
    CHECK_FALSE(crossing.empty());
    CHECK(crossing.size() < kTrials);
    for (const auto& t : read_csv(run.dir / "light_cone.csv")) {
        CHECK(*t.margin_ps[index(StationId::bob)] > 0);           // Bob's setting vs Alice's outcome: as before
        CHECK(t.flagged == (*t.margin_ps[index(StationId::alice)] <= 0)); // the flag comes from Bob's slower outcome
    }
}

TEST_CASE("a missing outcome is fixed when its window closes: only such trials cross a cone the outcomes clear") {
    LabDescription lab = load_lab(dira::test::default_lab_path());
    lab.simulation.missing_probability = 0.3;
    // Light travel time 1 ns more than the worst outcome check needs, inside the window-close range.
    const TimingBudget b = compute_budget(lab);
    const double light_ns = outcome_check(b, StationId::alice).delta_worst_ns + 1.0;
    set_station_distance(lab, light_ns * kSpeedOfLight_m_per_s * 1e-9);
    const LabRun run = run_lab("missing-outcomes", lab);
    CHECK(run.exit_status == 1);
    const auto crossing = check_flags_follow_events(run, lab);
    CHECK_FALSE(crossing.empty());
    std::set<std::uint64_t> with_missing_outcome;
    for (auto side : kStations)
        for (const auto& r : read_records(run.dir, side))
            if (r.has(kFlag_OUTCOME_MISSING)) with_missing_outcome.insert(r.trial_index);
    for (const auto trial : crossing) CHECK(with_missing_outcome.count(trial) == 1);
    CHECK(with_missing_outcome.size() > crossing.size());
}
