// Block-level C-simulation of the HLS kernels that the station model does not cover: CRC-32C, the
// framer (frames decoded by the host's FrameDecoder), the command parser, the FT601 bridge against
// the FT601 model, and the Vitis top functions as free-running kernels.
#include <catch2/catch.hpp>

#include <cstring>
#include <deque>
#include <random>

#include "board/ft601_model.hpp"
#include "core/byte_order.hpp"
#include "dira/crc32c.hpp"
#include "model_driver.hpp"
#include "station/command_parser.hpp"
#include "station/framer.hpp"
#include "station/ft601_bridge.hpp"
#include "station/station_tops.hpp"
#include "stream/frame_capture.hpp"

using namespace dira;
using namespace dira::hls_station;

namespace {

std::vector<std::uint8_t> to_bytes(const std::vector<std::uint32_t>& words) {
    std::vector<std::uint8_t> bytes(words.size() * 4);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(words[i / 4] >> (8 * (i % 4)));
    return bytes;
}

FrameCapture decode(const std::vector<std::uint32_t>& words) {
    FrameCapture capture;
    stream::FrameDecoder decoder(capture);
    const std::vector<std::uint8_t> bytes = to_bytes(words);
    decoder.feed(bytes);
    decoder.finish();
    return capture;
}

TrialRecord numbered_record(std::uint64_t i) {
    TrialRecord r;
    r.trial_index = i;
    r.t_trigger_cycles = 1000 * i + 0x1'0000'0000ull;
    r.t_setting_cycles = r.t_trigger_cycles + 1;
    r.t_outcome_cycles = i % 3 ? r.t_setting_cycles + 7 : 0;
    r.setting = i & 1;
    r.outcome = (i >> 1) & 1;
    r.flags = static_cast<std::uint16_t>(i % 3 ? 0 : kFlag_OUTCOME_MISSING);
    return r;
}

// Runs the framer for `cycles` cycles; push_at(cycle) says what goes into its FIFOs in that cycle.
struct FramerBench {
    FramerState state;
    FramerControl control;
    std::vector<std::uint32_t> words;
    std::vector<std::uint64_t> frame_end_cycles;
    std::uint64_t cycle = 0;
    std::mt19937 rng{7};
    double out_ready_probability = 1.0;

    FramerCycle step(const TrialRecord* record = nullptr, const RegisterReply* reply = nullptr) {
        const bool out_ready = std::bernoulli_distribution(out_ready_probability)(rng);
        const FramerCycle c = framer_decide(state, out_ready, control);
        if (record) REQUIRE(c.record_ready);
        if (reply) REQUIRE(c.reply_ready);
        const RecordWords w = record ? record_words(*record) : RecordWords{};
        framer_advance(state, c, record ? &w : nullptr, reply);
        if (c.word_valid) words.push_back(c.word);
        if (c.frame_sent) frame_end_cycles.push_back(cycle);
        ++cycle;
        return c;
    }
    void idle(std::uint64_t n) {
        for (std::uint64_t i = 0; i < n; ++i) step();
    }
};

} // namespace

TEST_CASE("CRC-32C: the check value, and a word is its four bytes in memory order", "[firmware][hls]") {
    const char* check = "123456789";
    CHECK(crc32c_bytes_reference(reinterpret_cast<const std::uint8_t*>(check), 9) == 0xE3069283u);
    std::mt19937 rng(1);
    std::uint32_t by_word = kCrc32cInit, by_byte = kCrc32cInit;
    for (int i = 0; i < 1000; ++i) {
        const std::uint32_t w = rng();
        by_word = crc32c_update_word(by_word, w);
        for (int b = 0; b < 4; ++b) by_byte = crc32c_update_byte(by_byte, static_cast<std::uint8_t>(w >> (8 * b)));
    }
    CHECK(by_word == by_byte);
}

TEST_CASE("framer: record frames decode with CRC-32C, full at eight records, partial after FLUSH_CYCLES",
          "[firmware][hls]") {
    FramerBench f;
    f.control.flush_cycles = 50;
    std::vector<TrialRecord> sent;
    // Eight records, one every other cycle: a full frame goes at once. Then two more, which wait
    // for the flush.
    for (std::uint64_t i = 0; i < kRecordsPerFrame; ++i) {
        sent.push_back(numbered_record(i));
        f.step(&sent.back());
        f.step();
    }
    f.idle(100);
    for (std::uint64_t i = kRecordsPerFrame; i < kRecordsPerFrame + 2; ++i) {
        sent.push_back(numbered_record(i));
        f.step(&sent.back());
        f.step();
    }
    const std::uint64_t last_commit = f.cycle - 2;
    f.idle(200);
    const FrameCapture capture = decode(f.words);
    REQUIRE(capture.faults.empty());
    REQUIRE(capture.frames.size() == 2);
    CHECK(capture.frames[0].header.payload_words == kRecordsPerFrame * kRecordWords);
    CHECK(capture.frames[1].header.payload_words == 2 * kRecordWords);
    std::vector<TrialRecord> got;
    for (std::size_t k = 0; k < capture.frames.size(); ++k) {
        const CapturedFrame& frame = capture.frames[k];
        CHECK(frame.header.stream_id == static_cast<std::uint8_t>(StreamId::records));
        CHECK(frame.header.sequence == k);
        for (std::size_t r = 0; r < frame.payload.size() / kRecordWords; ++r)
            got.push_back(unpack_record(&frame.payload[r * kRecordWords]));
    }
    CHECK(got == sent);
    // The full frame was chosen in the cycle after its eighth record came.
    CHECK(f.frame_end_cycles[0] == 2 * (kRecordsPerFrame - 1) + 1 + kFrameHeaderWords + kRecordsPerFrame * kRecordWords +
                                       kFrameTrailerWords);
    // The partial frame was chosen FLUSH_CYCLES cycles after the cycle that followed the last
    // record, then took its header, 18 payload words and the CRC word to send.
    const std::uint64_t choose_cycle = last_commit + 1 + f.control.flush_cycles;
    CHECK(f.frame_end_cycles[1] == choose_cycle + kFrameHeaderWords + 2 * kRecordWords + kFrameTrailerWords);
}

TEST_CASE("framer: replies go first, test patterns fill idle time, each stream counts its own sequence",
          "[firmware][hls]") {
    FramerBench f;
    f.control.flush_cycles = 0xFFFFFFFFu; // records only as full frames
    f.control.test_pattern = true;
    f.out_ready_probability = 0.7;        // back-pressure from the USB side, at random
    f.idle(10);                           // a test-pattern frame starts
    std::vector<TrialRecord> sent;
    for (std::uint64_t i = 0; i < kRecordsPerFrame; ++i) {
        sent.push_back(numbered_record(i));
        f.step(&sent.back());
    }
    const RegisterReply reply{address(Reg::ID_MAGIC), kSyncWord};
    f.step(nullptr, &reply);
    f.idle(600);
    f.control.test_pattern = false; // let the last test-pattern frame finish
    f.idle(200);
    const FrameCapture capture = decode(f.words);
    REQUIRE(capture.faults.empty());
    REQUIRE(capture.frames.size() >= 4);
    // The test pattern that was going on finishes, then the reply, then the records.
    CHECK(capture.frames[0].header.stream_id == static_cast<std::uint8_t>(StreamId::test_pattern));
    CHECK(capture.frames[1].header.stream_id == static_cast<std::uint8_t>(StreamId::register_reply));
    CHECK(capture.frames[1].payload == std::vector<std::uint32_t>{reply.address, reply.value});
    CHECK(capture.frames[2].header.stream_id == static_cast<std::uint8_t>(StreamId::records));
    std::uint32_t sequence[256] = {};
    std::uint32_t counter = 0;
    for (const CapturedFrame& frame : capture.frames) {
        CHECK(frame.header.sequence == sequence[frame.header.stream_id]++);
        if (frame.header.stream_id == static_cast<std::uint8_t>(StreamId::test_pattern)) {
            CHECK(frame.header.payload_words == kTestPatternWords);
            for (std::uint32_t w : frame.payload) CHECK(w == counter++);
        }
    }
    CHECK(sequence[static_cast<std::uint8_t>(StreamId::test_pattern)] >= 2);
}

TEST_CASE("framer: the record FIFO holds kRecordFifoDepth records", "[firmware][hls]") {
    FramerBench f;
    f.control.flush_cycles = 0xFFFFFFFFu;
    f.out_ready_probability = 0.0; // the USB side takes nothing
    for (std::uint64_t i = 0; i < kRecordFifoDepth; ++i) {
        const TrialRecord r = numbered_record(i);
        f.step(&r);
    }
    CHECK_FALSE(framer_decide(f.state, false, f.control).record_ready);
    f.out_ready_probability = 1.0;
    f.idle(kFrameHeaderWords + kRecordsPerFrame * kRecordWords + 4);
    CHECK(framer_decide(f.state, true, f.control).record_ready);
}

TEST_CASE("command parser: two words make a command, which waits for room for its reply", "[firmware][hls]") {
    CommandParserState p;
    std::deque<std::uint32_t> in = {pack_register_command(RegisterOpcode::read, 1), 0, pack_register_command(RegisterOpcode::write, 0x10), 5};
    std::vector<RegisterCommand> executed;
    bool reply_ready = false;
    for (int cycle = 0; cycle < 12; ++cycle) {
        if (cycle == 6) reply_ready = true;
        const ParserCycle c = parser_decide(p, !in.empty(), reply_ready);
        if (c.execute) executed.push_back(p.command);
        const std::uint32_t word = c.pop ? in.front() : 0;
        if (c.pop) in.pop_front();
        parser_advance(p, c, word);
        if (cycle < 6) CHECK_FALSE(c.execute);
    }
    REQUIRE(executed.size() == 2);
    CHECK(executed[0].word0 == pack_register_command(RegisterOpcode::read, 1));
    CHECK(executed[1].word0 == pack_register_command(RegisterOpcode::write, 0x10));
    CHECK(executed[1].value == 5);
}

TEST_CASE("FT601 bridge: words both ways, in order, through TX stalls, within the bus protocol", "[firmware][hls]") {
    testbench::Ft601Model chip;
    Ft601BridgeState bridge;
    std::mt19937 rng(3);
    std::deque<std::uint32_t> out_fifo;
    std::vector<std::uint32_t> commands_received, host_sent;
    std::deque<std::uint32_t> in_fifo;
    std::vector<std::uint8_t> host_bytes;
    constexpr std::uint32_t kInDepth = 16;
    for (std::uint32_t i = 0; i < 5000; ++i) out_fifo.push_back(0xA5000000u + i);

    std::uint64_t read_mode_cycles = 0;
    for (std::uint64_t cycle = 0; cycle < 20000; ++cycle) {
        if (cycle % 997 == 0) chip.stall_tx(std::uniform_int_distribution<int>(1, 300)(rng));
        if (cycle % 301 == 0 && host_sent.size() < 400) { // the host sends a few command words
            for (int k = 0; k < 4; ++k) {
                const std::uint32_t w = 0xC0000000u + static_cast<std::uint32_t>(host_sent.size());
                std::uint8_t b[4];
                store_le<std::uint32_t>(b, w);
                REQUIRE(chip.host_write(b, 4) == 4);
                host_sent.push_back(w);
            }
        }
        if (cycle % 7 == 0 && !in_fifo.empty()) in_fifo.pop_front(); // the station side reads slowly
        BridgeFifos fifos;
        fifos.out_available = !out_fifo.empty();
        fifos.out_word = fifos.out_available ? out_fifo.front() : 0;
        fifos.in_free_words = kInDepth - static_cast<std::uint32_t>(in_fifo.size());
        const BridgeCycle c = bridge_step(bridge, chip.pins(), fifos);
        if (c.pop_out) out_fifo.pop_front();
        if (c.push_in) {
            REQUIRE(in_fifo.size() < kInDepth);
            in_fifo.push_back(c.in_word);
            commands_received.push_back(c.in_word);
        }
        if (bridge.mode != BridgeMode::write) ++read_mode_cycles;
        REQUIRE_NOTHROW(chip.clock(bridge.pins));
        if (cycle % 50 == 0 && chip.host_readable() > 0) { // the host reads now and then
            const std::size_t at = host_bytes.size();
            host_bytes.resize(at + chip.host_readable());
            host_bytes.resize(at + chip.host_read(host_bytes.data() + at, host_bytes.size() - at));
        }
    }
    // Every command word arrived, in order.
    CHECK(commands_received == host_sent);
    // Every frame word reached the host, in order.
    std::vector<std::uint8_t>& bytes = host_bytes;
    const std::size_t at = bytes.size();
    bytes.resize(at + chip.host_readable());
    bytes.resize(at + chip.host_read(bytes.data() + at, bytes.size() - at));
    REQUIRE(bytes.size() == 5000 * 4);
    for (std::uint32_t i = 0; i < 5000; ++i) {
        REQUIRE(load_le<std::uint32_t>(&bytes[4 * i]) == 0xA5000000u + i);
    }
    CHECK(read_mode_cycles > 0);
    CHECK(chip.cycles_tx_busy() > 0);
}

TEST_CASE("FT601 model: RXF_N offers whole words only, TXE_N follows room and stalls", "[firmware][hls]") {
    testbench::Ft601Model chip(testbench::Ft601Config{8, 16});
    const std::uint8_t bytes[] = {1, 2, 3, 4, 5};
    REQUIRE(chip.host_write(bytes, 3) == 3);
    chip.clock(Ft601FpgaPins{});
    CHECK(chip.pins().rxf_n); // three bytes are not a word
    REQUIRE(chip.host_write(bytes + 3, 2) == 2);
    Ft601FpgaPins reading;
    reading.oe_n = false;
    reading.data_oe = false;
    chip.clock(reading);
    CHECK_FALSE(chip.pins().rxf_n);
    CHECK(chip.pins().data == 0x04030201u); // driven while OE_N is low

    Ft601FpgaPins writing;
    writing.wr_n = false;
    writing.data = 0xDDCCBBAAu;
    CHECK_FALSE(chip.pins().txe_n);
    chip.clock(writing); // the first cycle with WR_N low: the chip takes the word at the next edge
    chip.clock(writing);
    chip.clock(writing); // the 8-byte buffer is full now
    CHECK(chip.pins().txe_n);
    CHECK(chip.host_readable() == 8);
    std::uint8_t out[8];
    CHECK(chip.host_read(out, 8) == 8);
    chip.clock(Ft601FpgaPins{});
    CHECK_FALSE(chip.pins().txe_n);
    chip.stall_tx(2);
    chip.clock(Ft601FpgaPins{});
    CHECK(chip.pins().txe_n);
    chip.clock(Ft601FpgaPins{});
    CHECK(chip.pins().txe_n);
    chip.clock(Ft601FpgaPins{});
    CHECK_FALSE(chip.pins().txe_n);
}

TEST_CASE("FT601 model: it refuses a bus that the FPGA misuses", "[firmware][hls]") {
    testbench::Ft601Model chip;
    Ft601FpgaPins contention;
    contention.oe_n = false; // the chip drives DATA ...
    contention.data_oe = true; // ... and so does the FPGA
    chip.clock(contention);
    CHECK_THROWS_AS(chip.clock(Ft601FpgaPins{}), testbench::Ft601ProtocolError);
    testbench::Ft601Model chip2;
    Ft601FpgaPins read_without_oe;
    read_without_oe.rd_n = false;
    chip2.clock(read_without_oe);
    CHECK_THROWS_AS(chip2.clock(Ft601FpgaPins{}), testbench::Ft601ProtocolError);
}

TEST_CASE("Vitis tops: station_top and ft601_bridge_top run free as one station", "[firmware][hls]") {
    // The tops keep their state in statics, as a synthesized free-running kernel does: this is the
    // only test that calls them.
    testbench::Ft601Model chip;
    hls::stream<std::uint32_t> frame_words("frame_words"), command_words("command_words");
    const std::uint32_t command[] = {pack_register_command(RegisterOpcode::read, address(Reg::ID_MAGIC)), 0,
                                     pack_register_command(RegisterOpcode::write, address(Reg::CONTROL)), kControlRun};
    REQUIRE(chip.host_write(reinterpret_cast<const std::uint8_t*>(command), sizeof command) == sizeof command);

    std::vector<int> strobe_cycles;
    for (int cycle = 0; cycle < 400; ++cycle) {
        ap_uint<1> setting_out, setting_strobe, data_oe, wr_n, rd_n, oe_n;
        ap_uint<4> be;
        std::uint32_t status = 0, data_out = 0;
        const ap_uint<1> trigger = cycle == 200 ? 1 : 0;
        station_top(trigger, 0, 0, 0, 0, setting_out, setting_strobe, command_words, frame_words, status);
        if (setting_strobe[0]) strobe_cycles.push_back(cycle);
        const Ft601ChipPins pins = chip.pins();
        ft601_bridge_top(pins.txe_n ? 1 : 0, pins.rxf_n ? 1 : 0, pins.data, data_out, data_oe, be, wr_n, rd_n, oe_n,
                         frame_words, command_words);
        Ft601FpgaPins fpga;
        fpga.data = data_out;
        fpga.data_oe = data_oe[0];
        fpga.be = static_cast<std::uint8_t>(be.to_uint());
        fpga.wr_n = wr_n[0];
        fpga.rd_n = rd_n[0];
        fpga.oe_n = oe_n[0];
        chip.clock(fpga);
    }
    // The top's cycle c is the model's cycle c: pin in 200, setting strobe kBasisLatencyCycles later.
    CHECK(strobe_cycles == std::vector<int>{200 + static_cast<int>(kBasisLatencyCycles)});
    std::vector<std::uint8_t> bytes(chip.host_readable());
    bytes.resize(chip.host_read(bytes.data(), bytes.size()));
    FrameCapture capture;
    stream::FrameDecoder decoder(capture);
    decoder.feed(bytes);
    REQUIRE(capture.faults.empty());
    REQUIRE(capture.frames.size() == 2);
    CHECK(capture.frames[0].payload == std::vector<std::uint32_t>{address(Reg::ID_MAGIC), kSyncWord});
    CHECK(capture.frames[1].payload == std::vector<std::uint32_t>{address(Reg::CONTROL), kControlRun});
}
