// FT601 bridge (docs/station.md, "FT601 bridge"): the 245 synchronous FIFO master on the USB
// clock, 32-bit bus. Frame words go out through WR_N while TXE_N is low; command words come in
// through OE_N/RD_N while RXF_N is low, with a bus-turnaround cycle each way. Reads take priority.
#pragma once

#include <cstdint>

namespace dira { namespace hls_station {

// Driven by the FT601 during a USB cycle.
struct Ft601ChipPins {
    bool txe_n = true; // low: the chip can take a word
    bool rxf_n = true; // low: the chip has a word for the FPGA
    std::uint32_t data = 0; // valid while OE_N is low and RXF_N is low
};

// Driven by the FPGA (registered: they change only at USB clock edges).
struct Ft601FpgaPins {
    bool wr_n = true;
    bool rd_n = true;
    bool oe_n = true;
    bool data_oe = true; // the FPGA drives DATA and BE
    std::uint32_t data = 0;
    std::uint8_t be = 0xF; // all four bytes valid in every word the FPGA writes
};

enum class BridgeMode : std::uint8_t { write, turn_to_read, read, turn_to_write };

struct Ft601BridgeState {
    Ft601FpgaPins pins;
    BridgeMode mode = BridgeMode::write;
    bool holding = false; // pins.data holds a word not yet taken by the chip
};

// The FIFOs on the FPGA side, as they stand during the cycle.
struct BridgeFifos {
    bool out_available = false;    // the outgoing (frame word) FIFO has a word
    std::uint32_t out_word = 0;    // ... this one
    std::uint32_t in_free_words = 0; // room in the incoming (command word) FIFO
};

struct BridgeCycle {
    bool pop_out = false;  // take out_word from the outgoing FIFO
    bool push_in = false;  // put in_word into the incoming FIFO
    std::uint32_t in_word = 0;
    bool word_sent = false; // the chip took pins.data at the edge ending this cycle
};

// One USB cycle, in place: the edge at its end.
inline BridgeCycle bridge_step(Ft601BridgeState& s, const Ft601ChipPins& chip, const BridgeFifos& fifos) {
    BridgeCycle c;
    Ft601FpgaPins& p = s.pins;
    c.word_sent = !p.wr_n && !chip.txe_n;
    const bool word_taken = !p.rd_n && !chip.rxf_n;
    const bool still_holding = s.holding && !c.word_sent;
    const std::uint32_t room_after = fifos.in_free_words - (word_taken ? 1u : 0u);

    switch (s.mode) {
    case BridgeMode::write:
        if (!chip.rxf_n && fifos.in_free_words > 0) {
            s.mode = BridgeMode::turn_to_read; // stop driving DATA in the same edge as OE_N goes low
            s.holding = still_holding;
            p.data_oe = false;
            p.oe_n = false;
            p.wr_n = true;
        } else {
            c.pop_out = !still_holding && fifos.out_available;
            if (c.pop_out) p.data = fifos.out_word;
            s.holding = still_holding || c.pop_out;
            p.wr_n = !(s.holding && !chip.txe_n);
        }
        break;
    case BridgeMode::turn_to_read:
        s.mode = BridgeMode::read;
        p.rd_n = !(!chip.rxf_n && fifos.in_free_words > 0);
        break;
    case BridgeMode::read:
        c.push_in = word_taken;
        c.in_word = chip.data;
        if (chip.rxf_n || room_after == 0) {
            s.mode = BridgeMode::turn_to_write;
            p.oe_n = true;
            p.rd_n = true;
        } else {
            p.rd_n = false;
        }
        break;
    case BridgeMode::turn_to_write:
        s.mode = BridgeMode::write;
        p.data_oe = true;
        break;
    }
    return c;
}

} } // namespace dira::hls_station
