// Writes the seed corpora of the fuzz targets: valid inputs for each mode, so the fuzzer starts
// from streams and stores that pass every check. Usage: dira_fuzz_seeds FRAME_DIR STORE_DIR
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "store/record_codec.hpp"
#include "store/record_store.hpp"
#include "stream/frame_decoder.hpp"

namespace {

using namespace dira;
namespace fs = std::filesystem;

std::vector<TrialRecord> records(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<TrialRecord> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& r = out[i];
        r.trial_index = i;
        r.t_trigger_cycles = 1000 + 40 * i + rng() % 2;
        if (rng() % 50 == 0) {
            r.flags = kFlag_TRIGGER_LATE;
            continue;
        }
        r.setting = rng() & 1;
        r.t_setting_cycles = r.t_trigger_cycles + 1;
        r.outcome = rng() & 1;
        r.t_outcome_cycles = r.t_setting_cycles + 12 + rng() % 3;
    }
    return out;
}

void write(const fs::path& p, const std::vector<std::uint8_t>& bytes) {
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<std::uint8_t> frame_stream(std::size_t n_records, std::uint8_t mode) {
    std::vector<std::uint8_t> out = {mode, 17, 0};
    const auto recs = records(n_records, 3);
    std::uint32_t seq = 0;
    for (std::size_t at = 0; at < recs.size(); at += kRecordsPerFrame) {
        std::vector<std::uint32_t> payload;
        for (std::size_t i = at; i < recs.size() && i < at + kRecordsPerFrame; ++i) {
            std::uint32_t w[kRecordWords];
            pack_record(recs[i], w);
            payload.insert(payload.end(), w, w + kRecordWords);
        }
        const auto f = stream::encode_frame(StreamId::records, seq++, payload);
        out.insert(out.end(), f.begin(), f.end());
    }
    const std::uint32_t reply[2] = {0x010, 1};
    const auto r = stream::encode_frame(StreamId::register_reply, 0, reply);
    out.insert(out.end(), r.begin(), r.end());
    return out;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s FRAME_CORPUS_DIR STORE_CORPUS_DIR\n", argv[0]);
        return 2;
    }
    const fs::path frames = argv[1], stores = argv[2];
    fs::create_directories(frames);
    fs::create_directories(stores);
    write(frames / "records-raw", frame_stream(40, 0));
    write(frames / "records-fixcrc", frame_stream(24, 1));

    const fs::path tmp = stores / "tmp.store";
    {
        store::StoreWriter w(tmp, 0, store::StoreOptions{16, 3, false});
        for (const auto& r : records(50, 5)) w.append(r);
        w.close();
    }
    auto file = read(tmp);
    fs::remove(tmp);
    for (std::uint8_t mode : {0, 1}) {
        std::vector<std::uint8_t> seed = {mode};
        seed.insert(seed.end(), file.begin(), file.end());
        write(stores / ("store-mode" + std::to_string(mode)), seed);
    }
    std::vector<std::uint8_t> chunk = {2};
    store::encode_records(records(30, 7), chunk);
    write(stores / "chunk-payload", chunk);
    return 0;
}
