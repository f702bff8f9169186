// The iCE40 board's station path without the board: station_ft2232h (station_core behind the 8-bit
// FT2232H bridge), Verilated, beside a model of the FT2232H in 245 synchronous FIFO mode, reached
// by the host's own Station class. Register commands, a long test-pattern stream through a chip
// that stalls, and trials with records must all cross the bridge intact.
#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>

#include "board/ft2232h_board.hpp"
#include "core/error.hpp"
#include "dira/register_map.hpp"
#include "stream/frame_decoder.hpp"
#include "transport/station.hpp"

using namespace dira;

namespace {

using Board = testbench::Ft2232hBoard; // station_ft2232h beside the FT2232H's FIFO pins

// The host's end: bytes through the chip's buffers; reading runs the board.
class BoardTransport : public transport::Transport {
public:
    explicit BoardTransport(Board& board) : board_(board), info_{"test", "test:ice40", "station_ft2232h in a test"} {}
    const transport::DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t> bytes) override { board_.chip().host_write(bytes); }
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override {
        auto& q = board_.chip().to_host();
        for (std::int64_t edges = timeout.count() * 2000; q.empty() && edges > 0; --edges) board_.step();
        std::size_t n = 0;
        while (n < into.size() && !q.empty()) {
            into[n++] = q.front();
            q.pop_front();
        }
        return n;
    }

private:
    Board& board_;
    transport::DeviceInfo info_;
};

} // namespace

TEST_CASE("the FT2232H station answers register commands through the 8-bit bridge") {
    Board board;
    transport::Station station(std::make_unique<BoardTransport>(board));
    const transport::Identity id = station.identify();
    CHECK(id.clock_hz == DIRA_ICE40_STATION_CLOCK_HZ);
    CHECK(id.basis_latency_cycles == kBasisLatencyCycles);
    CHECK(id.api_level == kApiLevel);
    station.write_register(Reg::WINDOW_CLOSE_CYCLES, 0x12345678u);
    CHECK(station.read_register(Reg::WINDOW_CLOSE_CYCLES) == 0x12345678u);
    CHECK(station.health().frame_faults.empty());
    // Once the link is quiet, one SIWU# pulse sends the chip's short leftovers (the last reply) at
    // once; a quiet link with nothing new sent gets no more pulses.
    const unsigned before = board.siwu_pulses();
    for (int i = 0; i < 1000; ++i) board.step();
    CHECK(board.siwu_pulses() == before + 1);
    for (int i = 0; i < 1000; ++i) board.step();
    CHECK(board.siwu_pulses() == before + 1);
}

TEST_CASE("the FT2232H (iCE40) station has no extractor, and the host says so") {
    Board board;
    transport::Station station(std::make_unique<BoardTransport>(board));
    CHECK(station.read_register(Reg::EXTRACT_STATUS) == kExtractStatusAbsent);
    const transport::ExtractorStatus status = station.read_extractor_status();
    CHECK_FALSE(status.present);
    try {
        station.start_extraction(extract::Kind::dodis, 131, 100);
        FAIL("start_extraction accepted a station without an extractor");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::unsupported);
        CHECK_THAT(std::string(e.what()), Catch::Contains("no extractor"));
    }
    // Its registers store nothing, and a START written by hand does nothing.
    station.write_register(Reg::EXTRACT_N_BITS, 131);
    CHECK(station.read_register(Reg::EXTRACT_N_BITS) == 0);
    station.write_register(Reg::EXTRACT_CONTROL, kExtractStart);
    CHECK(station.read_register(Reg::EXTRACT_STATUS) == kExtractStatusAbsent);
}

namespace {

// Test-pattern words from the raw bytes: every word one more than the last, no frame fault.
struct PatternSink : stream::FrameSink {
    std::uint64_t words = 0, faults = 0;
    std::optional<std::uint32_t> last;
    bool consecutive = true;
    void on_frame(const stream::Frame& f) override {
        if (f.header.stream_id != static_cast<std::uint8_t>(StreamId::test_pattern)) return;
        for (std::size_t i = 0; i < f.header.payload_words; ++i) {
            const std::uint32_t w = f.word(i);
            if (last && w != *last + 1) consecutive = false;
            last = w;
            ++words;
        }
    }
    void on_fault(const stream::FaultReport&) override { ++faults; }
};

} // namespace

TEST_CASE("bytes the chip refuses are replayed in order, however briefly TXE# rises") {
    // TXE# high for 1 to 6 stall edges (at least kTxeMinHighEdges) at every phase of the bridge's
    // byte stream: each refusal makes the bridge replay the refused byte and discard the next.
    Board board;
    transport::Station station(std::make_unique<BoardTransport>(board));
    station.write_register(Reg::CONTROL, kControlTestPattern);
    PatternSink sink;
    stream::FrameDecoder decoder(sink);
    auto& q = board.chip().to_host();
    for (unsigned round = 0; round < 600; ++round) {
        board.chip().stall(1 + round % 6);
        for (unsigned i = 0; i < 23 + round % 17; ++i) board.step();
        std::vector<std::uint8_t> bytes(q.begin(), q.end());
        q.clear();
        decoder.feed(bytes);
    }
    CHECK(board.chip().refused_writes() > 300);
    CHECK(sink.faults == 0);
    CHECK(sink.consecutive);
    CHECK(sink.words > 2 * kTestPatternWords);
}

TEST_CASE("a long test-pattern stream crosses the bridge intact while the chip stalls") {
    Board board;
    transport::Station station(std::make_unique<BoardTransport>(board));
    station.write_register(Reg::CONTROL, kControlTestPattern);
    PatternSink sink;
    stream::FrameDecoder decoder(sink);
    auto& q = board.chip().to_host();
    for (int round = 0; round < 40; ++round) {
        if (round % 5 == 2) board.chip().stall(37 + round); // the host stops reading for a while
        for (int i = 0; i < 3000; ++i) board.step();
        std::vector<std::uint8_t> bytes(q.begin(), q.end());
        q.clear();
        decoder.feed(bytes);
    }
    CHECK(sink.faults == 0);
    CHECK(sink.consecutive);
    CHECK(sink.words > 20 * kTestPatternWords);
}

TEST_CASE("trials through the FT2232H bridge: every trigger gives its record") {
    Board board;
    transport::Station station(std::make_unique<BoardTransport>(board));
    station.identify();
    constexpr std::uint64_t kTrials = 40;
    std::vector<TrialRecord> records;
    station.on_record([&](const TrialRecord& r) { records.push_back(r); });
    station.write_register(Reg::CONTROL, kControlClear);
    station.write_register(Reg::WINDOW_OPEN_CYCLES, 2);
    station.write_register(Reg::WINDOW_CLOSE_CYCLES, 24);
    station.write_register(Reg::FLUSH_CYCLES, 64);
    station.write_register(Reg::TRIAL_LIMIT, kTrials);
    station.reset_record_stream(0);
    station.write_register(Reg::CONTROL, kControlRun);
    board.pins().triggers = true;
    // A poll returns as soon as some bytes are in, often a few: allow many.
    for (int polls = 0; records.size() < kTrials && polls < 100'000; ++polls) station.poll(std::chrono::milliseconds(5));
    REQUIRE(records.size() == kTrials);
    for (std::uint64_t i = 0; i < kTrials; ++i) {
        CHECK(records[i].trial_index == i);
        CHECK_FALSE(records[i].has(kFlag_TRIGGER_LATE));
        CHECK_FALSE(records[i].has(kFlag_OUTCOME_MISSING));
        CHECK(records[i].t_setting_cycles == records[i].t_trigger_cycles + 1);
    }
    CHECK(station.read_counter(Reg::RECORDS_LO) == kTrials);
}
