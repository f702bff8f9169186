// Stations on their own hosts, as real processes on loopback: `dira station serve` for each board
// and `dira run` on the certifier; and `dira run` stopped by Ctrl-C or killed, then resumed.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <vector>

#include "child_process.hpp"
#include "run/record_file.hpp"
#include "run/run_dir.hpp"
#include "support/temp_dir.hpp"

using namespace dira;
using dira::testing::Child;
using dira::testing::run_dira;

namespace {

const std::string kEndpoint = R"(on (tcp://127\.0\.0\.1:[0-9]+))";

std::vector<TrialRecord> records_of(const std::filesystem::path& run_dir, StationId side) {
    run::RecordFileReader reader(run::records_path(run_dir, side));
    std::vector<TrialRecord> all(reader.records());
    REQUIRE(reader.read(all) == all.size());
    return all;
}

// Record for record, both stations (the files themselves differ where a resumed store cut its chunks).
void require_same_records(const std::filesystem::path& a, const std::filesystem::path& b, std::uint64_t trials) {
    for (auto side : kStations) {
        const auto ra = records_of(a, side), rb = records_of(b, side);
        REQUIRE(ra.size() == trials);
        REQUIRE(rb.size() == trials);
        REQUIRE(ra == rb);
    }
}

std::filesystem::path simulated(const TempDir& dir, std::uint64_t trials, std::uint64_t seed) {
    const auto out = dir / "simulate";
    REQUIRE(run_dira({"simulate", "--trials", std::to_string(trials), "--seed", std::to_string(seed), "--out", out.string()},
                     dir / "simulate-log") == 0);
    return out;
}

struct Keys {
    std::filesystem::path dir;
    std::string key(const std::string& name) const { return (dir / (name + ".key")).string(); }
    std::string pub(const std::string& name) const { return (dir / (name + ".pub")).string(); }
};

Keys make_keys(const TempDir& dir, const std::vector<std::string>& names) {
    Keys k{dir / "keys"};
    for (const auto& n : names) REQUIRE(run_dira({"keys", n, "--dir", k.dir.string()}, dir / ("keys-" + n)) == 0);
    return k;
}

} // namespace

TEST_CASE("dira keys writes a 0600 secret and a public key, and never overwrites one") {
    TempDir dir("dira-net-keys");
    const auto keys = make_keys(dir, {"certifier"});
    struct stat st {};
    REQUIRE(::stat(keys.key("certifier").c_str(), &st) == 0);
    REQUIRE((st.st_mode & 0777) == 0600);
    REQUIRE(testing::read_text(keys.pub("certifier")).find("secret-key") == std::string::npos);
    REQUIRE(run_dira({"keys", "certifier", "--dir", keys.dir.string()}, dir / "again") == 2);
    REQUIRE_THAT(testing::read_text(dir / "again.err"), Catch::Contains("exists"));
    // A secret key others may read is refused before anything listens.
    std::filesystem::permissions(keys.key("certifier"), std::filesystem::perms::others_read, std::filesystem::perm_options::add);
    REQUIRE(run_dira({"station", "serve", "--device", "sim:alice", "--listen", "tcp://127.0.0.1:0", "--key", keys.key("certifier"),
                      "--clients", keys.pub("certifier")},
                     dir / "open-key") == 1);
    REQUIRE_THAT(testing::read_text(dir / "open-key.err"), Catch::Contains("chmod 600"));
}

TEST_CASE("two station servers (CURVE) on loopback and dira run give dira simulate's records") {
    TempDir dir("dira-net-run");
    const std::uint64_t trials = 3000;
    const auto keys = make_keys(dir, {"alice-station", "bob-station", "certifier"});
    Child alice({"station", "serve", "--device", "sim:alice?seed=4", "--listen", "tcp://127.0.0.1:0", "--key",
                 keys.key("alice-station"), "--clients", keys.pub("certifier")},
                dir / "alice");
    Child bob({"station", "serve", "--device", "sim:bob?seed=4", "--listen", "tcp://127.0.0.1:0", "--key",
               keys.key("bob-station"), "--clients", keys.pub("certifier")},
              dir / "bob");
    const auto a = alice.wait_for(kEndpoint), b = bob.wait_for(kEndpoint);
    const int status = run_dira({"run", "--alice", a + "?server_key=" + keys.pub("alice-station"), "--bob",
                                 b + "?server_key=" + keys.pub("bob-station"), "--key", keys.key("certifier"), "--trials",
                                 std::to_string(trials), "--window-close", "16", "--out", (dir / "net").string()},
                                dir / "run");
    INFO(testing::read_text(dir / "run.err"));
    REQUIRE(status == 0);
    REQUIRE(run::read_manifest(dir / "net")["simulation"]["seed"] == 4);
    require_same_records(dir / "net", simulated(dir, trials, 4), trials);
    REQUIRE_THAT(alice.err(), Catch::Contains("certifier connected"));
}

TEST_CASE("a certifier whose key is not among --clients is refused, and the server logs it") {
    TempDir dir("dira-net-refused");
    const auto keys = make_keys(dir, {"station", "certifier", "intruder"});
    Child server({"station", "serve", "--device", "sim:alice", "--listen", "tcp://127.0.0.1:0", "--key", keys.key("station"),
                  "--clients", keys.pub("certifier")},
                 dir / "server");
    const auto endpoint = server.wait_for(kEndpoint);
    const int status = run_dira({"run", "--alice", endpoint + "?server_key=" + keys.pub("station") + "&timeout=2", "--bob",
                                 "sim:bob", "--key", keys.key("intruder"), "--trials", "10", "--out", (dir / "run").string()},
                                dir / "run");
    REQUIRE(status == 1);
    REQUIRE_THAT(testing::read_text(dir / "run.err"), Catch::Contains("did not answer") && Catch::Contains("--clients"));
    server.wait_for("refused a certifier from .* is not among --clients");
    REQUIRE_FALSE(std::filesystem::exists(dir / "run"));
}

TEST_CASE("a station server killed mid-run gives a clear error, not a hang") {
    TempDir dir("dira-net-killed");
    Child alice({"station", "serve", "--device", "sim:alice", "--listen", "tcp://127.0.0.1:0", "--insecure"}, dir / "alice");
    Child bob({"station", "serve", "--device", "sim:bob", "--listen", "tcp://127.0.0.1:0", "--insecure"}, dir / "bob");
    const auto a = alice.wait_for(kEndpoint), b = bob.wait_for(kEndpoint);
    Child run({"run", "--alice", a + "?insecure&timeout=2", "--bob", b + "?insecure&timeout=2", "--trials", "200000", "--out",
               (dir / "run").string()},
              dir / "run");
    run.wait_for("dira: [0-9]+ / 200000 trials");
    alice.signal(SIGKILL);
    const auto t0 = std::chrono::steady_clock::now();
    REQUIRE(run.wait() == 1);
    REQUIRE(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30));
    REQUIRE_THAT(run.err(), Catch::Contains("station server at " + a + " did not answer"));
}

TEST_CASE("dira run stopped by Ctrl-C or killed, then resumed, stores the same records as a run never stopped") {
    TempDir dir("dira-run-resume");
    const std::uint64_t trials = 60000;
    const auto reference = simulated(dir, trials, 9);
    for (const int sig : {SIGINT, SIGKILL}) {
        const auto out = dir / ("run-" + std::to_string(sig));
        Child run({"run", "--alice", "sim:alice?seed=9", "--bob", "sim:bob?seed=9", "--trials", std::to_string(trials),
                   "--window-close", "16", "--out", out.string()},
                  dir / ("first-" + std::to_string(sig)));
        run.wait_for("dira: [1-9][0-9]+ / 60000 trials");
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        run.signal(sig);
        const int status = run.wait();
        REQUIRE(status == (sig == SIGINT ? 130 : 128 + SIGKILL));
        if (sig == SIGINT) REQUIRE_THAT(run.err(), Catch::Contains("dira run --resume " + out.string()));
        REQUIRE(run::is_unfinished_run(out));
        const int resumed = run_dira({"run", "--resume", out.string()}, dir / ("resume-" + std::to_string(sig)));
        INFO(testing::read_text(dir / ("resume-" + std::to_string(sig) + ".err")));
        REQUIRE(resumed == 0);
        require_same_records(out, reference, trials);
        REQUIRE(run_dira({"run", "--resume", out.string()}, dir / "finished") == 2); // finished: nothing to resume
    }
}
