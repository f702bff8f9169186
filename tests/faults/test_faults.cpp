// Fault injection in simulation: every kind of damage on the way from board to disk is detected,
// reported with stream, sequence number and trial range, kept out of the certifiable spans, and
// reconciled with the firmware's counters.
#include <catch2/catch.hpp>

#include <algorithm>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "faults/sim_run.hpp"
#include "store/record_store.hpp"
#include "store/run_verify.hpp"
#include "support/temp_dir.hpp"

using namespace dira;
using namespace dira::faults;
namespace fs = std::filesystem;

namespace {

bool mentions(const std::vector<std::string>& events, const std::string& what) {
    for (const auto& e : events)
        if (e.find(what) != std::string::npos) return true;
    return false;
}

std::uint64_t certifiable_trials(const store::LossLedger& l) {
    std::uint64_t n = 0;
    for (const auto& s : l.certifiable) n += s.count;
    return n;
}

// The frames of a clean run hold kRecordsPerFrame records each (triggers come faster than the
// flush timeout), so frame k carries trials 8k .. 8k+7.
constexpr std::uint64_t kFrame = 10;
constexpr std::uint64_t kFirstLost = kFrame * kRecordsPerFrame;

// FRAMES_SENT equals the frames the host received plus those it knows it lost: exactly, since no
// trial was lost at the end.
void require_frames_reconciled(const store::LossLedger& l) {
    const auto check = std::find_if(l.checks.begin(), l.checks.end(), [](const auto& c) { return c.name == "frames_match_counter"; });
    REQUIRE(check != l.checks.end());
    INFO(check->message);
    REQUIRE(check->ok);
    REQUIRE_THAT(check->message, !Catch::Contains("may be unknown"));
}

void require_link_loss_of_frame(const store::LossLedger& l, std::uint64_t first, std::uint64_t count) {
    INFO(l.to_json().dump(2));
    REQUIRE(l.lost.size() == 1);
    REQUIRE(l.lost[0].cause == store::LossCause::link);
    REQUIRE(l.lost[0].first_trial == first);
    REQUIRE(l.lost[0].count == count);
    REQUIRE_THAT(l.lost[0].evidence, Catch::Contains("stream 1"));
    REQUIRE(l.reconciled());
    REQUIRE(l.records_stored + l.lost_trials == l.planned_trials);
    REQUIRE(certifiable_trials(l) == l.planned_trials - count);
    require_frames_reconciled(l);
}

} // namespace

TEST_CASE("a clean simulated run has an empty, reconciled ledger and verifies") {
    TempDir dir;
    sim_run(dir.path(), {});
    for (auto side : kStations) {
        const auto l = ledger_of(dir.path(), side);
        INFO(l.to_json().dump(2));
        REQUIRE(l.lost.empty());
        REQUIRE(l.reconciled());
        REQUIRE(l.records_stored == 400);
        require_frames_reconciled(l);
    }
    const auto v = store::verify_run(dir.path());
    INFO(v.to_json().dump(2));
    REQUIRE(v.ok());
}

TEST_CASE("a dropped frame is a link loss of exactly its trials") {
    TempDir dir;
    sim_run(dir.path(), {.setup = [](FaultyTransport& f, lab::SimLab&) { f.on_frame(kFrame, FrameAction::drop); }});
    const auto l = ledger_of(dir.path(), StationId::alice);
    require_link_loss_of_frame(l, kFirstLost, kRecordsPerFrame);
    REQUIRE_THAT(l.lost[0].evidence, Catch::Contains("sequence gap"));
    REQUIRE(ledger_of(dir.path(), StationId::bob).lost.empty());
    REQUIRE(store::verify_run(dir.path()).ok()); // the ledger matches the gap in the store
}

TEST_CASE("a corrupted frame fails its CRC and is a link loss of its trials") {
    TempDir dir;
    sim_run(dir.path(), {.setup = [](FaultyTransport& f, lab::SimLab&) { f.on_frame(kFrame, FrameAction::flip_bit); }});
    const auto l = ledger_of(dir.path(), StationId::alice);
    require_link_loss_of_frame(l, kFirstLost, kRecordsPerFrame);
    REQUIRE_THAT(l.lost[0].evidence, Catch::Contains("bad CRC"));
}

TEST_CASE("a duplicated frame is dropped and reported, and nothing is lost") {
    TempDir dir;
    sim_run(dir.path(), {.setup = [](FaultyTransport& f, lab::SimLab&) { f.on_frame(kFrame, FrameAction::duplicate); }});
    const auto l = ledger_of(dir.path(), StationId::alice);
    INFO(l.to_json().dump(2));
    REQUIRE(l.lost.empty());
    REQUIRE(l.duplicates_dropped == 1);
    REQUIRE(mentions(l.link_events, "duplicate sequence"));
    REQUIRE(l.reconciled());
    require_frames_reconciled(l); // the duplicate is not counted twice
}

TEST_CASE("reordered frames: the late one is dropped and its trials are a link loss") {
    TempDir dir;
    sim_run(dir.path(), {.setup = [](FaultyTransport& f, lab::SimLab&) { f.on_frame(kFrame, FrameAction::swap_with_next); }});
    const auto l = ledger_of(dir.path(), StationId::alice);
    require_link_loss_of_frame(l, kFirstLost, kRecordsPerFrame);
    REQUIRE(mentions(l.link_events, "reordered sequence"));
}

TEST_CASE("an FT601 that stops taking data overflows the record FIFO: counted, attributed, reconciled") {
    TempDir dir;
    // A stall of ~170 trials (24 cycles each) in the middle of the run: the FPGA's FIFOs fill in a
    // few trials, the rest of the stall is dropped, and the run goes on afterwards.
    sim_run(dir.path(), {.trials = 600, .setup = [](FaultyTransport& f, lab::SimLab& sim) {
                             f.at_bytes(2000, [&sim] { sim.board(StationId::alice).ft601().stall_tx(4'000); });
                         }});
    const auto l = ledger_of(dir.path(), StationId::alice);
    INFO(l.to_json().dump(2));
    REQUIRE_FALSE(l.lost.empty());
    for (const auto& e : l.lost) REQUIRE(e.cause == store::LossCause::firmware_overflow);
    REQUIRE(l.reconciled());
    const auto m = run::read_manifest(dir.path());
    REQUIRE(l.lost_trials > 0);
    REQUIRE(store::verify_run(dir.path()).ok());
}

TEST_CASE("a host that stops reading overflows the board: counted, attributed, reconciled") {
    TempDir dir;
    // The FT601's 16 KiB buffer holds ~430 trials' records; a stall of ~830 trials overflows it and
    // the run goes on for another ~600 trials after it.
    sim_run(dir.path(), {.trials = 1500, .setup = [](FaultyTransport& f, lab::SimLab& sim) {
                             f.at_bytes(2000, [&sim] { sim.stall_host(StationId::alice, 20'000); });
                         }});
    const auto l = ledger_of(dir.path(), StationId::alice);
    INFO(l.to_json().dump(2));
    REQUIRE_FALSE(l.lost.empty());
    for (const auto& e : l.lost) REQUIRE(e.cause == store::LossCause::firmware_overflow);
    REQUIRE(l.reconciled());
}

TEST_CASE("unplugging mid-run ends the run with a disconnect error, and the same run resumes") {
    TempDir dir;
    SimRunOptions o{.trials = 800, .setup = [](FaultyTransport& f, lab::SimLab&) { f.unplug_after(12'000); }};
    try {
        sim_run(dir.path(), o);
        FAIL("an unplugged board ended the run without an error");
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::disconnected);
    }
    REQUIRE(run::is_unfinished_run(dir.path()));
    REQUIRE_FALSE(store::verify_run(dir.path()).ok());
    // Same seed, link intact: the stored prefix is replayed and checked, the rest appended.
    o.setup = {};
    sim_run(dir.path(), o);
    const auto m = run::read_manifest(dir.path());
    REQUIRE(m["stations"]["alice"]["store"]["resumed"]["records_replayed_and_verified"].get<std::uint64_t>() > 0);
    for (auto side : kStations) REQUIRE(ledger_of(dir.path(), side).lost.empty());
    REQUIRE(store::verify_run(dir.path()).ok());
}

TEST_CASE("resuming with a different seed is refused: it is not the same run") {
    TempDir dir;
    SimRunOptions o{.trials = 800, .setup = [](FaultyTransport& f, lab::SimLab&) { f.unplug_after(12'000); }};
    REQUIRE_THROWS_AS(sim_run(dir.path(), o), Error);
    o.setup = {};
    o.seed = 12;
    try {
        sim_run(dir.path(), o);
        FAIL("a different run was appended to the stored one");
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::integrity);
        REQUIRE_THAT(e.what(), Catch::Contains("not the same run"));
    }
}

TEST_CASE("kill -9 mid-run: the resumed run is byte-identical to an uninterrupted one") {
    TempDir clean, crashed;
    const SimRunOptions o{.trials = 3000, .seed = 21};
    sim_run(clean.path(), o);

    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        try {
            sim_run(crashed.path(), o);
        } catch (...) {
        }
        ::_exit(0);
    }
    // Kill it once both record files hold a few chunks.
    for (int i = 0; i < 20'000; ++i) {
        std::error_code ec;
        const auto a = fs::file_size(run::records_path(crashed.path(), StationId::alice), ec);
        const auto b = ec ? 0 : fs::file_size(run::records_path(crashed.path(), StationId::bob), ec);
        if (!ec && a > 4000 && b > 4000) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(run::is_unfinished_run(crashed.path()));

    sim_run(crashed.path(), o);
    const auto m = run::read_manifest(crashed.path());
    INFO(m["stations"].dump(2));
    REQUIRE(m["stations"]["alice"]["store"]["resumed"]["records_kept"].get<std::uint64_t>() > 0);
    for (auto side : kStations)
        REQUIRE(sha256_file_hex(run::records_path(crashed.path(), side)) == sha256_file_hex(run::records_path(clean.path(), side)));
    REQUIRE(store::verify_run(crashed.path()).ok());
}

TEST_CASE("a truncated record file is reported by the reader and by verify") {
    TempDir dir;
    sim_run(dir.path(), {});
    const auto path = run::records_path(dir.path(), StationId::bob);
    fs::resize_file(path, fs::file_size(path) - 7);
    REQUIRE_THROWS_WITH(run::RecordFileReader(path), Catch::Contains("truncated") || Catch::Contains("damaged"));
    const auto v = store::verify_run(dir.path());
    REQUIRE_FALSE(v.ok());
    bool named = false;
    for (const auto& c : v.checks) named |= !c.ok && c.what.find("bob: store") != std::string::npos;
    REQUIRE(named);
}
