// The usb transport (libusb, unmodified) against FT601s emulated at usbdevfs with the Verilated
// station behind each (testbench/usb): discovery, the chip configuration check, the session at
// open and close, the link test, a 10^6-record run with its loss ledger, a lost and an altered
// packet, and a board unplugged mid-run.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <thread>

#include "core/error.hpp"
#include "dira/register_map.hpp"
#include "run/experiment.hpp"
#include "run/record_file.hpp"
#include "run/run_dir.hpp"
#include "store/link_test.hpp"
#include "store/loss_ledger.hpp"
#include "store/record_store.hpp"
#include "store/run_verify.hpp"
#include "stream/frame_decoder.hpp"
#include "support/temp_dir.hpp"
#include "transport/station.hpp"
#include "transport/usb_device.hpp"
#include "transport/usb_transport.hpp"
#include "usb/ft601_chip.hpp"
#include "usb/station_board_link.hpp"
#include "usb/usb_testbed.hpp"

using namespace dira;
using namespace dira::testbench::usb;
namespace ft60x = dira::transport::ft60x;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kBus = 2;

struct EmulatedBoard {
    Ft601Chip* chip = nullptr;
    StationBoardLink* link = nullptr;
    std::string id;
};

EmulatedBoard plug_board(UsbTestbed& testbed, StationId side, int address,
                         ft60x::Configuration config = ft601_configuration("")) {
    const std::string serial = std::string("DIRA-") + (side == StationId::alice ? "ALICE" : "BOB");
    config.set_strings("FTDI", "FTDI SuperSpeed-FIFO Bridge", serial);
    StationBoardLinkConfig board;
    board.board.station_id = static_cast<std::uint8_t>(side);
    auto link = std::make_unique<StationBoardLink>(board);
    EmulatedBoard b{nullptr, link.get(), "usb:" + serial};
    b.chip = &testbed.plug(std::make_unique<Ft601Chip>(Ft601ChipConfig{config}, std::move(link)), kBus, address, address);
    return b;
}

std::unique_ptr<transport::Station> open_station(const EmulatedBoard& b) {
    return std::make_unique<transport::Station>(std::make_unique<transport::UsbTransport>(b.id));
}

// A whole run on two emulated boards into `dir`, as `dira` records one: arm, trigger, collect,
// counters, manifest with the loss ledgers. `on_record` sees every record as it arrives.
struct RunOutcome {
    run::ExperimentResult result;
    double seconds = 0;
};
RunOutcome record_run(UsbTestbed& testbed, const EmulatedBoard& alice, const EmulatedBoard& bob, std::uint64_t trials,
                      const std::filesystem::path& dir, store::StoreOptions store_options = {},
                      const std::function<void(StationId, const TrialRecord&)>& on_record = {}) {
    auto a = open_station(alice);
    auto b = open_station(bob);
    run::RunWriter writer(dir, false, store_options);
    run::Experiment experiment(*a, *b);
    run::ExperimentPlan plan;
    plan.trials = trials;
    const auto t0 = Clock::now();
    RunOutcome out;
    out.result = experiment.run(
        plan,
        [&] {
            for (const auto* board : {&alice, &bob}) testbed.run(*board->chip, [&] { board->link->start_triggers(); });
        },
        [&](StationId side, const TrialRecord& r) {
            writer.append(side, r);
            if (on_record) on_record(side, r);
        });
    out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    nlohmann::json m;
    m["run_id"] = run::new_run_id();
    m["trials"] = trials;
    for (const auto& s : out.result.stations) m["stations"][station_name(s.side)] = run::station_json(s);
    writer.finish(m, out.result);
    return out;
}

std::vector<std::uint8_t> register_command_bytes(RegisterOpcode op, Reg reg, std::uint32_t value) {
    const std::uint32_t words[kRegisterCommandWords] = {pack_register_command(op, address(reg)), value};
    std::vector<std::uint8_t> bytes;
    stream::append_words(bytes, words);
    return bytes;
}

} // namespace

TEST_CASE("an emulated FT601 board is found by discovery, with its serial, speed and chip configuration") {
    UsbTestbed testbed;
    plug_board(testbed, StationId::alice, 3);
    const auto boards = transport::list_usb_boards();
    REQUIRE(boards.size() == 1);
    CHECK(boards[0].serial == "DIRA-ALICE");
    CHECK(boards[0].bus == kBus);
    CHECK(boards[0].address == 3);
    CHECK(boards[0].port_path == "2-3");
    CHECK(boards[0].product == "FTDI SuperSpeed-FIFO Bridge");
    CHECK_THAT(boards[0].speed, Catch::StartsWith("SuperSpeed"));
    CHECK(boards[0].id() == "usb:DIRA-ALICE");
    CHECK(boards[0].chip == "FT601: 245 mode, 1 channel, 100 MHz FIFO clock");
    CHECK_FALSE(boards[0].open_error.has_value());
}

TEST_CASE("the station identifies itself through libusb and the emulated FT601") {
    UsbTestbed testbed;
    const auto board = plug_board(testbed, StationId::bob, 4);
    auto station = open_station(board);
    const transport::Identity id = station->identify();
    CHECK(id.station_id == 1);
    CHECK(id.api_level == kApiLevel);
}

TEST_CASE("an FT601 not configured for the station is refused at open, saying what to change") {
    UsbTestbed testbed;
    auto config = ft601_configuration("");
    std::string expected;
    SECTION("600 mode") {
        config.fifo_mode = static_cast<std::uint8_t>(ft60x::FifoMode::mode_600);
        expected = "configured for 600 mode, 1 channel, 100 MHz FIFO clock; dira's station firmware needs 245 mode with 1 "
                   "channel (both pipes): set 'FIFO Mode: 245' with FTDI's FT60X Chip Configuration Programmer";
    }
    SECTION("four channels") {
        config.channel_config = static_cast<std::uint8_t>(ft60x::ChannelConfig::four);
        expected = "configured for 245 mode, 4 channels, 100 MHz FIFO clock; dira's station firmware needs 245 mode with 1 "
                   "channel (both pipes): set 'Channel Configuration: 1' with";
    }
    SECTION("one channel with its IN pipe only, in 600 mode") {
        config.channel_config = static_cast<std::uint8_t>(ft60x::ChannelConfig::one_in_pipe);
        config.fifo_mode = static_cast<std::uint8_t>(ft60x::FifoMode::mode_600);
        expected = "set 'FIFO Mode: 245' and 'Channel Configuration: 1' with";
    }
    const auto board = plug_board(testbed, StationId::alice, 3, config);
    try {
        transport::UsbTransport t(board.id);
        FAIL("a wrongly configured FT601 was opened");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::device);
        CHECK_THAT(e.what(), Catch::StartsWith("usb:DIRA-ALICE: the FT601 is ") && Catch::Contains(expected) &&
                                 Catch::Contains("then replug the board"));
    }
    // Refused before any session started: the chip saw no session command, and nothing stays claimed.
    testbed.run(*board.chip, [&] {
        CHECK(board.chip->chip_stats().session_commands.empty());
        CHECK_FALSE(board.chip->interface_claimed(0));
        CHECK_FALSE(board.chip->interface_claimed(1));
    });
    const auto listed = transport::list_usb_boards();
    REQUIRE(listed.size() == 1);
    REQUIRE(listed[0].configuration_error.has_value());
    CHECK_THAT(listed[0].configuration_error->what(), Catch::Contains(expected));
}

TEST_CASE("a second program opening a board that is in use is told it is busy") {
    UsbTestbed testbed;
    const auto board = plug_board(testbed, StationId::alice, 3);
    transport::UsbTransport first(board.id);
    try {
        transport::UsbTransport second(board.id);
        FAIL("opened a board twice");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::busy);
        CHECK_THAT(e.what(), Catch::Contains("another program"));
    }
}

TEST_CASE("the IN pipe's session is stopped at close and flushed at open: a reopened board sends no stale frames") {
    UsbTestbed testbed;
    const auto board = plug_board(testbed, StationId::alice, 3);
    auto* usb = new transport::UsbTransport(board.id);
    auto first = std::make_unique<transport::Station>(std::unique_ptr<transport::Transport>(usb));
    first->identify();
    testbed.run(*board.chip, [&] {
        const auto& log = board.chip->chip_stats().session_commands;
        REQUIRE_FALSE(log.empty()); // the open flushed the IN pipe before its first read request
        CHECK(log.front().command == ft60x::SessionCommandCode::flush);
        CHECK(log.front().pipe == 0x82);
        CHECK(board.chip->pending_read_requests() > 0);
        board.chip->hold_board(true);
    });
    // A register read the first program sends and leaves without waiting for: its reply is stale.
    usb->write(register_command_bytes(RegisterOpcode::read, Reg::FRAMES_SENT_LO, 0));
    first.reset();
    std::size_t stale = 0;
    testbed.run(*board.chip, [&] {
        const auto& log = board.chip->chip_stats().session_commands;
        REQUIRE(log.size() >= 2); // close: "prepare" then "flush" for the IN pipe
        CHECK(log[log.size() - 2].command == ft60x::SessionCommandCode::prepare);
        CHECK(log.back().command == ft60x::SessionCommandCode::flush);
        CHECK(log.back().pipe == 0x82);
        CHECK(board.chip->pending_read_requests() == 0);
        board.chip->hold_board(false);
        board.link->run(10'000); // the board runs on with no host: the reply waits in the chip
        stale = board.link->readable();
    });
    REQUIRE(stale > 0);

    std::uint64_t flushed_before = 0;
    testbed.run(*board.chip, [&] { flushed_before = board.chip->chip_stats().flushed_bytes; });
    store::TestPatternChecker checker;
    auto tap = std::make_unique<store::TapTransport>(std::make_unique<transport::UsbTransport>(board.id), checker);
    const store::TapTransport& seen = *tap;
    transport::Station second(std::move(tap));
    second.write_register(Reg::TRIAL_LIMIT, 5);
    for (const auto t0 = Clock::now(); Clock::now() - t0 < std::chrono::milliseconds(100);) second.poll(std::chrono::milliseconds(10));
    testbed.run(*board.chip, [&] { CHECK(board.chip->chip_stats().flushed_bytes - flushed_before == stale); });
    CHECK(seen.frames() == 1); // the reply to its own command, and not the first program's
    CHECK(seen.faults() == 0);
    CHECK(second.health().frame_faults.empty());
}

TEST_CASE("the link test passes over libusb and the emulated FT601, with FRAMES_SENT reconciled") {
    UsbTestbed testbed;
    const auto board = plug_board(testbed, StationId::alice, 3);
    store::TestPatternChecker checker;
    auto tap = std::make_unique<store::TapTransport>(std::make_unique<transport::UsbTransport>(board.id), checker);
    const store::TapTransport& t = *tap;
    transport::Station station(std::move(tap));
    station.identify();
    const auto r = store::run_link_test(station, t, checker, std::chrono::milliseconds(1000));
    INFO(r.to_json().dump());
    CHECK(r.ok());
    CHECK(r.pattern_frames > 100);
    CHECK(r.frames_sent == r.frames_accounted);
    WARN("link test through the emulated FT601: " << r.bytes << " bytes, " << r.megabytes_per_second() << " MB/s");
}

TEST_CASE("a run of 10^6 trials per station over two emulated FT601s: every record stored, the ledgers reconciled") {
    constexpr std::uint64_t kTrials = 1'000'000;
    UsbTestbed testbed;
    const auto alice = plug_board(testbed, StationId::alice, 3);
    const auto bob = plug_board(testbed, StationId::bob, 4);
    TempDir dir;
    const auto out = record_run(testbed, alice, bob, kTrials, dir / "run");
    const auto manifest = run::read_manifest(dir / "run");
    for (const char* side : {"alice", "bob"}) {
        INFO(side);
        const auto ledger = store::LossLedger::from_json(manifest["stations"][side]["ledger"]);
        CHECK(ledger.reconciled());
        CHECK(ledger.records_stored == kTrials);
        CHECK(ledger.lost_trials == 0);
        CHECK(ledger.lost.empty());
        CHECK(ledger.link_events.empty());
    }
    CHECK(manifest["loss"]["reconciled"] == true);
    CHECK(manifest["loss"]["certifiable_pairs"] == nlohmann::json::array({{{"first_trial", 0}, {"count", kTrials}}}));
    const auto verified = store::verify_run(dir / "run");
    CHECK(verified.ok());
    testbed.run(*alice.chip, [&] { CHECK(alice.chip->stats().bytes_in >= kTrials * kRecordBytes); });
    WARN("10^6 trials per station through two emulated FT601s: " << out.seconds << " s wall ("
                                                                   << 2.0 * kTrials / out.seconds << " records/s)");
}

TEST_CASE("a packet lost and a packet altered between the FT601 and the host are found, and their trials never certified") {
    constexpr std::uint64_t kTrials = 20'000;
    UsbTestbed testbed;
    const auto alice = plug_board(testbed, StationId::alice, 3);
    const auto bob = plug_board(testbed, StationId::bob, 4);
    testbed.run(*alice.chip, [&] {
        alice.chip->drop_packet_at(200'000);
        alice.chip->corrupt_byte_at(500'000);
    });
    TempDir dir;
    record_run(testbed, alice, bob, kTrials, dir / "run");
    testbed.run(*alice.chip, [&] {
        CHECK(alice.chip->chip_stats().dropped_bytes == Ft601Chip::kPacketBytes);
        CHECK(alice.chip->chip_stats().corrupted_bytes == 1);
    });
    const auto manifest = run::read_manifest(dir / "run");
    const auto ledger = store::LossLedger::from_json(manifest["stations"]["alice"]["ledger"]);
    CHECK(ledger.reconciled()); // the counters agree: the link lost them
    REQUIRE(ledger.lost.size() == 2);
    for (const auto& e : ledger.lost) {
        CHECK(e.cause == store::LossCause::link);
        CHECK(e.count > 0);
    }
    // The dropped packet's trials come first (a 1024-byte packet holds most of 3 frames), then the
    // corrupted frame's 8 trials.
    CHECK(ledger.lost[0].first_trial < ledger.lost[1].first_trial);
    CHECK(ledger.lost[1].count == kRecordsPerFrame);
    std::string events;
    for (const auto& e : ledger.link_events) events += e + "\n";
    CHECK_THAT(events, Catch::Contains("truncated frame") && Catch::Contains("CRC"));
    CHECK(ledger.records_stored + ledger.lost_trials == kTrials);
    const auto bob_ledger = store::LossLedger::from_json(manifest["stations"]["bob"]["ledger"]);
    CHECK(bob_ledger.lost.empty());
    // Certification may use neither span.
    const auto& pairs = manifest["loss"]["certifiable_pairs"];
    REQUIRE(pairs.size() == 3);
    for (const auto& e : ledger.lost)
        for (const auto& p : pairs) {
            const std::uint64_t first = p["first_trial"], count = p["count"];
            CHECK((e.first_trial + e.count <= first || first + count <= e.first_trial));
        }
    CHECK(store::verify_run(dir / "run").ok());
}

TEST_CASE("a board unplugged mid-run ends the run at once with a clear error, and what was stored stays intact") {
    constexpr std::uint64_t kTrials = 200'000, kUnplugAt = 50'000;
    constexpr std::uint32_t kChunkRecords = 4096;
    UsbTestbed testbed;
    const auto alice = plug_board(testbed, StationId::alice, 3);
    const auto bob = plug_board(testbed, StationId::bob, 4);
    TempDir dir;
    std::vector<TrialRecord> received;
    Clock::time_point unplugged{};
    try {
        record_run(testbed, alice, bob, kTrials, dir / "run", store::StoreOptions{kChunkRecords, 3, true},
                   [&](StationId side, const TrialRecord& r) {
                       if (side != StationId::alice) return;
                       received.push_back(r);
                       if (received.size() == kUnplugAt) {
                           testbed.unplug(*alice.chip);
                           unplugged = Clock::now();
                       }
                   });
        FAIL("the run went on without its board");
    } catch (const Error& e) {
        const double after = std::chrono::duration<double>(Clock::now() - unplugged).count();
        CHECK(e.kind() == ErrorKind::disconnected);
        CHECK_THAT(e.what(), Catch::Contains("usb:DIRA-ALICE was unplugged or lost power mid-stream") &&
                                 Catch::Contains("reconnect and start a new run"));
        CHECK(after < 1.0); // no hang: the error comes as soon as the data that did arrive is read
    }
    REQUIRE(received.size() >= kUnplugAt);
    // The run is unfinished (no manifest); Alice's store holds its complete chunks, each one intact
    // and equal to what arrived, from trial 0 on.
    CHECK(run::is_unfinished_run(dir / "run"));
    run::RecordFileReader reader(dir / "run" / "alice.records");
    std::vector<TrialRecord> stored(received.size() + 1);
    std::size_t n = 0;
    while (const std::size_t got = reader.read(std::span(stored).subspan(n))) n += got;
    CHECK(n % kChunkRecords == 0);
    CHECK(n >= kUnplugAt - kChunkRecords);
    CHECK(n <= received.size());
    for (std::size_t i = 0; i < n; ++i) {
        INFO(i);
        REQUIRE(stored[i] == received[i]);
    }
    // The board is gone for good: opening it again says so.
    try {
        transport::UsbTransport again(alice.id);
        FAIL("opened an unplugged board");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::not_found);
    }
}
