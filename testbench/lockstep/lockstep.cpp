#include "lockstep/lockstep.hpp"

#include <sstream>

#include "core/byte_order.hpp"
#include "stream/frame_decoder.hpp"

namespace dira::testbench {

using hls_station::RegisterCommand;
using hls_station::RegisterReply;

class Lockstep::Sink : public stream::FrameSink {
public:
    explicit Sink(Lockstep& owner) : owner_(owner) {}
    void on_frame(const stream::Frame& frame) override {
        const unsigned words = frame.header.payload_words;
        switch (static_cast<StreamId>(frame.header.stream_id)) {
        case StreamId::records: {
            if (words == 0 || words % kRecordWords != 0 || words > kRecordsPerFrame * kRecordWords)
                owner_.mismatch("a record frame of " + std::to_string(words) + " words");
            ++owner_.stats_.record_frames;
            std::uint32_t w[kRecordWords];
            for (unsigned r = 0; r < words / kRecordWords; ++r) {
                for (unsigned i = 0; i < kRecordWords; ++i) w[i] = frame.word(r * kRecordWords + i);
                owner_.on_record(unpack_record(w), w[kRecordWords - 1]);
            }
            break;
        }
        case StreamId::register_reply:
            if (words != kRegisterReplyWords) owner_.mismatch("a reply frame of " + std::to_string(words) + " words");
            ++owner_.stats_.reply_frames;
            owner_.on_reply(RegisterReply{frame.word(0), frame.word(1)});
            break;
        case StreamId::extractor:
            if (words != hls_station::kExtractZWords) owner_.mismatch("an extractor frame of " + std::to_string(words) + " words");
            ++owner_.stats_.extractor_frames;
            for (unsigned i = 0; i < words; ++i) owner_.z_words_.push_back(frame.word(i));
            break;
        case StreamId::test_pattern:
            if (words != kTestPatternWords) owner_.mismatch("a test-pattern frame of " + std::to_string(words) + " words");
            ++owner_.stats_.test_pattern_frames;
            for (unsigned i = 0; i < words; ++i) owner_.on_test_word(frame.word(i));
            break;
        default: owner_.mismatch("a frame of unknown stream " + std::to_string(frame.header.stream_id));
        }
    }
    void on_fault(const stream::FaultReport& fault) override { owner_.mismatch("frame decoder: " + fault.describe()); }

private:
    Lockstep& owner_;
};

Lockstep::Lockstep(const LockstepConfig& config)
    : config_(config),
      board_(std::make_unique<StationBoard>(config.board)),
      model_(hls_station::StationParams{config.board.clock_hz, config.board.station_id}),
      sink_(std::make_unique<Sink>(*this)),
      decoder_(std::make_unique<stream::FrameDecoder>(*sink_)),
      read_buffer_(64 * 1024) {
    if (config.host_read_interval_cycles == 0) throw std::invalid_argument("Lockstep: host_read_interval_cycles must be >= 1");
}

Lockstep::~Lockstep() = default;

void Lockstep::mismatch(const std::string& what) const {
    std::ostringstream s;
    s << "RTL/HLS lockstep mismatch in station cycle " << stats_.cycles << ": " << what;
    throw LockstepMismatch(s.str());
}

void Lockstep::expect(const char* what, std::uint64_t rtl, std::uint64_t hls) const {
    if (rtl != hls) mismatch(std::string(what) + ": RTL " + std::to_string(rtl) + ", HLS " + std::to_string(hls));
}

void Lockstep::send_command(RegisterOpcode op, std::uint16_t address_word, std::uint32_t value) {
    send_raw_command(pack_register_command(op, address_word), value);
}

void Lockstep::send_raw_command(std::uint32_t word0, std::uint32_t value) {
    const RegisterCommand cmd{word0, value};
    std::uint8_t bytes[4 * kRegisterCommandWords];
    store_le<std::uint32_t>(bytes, cmd.word0);
    store_le<std::uint32_t>(bytes + 4, cmd.value);
    if (board_->host_write(bytes, sizeof bytes) != sizeof bytes)
        throw std::runtime_error("Lockstep::send_command: the FT601's receive buffer is full");
    commands_sent_.push_back(cmd);
}

void Lockstep::step(const hls_station::StationPins& pins) {
    const hls_station::FramerControl control = model_.framer_control(); // the registers during this cycle
    const hls_station::ExtractorOut z = model_.extractor_output();
    board_->set_pins(pins);
    board_->tick();
    const CycleObservation& rtl = board_->last_cycle();

    const hls_station::FramerCycle frame = hls_station::framer_decide(framer_, rtl.frame_fifo_ready, control, z);
    expect("record FIFO ready", rtl.record_ready, frame.record_ready);
    expect("frame sent", rtl.frame_sent, frame.frame_sent);

    const RegisterCommand* command = nullptr;
    if (rtl.command_valid) {
        if (commands_sent_.empty()) mismatch("the RTL executed a command the host never sent");
        expect("executed command word 0", rtl.command.word0, commands_sent_.front().word0);
        expect("executed command value", rtl.command.value, commands_sent_.front().value);
        commands_sent_.pop_front();
        if (!frame.reply_ready) mismatch("a command executed while the reply FIFO was full");
        command = &rtl.command;
    }

    const hls_station::CycleResult hls = model_.step(pins, rtl.record_ready, command, rtl.frame_sent, frame.pop_z);
    expect("setting_out", rtl.setting_out, hls.setting_out);
    expect("setting_strobe", rtl.setting_strobe, hls.setting_strobe);

    hls_station::RecordWords words;
    if (hls.record_valid) {
        records_expected_.push_back(hls.record);
        words = hls_station::record_words(hls.record);
    }
    if (hls.record_dropped) ++stats_.records_dropped;
    if (hls.reply_valid) replies_expected_.push_back(hls.reply);
    hls_station::framer_advance(framer_, frame, hls.record_valid ? &words : nullptr, hls.reply_valid ? &hls.reply : nullptr);
    if (frame.word_valid)
        for (unsigned i = 0; i < 4; ++i) bytes_expected_.push_back(static_cast<std::uint8_t>(frame.word >> (8 * i)));

    ++stats_.cycles;
    if (stats_.cycles % config_.host_read_interval_cycles == 0) collect_host_bytes();
}

void Lockstep::collect_host_bytes() {
    const std::size_t n = board_->host_read(read_buffer_.data(), read_buffer_.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (bytes_expected_.empty()) mismatch("the RTL sent byte " + std::to_string(stats_.bytes) + " the HLS framer did not");
        if (read_buffer_[i] != bytes_expected_.front())
            mismatch("byte " + std::to_string(stats_.bytes) + " to the host: RTL " + std::to_string(read_buffer_[i]) +
                     ", HLS framer " + std::to_string(bytes_expected_.front()));
        bytes_expected_.pop_front();
        ++stats_.bytes;
    }
    decoder_->feed(std::span<const std::uint8_t>(read_buffer_.data(), n));
    if (config_.tap_host_bytes) tapped_.insert(tapped_.end(), read_buffer_.begin(), read_buffer_.begin() + static_cast<std::ptrdiff_t>(n));
}

void Lockstep::on_record(const TrialRecord& r, std::uint32_t raw_bits_word) {
    if (raw_bits_word & kRecordReservedMask) mismatch("a record with reserved bits set: " + std::to_string(raw_bits_word));
    if (records_expected_.empty()) mismatch("a record arrived that the HLS model never committed");
    const TrialRecord& e = records_expected_.front();
    if (!(r == e)) {
        std::ostringstream s;
        s << "record: RTL {index " << r.trial_index << ", t " << r.t_trigger_cycles << "/" << r.t_setting_cycles << "/"
          << r.t_outcome_cycles << ", setting " << unsigned{r.setting} << ", outcome " << unsigned{r.outcome} << ", flags "
          << r.flags << "}, HLS {index " << e.trial_index << ", t " << e.t_trigger_cycles << "/" << e.t_setting_cycles
          << "/" << e.t_outcome_cycles << ", setting " << unsigned{e.setting} << ", outcome " << unsigned{e.outcome}
          << ", flags " << e.flags << "}";
        mismatch(s.str());
    }
    records_expected_.pop_front();
    records_.push_back(r);
    ++stats_.records;
}

void Lockstep::on_reply(const RegisterReply& r) {
    if (replies_expected_.empty()) mismatch("a register reply arrived that the HLS model never gave");
    expect("reply address", r.address, replies_expected_.front().address);
    expect("reply value", r.value, replies_expected_.front().value);
    replies_expected_.pop_front();
    last_reply_ = r;
    ++stats_.replies;
}

void Lockstep::on_test_word(std::uint32_t w) {
    expect("test-pattern word", w, next_test_word_);
    ++next_test_word_;
}

bool Lockstep::idle() const {
    return commands_sent_.empty() && bytes_expected_.empty() && records_expected_.empty() && replies_expected_.empty() &&
           framer_.sending == hls_station::FrameKind::none && framer_.record_count == 0 && framer_.reply_count == 0 &&
           !model_.extractor_output().z_valid;
}

void Lockstep::drain(std::uint64_t max_cycles) {
    for (std::uint64_t i = 0; !idle(); ++i) {
        if (i == max_cycles) mismatch("still busy after draining for " + std::to_string(max_cycles) + " cycles");
        step(hls_station::StationPins{});
        if (!bytes_expected_.empty()) collect_host_bytes();
    }
}

RegisterReply Lockstep::execute(std::uint32_t word0, std::uint32_t value) {
    const std::uint64_t replies_before = stats_.replies;
    send_raw_command(word0, value);
    drain();
    if (stats_.replies != replies_before + 1) mismatch("a command was not answered exactly once");
    return last_reply_;
}

std::uint32_t Lockstep::read_register(std::uint16_t address_word) {
    send_command(RegisterOpcode::read, address_word);
    drain();
    if (last_reply_.address != address_word)
        mismatch("reading register " + std::to_string(address_word) + " was answered for address " +
                 std::to_string(last_reply_.address));
    return last_reply_.value;
}

std::uint64_t Lockstep::read_counter(Reg lo) {
    const std::uint64_t low = read_register(address(lo));
    const std::uint64_t high = read_register(static_cast<std::uint16_t>(address(lo) + 1));
    return (high << 32) | low;
}

void Lockstep::preset_counter(Reg lo, std::uint64_t value) {
    if (!idle()) throw std::logic_error("Lockstep::preset_counter: the station is busy; drain() first");
    for (int i = 0; i < 4; ++i) step(hls_station::StationPins{}); // no pin edge left in the synchronisers
    const unsigned index = hls_station::counter_index(lo);
    board_->preset_counter(index, value);
    model_.preset_counter(static_cast<hls_station::CounterIndex>(index), value);
}

void Lockstep::check_all_registers() {
    // Each reply is compared with the model's answer in the cycle the command executed, so this
    // compares every register and counter of the two sides.
    for (const RegisterInfo& r : kRegisterTable) read_register(r.address);
    for (const CounterInfo& c : kCounterTable) read_counter(static_cast<Reg>(c.address_lo));
}

} // namespace dira::testbench
