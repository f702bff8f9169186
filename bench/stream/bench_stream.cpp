// Throughput of the host's streaming path (on one core, except where reading decodes ahead on two):
//   decode      bytes off the link -> validated frames -> trial records        (MB/s of link data)
//   store       records -> compact chunks on disk (encode + zstd + write + fdatasync)
//   decode+store the two together: must keep up with a full USB3 link (>= 400 MB/s)
//   read        records back from a store for certification              (trials/s, >= 1e8)
//   simulate    the whole simulated experiment (Verilated boards, host, store)  (trials/s)
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <unistd.h>

#include "sim/simulate.hpp"
#include "store/record_store.hpp"
#include "store/store_test_records.hpp"
#include "stream/frame_decoder.hpp"
#include "stream/record_stream.hpp"

using namespace dira;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kLinkRecords = 1 << 20;          // ~38 MB of record frames
constexpr std::size_t kTransferBytes = 256 * 1024;     // the USB transport's transfer size

fs::path scratch(const std::string& name) {
    return fs::temp_directory_path() / ("dira-bench-" + std::to_string(::getpid()) + "-" + name);
}

// The byte stream a station sends: full record frames, as the firmware packs them.
const std::vector<std::uint8_t>& link_bytes() {
    static const std::vector<std::uint8_t> bytes = [] {
        const auto records = realistic_records(kLinkRecords, 3);
        std::vector<std::uint8_t> out;
        std::uint32_t seq = 0;
        for (std::size_t at = 0; at < records.size(); at += kRecordsPerFrame) {
            std::vector<std::uint32_t> payload;
            for (std::size_t i = at; i < at + kRecordsPerFrame; ++i) {
                std::uint32_t w[kRecordWords];
                pack_record(records[i], w);
                payload.insert(payload.end(), w, w + kRecordWords);
            }
            const auto f = stream::encode_frame(StreamId::records, seq++, payload);
            out.insert(out.end(), f.begin(), f.end());
        }
        return out;
    }();
    return bytes;
}

// Frames -> records -> (optionally) the store, as Station and RunWriter do it.
struct Pipeline : stream::FrameSink {
    stream::RecordStream records;
    store::StoreWriter* writer = nullptr;
    std::uint64_t count = 0;
    explicit Pipeline(store::StoreWriter* w)
        : records([this](const TrialRecord& r) {
                      ++count;
                      if (writer) writer->append(r);
                  },
                  [](const stream::RecordFaultReport&) { std::abort(); }),
          writer(w) {}
    void on_frame(const stream::Frame& f) override { records.on_frame(f); }
    void on_fault(const stream::FaultReport&) override { std::abort(); }
};

void feed_link(Pipeline& p) {
    stream::FrameDecoder decoder(p);
    const auto& bytes = link_bytes();
    for (std::size_t at = 0; at < bytes.size(); at += kTransferBytes)
        decoder.feed(std::span(bytes).subspan(at, std::min(kTransferBytes, bytes.size() - at)));
    decoder.finish();
}

void BM_Decode(benchmark::State& state) {
    for (auto _ : state) {
        Pipeline p(nullptr);
        feed_link(p);
        benchmark::DoNotOptimize(p.count);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * link_bytes().size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kLinkRecords));
}
BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DecodeAndStore(benchmark::State& state) {
    const auto path = scratch("decode-store");
    std::uint64_t file_bytes = 0;
    for (auto _ : state) {
        store::StoreWriter w(path, 0, store::StoreOptions{store::kDefaultChunkRecords, 3, state.range(0) != 0});
        Pipeline p(&w);
        feed_link(p);
        w.close();
        file_bytes = w.stored_bytes();
    }
    fs::remove(path);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * link_bytes().size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kLinkRecords));
    state.counters["store_bytes_per_trial"] = static_cast<double>(file_bytes) / kLinkRecords;
}
BENCHMARK(BM_DecodeAndStore)->Arg(1)->Arg(0)->ArgName("fdatasync")->Unit(benchmark::kMillisecond)->UseRealTime();

// A store of realistic records to read back, written on first use and removed at exit.
bool read_store_written = false;
const fs::path& read_store_path() {
    static const fs::path path = [] {
        const auto p = scratch("read");
        store::StoreWriter w(p, 0, store::StoreOptions{store::kDefaultChunkRecords, 3, false});
        for (const auto& r : realistic_records(4 * kLinkRecords, 5)) w.append(r);
        w.close();
        read_store_written = true;
        return p;
    }();
    return path;
}

void BM_ReadColumns(benchmark::State& state) {
    std::uint64_t records = 0;
    for (auto _ : state) {
        store::StoreReader reader(read_store_path(), static_cast<unsigned>(state.range(0)));
        store::RecordColumns cols;
        std::uint64_t ones = 0;
        while (reader.next_chunk(cols)) ones += cols.setting_bits[0] + cols.outcome_bits[0];
        benchmark::DoNotOptimize(ones);
        records = reader.records_read();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records));
    state.counters["bytes_per_trial"] = static_cast<double>(fs::file_size(read_store_path())) / records;
}
// Decoding threads 0 (in the reading thread) and 2 (the default read-ahead), side by side.
BENCHMARK(BM_ReadColumns)->Arg(0)->Arg(2)->ArgName("decode_threads")->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReadRecords(benchmark::State& state) {
    std::uint64_t records = 0;
    std::vector<TrialRecord> block(1 << 16);
    for (auto _ : state) {
        store::StoreReader reader(read_store_path(), static_cast<unsigned>(state.range(0)));
        std::uint64_t sum = 0;
        while (std::size_t n = reader.read(block)) sum += block[n - 1].trial_index;
        benchmark::DoNotOptimize(sum);
        records = reader.records_read();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records));
}
BENCHMARK(BM_ReadRecords)->Arg(0)->Arg(2)->ArgName("decode_threads")->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SimulateEndToEnd(benchmark::State& state) {
    const auto trials = static_cast<std::uint64_t>(state.range(0));
    double bytes_per_trial = 0;
    for (auto _ : state) {
        sim::SimulationOptions o;
        o.trials = trials;
        o.out = scratch("sim");
        o.overwrite = true;
        const auto r = sim::simulate(o);
        bytes_per_trial = r.manifest["stations"]["alice"]["store"]["bytes_per_record"].get<double>();
        fs::remove_all(o.out);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trials));
    state.counters["store_bytes_per_trial"] = bytes_per_trial;
}
BENCHMARK(BM_SimulateEndToEnd)->Arg(200'000)->ArgName("trials")->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    // Build the inputs before timing anything.
    link_bytes();
    read_store_path();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    std::error_code ec;
    if (read_store_written) fs::remove(read_store_path(), ec);
    return 0;
}
