#include "station/station_tops.hpp"

#include "station/command_parser.hpp"
#include "station/framer.hpp"
#include "station/ft601_bridge.hpp"
#include "station/station_datapath.hpp"

namespace dira { namespace hls_station {

static_assert(kStationTopClockHz > 0, "the station clock frequency is a positive number of hertz");

void station_top(ap_uint<1> trigger, ap_uint<1> ws_bit, ap_uint<1> ws_strobe, ap_uint<1> readout_valid,
                 ap_uint<1> readout_bit, ap_uint<1>& setting_out, ap_uint<1>& setting_strobe,
                 hls::stream<std::uint32_t>& command_words, hls::stream<std::uint32_t>& frame_words, std::uint32_t& status) {
#pragma HLS INTERFACE mode=ap_ctrl_none port=return
#pragma HLS INTERFACE mode=ap_none port=trigger
#pragma HLS INTERFACE mode=ap_none port=ws_bit
#pragma HLS INTERFACE mode=ap_none port=ws_strobe
#pragma HLS INTERFACE mode=ap_none port=readout_valid
#pragma HLS INTERFACE mode=ap_none port=readout_bit
#pragma HLS INTERFACE mode=ap_none port=setting_out
#pragma HLS INTERFACE mode=ap_none port=setting_strobe
#pragma HLS INTERFACE mode=axis port=command_words
#pragma HLS INTERFACE mode=axis port=frame_words
#pragma HLS INTERFACE mode=s_axilite port=status bundle=control
#pragma HLS PIPELINE II=1
    static StationDatapathState datapath;
    static FramerState framer;
    static CommandParserState parser;
    const StationParams params{kStationTopClockHz, DIRA_STATION_ID};

    StationPins pins;
    pins.trigger = trigger[0];
    pins.ws_bit = ws_bit[0];
    pins.ws_strobe = ws_strobe[0];
    pins.readout_valid = readout_valid[0];
    pins.readout_bit = readout_bit[0];

    const FramerCycle frame =
        framer_decide(framer, !frame_words.full(), framer_control(datapath.registers), extractor_output(datapath.extract));
    const ParserCycle parse = parser_decide(parser, !command_words.empty(), frame.reply_ready);

    DatapathInputs in;
    in.pins = pins;
    in.record_ready = frame.record_ready;
    in.frame_sent = frame.frame_sent;
    in.command = parse.execute ? &parser.command : nullptr;
    in.z_pop = frame.pop_z;
    const CycleResult result = datapath_step(datapath, params, in);
    setting_out = result.setting_out ? 1 : 0;
    setting_strobe = result.setting_strobe ? 1 : 0;

    if (frame.word_valid) frame_words.write(frame.word);
    const RecordWords record = record_words(result.record);
    framer_advance(framer, frame, result.record_valid ? &record : nullptr, result.reply_valid ? &result.reply : nullptr);
    std::uint32_t word = 0;
    if (parse.pop) word = command_words.read();
    parser_advance(parser, parse, word);

    status = status_word(current_status(datapath, params));
}

void ft601_bridge_top(ap_uint<1> txe_n, ap_uint<1> rxf_n, std::uint32_t data_in, std::uint32_t& data_out,
                      ap_uint<1>& data_oe, ap_uint<4>& be, ap_uint<1>& wr_n, ap_uint<1>& rd_n, ap_uint<1>& oe_n,
                      hls::stream<std::uint32_t>& frame_words, hls::stream<std::uint32_t>& command_words) {
#pragma HLS INTERFACE mode=ap_ctrl_none port=return
#pragma HLS INTERFACE mode=ap_none port=txe_n
#pragma HLS INTERFACE mode=ap_none port=rxf_n
#pragma HLS INTERFACE mode=ap_none port=data_in
#pragma HLS INTERFACE mode=ap_none port=data_out
#pragma HLS INTERFACE mode=ap_none port=data_oe
#pragma HLS INTERFACE mode=ap_none port=be
#pragma HLS INTERFACE mode=ap_none port=wr_n
#pragma HLS INTERFACE mode=ap_none port=rd_n
#pragma HLS INTERFACE mode=ap_none port=oe_n
#pragma HLS INTERFACE mode=axis port=frame_words
#pragma HLS INTERFACE mode=axis port=command_words
#pragma HLS PIPELINE II=1
    static Ft601BridgeState bridge;
    // A stream has no peek: the next outgoing word waits in this register until the bridge takes it.
    static bool staged_valid = false;
    static std::uint32_t staged_word = 0;

    // The pins are registers: drive the values of this cycle, then take the edge at its end.
    data_out = bridge.pins.data;
    data_oe = bridge.pins.data_oe ? 1 : 0;
    be = bridge.pins.be;
    wr_n = bridge.pins.wr_n ? 1 : 0;
    rd_n = bridge.pins.rd_n ? 1 : 0;
    oe_n = bridge.pins.oe_n ? 1 : 0;

    Ft601ChipPins chip;
    chip.txe_n = txe_n[0];
    chip.rxf_n = rxf_n[0];
    chip.data = data_in;
    BridgeFifos fifos;
    fifos.out_available = staged_valid;
    fifos.out_word = staged_word;
    // An hls::stream tells only full or not: the bridge then reads one word per read burst, which
    // is slower than the RTL (that knows its FIFO's fill level) but equally correct.
    fifos.in_free_words = command_words.full() ? 0 : 1;
    const BridgeCycle c = bridge_step(bridge, chip, fifos);
    if (c.pop_out) staged_valid = false;
    if (!staged_valid && frame_words.read_nb(staged_word)) staged_valid = true;
    if (c.push_in) command_words.write(c.in_word);
}

} } // namespace dira::hls_station
