// The station's extractor (docs/station.md, "Extractor"), with the RTL and the HLS model in lockstep
// (so every extractor frame is also compared byte for byte): blocks of each kind, whose z bits must
// equal the host library's extractor (host/extract) on x = the outcomes of the records the host
// decoded and y = the weak-source bits the HLS model's packer collected; the refusals with their
// status codes; START while busy; and the host's transport::Station driving a block through the very
// bytes the RTL sent.
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "extract/extractor.hpp"
#include "lockstep/lockstep.hpp"
#include "lockstep/stimulus.hpp"
#include "transport/station.hpp"

using namespace dira;
using namespace dira::testbench;

namespace {

constexpr std::uint32_t kWindowOpen = 6;
constexpr std::uint32_t kWindowClose = 24;
constexpr std::uint64_t kMaxBlockCycles = 400'000;

StimulusConfig stimulus_config(std::uint64_t seed) {
    StimulusConfig c;
    c.seed = seed;
    c.window_open_cycles = kWindowOpen;
    c.window_close_cycles = kWindowClose;
    c.readout_missing_probability = 0.05; // flagged records are part of x too
    c.late_trigger_probability = 0.03;
    return c;
}

void set_window(Lockstep& ls) {
    ls.write_register(Reg::WINDOW_OPEN_CYCLES, kWindowOpen);
    ls.write_register(Reg::WINDOW_CLOSE_CYCLES, kWindowClose);
    ls.drain();
}

std::uint32_t extract_status(Lockstep& ls) { return ls.read_register(address(Reg::EXTRACT_STATUS)); }
std::uint32_t status_code(std::uint32_t status) { return (status & kExtractCodeMask) >> kExtractCodeShift; }

std::uint32_t start_block(Lockstep& ls, unsigned kind, std::uint32_t n_bits, std::uint32_t m_bits) {
    ls.write_register(Reg::EXTRACT_N_BITS, n_bits);
    ls.write_register(Reg::EXTRACT_M_BITS, m_bits);
    ls.write_register(Reg::EXTRACT_CONTROL, kExtractStart | (kind << kExtractKindShift));
    ls.drain();
    return extract_status(ls);
}

void run_until_z_words(Lockstep& ls, Stimulus& stimulus, std::size_t words) {
    for (std::uint64_t i = 0; ls.z_words().size() < words; ++i) {
        REQUIRE(i < kMaxBlockCycles);
        ls.step(stimulus.next(ls.board().setting_strobe()));
    }
}

template <typename Word>
extract::BitString bits_from_words(const Word* words, std::uint64_t bits) {
    extract::BitString s(bits);
    for (std::uint64_t i = 0; i < bits; ++i) s.set(i, ((words[i / 32] >> static_cast<int>(i % 32)) & 1u) != 0);
    return s;
}

extract::BitString outcome_bits(const std::vector<TrialRecord>& records, std::uint64_t bits) {
    REQUIRE(records.size() >= bits);
    extract::BitString s(bits);
    for (std::uint64_t i = 0; i < bits; ++i) s.set(i, records[i].outcome != 0);
    return s;
}

// y as the HLS model's packer collected it (the RTL's is compared through the z bits it gives).
extract::BitString model_y_bits(const Lockstep& ls) {
    const hls_station::StationExtractorState& e = ls.model().state().extract;
    return bits_from_words(e.y_ram.word, e.y_target);
}

extract::Kind host_kind(unsigned kind) {
    return kind == hls_extract::kDodis ? extract::Kind::dodis
           : kind == hls_extract::kCirculant ? extract::Kind::circulant
                                             : extract::Kind::toeplitz;
}

struct Block {
    unsigned kind;
    std::uint32_t n_bits, m_bits;
};

} // namespace

TEST_CASE("Extractor: z = the host library's extractor on the records' outcomes and the superseded "
          "weak-source bits, RTL = HLS",
          "[firmware][extractor]") {
    const Block block = GENERATE(Block{hls_extract::kDodis, 1019, 200}, Block{hls_extract::kCirculant, 523, 523},
                                 Block{hls_extract::kToeplitz, 300, 77}, Block{hls_extract::kDodis, 37, 1});
    INFO("kind " << block.kind << ", n " << block.n_bits << ", m " << block.m_bits);
    Lockstep ls;
    Stimulus stimulus(stimulus_config(block.n_bits));
    set_window(ls);
    const std::uint32_t status = start_block(ls, block.kind, block.n_bits, block.m_bits);
    CHECK(status == kExtractStatusBusy); // collecting, code 0
    ls.write_register(Reg::CONTROL, kControlRun);

    const std::size_t words = (block.m_bits + 31) / 32;
    run_until_z_words(ls, stimulus, words);
    ls.drain();
    REQUIRE(ls.stats().records_dropped == 0);

    const extract::Kind kind = host_kind(block.kind);
    const std::uint64_t x_bits = extract::required_x_bits(kind, block.n_bits);
    const extract::BitString x = outcome_bits(ls.records(), x_bits);
    const extract::BitString y = model_y_bits(ls);
    REQUIRE(y.size_bits == extract::required_y_bits(kind, block.n_bits, block.m_bits));
    CHECK(x == bits_from_words(ls.model().state().extract.x_ram.word, x_bits)); // the model's packer agrees
    const extract::BitString z = extract::extract(kind, x, y, block.m_bits);
    CHECK(bits_from_words(ls.z_words().data(), block.m_bits) == z);
    CHECK(ls.z_words().size() == words);
    CHECK(ls.stats().extractor_frames == words);
    // Bits past m are zero.
    if (block.m_bits % 32 != 0) CHECK((ls.z_words().back() >> (block.m_bits % 32)) == 0);

    CHECK(extract_status(ls) == kExtractStatusDone);
    CHECK(ls.read_counter(Reg::EXTRACT_BLOCKS_LO) == 1);
    ls.check_all_registers();
}

TEST_CASE("Extractor: refused blocks get a status code and DONE, nothing else happens", "[firmware][extractor]") {
    Lockstep ls;
    set_window(ls);
    CHECK(extract_status(ls) == 0); // after reset: idle, no block yet
    struct Refusal {
        unsigned kind;
        std::uint32_t n_bits, m_bits, code;
    };
    for (const Refusal& r : {Refusal{hls_extract::kDodis, 131, 132, hls_extract::kBadM},    // m > n
                             Refusal{hls_extract::kDodis, 131, 0, hls_extract::kBadM},      // m = 0
                             Refusal{hls_extract::kDodis, kStationExtractMaxBits + 1, 8, hls_extract::kTooLong},
                             Refusal{hls_extract::kToeplitz, 65'000, 1'000, hls_extract::kTooLong}, // y too long
                             Refusal{hls_extract::kDodis, 31, 8, hls_extract::kPeriodTooShort},     // n < W
                             Refusal{hls_extract::kDodis, 0, 8, hls_extract::kTooLong},
                             Refusal{3, 131, 8, hls_extract::kBadKind}}) {
        INFO("kind " << r.kind << ", n " << r.n_bits << ", m " << r.m_bits);
        const std::uint32_t status = start_block(ls, r.kind, r.n_bits, r.m_bits);
        CHECK(status_code(status) == r.code);
        CHECK((status & kExtractStatusDone) != 0);
        CHECK((status & kExtractStatusBusy) == 0);
    }
    CHECK(ls.read_counter(Reg::EXTRACT_BLOCKS_LO) == 0);
    CHECK(ls.z_words().empty());
    // The station cannot check primality: an unusable n runs (the host refuses it, see below).
    CHECK(start_block(ls, hls_extract::kDodis, 130, 8) == kExtractStatusBusy);
}

TEST_CASE("Extractor: START while busy is refused and flagged; the block runs on", "[firmware][extractor]") {
    Lockstep ls;
    Stimulus stimulus(stimulus_config(7));
    set_window(ls);
    REQUIRE(start_block(ls, hls_extract::kDodis, 131, 40) == kExtractStatusBusy);
    // A second START, with other sizes: refused, and the registers it changed do not reach the block.
    const std::uint32_t status = start_block(ls, hls_extract::kDodis, 61, 8);
    CHECK(status == (kExtractStatusBusy | kExtractStatusStartRefused));
    ls.write_register(Reg::CONTROL, kControlRun);
    run_until_z_words(ls, stimulus, 2);
    ls.drain();
    CHECK(ls.z_words().size() == 2);
    CHECK(extract_status(ls) == (kExtractStatusDone | kExtractStatusStartRefused));
    const extract::BitString z =
        extract::extract(extract::Kind::dodis, outcome_bits(ls.records(), 131), model_y_bits(ls), 40);
    CHECK(bits_from_words(ls.z_words().data(), 40) == z);
    // The next accepted START clears DONE and START_REFUSED.
    CHECK(start_block(ls, hls_extract::kDodis, 61, 8) == kExtractStatusBusy);
}

TEST_CASE("Extractor: without the extractor (iCE40 build) EXTRACT_STATUS reads the absent code (HLS model)",
          "[firmware][extractor]") {
    hls_station::StationParams params;
    params.extractor = false;
    hls_station::StationModel model(params);
    CHECK(model.peek_register(address(Reg::EXTRACT_STATUS)) == kExtractStatusAbsent);
    const hls_station::RegisterCommand write_n{pack_register_command(RegisterOpcode::write, address(Reg::EXTRACT_N_BITS)), 131};
    CHECK(model.step({}, true, &write_n).reply.value == 0); // nothing is stored
    const hls_station::RegisterCommand start{pack_register_command(RegisterOpcode::write, address(Reg::EXTRACT_CONTROL)),
                                             kExtractStart};
    model.step({}, true, &start);
    for (int i = 0; i < 4; ++i) model.step({}, true, nullptr);
    CHECK(model.peek_register(address(Reg::EXTRACT_STATUS)) == kExtractStatusAbsent);
    CHECK(model.peek_register(address(Reg::EXTRACT_N_BITS)) == 0);
    CHECK_FALSE(model.extractor_output().z_valid);
}

namespace {

// transport::Station's view of the lockstep: commands go in as the host wrote them, and a read
// steps the station (with the stimulus on its pins) until bytes come, 10,000 cycles per ms.
class LockstepTransport final : public transport::Transport {
public:
    LockstepTransport(Lockstep& ls, Stimulus& stimulus) : ls_(ls), stimulus_(stimulus) {
        info_ = {"sim", "lockstep:alice", "RTL station and HLS model in lockstep"};
    }
    const transport::DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t> bytes) override {
        REQUIRE(bytes.size() % 8 == 0);
        for (std::size_t i = 0; i < bytes.size(); i += 8) ls_.send_raw_command(word(bytes, i), word(bytes, i + 4));
    }
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override {
        for (std::int64_t i = 0; pending_.empty() && i < timeout.count() * 10'000; ++i) {
            ls_.step(stimulus_.next(ls_.board().setting_strobe()));
            const std::vector<std::uint8_t> bytes = ls_.take_host_bytes();
            pending_.insert(pending_.end(), bytes.begin(), bytes.end());
        }
        const std::size_t n = std::min(into.size(), pending_.size());
        std::copy_n(pending_.begin(), n, into.begin());
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
        return n;
    }

private:
    static std::uint32_t word(std::span<const std::uint8_t> b, std::size_t at) { return load_le<std::uint32_t>(&b[at]); }
    Lockstep& ls_;
    Stimulus& stimulus_;
    transport::DeviceInfo info_;
    std::deque<std::uint8_t> pending_;
};

} // namespace

TEST_CASE("Extractor: transport::Station checks the block, starts it and collects the z words",
          "[firmware][extractor][transport]") {
    LockstepConfig config;
    config.tap_host_bytes = true;
    Lockstep ls(config);
    Stimulus stimulus(stimulus_config(11));
    transport::Station station(std::make_unique<LockstepTransport>(ls, stimulus));
    station.identify();
    station.write_register(Reg::WINDOW_OPEN_CYCLES, kWindowOpen);
    station.write_register(Reg::WINDOW_CLOSE_CYCLES, kWindowClose);
    std::vector<TrialRecord> records;
    station.on_record([&](const TrialRecord& r) { records.push_back(r); });

    auto refused = [&](extract::Kind kind, std::uint32_t n, std::uint32_t m, const char* why) {
        INFO("n " << n << ", m " << m);
        try {
            station.start_extraction(kind, n, m);
            FAIL("accepted");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::invalid_argument);
            CHECK_THAT(std::string(e.what()), Catch::Contains(why));
        }
    };
    refused(extract::Kind::dodis, 130, 10, "prime with 2 a primitive root");
    refused(extract::Kind::dodis, 131, 132, "m must be between 1 and 131");
    refused(extract::Kind::dodis, 131, 0, "m must be between 1 and 131");
    refused(extract::Kind::toeplitz, 65'000, 1'000, "the station holds");
    CHECK(station.read_extractor_status().done == false); // nothing reached the board

    station.start_extraction(extract::Kind::dodis, 131, 100);
    try {
        station.start_extraction(extract::Kind::dodis, 131, 100);
        FAIL("a second block was started while the first was busy");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::busy);
    }
    station.write_register(Reg::CONTROL, kControlRun);
    for (int i = 0; i < 200 && station.extractor_words().size() < 4; ++i) station.poll(std::chrono::milliseconds(1));
    REQUIRE(station.extractor_words().size() == 4);
    station.write_register(Reg::CONTROL, 0);
    // The block's last records may still wait for a full frame (or FLUSH_CYCLES) behind its z words.
    for (int i = 0; i < 10 && records.size() < 131; ++i) station.poll(std::chrono::milliseconds(1));

    const extract::BitString z = extract::extract(extract::Kind::dodis, outcome_bits(records, 131), model_y_bits(ls), 100);
    CHECK(bits_from_words(station.extractor_words().data(), 100) == z);
    const transport::ExtractorStatus status = station.read_extractor_status();
    CHECK(status.present);
    CHECK(status.done);
    CHECK_FALSE(status.busy);
    CHECK(status.code == 0);
    CHECK(station.read_counter(Reg::EXTRACT_BLOCKS_LO) == 1);
}
