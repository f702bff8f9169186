// One station board seen from the host: register access, identification with a version handshake,
// and the stream of trial records with every fault accounted for. Runs over any Transport.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dira/register_map.hpp"
#include "extract/lengths.hpp"
#include "stream/frame_decoder.hpp"
#include "stream/record_stream.hpp"
#include "transport/transport.hpp"

namespace dira::transport {

struct Identity {
    std::uint32_t firmware_version = 0; // major<<16 | minor<<8 | patch
    std::uint32_t api_level = 0;
    std::uint32_t clock_hz = 0;
    std::uint32_t station_id = 0;
    std::uint32_t basis_latency_cycles = 0;

    std::string firmware_version_string() const;
};

// Where the host stood when a frame arrived: frames delivered so far (that one included), and frames
// it knew were lost (sequence gaps). Taken at a register reply, it says what the host had seen when
// the board executed that register command: the link is in order.
struct FrameMark {
    std::uint64_t frames = 0;
    std::uint64_t frames_missing = 0;
};

// EXTRACT_STATUS, decoded (docs/station.md, "Extractor").
struct ExtractorStatus {
    bool present = false;       // the build has the extractor (the iCE40 build has not)
    bool busy = false;
    bool done = false;          // the last block finished, or its START was refused
    bool start_refused = false; // a START came while busy
    std::uint32_t code = 0;     // kernel_interface::Status of the last START (0: it ran)

    static ExtractorStatus decode(std::uint32_t word);
};
// What an EXTRACT_STATUS code means, in words.
std::string describe_extractor_code(std::uint32_t code);

// Every 64-bit counter of the register map, by name (kCounterTable order).
struct Counters {
    std::vector<std::pair<std::string, std::uint64_t>> values;
    FrameMark frames_sent_mark; // at the reply to the FRAMES_SENT_LO read
    std::uint64_t get(const std::string& name) const; // throws dira::Error on an unknown name
};

// What went wrong on the link so far. A run with any lost span is never certified over that span.
struct LinkHealth {
    std::vector<stream::FaultReport> frame_faults;
    std::vector<stream::RecordFaultReport> record_faults;
    std::uint64_t frames = 0;         // frames delivered (valid, in sequence)
    std::uint64_t frames_missing = 0; // frames the decoder reported lost in sequence gaps
    std::uint64_t bytes = 0;
};

class Station {
public:
    using RecordSink = std::function<void(const TrialRecord&)>;

    explicit Station(std::unique_ptr<Transport> transport,
                     std::chrono::milliseconds register_timeout = std::chrono::milliseconds(1000));
    ~Station();
    Station(const Station&) = delete;
    Station& operator=(const Station&) = delete;

    const DeviceInfo& device() const { return transport_->info(); }
    Transport& transport() { return *transport_; }
    const Transport& transport() const { return *transport_; }

    // Reads the identification registers and checks that this host speaks the firmware's API level;
    // throws dira::Error(version_mismatch) saying which side to update.
    Identity identify();

    std::uint32_t read_register(Reg reg);
    // The mark of the frame that carried the last register reply (read or write).
    FrameMark last_reply_mark() const { return last_reply_mark_; }
    void write_register(Reg reg, std::uint32_t value);
    // Reads _LO then _HI (consistent while it runs); `mark_at_lo` gets the mark of _LO's reply.
    std::uint64_t read_counter(Reg lo, FrameMark* mark_at_lo = nullptr);
    Counters read_counters();

    // Where trial records go as they arrive (set before starting a run).
    void on_record(RecordSink sink) { record_sink_ = std::move(sink); }
    // Restarts trial-index checking at `first_trial` (after CONTROL.CLEAR).
    void reset_record_stream(std::uint64_t first_trial = 0);
    // End of the run: trials below `expected_trials` that never arrived are lost.
    void finish_record_stream(std::uint64_t expected_trials) { records_->finish(expected_trials); }

    // The station's extractor. start_extraction checks n and m as the host library does (n usable for
    // the kind, 1 <= m <= n, the inputs within the station's kStationExtractMaxBits), that the build
    // has an extractor and that it is idle, then sets EXTRACT_N_BITS, EXTRACT_M_BITS and writes
    // START; throws dira::Error (invalid_argument, unsupported, busy, device) saying why not. The
    // block's x and y are the station's next records' outcomes and superseded weak-source bits.
    ExtractorStatus read_extractor_status();
    void start_extraction(extract::Kind kind, std::uint32_t n_bits, std::uint32_t m_bits);
    // The z words received on stream `extractor`, in order: z bit i is bit i%32 of word i/32 (a block
    // of m bits is ceil(m/32) words, bits past m zero).
    const std::vector<std::uint32_t>& extractor_words() const { return extractor_words_; }
    void clear_extractor_words() { extractor_words_.clear(); }

    // Reads what the board sent within `timeout` and dispatches it; returns the bytes read.
    std::size_t poll(std::chrono::milliseconds timeout);

    const stream::RecordStream& records() const { return *records_; }
    const LinkHealth& health() const { return health_; }

private:
    class Dispatcher;
    std::uint32_t transact(RegisterOpcode op, Reg reg, std::uint32_t value);

    std::unique_ptr<Transport> transport_;
    std::chrono::milliseconds register_timeout_;
    std::unique_ptr<Dispatcher> dispatcher_;
    std::unique_ptr<stream::FrameDecoder> decoder_;
    std::unique_ptr<stream::RecordStream> records_;
    struct Reply {
        std::uint32_t address, value;
        FrameMark mark;
    };
    std::deque<Reply> replies_;
    std::vector<std::uint32_t> extractor_words_;
    FrameMark last_reply_mark_;
    RecordSink record_sink_;
    LinkHealth health_;
    std::vector<std::uint8_t> read_buffer_;
};

} // namespace dira::transport
