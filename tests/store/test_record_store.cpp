// The record store on disk: round trips, chunk checks, torn tails after a crash (including a real
// kill -9 of a writing process), and damage that must never be mistaken for a torn tail.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>
#include <tuple>

#include "core/error.hpp"
#include "store/record_store.hpp"
#include "store/store_test_records.hpp"
#include "support/temp_dir.hpp"

using namespace dira;
using namespace dira::store;
namespace fs = std::filesystem;

namespace {

std::vector<TrialRecord> read_all(const fs::path& path, unsigned decode_threads = StoreReader::kDefaultDecodeThreads) {
    StoreReader reader(path, decode_threads);
    std::vector<TrialRecord> out;
    std::vector<TrialRecord> block(1000);
    while (std::size_t n = reader.read(block)) out.insert(out.end(), block.begin(), block.begin() + static_cast<std::ptrdiff_t>(n));
    return out;
}

void write_store(const fs::path& path, const std::vector<TrialRecord>& records, std::uint32_t chunk_records) {
    StoreWriter w(path, 0, StoreOptions{chunk_records});
    for (const auto& r : records) w.append(r);
    w.close();
}

std::vector<std::uint8_t> file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void put_bytes(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

} // namespace

TEST_CASE("records round-trip through a store file in chunks") {
    TempDir dir;
    const auto records = realistic_records(25'000, 4);
    write_store(dir / "a.records", records, 4096);
    REQUIRE(read_all(dir / "a.records") == records);
    const auto scan = scan_store(dir / "a.records");
    REQUIRE(scan.chunks.size() == 7); // 6 full chunks of 4096 and one of 424
    REQUIRE(scan.records == records.size());
    REQUIRE(scan.tail_bytes == 0);
    REQUIRE(scan.chunks[6].first_trial == 6 * 4096);
    REQUIRE(scan.chunks[6].last_trial == 24'999);
}

TEST_CASE("an empty store reads as no records") {
    TempDir dir;
    StoreWriter(dir / "e.records", 1).close();
    StoreReader reader(dir / "e.records");
    REQUIRE(reader.station() == 1);
    RecordColumns cols;
    REQUIRE_FALSE(reader.next_chunk(cols));
}

TEST_CASE("a store refuses trials out of order") {
    TempDir dir;
    StoreWriter w(dir / "o.records", 0);
    w.append(realistic_records(1, 1, 5)[0]);
    REQUIRE_THROWS_AS(w.append(realistic_records(1, 1, 5)[0]), Error);
}

TEST_CASE("a file that is not a store is refused with a format error") {
    TempDir dir;
    put_bytes(dir / "x.records", std::vector<std::uint8_t>(100, 0x41));
    try {
        StoreReader reader(dir / "x.records");
        FAIL("not a store, but opened");
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::format);
    }
    REQUIRE_THROWS_AS(StoreReader(dir / "missing.records"), Error);
}

TEST_CASE("a flipped payload bit is an integrity error naming the chunk") {
    TempDir dir;
    write_store(dir / "c.records", realistic_records(10'000, 2), 2048);
    auto bytes = file_bytes(dir / "c.records");
    const auto scan = scan_store(dir / "c.records");
    bytes[scan.chunks[2].offset_bytes + kChunkHeaderBytes + 5] ^= 0x04;
    put_bytes(dir / "c.records", bytes);
    try {
        read_all(dir / "c.records");
        FAIL("damage not detected");
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::integrity);
        REQUIRE_THAT(e.what(), Catch::Contains("chunk 2") && Catch::Contains("CRC-32C"));
    }
    REQUIRE_THROWS_AS(decode_store_bytes(bytes), Error);
}

TEST_CASE("read-ahead on decoding threads gives the same chunks, and faults in file order") {
    TempDir dir;
    const auto records = realistic_records(20'000, 5);
    write_store(dir / "r.records", records, 1000);
    for (unsigned threads : {0u, 1u, 2u, 4u}) {
        INFO("decode threads " << threads);
        REQUIRE(read_all(dir / "r.records", threads) == records);
    }
    // Damage chunk 12 (a CRC fault found while decoding) or cut the file inside chunk 17 (found
    // while reading ahead): every chunk before the fault is delivered first, whatever the threads.
    const auto scan = scan_store(dir / "r.records");
    auto damaged = file_bytes(dir / "r.records");
    damaged[scan.chunks[12].offset_bytes + kChunkHeaderBytes + 3] ^= 0x10;
    put_bytes(dir / "d.records", damaged);
    auto cut = file_bytes(dir / "r.records");
    cut.resize(scan.chunks[17].offset_bytes + kChunkHeaderBytes + 7);
    put_bytes(dir / "t.records", cut);
    for (const auto& [file, good_chunks, what] : {std::tuple{"d.records", 12u, "CRC-32C"}, std::tuple{"t.records", 17u, "truncated"}}) {
        for (unsigned threads : {0u, 2u}) {
            INFO(file << ", decode threads " << threads);
            StoreReader reader(dir / file, threads);
            RecordColumns columns;
            for (unsigned k = 0; k < good_chunks; ++k) {
                REQUIRE(reader.next_chunk(columns));
                REQUIRE(columns.trial_index.front() == k * 1000);
            }
            REQUIRE_THROWS_WITH(reader.next_chunk(columns), Catch::Contains("chunk " + std::to_string(good_chunks)) && Catch::Contains(what));
            REQUIRE(reader.records_read() == good_chunks * 1000);
        }
    }
}

TEST_CASE("a truncated store file is reported as truncated by the reader") {
    TempDir dir;
    write_store(dir / "t.records", realistic_records(5000, 3), 1000);
    auto bytes = file_bytes(dir / "t.records");
    bytes.resize(bytes.size() - 10);
    put_bytes(dir / "t.records", bytes);
    REQUIRE_THROWS_WITH(read_all(dir / "t.records"), Catch::Contains("truncated"));
}

TEST_CASE("resume cuts a torn tail and says what it discarded") {
    TempDir dir;
    const auto records = realistic_records(5000, 6);
    write_store(dir / "r.records", records, 1000);
    const auto full = file_bytes(dir / "r.records");
    const auto scan = scan_store(dir / "r.records");

    SECTION("payload cut short") {
        put_bytes(dir / "r.records", {full.begin(), full.begin() + static_cast<std::ptrdiff_t>(scan.chunks[4].offset_bytes + 60)});
        ResumeReport report;
        auto w = StoreWriter::resume(dir / "r.records", {1000}, report);
        REQUIRE(report.records_kept == 4000);
        REQUIRE(report.chunks_kept == 4);
        REQUIRE(report.next_trial == 4000);
        REQUIRE(report.bytes_discarded == 60);
        REQUIRE(report.records_discarded == 1000u);
        REQUIRE_THAT(report.describe(), Catch::Contains("discarded a torn tail of 60 bytes (1000 records)"));
        for (std::size_t i = 4000; i < records.size(); ++i) w.append(records[i]);
        w.close();
        REQUIRE(read_all(dir / "r.records") == records);
    }
    SECTION("header cut short") {
        put_bytes(dir / "r.records", {full.begin(), full.begin() + static_cast<std::ptrdiff_t>(scan.chunks[3].offset_bytes + 20)});
        ResumeReport report;
        StoreWriter::resume(dir / "r.records", {1000}, report).close();
        REQUIRE(report.records_kept == 3000);
        REQUIRE_FALSE(report.records_discarded.has_value());
        REQUIRE(read_all(dir / "r.records").size() == 3000);
    }
    SECTION("zero-filled tail (the file grew but the data never reached the disk)") {
        auto bytes = full;
        std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(scan.chunks[4].offset_bytes + kChunkHeaderBytes), bytes.end(), 0);
        put_bytes(dir / "r.records", bytes);
        ResumeReport report;
        StoreWriter::resume(dir / "r.records", {1000}, report).close();
        REQUIRE(report.records_kept == 4000);
        REQUIRE(report.records_discarded == 1000u);
    }
    SECTION("nothing torn") {
        ResumeReport report;
        StoreWriter::resume(dir / "r.records", {1000}, report).close();
        REQUIRE(report.records_kept == 5000);
        REQUIRE(report.bytes_discarded == 0);
        REQUIRE(file_bytes(dir / "r.records") == full);
    }
}

TEST_CASE("resume refuses damage that valid chunks follow: that is corruption, not a crash") {
    TempDir dir;
    write_store(dir / "d.records", realistic_records(5000, 6), 1000);
    auto bytes = file_bytes(dir / "d.records");
    const auto scan = scan_store(dir / "d.records");
    bytes[scan.chunks[1].offset_bytes + kChunkHeaderBytes + 3] ^= 0xFF;
    put_bytes(dir / "d.records", bytes);
    ResumeReport report;
    try {
        StoreWriter::resume(dir / "d.records", {1000}, report);
        FAIL("resumed over damage");
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::integrity);
    }
    REQUIRE(file_bytes(dir / "d.records") == bytes); // nothing was cut
}

TEST_CASE("kill -9 while writing: resume keeps every complete chunk, loses and duplicates nothing") {
    TempDir dir;
    const fs::path path = dir / "k.records";
    constexpr std::uint32_t kChunk = 512;
    const auto records = realistic_records(400'000, 8);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) { // the writer: appends as fast as it can until killed
        try {
            StoreWriter w(path, 0, StoreOptions{kChunk});
            for (const auto& r : records) w.append(r);
            w.close();
        } catch (...) {
            ::_exit(2);
        }
        ::_exit(0);
    }
    // Kill it once a few chunks are on disk.
    for (int i = 0; i < 2000; ++i) {
        std::error_code ec;
        if (fs::file_size(path, ec) > 20 * 1024 && !ec) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));

    ResumeReport report;
    auto w = StoreWriter::resume(path, {kChunk}, report);
    INFO(report.describe());
    REQUIRE(report.records_kept % kChunk == 0);
    REQUIRE(report.records_kept > 0);
    REQUIRE(report.records_kept < records.size());
    REQUIRE(report.next_trial == report.records_kept);
    for (std::size_t i = report.next_trial; i < records.size(); ++i) w.append(records[i]);
    w.close();
    REQUIRE(read_all(path) == records);
}
