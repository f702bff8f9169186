#include "store/record_codec.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>

#include "core/byte_order.hpp"
#include "core/error.hpp"

namespace dira::store {
namespace {

constexpr unsigned kColumns = 5;
enum Column : unsigned { kTrial, kTrigger, kSetting, kOutcome, kFlags };
constexpr bool kOptional[kColumns] = {false, false, true, true, false};
// Bits an exception costs beside the packed array: u32 position + u64 value.
constexpr std::uint64_t kExceptionBits = 96;
// A chunk never holds more records than this (the writer's limit is far below): bounds the memory
// a decoder allocates for a hostile input.
constexpr std::uint64_t kMaxRecordsPerEncoding = 1u << 26;

std::uint64_t zigzag(std::uint64_t residual) {
    const auto s = static_cast<std::int64_t>(residual);
    return (static_cast<std::uint64_t>(s) << 1) ^ static_cast<std::uint64_t>(s >> 63);
}
std::uint64_t unzigzag(std::uint64_t code) { return (code >> 1) ^ (0 - (code & 1)); }

// --- little-endian byte input (output: append_le, core/byte_order.hpp) --------------------------
class Cursor {
public:
    explicit Cursor(std::span<const std::uint8_t> b) : bytes_(b) {}
    template <typename T> T get() { return load_le<T>(take(sizeof(T)).data()); }
    std::span<const std::uint8_t> take(std::size_t n) {
        if (n > bytes_.size() - at_)
            throw Error(ErrorKind::format, "record chunk ends early: needs " + std::to_string(n) + " bytes at offset " +
                                               std::to_string(at_) + ", has " + std::to_string(bytes_.size() - at_));
        auto s = bytes_.subspan(at_, n);
        at_ += n;
        return s;
    }
    std::size_t left() const { return bytes_.size() - at_; }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
};

// --- encoding ---------------------------------------------------------------------------------
struct ColumnInput {
    std::vector<std::uint64_t> residual; // value minus prediction (wrapping)
    std::vector<std::uint8_t> present;   // optional columns: 0 = the field is 0 (absent)
};

// The field itself, which an exception stores.
std::uint64_t raw_field(const TrialRecord& r, unsigned column) {
    switch (column) {
    case kTrial: return r.trial_index;
    case kTrigger: return r.t_trigger_cycles;
    case kSetting: return r.t_setting_cycles;
    case kOutcome: return r.t_outcome_cycles;
    default: return r.flags;
    }
}

// The base a column's codes are taken from: the median residual of (a sample of) the chunk. Any
// base decodes correctly; the median makes the common values cost the fewest bits. A strided
// sample of at most kMedianSample values keeps this cheap (the store must keep up with the link).
constexpr std::size_t kMedianSample = 1024;

std::uint64_t median_residual(const ColumnInput& c, bool optional) {
    std::vector<std::int64_t> v;
    const std::size_t n = c.residual.size();
    const std::size_t stride = n > kMedianSample ? n / kMedianSample : 1;
    v.reserve(kMedianSample + 1);
    for (std::size_t i = 0; i < n; i += stride)
        if (!optional || c.present[i]) v.push_back(static_cast<std::int64_t>(c.residual[i]));
    if (v.empty())
        for (std::size_t i = 0; i < n && v.empty(); ++i)
            if (!optional || c.present[i]) v.push_back(static_cast<std::int64_t>(c.residual[i]));
    if (v.empty()) return 0;
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return static_cast<std::uint64_t>(*mid);
}

// UINT64_MAX marks a value that can only be an exception.
constexpr std::uint64_t kForcedException = ~std::uint64_t{0};

unsigned code_bits(std::uint64_t code) { return code == kForcedException ? 65u : 64u - std::countl_zero(code); }

unsigned best_width(const std::array<std::uint64_t, 66>& histogram, std::uint64_t n) {
    unsigned best = 0;
    std::uint64_t best_cost = ~std::uint64_t{0};
    std::uint64_t wider = n; // codes that do not fit width w
    for (unsigned w = 0; w <= kMaxPackedWidthBits; ++w) {
        wider -= histogram[w];
        const std::uint64_t cost = n * w + wider * kExceptionBits;
        if (cost < best_cost) best_cost = cost, best = w;
    }
    return best;
}

void encode_column(const ColumnInput& c, unsigned column, std::span<const TrialRecord> records, std::vector<std::uint8_t>& out) {
    const bool optional = kOptional[column];
    const std::size_t n = c.residual.size();
    const std::uint64_t base = median_residual(c, optional);
    // Codes and their bit-length histogram in one pass; the buffers live as long as the thread, so
    // a chunk allocates (and zero-fills) nothing.
    thread_local std::vector<std::uint64_t> codes;
    thread_local std::vector<std::uint32_t> exceptions;
    codes.resize(n);
    std::array<std::uint64_t, 66> histogram{};
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t code = 0;
        if (!optional || c.present[i]) {
            const std::uint64_t z = zigzag(c.residual[i] - base);
            code = !optional ? z : (z == kForcedException ? kForcedException : z + 1);
        }
        codes[i] = code;
        ++histogram[code_bits(code)];
    }
    const unsigned width = best_width(histogram, n);

    append_le<std::uint8_t>(out, static_cast<std::uint8_t>(width));
    append_le<std::uint64_t>(out, base);
    const std::size_t count_at = out.size();
    append_le<std::uint32_t>(out, 0); // exception count, filled in below
    const std::size_t packed_bytes = (n * width + 7) / 8;
    const std::size_t at = out.size();
    out.resize(at + packed_bytes + 8); // 8 spare bytes for the last word store, removed below
    // Pack with a 64-bit accumulator; a code too wide for the column is an exception (slot 0).
    exceptions.clear();
    std::uint8_t* dst = out.data() + at;
    std::uint64_t acc = 0;
    unsigned filled = 0;
    const std::uint64_t limit = width == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t v = codes[i];
        if (v >= limit) {
            exceptions.push_back(static_cast<std::uint32_t>(i));
            v = 0;
        }
        if (width == 0) continue;
        acc |= v << filled;
        filled += width;
        if (filled >= 64) {
            store_le<std::uint64_t>(dst, acc);
            dst += 8;
            filled -= 64;
            acc = filled == 0 ? 0 : v >> (width - filled);
        }
    }
    store_le<std::uint64_t>(dst, acc); // the partial last word (within the spare bytes)
    out.resize(at + packed_bytes);
    const auto count = static_cast<std::uint32_t>(exceptions.size());
    store_le<std::uint32_t>(out.data() + count_at, count);
    for (auto i : exceptions) {
        append_le<std::uint32_t>(out, i);
        append_le<std::uint64_t>(out, raw_field(records[i], column));
    }
}

void put_bitmap(std::span<const TrialRecord> records, bool outcome, std::vector<std::uint8_t>& out) {
    const std::size_t n = records.size();
    const std::size_t at = out.size();
    out.resize(at + (n + 7) / 8);
    for (std::size_t byte = 0; byte * 8 < n; ++byte) { // eight records per output byte
        std::uint8_t v = 0;
        const std::size_t end = std::min(n, byte * 8 + 8);
        for (std::size_t i = byte * 8; i < end; ++i)
            v = static_cast<std::uint8_t>(v | (((outcome ? records[i].outcome : records[i].setting) & 1u) << (i % 8)));
        out[at + byte] = v;
    }
}

// --- decoding ---------------------------------------------------------------------------------
struct DecodedColumn {
    unsigned width = 0;
    std::uint64_t base = 0;
    std::span<const std::uint8_t> packed;
    std::span<const std::uint8_t> exceptions; // exception_count x 12 bytes
};

DecodedColumn read_column(Cursor& in, std::size_t n) {
    DecodedColumn c;
    c.width = in.get<std::uint8_t>();
    if (c.width > kMaxPackedWidthBits)
        throw Error(ErrorKind::format, "record chunk column packed " + std::to_string(c.width) + " bits wide (at most " +
                                           std::to_string(kMaxPackedWidthBits) + ")");
    c.base = in.get<std::uint64_t>();
    const std::uint32_t exception_count = in.get<std::uint32_t>();
    if (exception_count > n)
        throw Error(ErrorKind::format, "record chunk column lists " + std::to_string(exception_count) +
                                           " exceptions for " + std::to_string(n) + " records");
    c.packed = in.take((n * c.width + 7) / 8);
    c.exceptions = in.take(std::size_t{12} * exception_count);
    return c;
}

// Reads the packed codes of a column in place (the packed bytes are copied once into a buffer
// with 8 spare bytes, so every code is one unaligned 64-bit load).
class PackedCodes {
public:
    PackedCodes(const DecodedColumn& c, std::vector<std::uint8_t>& scratch) : width_(c.width) {
        mask_ = width_ == 0 ? 0 : (std::uint64_t{1} << width_) - 1;
        scratch.assign(c.packed.size() + 8, 0);
        if (!c.packed.empty()) std::memcpy(scratch.data(), c.packed.data(), c.packed.size());
        p_ = scratch.data();
    }
    std::uint64_t operator[](std::size_t i) const {
        if (width_ == 0) return 0;
        const std::size_t bit = i * width_;
        const auto word = load_le<std::uint64_t>(p_ + bit / 8);
        return (word >> (bit % 8)) & mask_;
    }

private:
    unsigned width_;
    std::uint64_t mask_ = 0;
    const std::uint8_t* p_ = nullptr;
};

// Walks a column's exception list in position order, checking it as it goes.
class Exceptions {
public:
    explicit Exceptions(std::span<const std::uint8_t> b) : bytes_(b) { load(); }
    bool at(std::size_t i) const { return has_ && position_ == i; }
    bool pending() const { return has_; }
    std::size_t position() const { return position_; }
    std::uint64_t take() {
        const std::uint64_t v = value_;
        const std::uint32_t previous = position_;
        bytes_ = bytes_.subspan(12);
        load();
        if (has_ && position_ <= previous)
            throw Error(ErrorKind::format, "record chunk exceptions out of order (position " + std::to_string(position_) +
                                               " after " + std::to_string(previous) + ")");
        return v;
    }
    void expect_consumed(std::size_t n) const {
        if (has_)
            throw Error(ErrorKind::format, "record chunk exception at position " + std::to_string(position_) +
                                               " beyond the " + std::to_string(n) + " records");
    }

private:
    void load() {
        has_ = bytes_.size() >= 12;
        if (!has_) return;
        position_ = load_le<std::uint32_t>(bytes_.data());
        value_ = load_le<std::uint64_t>(bytes_.data() + 4);
    }
    std::span<const std::uint8_t> bytes_;
    bool has_ = false;
    std::uint32_t position_ = 0;
    std::uint64_t value_ = 0;
};

} // namespace

TrialRecord RecordColumns::record(std::size_t i) const {
    TrialRecord r;
    r.trial_index = trial_index[i];
    r.t_trigger_cycles = t_trigger_cycles[i];
    r.t_setting_cycles = t_setting_cycles[i];
    r.t_outcome_cycles = t_outcome_cycles[i];
    r.setting = setting(i);
    r.outcome = outcome(i);
    r.flags = flags[i];
    return r;
}

void RecordColumns::clear() {
    trial_index.clear();
    t_trigger_cycles.clear();
    t_setting_cycles.clear();
    t_outcome_cycles.clear();
    flags.clear();
    setting_bits.clear();
    outcome_bits.clear();
}

void encode_records(std::span<const TrialRecord> records, std::vector<std::uint8_t>& out) {
    const std::size_t n = records.size();
    if (n == 0 || n > kMaxRecordsPerEncoding)
        throw Error(ErrorKind::internal, "encode_records: " + std::to_string(n) + " records in one chunk (1 to " +
                                             std::to_string(kMaxRecordsPerEncoding) + " allowed)");
    thread_local std::array<ColumnInput, kColumns> col; // reused: a chunk allocates nothing
    for (unsigned k = 0; k < kColumns; ++k) {
        col[k].residual.resize(n);
        if (kOptional[k]) col[k].present.resize(n);
    }
    std::uint64_t prev_trial = records[0].trial_index - 1;
    std::uint64_t prev_trigger = records[0].t_trigger_cycles;
    for (std::size_t i = 0; i < n; ++i) {
        const TrialRecord& r = records[i];
        if (i > 0 && r.trial_index <= prev_trial)
            throw Error(ErrorKind::internal, "encode_records: trial " + std::to_string(r.trial_index) + " after trial " +
                                                 std::to_string(prev_trial) + " (indices must increase)");
        col[kTrial].residual[i] = r.trial_index - prev_trial - 1;
        col[kTrigger].residual[i] = r.t_trigger_cycles - prev_trigger;
        col[kSetting].residual[i] = r.t_setting_cycles - r.t_trigger_cycles;
        col[kSetting].present[i] = r.t_setting_cycles != 0;
        col[kOutcome].residual[i] = r.t_outcome_cycles - r.t_trigger_cycles;
        col[kOutcome].present[i] = r.t_outcome_cycles != 0;
        col[kFlags].residual[i] = r.flags;
        prev_trial = r.trial_index;
        prev_trigger = r.t_trigger_cycles;
    }
    append_le<std::uint32_t>(out, static_cast<std::uint32_t>(n));
    append_le<std::uint64_t>(out, records[0].trial_index);
    append_le<std::uint64_t>(out, records[0].t_trigger_cycles);
    for (unsigned k = 0; k < kColumns; ++k) encode_column(col[k], k, records, out);
    put_bitmap(records, false, out);
    put_bitmap(records, true, out);
}

void decode_records(std::span<const std::uint8_t> encoded, RecordColumns& out) {
    Cursor in(encoded);
    const std::uint32_t n = in.get<std::uint32_t>();
    if (n == 0 || n > kMaxRecordsPerEncoding || n > 4 * encoded.size())
        throw Error(ErrorKind::format, "record chunk claims " + std::to_string(n) + " records in " +
                                           std::to_string(encoded.size()) + " bytes");
    const std::uint64_t first_trial = in.get<std::uint64_t>();
    const std::uint64_t first_trigger = in.get<std::uint64_t>();
    std::array<DecodedColumn, kColumns> col;
    for (auto& c : col) c = read_column(in, n);
    const std::size_t bitmap_bytes = (std::size_t{n} + 7) / 8;
    const auto settings = in.take(bitmap_bytes);
    const auto outcomes = in.take(bitmap_bytes);
    if (in.left() != 0)
        throw Error(ErrorKind::format, "record chunk has " + std::to_string(in.left()) + " bytes after its last column");

    std::vector<std::uint8_t> scratch;
    // trial: previous + 1 + residual, strictly increasing
    out.trial_index.resize(n);
    {
        const PackedCodes codes(col[kTrial], scratch);
        Exceptions ex(col[kTrial].exceptions);
        const std::uint64_t step = 1 + col[kTrial].base;
        std::uint64_t prev = first_trial - 1;
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t t = ex.at(i) ? ex.take() : prev + step + unzigzag(codes[i]);
            if (i > 0 && t <= prev)
                throw Error(ErrorKind::format, "record chunk trial indices do not increase (record " + std::to_string(i) + ")");
            out.trial_index[i] = prev = t;
        }
        ex.expect_consumed(n);
    }
    // trigger: previous + delta
    out.t_trigger_cycles.resize(n);
    {
        const PackedCodes codes(col[kTrigger], scratch);
        Exceptions ex(col[kTrigger].exceptions);
        const std::uint64_t base = col[kTrigger].base;
        std::uint64_t prev = first_trigger;
        std::uint64_t* dst = out.t_trigger_cycles.data();
        // Runs between exceptions need no per-record check; an exception restarts the running sum.
        for (std::size_t i = 0; i < n;) {
            const std::size_t run_end = ex.pending() ? std::min<std::size_t>(ex.position(), n) : n;
            for (; i < run_end; ++i) dst[i] = prev = prev + base + unzigzag(codes[i]);
            if (i < n) dst[i++] = prev = ex.take();
        }
        ex.expect_consumed(n);
    }
    // setting and outcome times: 0, or t_trigger + offset
    auto decode_optional = [&](const DecodedColumn& c, std::vector<std::uint64_t>& field) {
        field.resize(n);
        Exceptions ex(c.exceptions);
        if (c.width == 0) { // every code 0 ("none") but the exceptions: no per-record work
            std::fill(field.begin(), field.end(), 0);
            while (ex.pending() && ex.position() < n) {
                const std::size_t i = ex.position();
                field[i] = ex.take();
            }
            ex.expect_consumed(n);
            return;
        }
        // Exception slots are packed as 0, so the loop needs no check for them: it writes 0 there
        // and the exceptions are patched in afterwards. Branch-free: "absent" is code 0.
        const PackedCodes codes(c, scratch);
        const std::uint64_t* trigger = out.t_trigger_cycles.data();
        std::uint64_t* dst = field.data();
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t code = codes[i];
            const std::uint64_t present = 0 - static_cast<std::uint64_t>(code != 0);
            dst[i] = present & (trigger[i] + unzigzag(code - 1) + c.base);
        }
        while (ex.pending() && ex.position() < n) {
            const std::size_t i = ex.position();
            field[i] = ex.take();
        }
        ex.expect_consumed(n);
    };
    decode_optional(col[kSetting], out.t_setting_cycles);
    decode_optional(col[kOutcome], out.t_outcome_cycles);
    // flags
    out.flags.resize(n);
    if (col[kFlags].width == 0) { // one value (the base) but the exceptions
        if (col[kFlags].base > 0xFFFF)
            throw Error(ErrorKind::format, "record chunk flags value " + std::to_string(col[kFlags].base) + " above 16 bits");
        std::fill(out.flags.begin(), out.flags.end(), static_cast<std::uint16_t>(col[kFlags].base));
        Exceptions ex(col[kFlags].exceptions);
        while (ex.pending()) {
            const std::size_t i = ex.position();
            if (i >= n) break;
            const std::uint64_t v = ex.take();
            if (v > 0xFFFF) throw Error(ErrorKind::format, "record chunk flags value " + std::to_string(v) + " above 16 bits");
            out.flags[i] = static_cast<std::uint16_t>(v);
        }
        ex.expect_consumed(n);
    } else {
        const PackedCodes codes(col[kFlags], scratch);
        Exceptions ex(col[kFlags].exceptions);
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t v = ex.at(i) ? ex.take() : unzigzag(codes[i]) + col[kFlags].base;
            if (v > 0xFFFF) throw Error(ErrorKind::format, "record chunk flags value " + std::to_string(v) + " above 16 bits");
            out.flags[i] = static_cast<std::uint16_t>(v);
        }
        ex.expect_consumed(n);
    }
    out.setting_bits.assign(settings.begin(), settings.end());
    out.outcome_bits.assign(outcomes.begin(), outcomes.end());
}

} // namespace dira::store
