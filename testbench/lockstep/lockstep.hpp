// Lockstep: the Verilated RTL station (StationBoard) and the HLS golden model (StationModel, plus
// the HLS framer) run on the same pins, cycle by cycle. Whatever depends on the USB side comes
// from the RTL's observation ports into the model: whether the record FIFO can take a record, the
// register command that executes, and the framer's room in the outgoing FIFO.
//
// Checked, and reported as LockstepMismatch with the cycle and both values:
//  - every cycle: the setting pins, record_ready and frame_sent (RTL against the HLS framer), the
//    executed command (against what the host sent, in order);
//  - every byte the FT601 passes to the host, against the HLS framer's words;
//  - every frame, decoded by the host's FrameDecoder (host/stream): no fault allowed; every record
//    and register reply against the model's, in order; reserved record bits zero; test-pattern
//    words continuing across frames; extractor frames of one z word each.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "board/station_board.hpp"
#include "station/framer.hpp"
#include "station/station_model.hpp"

namespace dira::stream {
class FrameDecoder;
}

namespace dira::testbench {

struct LockstepMismatch : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct LockstepConfig {
    StationBoardConfig board;
    std::uint32_t host_read_interval_cycles = 16; // how often the host empties the FT601
    bool tap_host_bytes = false; // keep a copy of every byte to the host for take_host_bytes()
};

struct LockstepStats {
    std::uint64_t cycles = 0;
    std::uint64_t records = 0;          // records decoded from the RTL's frames
    std::uint64_t records_dropped = 0;  // records the model dropped (record FIFO full)
    std::uint64_t replies = 0;
    std::uint64_t record_frames = 0;
    std::uint64_t reply_frames = 0;
    std::uint64_t test_pattern_frames = 0;
    std::uint64_t extractor_frames = 0;
    std::uint64_t bytes = 0;            // bytes compared
};

class Lockstep {
public:
    explicit Lockstep(const LockstepConfig& config = {});
    ~Lockstep();

    // One station clock cycle with these pins on both sides.
    void step(const hls_station::StationPins& pins);
    // Queue a register command toward the board (it executes when the RTL gets to it).
    void send_command(RegisterOpcode op, std::uint16_t address, std::uint32_t value = 0);
    // The same with any word 0 (also malformed ones).
    void send_raw_command(std::uint32_t word0, std::uint32_t value);
    void write_register(Reg r, std::uint32_t value) { send_command(RegisterOpcode::write, address(r), value); }

    // Nothing in flight: every command executed, every record, reply, z word and frame through and
    // compared (a block the extractor is still collecting is not in flight).
    bool idle() const;
    // Steps with quiet pins until idle(); throws LockstepMismatch if that takes longer than max_cycles.
    void drain(std::uint64_t max_cycles = 100'000);
    // Reads a register through a command and returns the RTL's reply value (compared, as always).
    std::uint32_t read_register(std::uint16_t address);
    // Sends any command, drains, and returns the RTL's reply (compared, as always).
    hls_station::RegisterReply execute(std::uint32_t word0, std::uint32_t value = 0);
    // Reads a 64-bit counter (LO, then HI) through commands.
    std::uint64_t read_counter(Reg lo);
    // Reads every register of kRegisterTable and every counter through commands; each reply is
    // compared with the model's.
    void check_all_registers();

    // Presets a counter on both sides (StationBoard::preset_counter); the station must be idle().
    void preset_counter(Reg lo, std::uint64_t value);

    StationBoard& board() { return *board_; }
    const hls_station::StationModel& model() const { return model_; }
    // The records decoded from the RTL's frames, in order.
    const std::vector<TrialRecord>& records() const { return records_; }
    // The extractor's z words decoded from the RTL's frames (stream `extractor`), in order; their
    // bytes were compared with the HLS model's like every other frame's.
    const std::vector<std::uint32_t>& z_words() const { return z_words_; }
    // With LockstepConfig::tap_host_bytes: the bytes to the host since the last call (already
    // compared), so that a host-side reader (transport::Station) sees exactly what the RTL sent.
    std::vector<std::uint8_t> take_host_bytes() { return std::exchange(tapped_, {}); }
    const LockstepStats& stats() const { return stats_; }
    std::uint64_t cycle() const { return stats_.cycles; }

private:
    class Sink;
    friend class Sink;
    [[noreturn]] void mismatch(const std::string& what) const;
    void expect(const char* what, std::uint64_t rtl, std::uint64_t hls) const;
    void collect_host_bytes();
    void on_record(const TrialRecord& r, std::uint32_t raw_bits_word);
    void on_reply(const hls_station::RegisterReply& r);
    void on_test_word(std::uint32_t w);

    LockstepConfig config_;
    std::unique_ptr<StationBoard> board_;
    hls_station::StationModel model_;
    hls_station::FramerState framer_;
    std::unique_ptr<Sink> sink_;
    std::unique_ptr<stream::FrameDecoder> decoder_;
    std::deque<hls_station::RegisterCommand> commands_sent_;
    std::deque<std::uint8_t> bytes_expected_;
    std::deque<TrialRecord> records_expected_;
    std::deque<hls_station::RegisterReply> replies_expected_;
    std::vector<TrialRecord> records_;
    std::vector<std::uint32_t> z_words_;
    std::vector<std::uint8_t> tapped_;
    hls_station::RegisterReply last_reply_;
    std::uint32_t next_test_word_ = 0;
    std::vector<std::uint8_t> read_buffer_;
    LockstepStats stats_;
};

} // namespace dira::testbench
