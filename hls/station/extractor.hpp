// The station's extractor (docs/station.md, "Extractor"): two packers that collect a block's x bits
// (the outcome bit of every record that enters the record FIFO) and y bits (weak-source bits that a
// newer strobe superseded before any trigger used them), and the block engine of
// rtl/extract/dira_extract.sv as the station instantiates it. The model is cycle-accurate to the RTL
// at its ports: when words are taken, when each z word is offered to the framer, when the block is
// done. Like the RTL it computes a pass one step per cycle, with the HLS kernel's pass step
// (hls/extract: pass_step, one a word against the window of b words), so a cycle's work is bounded;
// tests/extract holds that kernel, the RTL and the host library to the same bits.
#pragma once

#include <cstdint>

#include "dira/register_map.hpp"
#include "hls/extract/extract_kernel.hpp"

namespace dira { namespace hls_station {

constexpr int kExtractW = static_cast<int>(kStationExtractWordBits);
constexpr int kExtractP = static_cast<int>(kStationExtractOutputBits);
constexpr std::uint32_t kExtractMaxWords = 1u << kStationExtractAddrBits;
constexpr unsigned kExtractZWords = kStationExtractOutputBits / 32; // payload words per z word
// dira_extract's window words beyond the current one, and so its cycles per pass (S0 issue of
// x words + E, two pipeline stages; the OUT cycle follows).
constexpr std::uint32_t kExtractE = (kExtractP - 1 + kExtractW - 1) / kExtractW;
static_assert(kStationExtractOutputBits % 32 == 0, "z words go out as whole 32-bit payload words");

enum class ExtractPhase : std::uint8_t { idle, load, pass, out }; // dira_extract's S_IDLE .. S_OUT

// One packer: bits in arrival order, W to a word, bit i of word w = bit wW+i; the last word of a
// block is offered when the block's last bit arrives (bits past it zero).
struct ExtractPacker {
    std::uint32_t word = 0;      // bits gathered for the next word
    std::uint32_t fill = 0;      // how many
    std::uint32_t collected = 0; // bits of this block so far
    bool valid = false;          // a whole word is offered to the engine during this cycle ...
    std::uint32_t data = 0;      // ... this one
};

struct StationExtractorState {
    bool start_pending = false; // START accepted last cycle: the engine sees `start` now
    bool done_pulse = false;    // the engine's `done` during this cycle
    bool done_latched = false;  // EXTRACT_STATUS.DONE (cleared by an accepted START)
    bool start_refused = false; // EXTRACT_STATUS.START_REFUSED (likewise)
    std::uint32_t code = 0;     // the engine's status: kernel_interface::Status of the last START
    ExtractPhase phase = ExtractPhase::idle;
    std::uint32_t kind = 0;     // of the block, from START
    std::uint32_t x_target = 0, y_target = 0, m_bits = 0; // bits per input and output, from START
    ExtractPacker x, y;
    std::uint32_t x_taken = 0, y_taken = 0; // words the engine stored
    std::uint32_t pass = 0, passes = 0, pass_cycles_left = 0;
    hls_extract::BitRam<kExtractW, static_cast<int>(kExtractMaxWords)> x_ram, y_ram;
    ap_uint<kExtractW> y_head = 0;                  // y's first word, spliced in at the period
    hls_extract::PassState<kExtractW, kExtractP> pass_state; // the pass in progress
    std::uint32_t z = 0;                            // the pass's z word, offered in the OUT phase
};
static_assert(kExtractP == 32, "the model keeps a z word as 32 bits");
static_assert(hls_extract::PassState<kExtractW, kExtractP>::E == static_cast<int>(kExtractE),
              "the model's window is the RTL engine's");

// What the registers say during the cycle (EXTRACT_CONTROL.KIND, EXTRACT_N_BITS, EXTRACT_M_BITS).
struct ExtractConfig {
    std::uint32_t kind = 0;
    std::uint32_t n_bits = 0;
    std::uint32_t m_bits = 0;
};

// The lengths the kinds need (docs/extraction.md section 1): x n bits (circulant n-1), y n bits
// (toeplitz n+m-1), in 32-bit arithmetic as in the RTL.
inline std::uint32_t extract_x_bits(const ExtractConfig& c) { return c.kind == hls_extract::kCirculant ? c.n_bits - 1 : c.n_bits; }
inline std::uint32_t extract_y_bits(const ExtractConfig& c) {
    return c.kind == hls_extract::kToeplitz ? c.n_bits + c.m_bits - 1 : c.n_bits;
}

// What the engine shows the rest of the station during the cycle.
struct ExtractorOut {
    bool busy = false;    // EXTRACT_STATUS.BUSY: START pending or the engine not idle
    bool z_valid = false; // a z word waits for the framer
    bool z_last = false;  // ... the block's last
    std::uint32_t z_word[kExtractZWords] = {};
};

inline ExtractorOut extractor_output(const StationExtractorState& s) {
    ExtractorOut o;
    o.busy = s.start_pending || s.phase != ExtractPhase::idle;
    o.z_valid = s.phase == ExtractPhase::out;
    o.z_last = o.z_valid && s.pass + 1 == s.passes;
    if (o.z_valid) o.z_word[0] = s.z;
    return o;
}

inline std::uint32_t extract_status_word(const StationExtractorState& s, bool present) {
    if (!present) return kExtractStatusAbsent;
    return (extractor_output(s).busy ? kExtractStatusBusy : 0) |
           (s.done_latched || s.done_pulse ? kExtractStatusDone : 0) | (s.start_refused ? kExtractStatusStartRefused : 0) |
           (s.code << kExtractCodeShift);
}

// Events of the cycle that concern the extractor.
struct ExtractorEvents {
    bool start = false;  // a write of EXTRACT_CONTROL with START executes
    bool x_bit_valid = false, x_bit = false; // a record entered the record FIFO, with this outcome
    bool y_bit_valid = false, y_bit = false; // a weak-source bit was superseded unused
    bool z_pop = false;  // the framer took the z word
    ExtractConfig config;
};

// The packer's end of cycle: it takes the bit while the engine has a block and this input still
// needs bits, and offers a word for the next cycle when the word is whole or the input is.
inline void packer_advance(ExtractPacker& p, bool bit_valid, bool bit, bool engine_busy, std::uint32_t target) {
    const bool collect = bit_valid && engine_busy && p.collected != target;
    const std::uint32_t word = p.word | (static_cast<std::uint32_t>(bit) << p.fill);
    const bool complete = collect && (p.fill == kExtractW - 1 || p.collected + 1 == target);
    p.valid = complete;
    if (complete) p.data = word;
    if (!collect) return;
    ++p.collected;
    p.word = complete ? 0 : word;
    p.fill = complete ? 0 : p.fill + 1;
}

inline std::uint32_t words_of(std::uint32_t bits) { return (bits + kExtractW - 1) / kExtractW; }

// A pass lasts as long as the RTL's: its steps (x words + E) and two pipeline stages; then OUT.
inline void begin_pass(StationExtractorState& s) {
    s.phase = ExtractPhase::pass;
    s.pass_cycles_left = words_of(s.x_target) + kExtractE + 2;
    const bool toeplitz = s.kind == hls_extract::kToeplitz;
    hls_extract::pass_begin(s.pass_state,
                            hls_extract::pass_b_start<kExtractW>(toeplitz, s.pass * kExtractP, s.x_target, s.y_target));
}

// A cycle of the pass phase: the next step while the pass has steps left; at its end the z word,
// bits past m cleared.
inline void engine_pass(StationExtractorState& s) {
    if (s.pass_state.j < hls_extract::pass_steps<kExtractW, kExtractP>(s.x_target))
        hls_extract::pass_step<kExtractW, kExtractP>(s.pass_state, s.x_ram, s.y_ram, s.y_head,
                                                     s.kind == hls_extract::kToeplitz, s.x_target, s.y_target);
    if (--s.pass_cycles_left != 0) return;
    const std::uint32_t first = s.pass * kExtractP;
    ap_uint<kExtractP> z = s.pass_state.acc;
    if (first + kExtractP > s.m_bits) z &= hls_extract::low_mask<kExtractP>(s.m_bits - first);
    s.z = z.to_uint();
    s.phase = ExtractPhase::out;
}

// The engine's step in the load phase: store offered words; once both inputs are whole, pass 0.
inline void engine_load(StationExtractorState& s) {
    if (s.x.valid) s.x_ram.word[s.x_taken++] = s.x.data;
    if (s.y.valid) s.y_ram.word[s.y_taken++] = s.y.data;
    if (s.x_taken != words_of(s.x_target) || s.y_taken != words_of(s.y_target)) return;
    s.y_head = s.y_ram.word[0];
    s.pass = 0;
    begin_pass(s);
}

// dira_extract's `start` with the configuration of this cycle: the size check, then load or refuse.
inline void engine_start(StationExtractorState& s, const ExtractConfig& c) {
    s.x_target = extract_x_bits(c);
    s.y_target = extract_y_bits(c);
    s.m_bits = c.m_bits;
    s.code = hls_extract::check_sizes(c.kind, s.x_target, s.y_target, c.m_bits, kExtractW,
                                      kExtractMaxWords * static_cast<std::uint32_t>(kExtractW));
    s.x = ExtractPacker{};
    s.y = ExtractPacker{};
    s.kind = c.kind;
    if (s.code != hls_extract::kOk) {
        s.done_pulse = true;
        return;
    }
    s.phase = ExtractPhase::load;
    s.x_taken = s.y_taken = 0;
    s.passes = (c.m_bits + kExtractP - 1) / kExtractP;
}

struct ExtractorStep {
    bool block_done = false; // the block's last z word went to the framer (EXTRACT_BLOCKS)
};

// One cycle, in place: START handling, the engine, then the packers (which restart with a block).
inline ExtractorStep extractor_step(StationExtractorState& s, const ExtractorEvents& ev) {
#pragma HLS INLINE
    ExtractorStep out;
    const ExtractorOut now = extractor_output(s);
    const bool engine_busy = s.phase != ExtractPhase::idle;
    const bool accept = ev.start && !now.busy;
    const bool start_now = s.start_pending;
    s.start_pending = accept;
    if (s.done_pulse) s.done_latched = true;
    if (ev.start && now.busy) s.start_refused = true;
    if (accept) s.done_latched = s.start_refused = false; // an accepted START wins over a DONE of this cycle
    s.done_pulse = false;

    switch (s.phase) {
    case ExtractPhase::idle:
        if (start_now) engine_start(s, ev.config);
        break;
    case ExtractPhase::load: engine_load(s); break;
    case ExtractPhase::pass: engine_pass(s); break;
    case ExtractPhase::out:
        if (!ev.z_pop) break;
        out.block_done = now.z_last;
        if (now.z_last) {
            s.phase = ExtractPhase::idle;
            s.done_pulse = true;
        } else {
            ++s.pass;
            begin_pass(s);
        }
        break;
    }
    if (start_now) return out; // the packers restarted with the block (engine_start)
    packer_advance(s.x, ev.x_bit_valid, ev.x_bit, engine_busy, s.x_target);
    packer_advance(s.y, ev.y_bit_valid, ev.y_bit, engine_busy, s.y_target);
    return out;
}

} } // namespace dira::hls_station
