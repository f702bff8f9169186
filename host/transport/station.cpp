#include "transport/station.hpp"

#include "transport/extract_kernel.hpp"

#include <sstream>

#include "core/error.hpp"
#include "dira/version.hpp"

namespace dira::transport {
namespace {

constexpr std::size_t kReadChunkBytes = 1 << 16;

std::string hex(std::uint32_t v) {
    std::ostringstream s;
    s << "0x" << std::hex << v;
    return s.str();
}

const char* register_name(std::uint16_t address) {
    for (const auto& r : kRegisterTable)
        if (r.address == address) return r.name;
    for (const auto& c : kCounterTable)
        if (c.address_lo == address || c.address_lo + 1 == address) return c.name;
    return "unknown register";
}

} // namespace

std::string Identity::firmware_version_string() const {
    return std::to_string(firmware_version >> 16) + "." + std::to_string((firmware_version >> 8) & 0xFF) + "." +
           std::to_string(firmware_version & 0xFF);
}

std::uint64_t Counters::get(const std::string& name) const {
    for (const auto& [n, v] : values)
        if (n == name) return v;
    throw Error(ErrorKind::invalid_argument, "no counter named '" + name + "'");
}

// Routes each validated frame by its stream id.
class Station::Dispatcher : public stream::FrameSink {
public:
    explicit Dispatcher(Station& s) : s_(s) {}
    void on_frame(const stream::Frame& f) override {
        ++s_.health_.frames;
        switch (static_cast<StreamId>(f.header.stream_id)) {
        case StreamId::records: s_.records_->on_frame(f); break;
        case StreamId::register_reply:
            for (std::size_t i = 0; i + 1 < f.header.payload_words; i += 2)
                s_.replies_.push_back({f.word(i), f.word(i + 1), {s_.health_.frames, s_.health_.frames_missing}});
            break;
        case StreamId::extractor:
            for (std::size_t i = 0; i < f.header.payload_words; ++i) s_.extractor_words_.push_back(f.word(i));
            break;
        default: break; // the test pattern is consumed by its own tool
        }
    }
    void on_fault(const stream::FaultReport& r) override {
        if (r.kind == stream::FrameFault::sequence_gap) s_.health_.frames_missing += r.missing_frames;
        s_.health_.frame_faults.push_back(r);
    }

private:
    Station& s_;
};

Station::Station(std::unique_ptr<Transport> transport, std::chrono::milliseconds register_timeout)
    : transport_(std::move(transport)), register_timeout_(register_timeout),
      dispatcher_(std::make_unique<Dispatcher>(*this)),
      decoder_(std::make_unique<stream::FrameDecoder>(*dispatcher_)), read_buffer_(kReadChunkBytes) {
    reset_record_stream(0);
}

Station::~Station() = default;

void Station::reset_record_stream(std::uint64_t first_trial) {
    records_ = std::make_unique<stream::RecordStream>(
        [this](const TrialRecord& r) {
            if (record_sink_) record_sink_(r);
        },
        [this](const stream::RecordFaultReport& f) { health_.record_faults.push_back(f); }, first_trial);
}

std::size_t Station::poll(std::chrono::milliseconds timeout) {
    const std::size_t n = transport_->read(read_buffer_, timeout);
    health_.bytes += n;
    decoder_->feed(std::span(read_buffer_).first(n));
    return n;
}

std::uint32_t Station::transact(RegisterOpcode op, Reg reg, std::uint32_t value) {
    const std::uint32_t word0 = pack_register_command(op, address(reg));
    const std::uint32_t command[kRegisterCommandWords] = {word0, value};
    std::vector<std::uint8_t> bytes;
    stream::append_words(bytes, command);
    transport_->write(bytes);

    const auto deadline = std::chrono::steady_clock::now() + register_timeout_;
    for (;;) {
        while (!replies_.empty()) {
            const auto [addr, val, mark] = replies_.front();
            replies_.pop_front();
            if (addr == kRegisterErrorAddress && val == word0)
                throw Error(ErrorKind::device, std::string("the board refused the register command on ") +
                                                   register_name(address(reg)) + " (" + hex(word0) +
                                                   "): unknown register or not writable");
            if (addr == address(reg)) {
                last_reply_mark_ = mark;
                return val;
            }
            // Otherwise a stale reply to an earlier command that timed out: skip it.
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            throw Error(ErrorKind::timeout, std::string("no reply from ") + device().id + " to a register " +
                                                (op == RegisterOpcode::read ? "read" : "write") + " of " +
                                                register_name(address(reg)) + " within " +
                                                std::to_string(register_timeout_.count()) +
                                                " ms: is the board powered and running dira firmware?");
        poll(std::max(left, std::chrono::milliseconds(1)));
    }
}

std::uint32_t Station::read_register(Reg reg) { return transact(RegisterOpcode::read, reg, 0); }

void Station::write_register(Reg reg, std::uint32_t value) { transact(RegisterOpcode::write, reg, value); }

std::uint64_t Station::read_counter(Reg lo, FrameMark* mark_at_lo) {
    const std::uint64_t low = read_register(lo);
    if (mark_at_lo) *mark_at_lo = last_reply_mark_;
    const std::uint64_t high = read_register(static_cast<Reg>(address(lo) + 1));
    return low | (high << 32);
}

Counters Station::read_counters() {
    Counters c;
    for (const auto& info : kCounterTable) {
        const auto lo = static_cast<Reg>(info.address_lo);
        c.values.emplace_back(info.name, read_counter(lo, lo == Reg::FRAMES_SENT_LO ? &c.frames_sent_mark : nullptr));
    }
    return c;
}

Identity Station::identify() {
    const std::uint32_t magic = read_register(Reg::ID_MAGIC);
    if (magic != kSyncWord)
        throw Error(ErrorKind::device, device().id + " answers, but not as a dira station (ID_MAGIC reads " + hex(magic) +
                                           ", expected " + hex(kSyncWord) + ")");
    Identity id;
    id.firmware_version = read_register(Reg::FW_VERSION);
    id.api_level = read_register(Reg::API_LEVEL);
    id.clock_hz = read_register(Reg::CLOCK_HZ);
    id.station_id = read_register(Reg::STATION_ID);
    id.basis_latency_cycles = read_register(Reg::BASIS_LATENCY_CYCLES);
    if (id.api_level != kApiLevel) {
        const bool firmware_newer = id.api_level > kApiLevel;
        throw Error(ErrorKind::version_mismatch,
                    device().id + " runs firmware " + id.firmware_version_string() + " with API level " +
                        std::to_string(id.api_level) + ", this host speaks API level " + std::to_string(kApiLevel) +
                        (firmware_newer ? ": update the host (dira)" : ": update the firmware on the board"));
    }
    return id;
}


ExtractorStatus ExtractorStatus::decode(std::uint32_t word) {
    ExtractorStatus st;
    st.code = (word & kExtractCodeMask) >> kExtractCodeShift;
    st.present = word != kExtractStatusAbsent;
    st.busy = (word & kExtractStatusBusy) != 0;
    st.done = (word & kExtractStatusDone) != 0;
    st.start_refused = (word & kExtractStatusStartRefused) != 0;
    return st;
}

std::string describe_extractor_code(std::uint32_t code) {
    if (code == kExtractCodeAbsent) return "this firmware build has no extractor";
    return describe_kernel_status(code);
}

ExtractorStatus Station::read_extractor_status() { return ExtractorStatus::decode(read_register(Reg::EXTRACT_STATUS)); }

namespace {

// The host library's conditions, plus the station's RAM: refused before anything reaches the board.
void check_station_block(extract::Kind kind, std::uint32_t n_bits, std::uint32_t m_bits) {
    using namespace extract;
    const std::string what = std::string(to_string(kind)) + " block with n = " + std::to_string(n_bits) +
                             ", m = " + std::to_string(m_bits);
    if (kind != Kind::toeplitz && !is_usable_cyclic_length(n_bits))
        throw Error(ErrorKind::invalid_argument, "station extractor: " + what + ": n must be a prime with 2 a primitive root");
    if (m_bits == 0 || m_bits > max_output_bits(kind, n_bits))
        throw Error(ErrorKind::invalid_argument, "station extractor: " + what + ": m must be between 1 and " +
                                                     std::to_string(max_output_bits(kind, n_bits)));
    const std::uint64_t y_bits = required_y_bits(kind, n_bits, m_bits);
    if (y_bits > kStationExtractMaxBits || y_bits < kStationExtractWordBits)
        throw Error(ErrorKind::invalid_argument, "station extractor: " + what + ": y would be " + std::to_string(y_bits) +
                                                     " bits; the station holds " + std::to_string(kStationExtractWordBits) +
                                                     " to " + std::to_string(kStationExtractMaxBits));
    check_lengths(kind, required_x_bits(kind, n_bits), y_bits, m_bits);
}

} // namespace

void Station::start_extraction(extract::Kind kind, std::uint32_t n_bits, std::uint32_t m_bits) {
    check_station_block(kind, n_bits, m_bits);
    const ExtractorStatus before = read_extractor_status();
    if (!before.present)
        throw Error(ErrorKind::unsupported, device().id + ": " + describe_extractor_code(kExtractCodeAbsent) +
                                                " (EXTRACT_STATUS reads the absent code): extract on the host instead");
    if (before.busy) throw Error(ErrorKind::busy, device().id + ": the station's extractor is still busy with a block");
    write_register(Reg::EXTRACT_N_BITS, n_bits);
    write_register(Reg::EXTRACT_M_BITS, m_bits);
    write_register(Reg::EXTRACT_CONTROL, kExtractStart | (kernel_kind(kind) << kExtractKindShift));
    const ExtractorStatus after = read_extractor_status();
    if (after.code != kernel_interface::kOk)
        throw Error(ErrorKind::device, device().id + ": the station refused the extractor block: " +
                                           describe_extractor_code(after.code));
}

} // namespace dira::transport
