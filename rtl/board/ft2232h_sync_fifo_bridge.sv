// FT2232H bridge (docs/boards.md, "The 8-bit bridge"): lets a station whose USB side speaks the
// FT601's 32-bit 245 synchronous FIFO bus (station_core's ft601_bridge) talk through an FTDI
// FT2232H whose channel A runs the 8-bit 245 synchronous FIFO mode.
//
// Towards the station it plays the FT601 chip, with a buffer of WORDS words each way (the rules of
// testbench/board/ft601_model.hpp: TXE_N low while a word fits, a word moves in at each edge with
// WR_N and TXE_N low; RXF_N low while a whole word waits, driven on DATA while OE_N is low, a word
// moves out at each edge with OE_N, RD_N and RXF_N low; TXE_N, RXF_N and DATA change only after an
// edge). Towards the FT2232H it is the FIFO master: each 32-bit word leaves as four bytes, least
// significant first (the wire format's little-endian words); four bytes in make a command word.
//
// The FT2232H bus is registered both ways, so that it meets the chip's timing (docs/boards.md,
// "FT2232H bus timing"):
//   - every bus input is captured by a flop with nothing before it (rxf_q, txe_q, din_q): what the
//     chip showed at an edge is known in the cycle after it;
//   - every bus output is a flop with nothing after it (ft_*); ft_*_next is what the pins take at
//     the next edge, for a board that registers its outputs in the I/O cells instead.
// So a decision reaches the pins two edges after the edge it saw: a byte presented at edge e+1 is
// chosen before the chip's answer to the byte presented at edge e is known.
//   write: a byte transfers at each rising CLKOUT edge with WR# and TXE# low. Bytes are presented
//          back to back; one the chip refused (TXE# high at its edge) is presented again, and the
//          byte presented at the next edge, chosen before the refusal was seen, is discarded (its
//          answer ignored). Until the chip takes the replayed byte, only it is presented, and only
//          at every other edge, so that no later byte can overtake it. The one case this cannot
//          order is TXE# high for a single edge (the discarded byte would be taken before the
//          refused one): ft_order_fault records it (sticky). docs/boards.md holds the assumption.
//   read:  reads take priority (commands are short); when RXF# is low and bytes have room, stop
//          driving the bus, then pull OE# low, then RD#; a byte transfers at each edge with OE#,
//          RD# and RXF# low, and the byte captured at that edge is it. RD# stays low only while
//          the bytes that may still arrive (the one of the edge in flight and the next) have room.
//          Back to writing: OE# high, then drive the bus. The FPGA never drives the bus while OE#
//          is low, and releases it an edge before OE# falls.
//   SIWU#: after IDLE_FLUSH_CYCLES cycles with nothing more to send, one low pulse asks the chip
//          to send what it holds now instead of waiting for its latency timer (register replies
//          are a few bytes; records stream anyway).
// Everything runs on the FT2232H's CLKOUT (60 MHz), which is also the station's usb_clk.
module ft2232h_sync_fifo_bridge #(
    parameter int unsigned WORDS             = 2,   // a power of two, at least 2
    parameter int unsigned IDLE_FLUSH_CYCLES = 64
) (
    input  logic        clk,
    input  logic        rst,
    // FT2232H channel A: the pins
    input  logic        ft_rxf_n,
    input  logic        ft_txe_n,
    input  logic [ 7:0] ft_data_in,
    output logic [ 7:0] ft_data_out,
    output logic        ft_data_oe,
    output logic        ft_rd_n,
    output logic        ft_wr_n,
    output logic        ft_oe_n,
    output logic        ft_siwu_n,
    // what the output pins take at the next edge
    output logic [ 7:0] ft_data_out_next,
    output logic        ft_data_oe_next,
    output logic        ft_rd_n_next,
    output logic        ft_wr_n_next,
    output logic        ft_oe_n_next,
    output logic        ft_siwu_n_next,
    // a discarded byte was taken: the bytes to the host are out of order from there (sticky)
    output logic        ft_order_fault,
    // the station's FT601 bus, seen from the chip's side
    output logic        st_txe_n,
    output logic        st_rxf_n,
    output logic [31:0] st_data,
    input  logic [31:0] st_data_out,
    input  logic        st_wr_n,
    input  logic        st_rd_n,
    input  logic        st_oe_n
);
  localparam int unsigned COUNT_BITS = $clog2(WORDS + 1);
  localparam int unsigned INDEX_BITS = $clog2(WORDS);  // indices wrap by themselves
  localparam int unsigned BYTE_BITS = COUNT_BITS + 2;  // byte counts, up to 4 x WORDS
  localparam int unsigned POS_BITS = INDEX_BITS + 3;   // byte positions: the buffer twice over
  localparam int unsigned IDLE_BITS = $clog2(IDLE_FLUSH_CYCLES + 1);

  // --- the bus inputs, captured ------------------------------------------------------------
  // What the chip showed at the last edge. No logic before these flops (a board's input paths
  // end at them), no reset and no initial value (the bridge ignores them in reset; an initial 1
  // would make yosys put inverters around the flop, between the board's delay chain and it).
  logic rxf_q, txe_q;
  logic [7:0] din_q;
  always_ff @(posedge clk) begin
    rxf_q <= ft_rxf_n;
    txe_q <= ft_txe_n;
    din_q <= ft_data_in;
  end

  // --- word buffers towards the host (tx) and from the host (rx) -----------------------------
  logic [31:0] tx_words[WORDS], rx_words[WORDS];
  logic [INDEX_BITS-1:0] tx_tail, rx_head, rx_tail;
  logic [COUNT_BITS-1:0] tx_count, rx_count, tx_count_next, rx_count_next;
  logic tx_push, tx_pop, rx_push, rx_pop;
  logic [31:0] rx_assembled;
  logic [23:0] rx_shift_low;  // the command word's bytes 0..2, byte 0 in [7:0]
  logic [INDEX_BITS-1:0] rx_head_next;

  assign tx_push = !st_wr_n && !st_txe_n;
  assign rx_pop = !st_oe_n && !st_rd_n && !st_rxf_n;
  assign tx_count_next = tx_count + COUNT_BITS'(tx_push) - COUNT_BITS'(tx_pop);
  assign rx_count_next = rx_count + COUNT_BITS'(rx_push) - COUNT_BITS'(rx_pop);
  assign rx_head_next = rx_pop ? rx_head + INDEX_BITS'(1) : rx_head;

  always_ff @(posedge clk) begin
    if (rst) begin
      tx_tail  <= '0;
      tx_count <= '0;
      rx_head  <= '0;
      rx_tail  <= '0;
      rx_count <= '0;
      st_txe_n <= 1'b1;
      st_rxf_n <= 1'b1;
      st_data  <= 32'd0;
    end else begin
      if (tx_push) begin
        tx_words[tx_tail] <= st_data_out;
        tx_tail <= tx_tail + INDEX_BITS'(1);
      end
      if (rx_push) begin
        rx_words[rx_tail] <= rx_assembled;
        rx_tail <= rx_tail + INDEX_BITS'(1);
      end
      if (rx_pop) rx_head <= rx_head_next;
      tx_count <= tx_count_next;
      rx_count <= rx_count_next;
      // What the chip shows after this edge.
      st_txe_n <= tx_count_next == COUNT_BITS'(WORDS);
      st_rxf_n <= rx_count_next == '0;
      // The head word after this edge: the one arriving now if it is the only one left.
      if (rx_push && rx_head_next == rx_tail) st_data <= rx_assembled;
      else st_data <= rx_words[rx_head_next];
    end
  end

  // --- what the pins showed at the last edge, and the chip's answer to it ---------------------
  logic last_wr, last_rd;              // WR# was low; OE# and RD# were low
  logic last_discarded;                // the byte presented was chosen before a refusal was seen
  logic [POS_BITS-1:0] last_pos, pin_pos;  // the byte presented at the last edge; on the pins now
  logic byte_sent, byte_refused, byte_received;

  assign byte_sent = last_wr && !last_discarded && !txe_q;
  assign byte_refused = last_wr && !last_discarded && txe_q;
  assign byte_received = last_rd && !rxf_q;

  // --- writing: bytes presented from the tx words, replayed when refused -----------------------
  logic [POS_BITS-1:0] committed;      // the first byte the chip has not taken
  logic [POS_BITS-1:0] next_pos;       // the next byte to present
  logic [POS_BITS-1:0] present_pos, present_ahead;
  logic replaying, replaying_next;     // a refused byte is presented alone until it is taken
  logic [BYTE_BITS-1:0] bytes_held;    // bytes in the tx words from `committed` on
  logic present, write_mode_next;
  logic [31:0] present_word;

  assign bytes_held = {tx_count, 2'b00} - BYTE_BITS'(committed[1:0]);
  assign present_pos = byte_refused ? last_pos : next_pos;
  assign present_ahead = present_pos - committed;
  assign replaying_next = byte_refused || (replaying && !byte_sent);
  // While replaying, a presented byte still waiting for its answer blocks the next one.
  assign present = write_mode_next && BYTE_BITS'(present_ahead) < bytes_held &&
                   !(replaying_next && !ft_wr_n && !byte_refused);
  assign present_word = tx_words[present_pos[2+:INDEX_BITS]];
  assign tx_pop = byte_sent && committed[1:0] == 2'd3;

  // --- reading: room for the bytes that may still arrive --------------------------------------
  logic [1:0] rx_byte_index, rx_byte_index_next;  // bytes of the next command word received
  logic [BYTE_BITS-1:0] rx_room;                  // bytes that fit after this edge
  logic read_allowed, go_read;

  assign rx_byte_index_next = rx_byte_index + 2'(byte_received);
  assign rx_push = byte_received && rx_byte_index == 2'd3;
  assign rx_assembled = {din_q, rx_shift_low};
  assign rx_room = {COUNT_BITS'(WORDS) - rx_count_next, 2'b00} - BYTE_BITS'(rx_byte_index_next);
  // RD# low on the pins now may bring one more byte before this decision's edge brings another.
  assign read_allowed = rx_room > BYTE_BITS'(!ft_rd_n && !ft_oe_n);
  assign go_read = !rxf_q && rx_room != '0;

  // --- the bus: who drives it -----------------------------------------------------------------
  typedef enum logic [2:0] {
    MODE_WRITE,          // the FPGA drives the bus; WR# may be low
    MODE_RELEASE,        // the FPGA has let go of the bus; OE# still high
    MODE_TURN_TO_READ,   // OE# low: the chip drives the bus
    MODE_READ,           // OE# low; RD# may be low
    MODE_TURN_TO_WRITE   // OE# high again; the FPGA drives the bus at the next edge
  } mode_t;

  mode_t mode, mode_next;  // the mode of the pins now; of the pins after the next edge

  always_comb begin
    case (mode)
      MODE_WRITE:         mode_next = go_read ? MODE_RELEASE : MODE_WRITE;
      MODE_RELEASE:       mode_next = MODE_TURN_TO_READ;
      MODE_TURN_TO_READ:  mode_next = MODE_READ;
      MODE_READ:          mode_next = rxf_q || !read_allowed ? MODE_TURN_TO_WRITE : MODE_READ;
      MODE_TURN_TO_WRITE: mode_next = MODE_WRITE;
      default:            mode_next = MODE_WRITE;
    endcase
  end
  assign write_mode_next = mode_next == MODE_WRITE;

  // --- SIWU#: one low pulse once the stream has paused with bytes handed to the chip ------------
  logic [IDLE_BITS-1:0] idle_cycles;
  logic unflushed;  // bytes went to the chip since the last SIWU# pulse
  logic flush;

  assign flush = unflushed && !(byte_sent || last_wr || !ft_wr_n || bytes_held != '0) &&
                 idle_cycles == IDLE_BITS'(IDLE_FLUSH_CYCLES);

  // --- the output pins after the next edge (idle in reset) -------------------------------------
  assign ft_wr_n_next = rst || !present;
  assign ft_data_out_next = present ? 8'(present_word >> {present_pos[1:0], 3'b000}) : ft_data_out;
  assign ft_data_oe_next = rst || write_mode_next;
  assign ft_oe_n_next = rst || !(mode_next == MODE_TURN_TO_READ || mode_next == MODE_READ);
  assign ft_rd_n_next = rst || !(mode_next == MODE_READ && read_allowed);
  assign ft_siwu_n_next = rst || !flush;

  always_ff @(posedge clk) begin
    ft_wr_n     <= ft_wr_n_next;
    ft_data_out <= ft_data_out_next;
    ft_data_oe  <= ft_data_oe_next;
    ft_oe_n     <= ft_oe_n_next;
    ft_rd_n     <= ft_rd_n_next;
    ft_siwu_n   <= ft_siwu_n_next;
  end

  // Power-up values, before the first clock edge in reset: no FT2232H strobe asserted, nothing
  // offered to the station (an FPGA's flip-flops would otherwise wake up low: WR#, RD# and OE# all
  // asserted at once).
  initial begin
    ft_wr_n    = 1'b1;
    ft_rd_n    = 1'b1;
    ft_oe_n    = 1'b1;
    ft_siwu_n  = 1'b1;
    ft_data_oe = 1'b0;
    st_txe_n   = 1'b1;
    st_rxf_n   = 1'b1;
  end

  // --- state ---------------------------------------------------------------------------------
  always_ff @(posedge clk) begin
    if (rst) begin
      mode           <= MODE_WRITE;
      last_wr        <= 1'b0;
      last_rd        <= 1'b0;
      last_discarded <= 1'b0;
      last_pos       <= '0;
      pin_pos        <= '0;
      committed      <= '0;
      next_pos       <= '0;
      replaying      <= 1'b0;
      rx_byte_index  <= 2'd0;
      rx_shift_low   <= 24'd0;
      ft_order_fault <= 1'b0;
      idle_cycles    <= '0;
      unflushed      <= 1'b0;
    end else begin
      mode           <= mode_next;
      // The pins of this edge become the last edge's.
      last_wr        <= !ft_wr_n;
      last_rd        <= !ft_rd_n && !ft_oe_n;
      last_discarded <= byte_refused;
      last_pos       <= pin_pos;
      if (present) pin_pos <= present_pos;
      next_pos       <= present_pos + POS_BITS'(present);
      committed      <= committed + POS_BITS'(byte_sent);
      replaying      <= replaying_next;
      if (last_wr && last_discarded && !txe_q) ft_order_fault <= 1'b1;
      if (byte_received) begin
        rx_byte_index <= rx_byte_index_next;
        case (rx_byte_index)
          2'd0: rx_shift_low[7:0] <= din_q;
          2'd1: rx_shift_low[15:8] <= din_q;
          2'd2: rx_shift_low[23:16] <= din_q;
          default: ;
        endcase
      end
      if (byte_sent || last_wr || !ft_wr_n || bytes_held != '0) begin
        idle_cycles <= '0;
        unflushed   <= unflushed || byte_sent;
      end else if (flush) begin
        unflushed   <= 1'b0;
        idle_cycles <= '0;
      end else if (unflushed) begin
        idle_cycles <= idle_cycles + IDLE_BITS'(1);
      end
    end
  end
endmodule
