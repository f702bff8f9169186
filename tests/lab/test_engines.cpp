// The two station engines in lockstep: the simulated lab run once with Verilated RTL boards and once
// with the HLS C++ station model (ModelBoard), the same seed and every fault the lab can inject on
// (back-to-back triggers, late and missing readouts, readout errors, a drifting weak source, the
// host stalling and the FT601 holding TXE_N, a stuck source tripping the health tests), plus register
// traffic and extractor blocks. Every
// byte each board hands the host, and the cycle it arrives in, must be the same.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "board/model_board.hpp"
#include "core/error.hpp"
#include "dira/register_map.hpp"
#include "lab/sim_lab.hpp"
#include "stream/frame_decoder.hpp"

using namespace dira;
using testbench::StationEngine;

namespace {

lab::SimLabConfig faulty_lab(StationEngine engine, std::uint64_t seed, bool extractor) {
    lab::SimLabConfig c;
    c.engine = engine;
    c.station_extractor = extractor;
    auto& l = c.lab;
    l.qubits.seed = lab::derive_seed(seed, 1);
    l.qubits.readout_error = 0.02;
    l.qubits.missing_probability = 0.01;
    for (unsigned i = 0; i < 2; ++i) {
        l.sources[i].mode = lab::BiasMode::drifting;
        l.sources[i].seed = lab::derive_seed(seed, 2 + i);
    }
    // Without the extractor, Bob's source is stuck: his health tests alarm and flag every record after.
    if (!extractor) l.sources[index(StationId::bob)].mode = lab::BiasMode::stuck;
    l.sequencer_seed = lab::derive_seed(seed, 4);
    l.faults.back_to_back_probability = 0.01;
    l.faults.late_readout_probability = 0.01;
    return c;
}

void command(lab::SimLab& sim, StationId side, RegisterOpcode op, Reg r, std::uint32_t value = 0) {
    const std::uint32_t words[kRegisterCommandWords] = {pack_register_command(op, address(r)), value};
    std::uint8_t bytes[sizeof words];
    std::memcpy(bytes, words, sizeof bytes); // little endian, as on the wire
    sim.host_write(side, bytes, sizeof bytes);
}

// Counts what the host decodes from one board: records, replies, extractor words; no fault allowed.
struct Tally : stream::FrameSink {
    std::uint64_t records = 0, replies = 0, z_words = 0, faults = 0;
    std::uint64_t flagged[6] = {}; // records with each firmware flag (bits 0..5)
    void on_frame(const stream::Frame& f) override {
        switch (static_cast<StreamId>(f.header.stream_id)) {
        case StreamId::records:
            for (unsigned at = 0; at < f.header.payload_words; at += kRecordWords) {
                std::uint32_t w[kRecordWords];
                for (unsigned i = 0; i < kRecordWords; ++i) w[i] = f.word(at + i);
                const TrialRecord r = unpack_record(w);
                for (unsigned bit = 0; bit < 6; ++bit) flagged[bit] += (r.flags >> bit) & 1u;
                ++records;
            }
            break;
        case StreamId::register_reply: ++replies; break;
        case StreamId::extractor: z_words += f.header.payload_words; break;
        default: break;
        }
    }
    void on_fault(const stream::FaultReport&) override { ++faults; }
};

struct Side {
    std::vector<std::uint8_t> rtl, model;
};

} // namespace

TEST_CASE("the model engine gives the RTL engine's bytes, cycle by cycle, with every fault on", "[lab][engines]") {
    // With the station's extraction engine (blocks run and send z words) and without it (EXTRACT_STATUS
    // reads absent, the start is refused: dira simulate's stations).
    const bool extractor = GENERATE(true, false);
    const std::uint64_t kTrials = extractor ? 100'000 : 20'000;
    lab::SimLab rtl(faulty_lab(StationEngine::rtl, 7, extractor));
    lab::SimLab model(faulty_lab(StationEngine::model, 7, extractor));
    for (lab::SimLab* sim : {&rtl, &model})
        for (auto side : kStations) {
            command(*sim, side, RegisterOpcode::write, Reg::WINDOW_OPEN_CYCLES, 2);
            command(*sim, side, RegisterOpcode::write, Reg::WINDOW_CLOSE_CYCLES, 16);
            command(*sim, side, RegisterOpcode::write, Reg::FLUSH_CYCLES, 256);
            command(*sim, side, RegisterOpcode::write, Reg::EXTRACT_N_BITS, 1019);
            command(*sim, side, RegisterOpcode::write, Reg::EXTRACT_M_BITS, 200);
            command(*sim, side, RegisterOpcode::write, Reg::EXTRACT_CONTROL, kExtractStart);
            command(*sim, side, RegisterOpcode::write, Reg::CONTROL, kControlRun);
            sim->lab().start_triggers(kTrials);
        }

    std::array<Tally, 2> tally;
    std::array<std::unique_ptr<stream::FrameDecoder>, 2> decoder;
    for (auto side : kStations) decoder[index(side)] = std::make_unique<stream::FrameDecoder>(tally[index(side)]);
    std::vector<std::uint8_t> a(1 << 16), b(1 << 16);
    // After the last trigger, long enough for the last records' flush (FLUSH_CYCLES) to reach the host.
    constexpr std::uint64_t kDrainBlocks = 2'000;
    std::uint64_t blocks = 0, drained = 0;
    while (drained < kDrainBlocks) {
        if (rtl.lab().triggers_done()) ++drained;
        REQUIRE(rtl.advance() == model.advance());
        ++blocks;
        if (blocks == kTrials / 5) // mid-run faults on the link: the host stops reading one side, the FT601 the other
            for (lab::SimLab* sim : {&rtl, &model}) {
                sim->stall_host(StationId::alice, 30'000);
                sim->board(StationId::bob).ft601().stall_tx(25'000);
            }
        if (blocks % (kTrials / 2) == 0) // register reads while trials run
            for (lab::SimLab* sim : {&rtl, &model}) command(*sim, StationId::bob, RegisterOpcode::read, Reg::RECORDS_LO);
        for (auto side : kStations) {
            REQUIRE(rtl.host_available(side) == model.host_available(side));
            const std::size_t n = rtl.host_read(side, a.data(), a.size());
            REQUIRE(model.host_read(side, b.data(), b.size()) == n);
            if (std::memcmp(a.data(), b.data(), n) != 0) FAIL("bytes differ in block " << blocks << " on " << station_name(side));
            decoder[index(side)]->feed(std::span<const std::uint8_t>(a.data(), n));
        }
    }
    REQUIRE(model.lab().triggers_done());
    for (auto side : kStations) {
        const Tally& t = tally[index(side)];
        INFO(station_name(side));
        CHECK(t.faults == 0);
        CHECK(t.records > kTrials / 2); // the stall drops some: most arrive
        CHECK((t.z_words > 0) == extractor);
        CHECK(t.replies >= 7);
        CHECK(t.flagged[0] > 0); // TRIGGER_LATE
        CHECK(t.flagged[1] > 0); // OUTCOME_MISSING
        if (!extractor && side == StationId::bob) CHECK(t.flagged[3] > 0); // HEALTH_RCT
        CHECK(rtl.board(side).cycle() == model.board(side).cycle());
    }
    const auto& rs = rtl.lab().stats();
    const auto& ms = model.lab().stats();
    CHECK(rs.triggers == ms.triggers);
    CHECK(rs.pairs_measured == ms.pairs_measured);
    CHECK(rs.unmeasured + rs.single_measured > 0); // late triggers happened
    CHECK(rs.readouts_late == ms.readouts_late);
    CHECK(rs.readouts_withheld[0] > 0);
}

TEST_CASE("the model engine refuses a separate USB clock and names the engines") {
    testbench::StationBoardConfig c;
    c.usb_clock_hz = 100'000'000;
    REQUIRE_THROWS_AS(testbench::ModelBoard(c), std::invalid_argument);
    REQUIRE(testbench::parse_station_engine("model") == StationEngine::model);
    REQUIRE(testbench::parse_station_engine("rtl") == StationEngine::rtl);
    REQUIRE_THROWS_WITH(testbench::parse_station_engine("fast"), Catch::Contains("use rtl"));
}
