// A station's record file: append-only, in checksummed chunks, crash-safe.
//
//   file header (64 bytes)
//     0  "DIRASTOR"            magic
//     8  u32 store version     kStoreVersion
//    12  u32 station           0 = Alice, 1 = Bob, kStationUnknown = not given
//    16  u32 record format     dira::kFormatVersion of the records it holds
//    20  u32 chunk records     the writer's chunk size (informative)
//    24  u32 zero
//    28  32 bytes              SHA-256 of the run's pre-registered plan (plan.json), written before
//                              the first trial: the records are bound to the plan that judges them
//                              (all zero: no plan, e.g. a store outside a run)
//    60  u32 CRC-32C of bytes 0..59
//   chunks, back to back, each:
//     chunk header (48 bytes)
//       0  "DCHK" (u32 0x4B484344)
//       4  u32 chunk index      0, 1, 2, ... with no gap
//       8  u64 first trial      trial index of the chunk's first record
//      16  u64 last trial       ... and of its last; a chunk's first trial is above the previous last
//      24  u32 record count
//      28  u32 stored bytes     payload bytes that follow the header
//      32  u32 raw bytes        payload bytes after decompression (record_codec.hpp encoding)
//      36  u8 codec             0 = raw, 1 = zstd;  37..39 zero
//      40  u32 CRC-32C of the stored payload
//      44  u32 CRC-32C of header bytes 0..43
//     payload
//
// The writer buffers records and writes one chunk per `chunk_records` records (or on flush), then
// fdatasync()s: a chunk on disk is complete and checksummed, or it is a torn tail. After a crash,
// StoreWriter::resume() keeps every complete chunk, cuts the torn tail and says what it cut. Gaps in
// trial indices are trials that never arrived (the loss ledger, loss_ledger.hpp, says why).
#pragma once

#include <array>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/sha256.hpp"
#include "dira/wire_format.hpp"
#include "store/record_codec.hpp"

namespace dira::store {

inline constexpr char kStoreMagic[8] = {'D', 'I', 'R', 'A', 'S', 'T', 'O', 'R'};
inline constexpr std::uint32_t kChunkMagic = 0x4B484344u; // "DCHK"
inline constexpr std::uint32_t kStoreVersion = 2; // 1: a 32-byte header without the plan digest
inline constexpr std::uint32_t kStationUnknown = 0xFFFFFFFFu;
inline constexpr std::size_t kFileHeaderBytes = 64;
inline constexpr std::size_t kPlanDigestOffset = 28;
inline constexpr std::size_t kHeaderCrcOffset = 60;
using PlanDigest = Sha256Digest;
inline constexpr std::size_t kChunkHeaderBytes = 48;
// 2^16 records: about 1.3 s of trials at 50 kHz between fsyncs, ~64 KiB on disk.
inline constexpr std::uint32_t kDefaultChunkRecords = 1u << 16;
inline constexpr std::uint32_t kMaxChunkRecords = 1u << 24;

enum class Codec : std::uint8_t { raw = 0, zstd = 1 };

struct ChunkInfo {
    std::uint32_t index = 0;
    std::uint64_t offset_bytes = 0; // of the chunk header in the file
    std::uint64_t first_trial = 0;
    std::uint64_t last_trial = 0;
    std::uint32_t records = 0;
    std::uint32_t stored_bytes = 0;
    std::uint32_t raw_bytes = 0;
    Codec codec = Codec::raw;
    std::uint32_t payload_crc = 0;
};

// What a scan of a store file found: the valid chunks, and what follows the last one.
struct StoreScan {
    std::uint32_t station = kStationUnknown;
    PlanDigest plan{};
    std::uint32_t chunk_records = 0;
    std::vector<ChunkInfo> chunks;
    std::uint64_t records = 0;
    std::uint64_t valid_bytes = 0; // header + complete chunks
    std::uint64_t file_bytes = 0;
    // Bytes after the last valid chunk (a torn tail after a crash, or damage), and why they are not a chunk.
    std::uint64_t tail_bytes = 0;
    std::string tail_reason;
    std::optional<std::uint32_t> tail_records;   // the torn chunk's record count, if its header survived
    bool valid_chunk_after_tail = false;         // a valid chunk header lies at or beyond the damage: not a crash

    std::uint64_t next_trial() const { return chunks.empty() ? 0 : chunks.back().last_trial + 1; }
};

// Reads the file header and walks every chunk, checking its header CRC and sequence and (with
// check_payloads) its payload CRC; payloads are never decoded. Reads in bounded blocks, so any file
// size is fine. Throws dira::Error(not_found/format) if the file is missing or not a store.
StoreScan scan_store(const std::filesystem::path& path, bool check_payloads = true);

struct StoreOptions {
    std::uint32_t chunk_records = kDefaultChunkRecords;
    int zstd_level = 3;
    bool sync = true; // fdatasync each chunk (off only for benchmarks of the encoding itself)
};

struct ResumeReport {
    std::uint64_t records_kept = 0;
    std::uint32_t chunks_kept = 0;
    std::uint64_t next_trial = 0;        // trial index after the last kept record
    std::uint64_t bytes_discarded = 0;   // the torn tail cut off
    std::optional<std::uint32_t> records_discarded; // records of the torn chunk, when its header was intact
    std::string reason;                  // why the tail was not a chunk ("" when nothing was cut)

    std::string describe() const;
};

class StoreWriter {
public:
    // Creates (or truncates) a store file and writes its header (with the plan's digest), synced.
    StoreWriter(const std::filesystem::path& path, std::uint32_t station, StoreOptions options = {}, const PlanDigest& plan = {});
    // Opens an existing store after a crash: keeps every complete chunk, cuts a torn tail. Refuses
    // (dira::Error integrity) when damage lies before a valid chunk: that is not a crash but corruption.
    static StoreWriter resume(const std::filesystem::path& path, StoreOptions options, ResumeReport& report);

    StoreWriter(StoreWriter&&) noexcept;
    StoreWriter& operator=(StoreWriter&&) noexcept;
    ~StoreWriter(); // closes without flushing buffered records (call close() to keep them)

    // Buffers a record; trial indices must increase (dira::Error internal otherwise).
    void append(const TrialRecord& record);
    // Writes buffered records as one chunk and syncs it (nothing if none are buffered).
    void flush();
    void close(); // flush, then close the file

    std::uint64_t records() const { return stored_records_ + buffer_.size(); }
    std::uint64_t stored_records() const { return stored_records_; }
    std::uint32_t chunks() const { return next_chunk_; }
    std::uint64_t stored_bytes() const { return file_bytes_; }
    const std::filesystem::path& path() const { return path_; }

private:
    StoreWriter(const std::filesystem::path& path, StoreOptions options);
    void write_all(std::span<const std::uint8_t> bytes);
    void sync();

    std::filesystem::path path_;
    StoreOptions options_;
    int fd_ = -1;
    std::vector<TrialRecord> buffer_;
    std::vector<std::uint8_t> raw_;
    std::vector<std::uint8_t> chunk_;
    void* zstd_ = nullptr; // ZSTD_CCtx
    std::uint32_t next_chunk_ = 0;
    std::uint64_t stored_records_ = 0;
    std::uint64_t file_bytes_ = 0;
    std::optional<std::uint64_t> last_trial_;
};

// Reads a store chunk by chunk, checking each chunk's CRCs, sequence and trial range, and that the
// decoded records match the chunk header. Any fault is a dira::Error(integrity/format) naming the
// file, chunk and byte offset. A file that ends inside a chunk is an error here (resume() is the
// only place a torn tail is tolerated).
//
// Read-ahead: the file is read in order by the caller's thread, and up to `decode_threads` chunks
// ahead are checked and decoded on other threads (chunks are independent), so that certification
// can read at more than one core's decoding speed. Chunks and faults still arrive strictly in file
// order: a fault in chunk k is thrown after chunks 0 .. k-1 were delivered. 0: decode in the
// caller's thread.
class StoreReader {
public:
    static constexpr unsigned kDefaultDecodeThreads = 2;
    explicit StoreReader(const std::filesystem::path& path, unsigned decode_threads = kDefaultDecodeThreads);
    StoreReader(StoreReader&&) noexcept;
    StoreReader& operator=(StoreReader&&) noexcept;
    ~StoreReader();

    // Decodes the next chunk into `columns`; false at the end of the file.
    bool next_chunk(RecordColumns& columns);
    // Fills `into` with the next records; returns how many (0 at the end).
    std::size_t read(std::span<TrialRecord> into);

    std::uint32_t station() const { return station_; }
    const PlanDigest& plan() const { return plan_; }
    std::uint64_t records_read() const { return records_read_; }
    std::uint32_t chunks_read() const { return chunks_read_; }
    const ChunkInfo& last_chunk() const { return last_chunk_; }

private:
    struct Slot; // one chunk on its way: stored bytes, its decoding, the decoded columns
    bool read_exact(std::uint8_t* into, std::size_t n); // false on clean EOF before the first byte
    bool fetch(Slot& slot);                              // reads the next chunk; false at the end
    void fill();                                         // fetches and starts decoding until the ring is full

    std::filesystem::path path_;
    int fd_ = -1;
    std::uint32_t station_ = kStationUnknown;
    PlanDigest plan_{};
    // The reading side (in file order, ahead of the caller).
    std::uint64_t fetch_offset_ = 0;
    std::uint32_t chunks_fetched_ = 0;
    std::optional<std::uint64_t> fetch_last_trial_;
    bool fetch_done_ = false;
    std::exception_ptr fetch_error_; // thrown once the chunks before it are delivered
    // The ring of chunks in flight: slots_[head_], then the next in_flight_ - 1.
    std::vector<std::unique_ptr<Slot>> slots_;
    std::size_t head_ = 0, in_flight_ = 0;
    bool decode_async_ = false;
    // The delivered side.
    std::uint32_t chunks_read_ = 0;
    std::uint64_t records_read_ = 0;
    ChunkInfo last_chunk_;
    RecordColumns pending_; // for read(): the current chunk
    std::size_t pending_at_ = 0;
};

// Decodes a whole store held in memory (what the fuzzer drives): every check of StoreReader.
// Returns the number of records; throws dira::Error on any fault.
std::uint64_t decode_store_bytes(std::span<const std::uint8_t> bytes);

} // namespace dira::store
