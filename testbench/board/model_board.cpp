#include "board/model_board.hpp"

#include <stdexcept>

#include "board/sim_board.hpp"

namespace dira::testbench {

using namespace hls_station;

ModelBoard::ModelBoard(const StationBoardConfig& config)
    : station_(StationParams{config.clock_hz, config.station_id, config.extractor}),
      ft601_(Ft601Config{config.ft601_tx_buffer_bytes, config.ft601_rx_buffer_bytes}) {
    if (config.clock_hz == 0) throw std::invalid_argument("ModelBoard: clock_hz must be positive");
    if (config.reset_cycles == 0) throw std::invalid_argument("ModelBoard: reset_cycles must be at least 1");
    if (config.usb_clock_hz != 0)
        throw std::invalid_argument("ModelBoard: the model engine runs the FT601 on the station clock (usb_clock_hz 0); "
                                    "use the rtl engine for a separate USB clock");
    // The reset cycles StationBoard holds: the FT601 sees the bridge's reset pins at each edge.
    for (unsigned i = 0; i < config.reset_cycles; ++i) ft601_.clock(bridge_.pins);
}

// One cycle of both clock domains, all decided from the state during the cycle, then the edge.
void ModelBoard::tick() {
    FramerCycle frame;
    ParserCycle parse;
    station_edge(frame, parse);

    BridgeFifos fifos;
    fifos.out_available = !out_fifo_.empty();
    fifos.out_word = out_fifo_.head();
    fifos.in_free_words = in_fifo_.free_words();
    const BridgeCycle usb = bridge_step(bridge_, ft601_.pins(), fifos);

    const std::uint32_t command_word = in_fifo_.head();
    out_fifo_.edge(frame.word_valid, frame.word, usb.pop_out);
    in_fifo_.edge(usb.push_in, usb.in_word, parse.pop);
    parser_advance(parser_, parse, command_word);
    ft601_.clock(bridge_.pins);
}

// The station domain: framer and parser decide from their state, the datapath steps, and the
// framer takes what the datapath produced (the parser advances with the FIFO edge, in tick()).
void ModelBoard::station_edge(FramerCycle& frame, ParserCycle& parse) {
    frame = framer_decide(framer_, !out_fifo_.full(), station_.framer_control(), station_.extractor_output());
    parse = parser_decide(parser_, !in_fifo_.empty(), frame.reply_ready);
    const RegisterCommand command = parser_.command;
    const CycleResult r = station_.step(pins_, frame.record_ready, parse.execute ? &command : nullptr, frame.frame_sent, frame.pop_z);
    RecordWords words;
    if (r.record_valid) words = record_words(r.record);
    framer_advance(framer_, frame, r.record_valid ? &words : nullptr, r.reply_valid ? &r.reply : nullptr);
}

} // namespace dira::testbench
