// Trials per second through the network path: a station server (net/station_server.hpp) on
// loopback serving a board, read by the tcp:// transport as `dira run` reads it, without and with
// CURVE encryption. The board replays, as fast as it is asked, the bytes a simulated station sent
// for a real run (frames, register replies), so the figure is the network path's, not the
// simulator's; trials/s = bytes/s divided by the bytes that run sent per trial.
//
//   build/bench/net/bench_net --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "net/curve_keys.hpp"
#include "net/station_server.hpp"
#include "net/tcp_transport.hpp"
#include "run/run_path.hpp"
#include "sim/sim_devices.hpp"

using namespace dira;

namespace {

constexpr std::uint64_t kRecordedTrials = 20'000;

// Keeps a copy of every byte the board sent.
class Recording : public transport::Transport {
public:
    Recording(std::unique_ptr<transport::Transport> inner, std::vector<std::uint8_t>& into) : inner_(std::move(inner)), into_(into) {}
    const transport::DeviceInfo& info() const override { return inner_->info(); }
    void write(std::span<const std::uint8_t> b) override { inner_->write(b); }
    std::size_t read(std::span<std::uint8_t> b, std::chrono::milliseconds t) override {
        const auto n = inner_->read(b, t);
        into_.insert(into_.end(), b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
        return n;
    }
    bool start_triggers(std::uint64_t n) override { return inner_->start_triggers(n); }

private:
    std::unique_ptr<transport::Transport> inner_;
    std::vector<std::uint8_t>& into_;
};

// Alice's bytes for a real simulated run, recorded once.
const std::vector<std::uint8_t>& recorded_stream() {
    static const std::vector<std::uint8_t> bytes = [] {
        std::vector<std::uint8_t> out;
        auto lab = sim::new_lab(1, {});
        transport::Station alice(std::make_unique<Recording>(std::make_unique<sim::SimTransport>(lab, StationId::alice), out));
        transport::Station bob(std::make_unique<sim::SimTransport>(lab, StationId::bob));
        run::RunRequest r;
        r.out = std::filesystem::temp_directory_path() / ("dira-bench-net-" + std::to_string(::getpid()));
        r.overwrite = true;
        r.plan.trials = kRecordedTrials;
        r.plan.station = {2, 16, 256};
        run::collect_run(alice, bob, r);
        std::filesystem::remove_all(r.out);
        return out;
    }();
    return bytes;
}

// The recorded bytes, again and again, as fast as they are read.
class Replay : public transport::Transport {
public:
    const transport::DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t>) override {}
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds) override {
        const auto& s = recorded_stream();
        const std::size_t n = std::min(into.size(), s.size() - at_);
        std::copy_n(s.begin() + static_cast<std::ptrdiff_t>(at_), n, into.begin());
        at_ = (at_ + n) % s.size();
        return n;
    }

private:
    transport::DeviceInfo info_{"replay", "replay:alice", "a recorded station stream"};
    std::size_t at_ = 0;
};

void BM_StationOverTcp(benchmark::State& state) {
    const bool curve = state.range(0) != 0;
    const double bytes_per_trial = double(recorded_stream().size()) / double(kRecordedTrials);
    const auto keys = std::filesystem::temp_directory_path() / ("dira-bench-keys-" + std::to_string(::getpid()));
    std::filesystem::remove_all(keys);
    net::ServerOptions o;
    o.listen = "tcp://127.0.0.1:0";
    transport::DeviceOptions client;
    if (curve) {
        net::write_key_files(keys, "server", net::make_key_pair());
        net::write_key_files(keys, "client", net::make_key_pair());
        o.key_file = keys / "server.key";
        o.clients = keys / "client.pub";
        client.curve_key_file = (keys / "client.key").string();
    } else {
        o.insecure = true;
    }
    net::StationServer server([] { return std::make_unique<Replay>(); }, o);
    std::atomic<bool> stop{false};
    std::thread serving([&] { server.serve(stop); });
    const std::string id = server.endpoint() + (curve ? "?server_key=" + (keys / "server.pub").string() : "?insecure");
    {
        net::TcpTransport link(id, client);
        std::vector<std::uint8_t> buffer(1 << 20);
        std::uint64_t bytes = 0;
        for (auto _ : state) bytes += link.read(buffer, std::chrono::milliseconds(100));
        state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
        state.counters["trials_per_s"] = benchmark::Counter(double(bytes) / bytes_per_trial, benchmark::Counter::kIsRate);
        state.counters["bytes_per_trial"] = bytes_per_trial;
    }
    stop = true;
    serving.join();
    std::filesystem::remove_all(keys);
}
BENCHMARK(BM_StationOverTcp)->Arg(0)->Arg(1)->ArgName("curve")->UseRealTime()->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
