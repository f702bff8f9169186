// Command parser (docs/station.md, "Register file"): takes the words that came in over USB two at
// a time and holds one complete register command until the register file executes it, which
// happens in a cycle where the reply FIFO has room.
#pragma once

#include <cstdint>

#include "station/station_types.hpp"

namespace dira { namespace hls_station {

struct CommandParserState {
    bool have_word0 = false;
    std::uint32_t word0 = 0;
    bool command_valid = false;
    RegisterCommand command;
};

struct ParserCycle {
    bool execute = false; // the held command executes in this cycle
    bool pop = false;     // one incoming word is taken in this cycle
};

inline ParserCycle parser_decide(const CommandParserState& s, bool word_available, bool reply_ready) {
    ParserCycle c;
    c.execute = s.command_valid && reply_ready;
    const bool slot_free = !s.command_valid || c.execute;
    c.pop = word_available && (!s.have_word0 || slot_free);
    return c;
}

inline void parser_advance(CommandParserState& s, const ParserCycle& c, std::uint32_t word) {
    if (c.execute) s.command_valid = false;
    if (!c.pop) return;
    if (!s.have_word0) {
        s.word0 = word;
        s.have_word0 = true;
    } else {
        s.command = RegisterCommand{s.word0, word};
        s.command_valid = true;
        s.have_word0 = false;
    }
}

} } // namespace dira::hls_station
