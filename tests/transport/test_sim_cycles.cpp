// The transports' life cycle: many open/stream/close cycles on the sim transport (run these under
// ASan for LeakSanitizer), a link test with the firmware's test pattern end to end, and its
// checker catching damage.
#include <catch2/catch.hpp>

#include <cstring>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "faults/fault_transport.hpp"
#include "lab/sim_lab.hpp"
#include "sim/sim_devices.hpp"
#include "sim/sim_transport.hpp"
#include "store/link_test.hpp"
#include "stream/crc32c_fast.hpp"
#include "transport/devices.hpp"
#include "transport/station.hpp"

using namespace dira;
using namespace std::chrono_literals;

TEST_CASE("open, stream, close, many times over, on the sim transport") {
    sim::register_device_kind();
    for (int cycle = 0; cycle < 12; ++cycle) {
        auto board = transport::open_device(cycle % 2 ? "sim:bob" : "sim:alice");
        lab::SimLab& lab = dynamic_cast<sim::SimTransport&>(*board).lab();
        transport::Station station(std::move(board));
        const auto id = station.identify();
        REQUIRE(id.station_id == static_cast<unsigned>(cycle % 2));
        station.write_register(Reg::TRIAL_LIMIT, 50);
        station.write_register(Reg::CONTROL, kControlRun);
        lab.lab().start_triggers(50);
        std::uint64_t records = 0;
        station.on_record([&](const TrialRecord&) { ++records; });
        // The simulated FT601 hands over a word per cycle, so a poll often returns 4 bytes.
        for (int i = 0; i < 100'000 && records < 50; ++i) station.poll(1ms);
        REQUIRE(records == 50);
        REQUIRE(station.read_counter(Reg::RECORDS_LO) == 50);
    }
}

TEST_CASE("the link test passes on a clean simulated link and reconciles FRAMES_SENT") {
    sim::register_device_kind();
    store::TestPatternChecker checker;
    auto tap = std::make_unique<store::TapTransport>(transport::open_device("sim:alice"), checker);
    const auto& view = *tap;
    transport::Station station(std::move(tap));
    const auto r = store::run_link_test(station, view, checker, 300ms);
    INFO(r.to_json().dump(2));
    REQUIRE(r.ok());
    REQUIRE(r.pattern_frames > 10);
    REQUIRE(r.frames_sent == r.frames_accounted);
}

TEST_CASE("the link test fails, naming the frame, when the link drops or alters test-pattern frames") {
    sim::register_device_kind();
    for (auto action : {faults::FrameAction::drop, faults::FrameAction::flip_bit, faults::FrameAction::duplicate}) {
        store::TestPatternChecker checker;
        auto faulty = std::make_unique<faults::FaultyTransport>(transport::open_device("sim:bob"), StreamId::test_pattern);
        faulty->on_frame(5, action);
        auto tap = std::make_unique<store::TapTransport>(std::move(faulty), checker);
        const auto& view = *tap;
        transport::Station station(std::move(tap));
        const auto r = store::run_link_test(station, view, checker, 300ms);
        INFO(r.to_json().dump(2));
        REQUIRE_FALSE(r.ok());
        REQUIRE(r.link_faults >= 1);
        if (action == faults::FrameAction::duplicate) {
            REQUIRE(r.missing_frames == 0); // the copy is dropped and reported, nothing is lost
        } else {
            REQUIRE(r.missing_frames == 1);
            REQUIRE(r.frames_sent == r.frames_accounted); // the loss is seen, so the counts agree
        }
    }
}

TEST_CASE("the test-pattern checker tells a counter jump over lost frames from altered data") {
    store::TestPatternChecker c;
    auto frame = [](std::uint32_t seq, std::uint32_t first) {
        std::vector<std::uint32_t> words(kTestPatternWords);
        for (std::uint32_t i = 0; i < words.size(); ++i) words[i] = first + i;
        return stream::encode_frame(StreamId::test_pattern, seq, words);
    };
    struct Sink : stream::FrameSink {
        store::TestPatternChecker* c;
        void on_frame(const stream::Frame& f) override { c->on_frame(f); }
        void on_fault(const stream::FaultReport& f) override { c->on_fault(f); }
    } sink;
    sink.c = &c;
    stream::FrameDecoder d(sink);
    d.feed(frame(0, 0));
    d.feed(frame(1, 64));
    d.feed(frame(3, 192)); // frame 2 lost
    REQUIRE(c.missing_frames() == 1);
    REQUIRE(c.breaks().size() == 1);
    REQUIRE(c.breaks()[0].explained_by_frame_gap);
    REQUIRE(c.unexplained_breaks() == 0);
    auto bad = frame(4, 256);
    bad[12 + 4 * 7] ^= 1; // alter word 7, then fix the CRC: only the counter can tell
    const std::uint32_t crc = stream::crc32c(bad.data(), bad.size() - 4);
    store_le<std::uint32_t>(bad.data() + bad.size() - 4, crc);
    d.feed(bad);
    REQUIRE(c.unexplained_breaks() == 2); // word 7 breaks the count, and word 8 breaks it back
    REQUIRE_THAT(c.breaks()[1].describe(), Catch::Contains("sequence 4") && Catch::Contains("word 7"));
    REQUIRE_FALSE(c.clean());
}
