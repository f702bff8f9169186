// Whole runs (Experiment + RunWriter, as dira records one) over both emulated chips at once: Alice
// behind an FT601 and libusb, Bob behind an FT2232H and libftdi. 10^6 records per link with the
// loss ledgers reconciled; packets lost and altered on either link found and never certified; a
// board unplugged mid-run; and a run through the iCE40 station's own RTL.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/error.hpp"
#include "usb_run_support.hpp"
#include "run/record_file.hpp"
#include "transport/usb_device.hpp"
#include "store/loss_ledger.hpp"
#include "store/run_verify.hpp"
#include "support/temp_dir.hpp"

using namespace usb_test;

namespace {

store::LossLedger ledger_of(const nlohmann::json& manifest, const char* side) {
    return store::LossLedger::from_json(manifest["stations"][side]["ledger"]);
}

// The link faults of one station: a 1024- (FT601) or 510-byte (FT2232H payload) packet dropped
// early in its stream, one byte flipped later.
void inject_faults(UsbTestbed& testbed, UsbdevfsDevice& device) {
    testbed.run(device, [&] {
        if (auto* ft601 = dynamic_cast<Ft601Chip*>(&device)) {
            ft601->drop_packet_at(200'000);
            ft601->corrupt_byte_at(500'000);
        } else {
            auto& ft2232h = dynamic_cast<Ft2232hChip&>(device);
            ft2232h.drop_packet_at(200'000);
            ft2232h.corrupt_byte_at(500'000);
        }
    });
}

} // namespace

TEST_CASE("10^6 trials per station, Alice over an emulated FT601 and Bob over an emulated FT2232H: all stored, ledgers reconciled") {
    constexpr std::uint64_t kTrials = 1'000'000;
    UsbTestbed testbed;
    const auto alice = plug_ft601(testbed, StationId::alice, 3);
    const auto bob = plug_ft2232h_station_core(testbed, StationId::bob, 5);
    TempDir dir;
    const auto out = record_run(testbed, alice, bob, kTrials, dir / "run");
    const auto manifest = run::read_manifest(dir / "run");
    for (const char* side : {"alice", "bob"}) {
        INFO(side);
        const auto ledger = ledger_of(manifest, side);
        CHECK(ledger.reconciled());
        CHECK(ledger.records_stored == kTrials);
        CHECK(ledger.lost_trials == 0);
        CHECK(ledger.link_events.empty());
    }
    CHECK(manifest["loss"]["reconciled"] == true);
    CHECK(manifest["loss"]["certifiable_pairs"] == nlohmann::json::array({{{"first_trial", 0}, {"count", kTrials}}}));
    CHECK(store::verify_run(dir / "run").ok());
    testbed.run(*bob.device, [&] {
        const auto& s = static_cast<Ft2232hChip&>(*bob.device).chip_stats();
        CHECK(s.payload_bytes >= kTrials * kRecordBytes);
        CHECK(s.status_bytes == 2 * s.packets); // and libftdi took every one of them out again
    });
    WARN("10^6 trials per station (FT601 + FT2232H, emulated): " << out.seconds << " s wall, " << 2.0 * kTrials / out.seconds
                                                                   << " records/s");
}

TEST_CASE("a packet lost and a packet altered on each link are found, and their trials never certified") {
    constexpr std::uint64_t kTrials = 20'000;
    UsbTestbed testbed;
    const auto alice = plug_ft601(testbed, StationId::alice, 3);
    const auto bob = plug_ft2232h_station_core(testbed, StationId::bob, 5);
    for (const auto* b : {&alice, &bob}) inject_faults(testbed, *b->device);
    TempDir dir;
    record_run(testbed, alice, bob, kTrials, dir / "run");
    const auto manifest = run::read_manifest(dir / "run");
    for (const char* side : {"alice", "bob"}) {
        INFO(side);
        const auto ledger = ledger_of(manifest, side);
        CHECK(ledger.reconciled()); // the counters agree: the link lost them
        REQUIRE(ledger.lost.size() == 2);
        for (const auto& e : ledger.lost) CHECK(e.cause == store::LossCause::link);
        CHECK(ledger.lost[0].first_trial < ledger.lost[1].first_trial);
        CHECK(ledger.lost[1].count == kRecordsPerFrame); // the altered frame's 8 trials
        CHECK(ledger.records_stored + ledger.lost_trials == kTrials);
        std::string events;
        for (const auto& e : ledger.link_events) events += e + "\n";
        CHECK_THAT(events, Catch::Contains("CRC"));
    }
    // Certification may use none of the four spans.
    const auto& pairs = manifest["loss"]["certifiable_pairs"];
    for (const char* side : {"alice", "bob"})
        for (const auto& e : ledger_of(manifest, side).lost)
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
    const auto alice = plug_ft601(testbed, StationId::alice, 3);
    const auto bob = plug_ft2232h_station_core(testbed, StationId::bob, 5);
    const auto [side, gone] = GENERATE_REF(std::pair{StationId::alice, &alice}, std::pair{StationId::bob, &bob});
    INFO(gone->id);
    TempDir dir;
    std::vector<TrialRecord> received;
    std::size_t at_unplug = 0;
    try {
        record_run(testbed, alice, bob, kTrials, dir / "run", store::StoreOptions{kChunkRecords, 3, true},
                   [&](StationId s, const TrialRecord& r) {
                       if (s != side) return;
                       received.push_back(r);
                       if (received.size() == kUnplugAt) {
                           testbed.unplug(*gone->device);
                           at_unplug = received.size();
                       }
                   });
        FAIL("the run went on without its board");
    } catch (const Error& e) {
        // No hang (that would end in the run's stall timeout, a timeout error): the error comes as
        // soon as the data that had arrived is read, at most what the transfers in flight held.
        CHECK(e.kind() == ErrorKind::disconnected);
        CHECK_THAT(e.what(), Catch::Contains(gone->id + " was unplugged or lost power mid-stream") &&
                                 Catch::Contains("reconnect and start a new run"));
        const std::size_t in_flight_bytes = transport::UsbConfig{}.max_transfers * transport::UsbConfig{}.transfer_bytes;
        CHECK((received.size() - at_unplug) * kRecordBytes <= in_flight_bytes);
    }
    REQUIRE(received.size() >= kUnplugAt);
    // An unfinished run (no manifest) whose store holds complete chunks, each intact and equal to
    // what arrived, from trial 0 on.
    CHECK(run::is_unfinished_run(dir / "run"));
    run::RecordFileReader reader(dir / "run" / (std::string(station_name(side)) + ".records"));
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
    // The board is gone: opening it again says so.
    try {
        transport::open_device(gone->id);
        FAIL("opened an unplugged board");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::not_found);
    }
}

TEST_CASE("a run through the iCE40 station's own RTL behind the FT2232H: every trial stored, the ledgers reconciled") {
    constexpr std::uint64_t kTrials = 2'000;
    UsbTestbed testbed;
    const auto alice = plug_ice40(testbed, 5); // station_ft2232h is built as station 0
    const auto bob = plug_ft601(testbed, StationId::bob, 4);
    TempDir dir;
    record_run(testbed, alice, bob, kTrials, dir / "run");
    const auto manifest = run::read_manifest(dir / "run");
    for (const char* side : {"alice", "bob"}) {
        INFO(side);
        const auto ledger = ledger_of(manifest, side);
        CHECK(ledger.reconciled());
        CHECK(ledger.records_stored == kTrials);
    }
    CHECK(manifest["stations"]["alice"]["clock_hz"] == DIRA_ICE40_STATION_CLOCK_HZ);
    CHECK(store::verify_run(dir / "run").ok());
}

