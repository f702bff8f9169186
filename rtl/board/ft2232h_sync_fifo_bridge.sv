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
// FT2232H bus, all outputs registered (FT2232H datasheet, "FT245 Synchronous FIFO Interface"):
//   write: a byte transfers at each rising CLKOUT edge with WR# and TXE# low; the byte stays on
//          the bus until it has.
//   read:  reads take priority (commands are short); when RXF# is low and a word has room, stop
//          driving the bus and pull OE# low (turnaround), then RD#; a byte transfers at each edge
//          with RD# and RXF# low. Back to writing after a turnaround cycle. The FPGA never drives
//          the bus while OE# is low.
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
    // FT2232H channel A
    input  logic        ft_rxf_n,
    input  logic        ft_txe_n,
    input  logic [ 7:0] ft_data_in,
    output logic [ 7:0] ft_data_out,
    output logic        ft_data_oe,
    output logic        ft_rd_n,
    output logic        ft_wr_n,
    output logic        ft_oe_n,
    output logic        ft_siwu_n,
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
  localparam int unsigned IDLE_BITS = $clog2(IDLE_FLUSH_CYCLES + 1);

  // --- word buffers towards the host (tx) and from the host (rx) -----------------------------
  logic [31:0] tx_words[WORDS], rx_words[WORDS];
  logic [INDEX_BITS-1:0] tx_head, tx_tail, rx_head, rx_tail;
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
      tx_head  <= '0;
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
      if (tx_pop) tx_head <= tx_head + INDEX_BITS'(1);
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

  // --- the FT2232H bus ----------------------------------------------------------------------
  typedef enum logic [1:0] {
    MODE_WRITE,
    MODE_TURN_TO_READ,
    MODE_READ,
    MODE_TURN_TO_WRITE
  } mode_t;

  mode_t mode;
  logic [31:0] tx_shift;      // the word being sent, next byte in [7:0]
  logic [2:0] tx_bytes_left;  // bytes of tx_shift not yet on the bus
  logic holding;              // ft_data_out holds a byte the chip has not taken
  logic [1:0] rx_byte_index;  // bytes of the next command word received so far
  logic byte_sent, byte_taken, still_holding, byte_ready, load_byte;
  logic rx_room, go_read;
  logic [IDLE_BITS-1:0] idle_cycles;
  logic unflushed;            // bytes went to the chip since the last SIWU# pulse

  assign byte_sent = !ft_wr_n && !ft_txe_n;
  assign byte_taken = !ft_rd_n && !ft_rxf_n;
  assign still_holding = holding && !byte_sent;
  // A whole word of room, so that a word being assembled always finds its place.
  assign rx_room = rx_count_next < COUNT_BITS'(WORDS);
  assign go_read = !ft_rxf_n && rx_room;
  assign byte_ready = tx_bytes_left != 3'd0 || tx_count != '0;
  assign load_byte = mode == MODE_WRITE && !go_read && !still_holding && byte_ready;
  assign tx_pop = load_byte && tx_bytes_left == 3'd0;
  assign rx_push = mode == MODE_READ && byte_taken && rx_byte_index == 2'd3;
  assign rx_assembled = {ft_data_in, rx_shift_low};

  always_ff @(posedge clk) begin
    if (rst) begin
      mode          <= MODE_WRITE;
      holding       <= 1'b0;
      tx_shift      <= 32'd0;
      tx_bytes_left <= 3'd0;
      rx_byte_index <= 2'd0;
      rx_shift_low  <= 24'd0;
      ft_data_out   <= 8'd0;
      ft_data_oe    <= 1'b1;
      ft_wr_n       <= 1'b1;
      ft_rd_n       <= 1'b1;
      ft_oe_n       <= 1'b1;
    end else begin
      case (mode)
        MODE_WRITE: begin
          if (go_read) begin
            // Stop driving the bus in the same edge as OE# goes low; a held byte waits.
            mode       <= MODE_TURN_TO_READ;
            holding    <= still_holding;
            ft_data_oe <= 1'b0;
            ft_oe_n    <= 1'b0;
            ft_wr_n    <= 1'b1;
          end else begin
            if (load_byte) begin
              if (tx_bytes_left == 3'd0) begin
                ft_data_out   <= tx_words[tx_head][7:0];
                tx_shift      <= {8'd0, tx_words[tx_head][31:8]};
                tx_bytes_left <= 3'd3;
              end else begin
                ft_data_out   <= tx_shift[7:0];
                tx_shift      <= {8'd0, tx_shift[31:8]};
                tx_bytes_left <= tx_bytes_left - 3'd1;
              end
            end
            holding <= still_holding || load_byte;
            ft_wr_n <= !((still_holding || load_byte) && !ft_txe_n);
          end
        end
        MODE_TURN_TO_READ: begin
          mode    <= MODE_READ;
          ft_rd_n <= !go_read;
        end
        MODE_READ: begin
          if (byte_taken) begin
            rx_byte_index <= rx_byte_index + 2'd1;
            case (rx_byte_index)
              2'd0: rx_shift_low[7:0] <= ft_data_in;
              2'd1: rx_shift_low[15:8] <= ft_data_in;
              2'd2: rx_shift_low[23:16] <= ft_data_in;
              default: ;
            endcase
          end
          if (ft_rxf_n || !rx_room) begin
            mode    <= MODE_TURN_TO_WRITE;
            ft_rd_n <= 1'b1;
            ft_oe_n <= 1'b1;
          end else begin
            ft_rd_n <= 1'b0;
          end
        end
        MODE_TURN_TO_WRITE: begin
          mode       <= MODE_WRITE;
          ft_data_oe <= 1'b1;
          ft_wr_n    <= !(holding && !ft_txe_n);
        end
        default: mode <= MODE_WRITE;
      endcase
    end
  end

  // Power-up values, before the first clock edge in reset: no FT2232H strobe asserted, nothing
  // offered to the station (an FPGA's flip-flops would otherwise wake up low: WR#, RD# and OE# all
  // asserted at once).
  initial begin
    ft_wr_n   = 1'b1;
    ft_rd_n   = 1'b1;
    ft_oe_n   = 1'b1;
    ft_siwu_n = 1'b1;
    st_txe_n  = 1'b1;
    st_rxf_n  = 1'b1;
  end

  // SIWU#: one low pulse once the stream has paused with bytes handed to the chip.
  always_ff @(posedge clk) begin
    if (rst) begin
      idle_cycles <= '0;
      unflushed   <= 1'b0;
      ft_siwu_n   <= 1'b1;
    end else begin
      ft_siwu_n <= 1'b1;
      if (byte_sent || holding || byte_ready) begin
        idle_cycles <= '0;
        unflushed   <= unflushed || byte_sent;
      end else if (unflushed) begin
        if (idle_cycles == IDLE_BITS'(IDLE_FLUSH_CYCLES)) begin
          ft_siwu_n   <= 1'b0;
          unflushed   <= 1'b0;
          idle_cycles <= '0;
        end else begin
          idle_cycles <= idle_cycles + IDLE_BITS'(1);
        end
      end
    end
  end
endmodule
