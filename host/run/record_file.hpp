// A station's trial records on disk: a record store (store/record_store.hpp: append-only,
// checksummed zstd chunks of bit-packed, delta-coded records, fsync'd at chunk boundaries), in
// trial order, read back in blocks so a run of 1e9 trials never has to fit in memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

#include "dira/wire_format.hpp"
#include "store/record_store.hpp"

namespace dira::run {

class RecordFileWriter {
public:
    // Creates or truncates; throws dira::Error on failure. `station`: 0 Alice, 1 Bob (the store
    // header records it; store::kStationUnknown when not given).
    // `plan`: the SHA-256 of the run's pre-registered plan, written into the store header.
    explicit RecordFileWriter(const std::filesystem::path& path, std::uint32_t station = store::kStationUnknown,
                              store::StoreOptions options = {}, const store::PlanDigest& plan = {});
    // Reopens a record file after a crash: keeps its complete chunks, cuts a torn tail (report says what).
    static RecordFileWriter resume(const std::filesystem::path& path, store::ResumeReport& report,
                                   store::StoreOptions options = {});
    void append(const TrialRecord& record) { writer_.append(record); }
    void close() { writer_.close(); } // writes the last chunk, syncs; throws dira::Error(io) on failure
    std::uint64_t records() const { return writer_.records(); }
    std::uint32_t chunks() const { return writer_.chunks(); }
    std::uint64_t stored_bytes() const { return writer_.stored_bytes(); }

private:
    explicit RecordFileWriter(store::StoreWriter writer) : writer_(std::move(writer)) {}
    store::StoreWriter writer_;
};

class RecordFileReader {
public:
    // Throws dira::Error if missing or not a record store.
    explicit RecordFileReader(const std::filesystem::path& path);
    // Fills `into` with the next records; returns how many (0 at the end). Throws dira::Error
    // (integrity/format) on any damaged or truncated chunk.
    std::size_t read(std::span<TrialRecord> into) { return reader_.read(into); }
    // The fast path for certification: the next chunk, column by column (settings and outcomes as
    // bitmaps); false at the end.
    bool next_chunk(store::RecordColumns& columns) { return reader_.next_chunk(columns); }
    std::uint64_t records() const { return total_records_; } // from the chunk headers
    std::uint32_t station() const { return reader_.station(); }

private:
    store::StoreReader reader_;
    std::uint64_t total_records_ = 0;
};

} // namespace dira::run
