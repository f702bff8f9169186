#include "store/record_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <future>
#include <sstream>
#include <utility>

#include <zstd.h>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "stream/crc32c_fast.hpp"

namespace dira::store {
namespace {

namespace fs = std::filesystem;


std::uint32_t crc(const std::uint8_t* p, std::size_t n) { return stream::crc32c(p, n); }

std::array<std::uint8_t, kFileHeaderBytes> file_header(std::uint32_t station, std::uint32_t chunk_records, const PlanDigest& plan) {
    std::array<std::uint8_t, kFileHeaderBytes> h{};
    std::memcpy(h.data(), kStoreMagic, 8);
    store_le<std::uint32_t>(h.data() + 8, kStoreVersion);
    store_le<std::uint32_t>(h.data() + 12, station);
    store_le<std::uint32_t>(h.data() + 16, kFormatVersion);
    store_le<std::uint32_t>(h.data() + 20, chunk_records);
    std::memcpy(h.data() + kPlanDigestOffset, plan.data(), plan.size());
    store_le<std::uint32_t>(h.data() + kHeaderCrcOffset, crc(h.data(), kHeaderCrcOffset));
    return h;
}

struct FileHeader {
    std::uint32_t station;
    std::uint32_t chunk_records;
    PlanDigest plan;
};

FileHeader parse_file_header(const std::uint8_t* h, const std::string& where) {
    if (std::memcmp(h, kStoreMagic, 8) != 0)
        throw Error(ErrorKind::format, where + " is not a dira record store (no DIRASTOR magic)");
    if (load_le<std::uint32_t>(h + kHeaderCrcOffset) != crc(h, kHeaderCrcOffset))
        throw Error(ErrorKind::integrity, where + ": the file header's CRC-32C does not match (damaged header)");
    const auto version = load_le<std::uint32_t>(h + 8);
    if (version != kStoreVersion)
        throw Error(ErrorKind::version_mismatch, where + " is record store version " + std::to_string(version) +
                                                     ", this dira reads version " + std::to_string(kStoreVersion) +
                                                     ": use a dira of the matching version");
    const auto record_format = load_le<std::uint32_t>(h + 16);
    if (record_format != kFormatVersion)
        throw Error(ErrorKind::version_mismatch, where + " holds records of wire format " + std::to_string(record_format) +
                                                     ", this dira speaks " + std::to_string(kFormatVersion));
    FileHeader header{load_le<std::uint32_t>(h + 12), load_le<std::uint32_t>(h + 20), {}};
    std::memcpy(header.plan.data(), h + kPlanDigestOffset, header.plan.size());
    return header;
}

void encode_chunk_header(const ChunkInfo& c, std::uint8_t* h) {
    std::memset(h, 0, kChunkHeaderBytes);
    store_le<std::uint32_t>(h + 0, kChunkMagic);
    store_le<std::uint32_t>(h + 4, c.index);
    store_le<std::uint64_t>(h + 8, c.first_trial);
    store_le<std::uint64_t>(h + 16, c.last_trial);
    store_le<std::uint32_t>(h + 24, c.records);
    store_le<std::uint32_t>(h + 28, c.stored_bytes);
    store_le<std::uint32_t>(h + 32, c.raw_bytes);
    h[36] = static_cast<std::uint8_t>(c.codec);
    store_le<std::uint32_t>(h + 40, c.payload_crc);
    store_le<std::uint32_t>(h + 44, crc(h, 44));
}

// Checks a chunk header on its own; returns "" and fills `c`, or says what is wrong.
std::string parse_chunk_header(const std::uint8_t* h, ChunkInfo& c) {
    if (load_le<std::uint32_t>(h) != kChunkMagic) return "no chunk magic";
    if (load_le<std::uint32_t>(h + 44) != crc(h, 44)) return "chunk header CRC-32C mismatch";
    c.index = load_le<std::uint32_t>(h + 4);
    c.first_trial = load_le<std::uint64_t>(h + 8);
    c.last_trial = load_le<std::uint64_t>(h + 16);
    c.records = load_le<std::uint32_t>(h + 24);
    c.stored_bytes = load_le<std::uint32_t>(h + 28);
    c.raw_bytes = load_le<std::uint32_t>(h + 32);
    c.codec = static_cast<Codec>(h[36]);
    c.payload_crc = load_le<std::uint32_t>(h + 40);
    if (h[36] > 1 || h[37] || h[38] || h[39]) return "unknown chunk codec " + std::to_string(h[36]);
    if (c.records == 0 || c.records > kMaxChunkRecords) return "chunk claims " + std::to_string(c.records) + " records";
    // The encoding takes under 100 bytes per record (five columns of at most 7 + 12 bytes each).
    if (c.raw_bytes > 100ull * c.records + 128 || c.stored_bytes > ZSTD_compressBound(c.raw_bytes) + kChunkHeaderBytes)
        return "chunk sizes (" + std::to_string(c.stored_bytes) + " stored, " + std::to_string(c.raw_bytes) +
               " raw) impossible for " + std::to_string(c.records) + " records";
    if (c.last_trial < c.first_trial || c.last_trial - c.first_trial < c.records - 1)
        return "chunk trial range " + std::to_string(c.first_trial) + ".." + std::to_string(c.last_trial) +
               " cannot hold " + std::to_string(c.records) + " records";
    return "";
}

// Checks a chunk against the one before it (sequence and trial order).
std::string check_sequence(const ChunkInfo& c, std::uint32_t expected_index, const std::optional<std::uint64_t>& last_trial) {
    if (c.index != expected_index)
        return "chunk index " + std::to_string(c.index) + " where " + std::to_string(expected_index) + " was due";
    if (last_trial && c.first_trial <= *last_trial)
        return "chunk starts at trial " + std::to_string(c.first_trial) + ", not after trial " + std::to_string(*last_trial);
    return "";
}

// Decompresses and decodes a chunk's payload, checking it against its header.
void decode_chunk(const ChunkInfo& c, std::span<const std::uint8_t> stored, std::vector<std::uint8_t>& raw,
                  ZSTD_DCtx* zstd, RecordColumns& out, const std::string& where) {
    if (crc(stored.data(), stored.size()) != c.payload_crc)
        throw Error(ErrorKind::integrity, where + ": payload CRC-32C mismatch (the chunk was altered or damaged)");
    std::span<const std::uint8_t> encoded = stored;
    if (c.codec == Codec::zstd) {
        raw.resize(c.raw_bytes);
        const std::size_t n = ZSTD_decompressDCtx(zstd, raw.data(), raw.size(), stored.data(), stored.size());
        if (ZSTD_isError(n) || n != c.raw_bytes)
            throw Error(ErrorKind::format, where + ": zstd payload does not decompress to its " + std::to_string(c.raw_bytes) +
                                               " bytes" + (ZSTD_isError(n) ? std::string(": ") + ZSTD_getErrorName(n) : ""));
        encoded = raw;
    } else if (c.raw_bytes != c.stored_bytes) {
        throw Error(ErrorKind::format, where + ": raw chunk with stored and raw sizes that differ");
    }
    try {
        decode_records(encoded, out);
    } catch (const Error& e) {
        throw Error(e.kind(), where + ": " + e.what());
    }
    if (out.size() != c.records || out.trial_index.front() != c.first_trial || out.trial_index.back() != c.last_trial)
        throw Error(ErrorKind::format, where + ": records do not match the chunk header (count or trial range)");
}

std::string chunk_where(const std::string& file, std::uint32_t index, std::uint64_t offset) {
    return file + " chunk " + std::to_string(index) + " at byte " + std::to_string(offset);
}

// Is there a valid chunk header anywhere in the file at or after `from`? (Read in blocks.)
bool valid_chunk_header_after(int fd, std::uint64_t from, std::uint64_t file_bytes, const fs::path& path) {
    constexpr std::size_t kBlock = 1 << 20;
    std::vector<std::uint8_t> block(kBlock + kChunkHeaderBytes);
    for (std::uint64_t at = from; at + kChunkHeaderBytes <= file_bytes; at += kBlock) {
        const std::size_t got = read_at(fd, at, block.data(), block.size(), path);
        for (std::size_t i = 0; i + kChunkHeaderBytes <= got && i < kBlock; ++i) {
            if (load_le<std::uint32_t>(block.data() + i) != kChunkMagic) continue;
            ChunkInfo c;
            if (parse_chunk_header(block.data() + i, c).empty()) return true;
        }
    }
    return false;
}


} // namespace

// ---------------------------------------------------------------------------------------------
StoreScan scan_store(const fs::path& path, bool check_payloads) {
    const FileDescriptor file = open_regular_file(path);
    const int fd = file.get();
    StoreScan s;
    s.file_bytes = static_cast<std::uint64_t>(::lseek(fd, 0, SEEK_END));
    std::uint8_t fh[kFileHeaderBytes];
    if (read_at(fd, 0, fh, sizeof fh, path) < sizeof fh)
        throw Error(ErrorKind::format, path.string() + " is " + std::to_string(s.file_bytes) +
                                           " bytes long, shorter than a record store header");
    const FileHeader header = parse_file_header(fh, path.string());
    s.station = header.station;
    s.chunk_records = header.chunk_records;
    s.plan = header.plan;
    std::uint64_t at = kFileHeaderBytes;
    std::optional<std::uint64_t> last_trial;
    std::vector<std::uint8_t> payload;
    while (at < s.file_bytes) {
        ChunkInfo c;
        std::string problem;
        bool header_ok = false;
        std::uint8_t h[kChunkHeaderBytes];
        if (read_at(fd, at, h, sizeof h, path) < sizeof h) {
            problem = "file ends inside a chunk header";
        } else {
            problem = parse_chunk_header(h, c);
            header_ok = problem.empty();
            if (header_ok) problem = check_sequence(c, static_cast<std::uint32_t>(s.chunks.size()), last_trial);
            if (problem.empty() && s.file_bytes - at - kChunkHeaderBytes < c.stored_bytes) {
                problem = "file ends inside the chunk's payload";
            } else if (problem.empty() && check_payloads) {
                payload.resize(c.stored_bytes);
                read_at(fd, at + kChunkHeaderBytes, payload.data(), payload.size(), path);
                if (crc(payload.data(), payload.size()) != c.payload_crc) problem = "payload CRC-32C mismatch";
            }
        }
        if (!problem.empty()) {
            s.tail_bytes = s.file_bytes - at;
            s.tail_reason = "chunk " + std::to_string(s.chunks.size()) + " at byte " + std::to_string(at) + ": " + problem;
            // A header that checks out but is out of sequence was not torn by a crash.
            s.valid_chunk_after_tail = (header_ok && problem.rfind("chunk index", 0) == 0) ||
                                       (header_ok && problem.rfind("chunk starts", 0) == 0) ||
                                       valid_chunk_header_after(fd, at + 1, s.file_bytes, path);
            if (header_ok) s.tail_records = c.records;
            break;
        }
        c.offset_bytes = at;
        s.chunks.push_back(c);
        s.records += c.records;
        last_trial = c.last_trial;
        at += kChunkHeaderBytes + c.stored_bytes;
    }
    s.valid_bytes = s.file_bytes - s.tail_bytes;
    return s;
}

std::string ResumeReport::describe() const {
    std::ostringstream s;
    s << "kept " << records_kept << " records in " << chunks_kept << " complete chunks (next trial " << next_trial << ")";
    if (bytes_discarded == 0) {
        s << "; nothing to discard";
    } else {
        s << "; discarded a torn tail of " << bytes_discarded << " bytes";
        if (records_discarded) s << " (" << *records_discarded << " records)";
        s << ": " << reason;
    }
    return s.str();
}

// ---------------------------------------------------------------------------------------------
StoreWriter::StoreWriter(const fs::path& path, StoreOptions options) : path_(path), options_(options) {
    if (options_.chunk_records == 0 || options_.chunk_records > kMaxChunkRecords)
        throw Error(ErrorKind::invalid_argument, "chunk size must be 1 to " + std::to_string(kMaxChunkRecords) +
                                                     " records, got " + std::to_string(options_.chunk_records));
    zstd_ = ZSTD_createCCtx();
    if (!zstd_) throw Error(ErrorKind::internal, "ZSTD_createCCtx failed (out of memory?)");
    buffer_.reserve(options_.chunk_records);
}

StoreWriter::StoreWriter(const fs::path& path, std::uint32_t station, StoreOptions options, const PlanDigest& plan)
    : StoreWriter(path, options) {
    fd_ = create_file(path, Access::shared).release();
    const auto h = file_header(station, options_.chunk_records, plan);
    write_all(h);
    sync();
    sync_directory(path.parent_path());
}

StoreWriter StoreWriter::resume(const fs::path& path, StoreOptions options, ResumeReport& report) {
    const StoreScan scan = scan_store(path);
    if (scan.tail_bytes > 0 && scan.valid_chunk_after_tail)
        throw Error(ErrorKind::integrity, path.string() + ": " + scan.tail_reason +
                                              ", and valid chunks follow: this is damage inside the file, not a torn "
                                              "write from a crash; not resuming (run `dira verify` on the run)");
    StoreWriter w(path, options);
    w.fd_ = open_file_for_writing(path).release();
    if (scan.tail_bytes > 0) {
        if (::ftruncate(w.fd_, static_cast<off_t>(scan.valid_bytes)) != 0)
            throw_errno(errno, "cannot cut the torn tail of " + path.string());
        w.sync();
    }
    if (::lseek(w.fd_, static_cast<off_t>(scan.valid_bytes), SEEK_SET) < 0)
        throw_errno(errno, "cannot seek in " + path.string());
    w.file_bytes_ = scan.valid_bytes;
    w.next_chunk_ = static_cast<std::uint32_t>(scan.chunks.size());
    w.stored_records_ = scan.records;
    if (!scan.chunks.empty()) w.last_trial_ = scan.chunks.back().last_trial;

    report = ResumeReport{};
    report.records_kept = scan.records;
    report.chunks_kept = static_cast<std::uint32_t>(scan.chunks.size());
    report.next_trial = scan.next_trial();
    report.bytes_discarded = scan.tail_bytes;
    report.records_discarded = scan.tail_records;
    report.reason = scan.tail_reason;
    return w;
}

StoreWriter::StoreWriter(StoreWriter&& o) noexcept { *this = std::move(o); }

StoreWriter& StoreWriter::operator=(StoreWriter&& o) noexcept {
    if (this == &o) return *this;
    if (fd_ >= 0) ::close(fd_);
    if (zstd_) ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(zstd_));
    path_ = std::move(o.path_);
    options_ = o.options_;
    fd_ = std::exchange(o.fd_, -1);
    buffer_ = std::move(o.buffer_);
    raw_ = std::move(o.raw_);
    chunk_ = std::move(o.chunk_);
    zstd_ = std::exchange(o.zstd_, nullptr);
    next_chunk_ = o.next_chunk_;
    stored_records_ = o.stored_records_;
    file_bytes_ = o.file_bytes_;
    last_trial_ = o.last_trial_;
    return *this;
}

StoreWriter::~StoreWriter() {
    if (fd_ >= 0) ::close(fd_);
    if (zstd_) ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(zstd_));
}

void StoreWriter::append(const TrialRecord& record) {
    if (last_trial_ && record.trial_index <= *last_trial_)
        throw Error(ErrorKind::internal, path_.string() + ": trial " + std::to_string(record.trial_index) +
                                             " appended after trial " + std::to_string(*last_trial_) +
                                             " (a store holds each trial once, in order)");
    last_trial_ = record.trial_index;
    buffer_.push_back(record);
    if (buffer_.size() >= options_.chunk_records) flush();
}

void StoreWriter::flush() {
    if (buffer_.empty()) return;
    if (fd_ < 0) throw Error(ErrorKind::internal, path_.string() + ": append after close");
    raw_.clear();
    encode_records(buffer_, raw_);
    ChunkInfo c;
    c.index = next_chunk_;
    c.first_trial = buffer_.front().trial_index;
    c.last_trial = buffer_.back().trial_index;
    c.records = static_cast<std::uint32_t>(buffer_.size());
    c.raw_bytes = static_cast<std::uint32_t>(raw_.size());

    chunk_.resize(kChunkHeaderBytes + ZSTD_compressBound(raw_.size()));
    const std::size_t z = ZSTD_compressCCtx(static_cast<ZSTD_CCtx*>(zstd_), chunk_.data() + kChunkHeaderBytes,
                                            chunk_.size() - kChunkHeaderBytes, raw_.data(), raw_.size(), options_.zstd_level);
    if (!ZSTD_isError(z) && z < raw_.size()) {
        c.codec = Codec::zstd;
        c.stored_bytes = static_cast<std::uint32_t>(z);
    } else { // incompressible: store as is
        c.codec = Codec::raw;
        c.stored_bytes = c.raw_bytes;
        std::memcpy(chunk_.data() + kChunkHeaderBytes, raw_.data(), raw_.size());
    }
    chunk_.resize(kChunkHeaderBytes + c.stored_bytes);
    c.payload_crc = crc(chunk_.data() + kChunkHeaderBytes, c.stored_bytes);
    encode_chunk_header(c, chunk_.data());
    write_all(chunk_);
    sync();
    ++next_chunk_;
    stored_records_ += buffer_.size();
    buffer_.clear();
}

void StoreWriter::close() {
    flush();
    if (fd_ >= 0 && ::close(std::exchange(fd_, -1)) != 0)
        throw_errno(errno, "closing " + path_.string() + " failed");
}

void StoreWriter::write_all(std::span<const std::uint8_t> bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno(errno, "write failed on " + path_.string() + (errno == ENOSPC ? " (free space, then resume the run)" : ""));
        }
        bytes = bytes.subspan(static_cast<std::size_t>(n));
        file_bytes_ += static_cast<std::uint64_t>(n);
    }
}

void StoreWriter::sync() {
    if (options_.sync && ::fdatasync(fd_) != 0)
        throw_errno(errno, "fdatasync failed on " + path_.string());
}

// ---------------------------------------------------------------------------------------------
struct StoreReader::Slot {
    ChunkInfo info;
    std::string where;
    std::vector<std::uint8_t> stored, raw;
    RecordColumns columns;
    ZSTD_DCtx* zstd = ZSTD_createDCtx();
    std::future<void> decoded; // valid while the chunk is in flight

    ~Slot() {
        if (decoded.valid()) decoded.wait(); // the decoding uses this slot's buffers
        ZSTD_freeDCtx(zstd);
    }
    void decode() { decode_chunk(info, stored, raw, zstd, columns, where); }
};

StoreReader::StoreReader(const fs::path& path, unsigned decode_threads) : path_(path), decode_async_(decode_threads > 0) {
    fd_ = open_regular_file(path).release();
    std::uint8_t h[kFileHeaderBytes];
    if (!read_exact(h, sizeof h))
        throw Error(ErrorKind::format, path.string() + " is empty: not a record store");
    const FileHeader header = parse_file_header(h, path.string());
    station_ = header.station;
    plan_ = header.plan;
    fetch_offset_ = kFileHeaderBytes;
    // One slot more than decoding threads: the one the caller is being handed.
    for (unsigned i = 0; i < std::max(1u, decode_threads + 1); ++i) slots_.push_back(std::make_unique<Slot>());
}

StoreReader::StoreReader(StoreReader&& o) noexcept { *this = std::move(o); }

StoreReader& StoreReader::operator=(StoreReader&& o) noexcept {
    if (this == &o) return *this;
    slots_.clear(); // waits for this reader's decodings
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(o.path_);
    fd_ = std::exchange(o.fd_, -1);
    station_ = o.station_;
    plan_ = o.plan_;
    fetch_offset_ = o.fetch_offset_;
    chunks_fetched_ = o.chunks_fetched_;
    fetch_last_trial_ = o.fetch_last_trial_;
    fetch_done_ = o.fetch_done_;
    fetch_error_ = std::move(o.fetch_error_);
    slots_ = std::move(o.slots_); // the slots stay where they are: decodings in flight keep their buffers
    head_ = o.head_;
    in_flight_ = std::exchange(o.in_flight_, 0);
    decode_async_ = o.decode_async_;
    chunks_read_ = o.chunks_read_;
    records_read_ = o.records_read_;
    last_chunk_ = o.last_chunk_;
    pending_ = std::move(o.pending_);
    pending_at_ = o.pending_at_;
    return *this;
}

StoreReader::~StoreReader() {
    slots_.clear(); // waits for the decodings in flight
    if (fd_ >= 0) ::close(fd_);
}

bool StoreReader::read_exact(std::uint8_t* into, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::read(fd_, into + got, n - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            throw_errno(errno, "read error on " + path_.string());
        }
        if (r == 0) {
            if (got == 0) return false;
            throw Error(ErrorKind::integrity, chunk_where(path_.string(), chunks_fetched_, fetch_offset_) + ": file ends " +
                                                  std::to_string(n - got) + " bytes early (truncated: the run was cut "
                                                  "short; resume it, or re-copy the file)");
        }
        got += static_cast<std::size_t>(r);
    }
    return true;
}

// The sequential part, in file order: the chunk header, its place in the sequence, the payload bytes.
bool StoreReader::fetch(Slot& slot) {
    slot.where = chunk_where(path_.string(), chunks_fetched_, fetch_offset_);
    std::uint8_t h[kChunkHeaderBytes];
    if (!read_exact(h, sizeof h)) return false;
    ChunkInfo& c = slot.info;
    c = ChunkInfo{};
    std::string problem = parse_chunk_header(h, c);
    if (problem.empty()) problem = check_sequence(c, chunks_fetched_, fetch_last_trial_);
    if (!problem.empty()) throw Error(ErrorKind::integrity, slot.where + ": " + problem);
    c.offset_bytes = fetch_offset_;
    slot.stored.resize(c.stored_bytes);
    if (!read_exact(slot.stored.data(), slot.stored.size()) && c.stored_bytes > 0)
        throw Error(ErrorKind::integrity, slot.where + ": file ends after the chunk header (truncated)");
    fetch_offset_ += kChunkHeaderBytes + c.stored_bytes;
    fetch_last_trial_ = c.last_trial;
    ++chunks_fetched_;
    return true;
}

void StoreReader::fill() {
    while (in_flight_ < slots_.size() && !fetch_done_) {
        Slot& slot = *slots_[(head_ + in_flight_) % slots_.size()];
        try {
            if (!fetch(slot)) {
                fetch_done_ = true;
                break;
            }
        } catch (...) {
            fetch_error_ = std::current_exception();
            fetch_done_ = true;
            break;
        }
        slot.decoded = std::async(decode_async_ ? std::launch::async : std::launch::deferred, [&slot] { slot.decode(); });
        ++in_flight_;
    }
}

bool StoreReader::next_chunk(RecordColumns& columns) {
    fill();
    if (in_flight_ == 0) {
        if (fetch_error_) std::rethrow_exception(std::exchange(fetch_error_, nullptr));
        return false;
    }
    Slot& slot = *slots_[head_];
    head_ = (head_ + 1) % slots_.size();
    --in_flight_;
    slot.decoded.get(); // throws the chunk's fault, in file order
    std::swap(columns, slot.columns);
    last_chunk_ = slot.info;
    ++chunks_read_;
    records_read_ += slot.info.records;
    fill(); // keep the decoders busy while the caller works on this chunk
    return true;
}

std::size_t StoreReader::read(std::span<TrialRecord> into) {
    std::size_t n = 0;
    while (n < into.size()) {
        if (pending_at_ == pending_.size()) {
            pending_at_ = 0;
            if (!next_chunk(pending_)) {
                pending_.clear();
                break;
            }
        }
        for (; pending_at_ < pending_.size() && n < into.size(); ++pending_at_) into[n++] = pending_.record(pending_at_);
    }
    return n;
}

std::uint64_t decode_store_bytes(std::span<const std::uint8_t> bytes) {
    const std::string where = "store bytes";
    if (bytes.size() < kFileHeaderBytes) throw Error(ErrorKind::format, where + ": shorter than a store header");
    parse_file_header(bytes.data(), where);
    ZSTD_DCtx* zstd = ZSTD_createDCtx();
    std::vector<std::uint8_t> raw;
    RecordColumns columns;
    std::uint64_t records = 0;
    std::optional<std::uint64_t> last_trial;
    std::size_t at = kFileHeaderBytes;
    try {
        for (std::uint32_t index = 0; at < bytes.size(); ++index) {
            const std::string w = chunk_where(where, index, at);
            if (bytes.size() - at < kChunkHeaderBytes) throw Error(ErrorKind::integrity, w + ": truncated header");
            ChunkInfo c;
            std::string problem = parse_chunk_header(bytes.data() + at, c);
            if (problem.empty()) problem = check_sequence(c, index, last_trial);
            if (!problem.empty()) throw Error(ErrorKind::integrity, w + ": " + problem);
            if (bytes.size() - at - kChunkHeaderBytes < c.stored_bytes) throw Error(ErrorKind::integrity, w + ": truncated payload");
            decode_chunk(c, bytes.subspan(at + kChunkHeaderBytes, c.stored_bytes), raw, zstd, columns, w);
            records += c.records;
            last_trial = c.last_trial;
            at += kChunkHeaderBytes + c.stored_bytes;
        }
    } catch (...) {
        ZSTD_freeDCtx(zstd);
        throw;
    }
    ZSTD_freeDCtx(zstd);
    return records;
}

} // namespace dira::store
