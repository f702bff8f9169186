// C-simulation testbench of station_top for Vitis HLS (csim_design in run_hls.tcl), also built and
// run natively by ctest. One call of station_top is one station clock cycle: it sends two register
// commands and one trial, then checks the frames that come out word by word, CRC-32C included.
// Returns 0 when everything matches, 1 (with a message) otherwise.
#include <cstdio>
#include <vector>

#include "dira/crc32c.hpp"
#include "dira/register_map.hpp"
#include "station/station_tops.hpp"

using namespace dira;
using dira::hls_station::station_top;

namespace {

int failures = 0;

void expect(bool ok, const char* what) {
    if (!ok) {
        std::printf("csim_station_top: FAILED: %s\n", what);
        ++failures;
    }
}

// Checks the frame at words[at...] and returns its payload; `at` moves past it.
std::vector<std::uint32_t> take_frame(const std::vector<std::uint32_t>& words, std::size_t& at, StreamId stream,
                                      std::uint32_t sequence) {
    std::vector<std::uint32_t> payload;
    if (words.size() < at + kFrameHeaderWords + kFrameTrailerWords) {
        expect(false, "a frame is missing");
        return payload;
    }
    const FrameHeader h = unpack_header(words[at + 1], words[at + 2]);
    expect(words[at] == kSyncWord, "sync word");
    expect(h.version == kFormatVersion && h.stream_id == static_cast<std::uint8_t>(stream), "frame header");
    expect(h.sequence == sequence, "sequence number");
    const std::size_t end = at + kFrameHeaderWords + h.payload_words;
    if (words.size() <= end) {
        expect(false, "a frame is cut short");
        return payload;
    }
    std::uint32_t crc = kCrc32cInit;
    for (std::size_t i = at; i < end; ++i) crc = crc32c_update_word(crc, words[i]);
    expect(words[end] == (crc ^ kCrc32cFinalXor), "CRC-32C");
    payload.assign(words.begin() + static_cast<long>(at + kFrameHeaderWords), words.begin() + static_cast<long>(end));
    at = end + 1;
    return payload;
}

} // namespace

int main() {
    hls::stream<std::uint32_t> command_words("command_words"), frame_words("frame_words");
    const std::uint32_t commands[] = {pack_register_command(RegisterOpcode::read, address(Reg::ID_MAGIC)), 0,
                                      pack_register_command(RegisterOpcode::write, address(Reg::CONTROL)), kControlRun};
    for (std::uint32_t w : commands) command_words.write(w);

    constexpr int kTriggerCycle = 100, kReadoutCycle = 110, kCycles = 700;
    std::vector<int> strobes;
    std::vector<std::uint32_t> words;
    for (int cycle = 0; cycle < kCycles; ++cycle) {
        ap_uint<1> setting_out, setting_strobe;
        std::uint32_t status = 0;
        station_top(cycle == kTriggerCycle ? 1 : 0, 0, 0, cycle == kReadoutCycle ? 1 : 0, 1, setting_out,
                    setting_strobe, command_words, frame_words, status);
        if (setting_strobe[0]) strobes.push_back(cycle);
        std::uint32_t w;
        while (frame_words.read_nb(w)) words.push_back(w);
    }

    expect(strobes.size() == 1 && strobes[0] == kTriggerCycle + static_cast<int>(kBasisLatencyCycles),
           "one setting strobe, kBasisLatencyCycles after the trigger pin");
    std::size_t at = 0;
    expect(take_frame(words, at, StreamId::register_reply, 0) ==
               std::vector<std::uint32_t>{address(Reg::ID_MAGIC), kSyncWord},
           "the ID_MAGIC reply");
    expect(take_frame(words, at, StreamId::register_reply, 1) ==
               std::vector<std::uint32_t>{address(Reg::CONTROL), kControlRun},
           "the CONTROL reply");
    const std::vector<std::uint32_t> records = take_frame(words, at, StreamId::records, 0);
    expect(records.size() == kRecordWords, "one record, flushed");
    if (records.size() == kRecordWords) {
        const TrialRecord r = unpack_record(records.data());
        const std::uint64_t seen = kTriggerCycle + kSyncStages;
        expect(r.trial_index == 0 && r.t_trigger_cycles == seen && r.t_setting_cycles == seen + 1, "trial times");
        expect(r.t_outcome_cycles == kReadoutCycle + kSyncStages && r.outcome == 1 && r.flags == kFlag_WS_REUSED,
               "the outcome (no weak-source bit came: WS_REUSED)");
    }
    expect(at == words.size(), "no other frame");
    if (failures == 0) std::printf("csim_station_top: passed\n");
    return failures == 0 ? 0 : 1;
}
