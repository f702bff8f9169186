// The iCE40 board's station path without the board: station_ft2232h (station_core behind the 8-bit
// FT2232H bridge), Verilated, beside a model of the FT2232H in 245 synchronous FIFO mode, reached
// by the host's own Station class. Register commands, a long test-pattern stream through a chip
// that stalls, and trials with records must all cross the bridge intact.
#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>

#include "Vstation_ft2232h.h"
#include "core/error.hpp"
#include "dira/register_map.hpp"
#include "stream/frame_decoder.hpp"
#include "transport/station.hpp"
#include "verilated.h"

using namespace dira;

namespace {

// The FT2232H's channel A in 245 synchronous FIFO mode, seen from its pins (FT2232H datasheet):
// TXE# low while the chip can take a byte, a byte moves in at each CLKOUT rising edge with WR# and
// TXE# low; RXF# low while a byte waits, driven on the bus while OE# is low, a byte moves out at
// each rising edge with OE#, RD# and RXF# low. TXE# and RXF# change only after an edge. Misuse of
// the bus by the FPGA throws.
class Ft2232hChip {
public:
    static constexpr std::size_t kBufferBytes = 4096;

    bool txe_n() const { return txe_n_; }
    bool rxf_n() const { return rxf_n_; }
    // What the FPGA reads on the bus: its own byte, the chip's, or the pull-ups.
    std::uint8_t bus(bool fpga_drives, std::uint8_t fpga_byte, bool oe_n) const {
        if (fpga_drives) return fpga_byte;
        if (!oe_n && !to_fpga_.empty()) return to_fpga_.front();
        return 0xFF;
    }
    // The rising edge, judged with what the FPGA drove during the cycle before it.
    void edge(bool wr_n, bool rd_n, bool oe_n, bool data_oe, std::uint8_t data) {
        if (data_oe && !oe_n) throw std::logic_error("bus contention: the FPGA drives the bus while OE# is low");
        if (!rd_n && oe_n) throw std::logic_error("RD# low while OE# is high");
        if (!wr_n && !oe_n) throw std::logic_error("WR# low while the chip drives the bus");
        if (!wr_n && !txe_n_) to_host_.push_back(data);
        if (!oe_n && !rd_n && !rxf_n_) to_fpga_.pop_front();
        if (stall_cycles_ > 0) --stall_cycles_;
        txe_n_ = to_host_.size() >= kBufferBytes || stall_cycles_ > 0;
        rxf_n_ = to_fpga_.empty();
        ++edges_;
    }
    void stall(unsigned cycles) { stall_cycles_ = cycles; }
    std::deque<std::uint8_t>& to_host() { return to_host_; }
    void host_write(std::span<const std::uint8_t> bytes) { to_fpga_.insert(to_fpga_.end(), bytes.begin(), bytes.end()); }
    std::uint64_t edges() const { return edges_; }

private:
    std::deque<std::uint8_t> to_host_, to_fpga_;
    bool txe_n_ = true, rxf_n_ = true;
    unsigned stall_cycles_ = 0;
    std::uint64_t edges_ = 0;
};

// The station's lab pins, cycle by cycle: a weak-source bit every 8 cycles, a trigger every
// kTriggerPeriod cycles (when enabled), a readout strobe 12 cycles after each setting strobe.
struct LabPins {
    static constexpr std::uint64_t kTriggerPeriod = 150;
    bool triggers = false;
    std::uint64_t cycle = 0, trigger_phase = 0, readout_at = UINT64_MAX;
    std::uint32_t lfsr = 0xACE1u;
    bool ws_bit = false;

    void drive(Vstation_ft2232h& m) {
        const unsigned ws_phase = cycle % 8;
        if (ws_phase == 0) {
            lfsr = (lfsr >> 1) ^ (-(lfsr & 1u) & 0xB400u);
            ws_bit = lfsr & 1u;
        }
        m.ws_bit_in = ws_bit;
        m.ws_strobe_in = ws_phase >= 2 && ws_phase < 6;
        m.trigger_in = triggers && trigger_phase < 4;
        if (triggers) trigger_phase = (trigger_phase + 1) % kTriggerPeriod;
        if (m.setting_strobe_out) readout_at = cycle + 12;
        m.readout_valid_in = cycle >= readout_at && cycle < readout_at + 3;
        m.readout_bit_in = (cycle / 7) & 1u;
        ++cycle;
    }
};

// station_ft2232h on its two clocks (the iCE40 board's station clock and the FT2232H's CLKOUT),
// with the chip beside it.
class Board {
public:
    Board() : context_(std::make_unique<VerilatedContext>()), m_(std::make_unique<Vstation_ft2232h>(context_.get())) {
        m_->rst = 1;
        m_->usb_rst = 1;
        for (int i = 0; i < 8; ++i) step();
        m_->rst = 0;
        m_->usb_rst = 0;
    }

    // Advances to the next clock edge (the earlier of the two clocks).
    void step() {
        const bool station_edge = next_station_ps_ <= next_usb_ps_;
        if (station_edge) {
            pins_.drive(*m_);
            m_->clk = 0;
            m_->eval();
            m_->clk = 1;
            m_->eval();
            next_station_ps_ += kStationPeriodPs;
        } else {
            chip_.edge(m_->ft_wr_n, m_->ft_rd_n, m_->ft_oe_n, m_->ft_data_oe, m_->ft_data_out);
            m_->usb_clk = 0;
            m_->eval();
            m_->usb_clk = 1;
            m_->eval();
            next_usb_ps_ += kUsbPeriodPs;
            if (!m_->ft_siwu_n) ++siwu_pulses_;
        }
        m_->ft_txe_n = chip_.txe_n();
        m_->ft_rxf_n = chip_.rxf_n();
        m_->ft_data_in = chip_.bus(m_->ft_data_oe, m_->ft_data_out, m_->ft_oe_n);
        m_->eval();
    }

    Ft2232hChip& chip() { return chip_; }
    LabPins& pins() { return pins_; }
    unsigned siwu_pulses() const { return siwu_pulses_; }

private:
    static constexpr std::uint64_t kStationPeriodPs = 1'000'000'000'000ull / DIRA_ICE40_STATION_CLOCK_HZ;
    static constexpr std::uint64_t kUsbPeriodPs = 1'000'000'000'000ull / DIRA_ICE40_USB_CLOCK_HZ;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vstation_ft2232h> m_;
    Ft2232hChip chip_;
    LabPins pins_;
    std::uint64_t next_station_ps_ = 0, next_usb_ps_ = kUsbPeriodPs / 3;
    unsigned siwu_pulses_ = 0;
};

// The host's end: bytes through the chip's buffers; reading runs the board.
class BoardTransport : public transport::Transport {
public:
    explicit BoardTransport(Board& board) : board_(board), info_{"test", "test:ice40", "station_ft2232h in a test"} {}
    const transport::DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t> bytes) override { board_.chip().host_write(bytes); }
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override {
        auto& q = board_.chip().to_host();
        for (std::int64_t edges = timeout.count() * 2000; q.empty() && edges > 0; --edges) board_.step();
        std::size_t n = 0;
        while (n < into.size() && !q.empty()) {
            into[n++] = q.front();
            q.pop_front();
        }
        return n;
    }

private:
    Board& board_;
    transport::DeviceInfo info_;
};

} // namespace

TEST_CASE("the FT2232H station answers register commands through the 8-bit bridge") {
    Board board;
    transport::Station station(std::make_unique<BoardTransport>(board));
    const transport::Identity id = station.identify();
    CHECK(id.clock_hz == DIRA_ICE40_STATION_CLOCK_HZ);
    CHECK(id.basis_latency_cycles == kBasisLatencyCycles);
    CHECK(id.api_level == kApiLevel);
    station.write_register(Reg::WINDOW_CLOSE_CYCLES, 0x12345678u);
    CHECK(station.read_register(Reg::WINDOW_CLOSE_CYCLES) == 0x12345678u);
    CHECK(station.health().frame_faults.empty());
    // Once the link is quiet, one SIWU# pulse sends the chip's short leftovers (the last reply) at
    // once; a quiet link with nothing new sent gets no more pulses.
    const unsigned before = board.siwu_pulses();
    for (int i = 0; i < 1000; ++i) board.step();
    CHECK(board.siwu_pulses() == before + 1);
    for (int i = 0; i < 1000; ++i) board.step();
    CHECK(board.siwu_pulses() == before + 1);
}

TEST_CASE("the FT2232H (iCE40) station has no extractor, and the host says so") {
    Board board;
    transport::Station station(std::make_unique<BoardTransport>(board));
    CHECK(station.read_register(Reg::EXTRACT_STATUS) == kExtractStatusAbsent);
    const transport::ExtractorStatus status = station.read_extractor_status();
    CHECK_FALSE(status.present);
    try {
        station.start_extraction(extract::Kind::dodis, 131, 100);
        FAIL("start_extraction accepted a station without an extractor");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::unsupported);
        CHECK_THAT(std::string(e.what()), Catch::Contains("no extractor"));
    }
    // Its registers store nothing, and a START written by hand does nothing.
    station.write_register(Reg::EXTRACT_N_BITS, 131);
    CHECK(station.read_register(Reg::EXTRACT_N_BITS) == 0);
    station.write_register(Reg::EXTRACT_CONTROL, kExtractStart);
    CHECK(station.read_register(Reg::EXTRACT_STATUS) == kExtractStatusAbsent);
}

TEST_CASE("a long test-pattern stream crosses the bridge intact while the chip stalls") {
    Board board;
    transport::Station station(std::make_unique<BoardTransport>(board));
    station.write_register(Reg::CONTROL, kControlTestPattern);
    // The raw bytes, decoded here: every test-pattern word one more than the last, no fault.
    struct Sink : stream::FrameSink {
        std::uint64_t words = 0, faults = 0;
        std::optional<std::uint32_t> last;
        bool consecutive = true;
        void on_frame(const stream::Frame& f) override {
            if (f.header.stream_id != static_cast<std::uint8_t>(StreamId::test_pattern)) return;
            for (std::size_t i = 0; i < f.header.payload_words; ++i) {
                const std::uint32_t w = f.word(i);
                if (last && w != *last + 1) consecutive = false;
                last = w;
                ++words;
            }
        }
        void on_fault(const stream::FaultReport&) override { ++faults; }
    } sink;
    stream::FrameDecoder decoder(sink);
    auto& q = board.chip().to_host();
    for (int round = 0; round < 40; ++round) {
        if (round % 5 == 2) board.chip().stall(37 + round); // the host stops reading for a while
        for (int i = 0; i < 3000; ++i) board.step();
        std::vector<std::uint8_t> bytes(q.begin(), q.end());
        q.clear();
        decoder.feed(bytes);
    }
    CHECK(sink.faults == 0);
    CHECK(sink.consecutive);
    CHECK(sink.words > 20 * kTestPatternWords);
}

TEST_CASE("trials through the FT2232H bridge: every trigger gives its record") {
    Board board;
    transport::Station station(std::make_unique<BoardTransport>(board));
    station.identify();
    constexpr std::uint64_t kTrials = 40;
    std::vector<TrialRecord> records;
    station.on_record([&](const TrialRecord& r) { records.push_back(r); });
    station.write_register(Reg::CONTROL, kControlClear);
    station.write_register(Reg::WINDOW_OPEN_CYCLES, 2);
    station.write_register(Reg::WINDOW_CLOSE_CYCLES, 24);
    station.write_register(Reg::FLUSH_CYCLES, 64);
    station.write_register(Reg::TRIAL_LIMIT, kTrials);
    station.reset_record_stream(0);
    station.write_register(Reg::CONTROL, kControlRun);
    board.pins().triggers = true;
    // A poll returns as soon as some bytes are in, often a few: allow many.
    for (int polls = 0; records.size() < kTrials && polls < 100'000; ++polls) station.poll(std::chrono::milliseconds(5));
    REQUIRE(records.size() == kTrials);
    for (std::uint64_t i = 0; i < kTrials; ++i) {
        CHECK(records[i].trial_index == i);
        CHECK_FALSE(records[i].has(kFlag_TRIGGER_LATE));
        CHECK_FALSE(records[i].has(kFlag_OUTCOME_MISSING));
        CHECK(records[i].t_setting_cycles == records[i].t_trigger_cycles + 1);
    }
    CHECK(station.read_counter(Reg::RECORDS_LO) == kTrials);
}
