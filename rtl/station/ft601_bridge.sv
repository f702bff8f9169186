// FT601 bridge (docs/station.md, "FT601 bridge"): the 245 synchronous FIFO master on the FT601's
// clock, 32-bit bus. All bus outputs are registers. Writes: a word transfers at each rising edge
// with WR_N and TXE_N low; the word stays on DATA until it does. Reads take priority: when RXF_N is
// low and the incoming FIFO has room, stop driving DATA and pull OE_N low (turnaround), then RD_N;
// a word transfers at each edge with RD_N and RXF_N low; back to writing after a second turnaround
// when RXF_N goes high or the incoming FIFO fills. The FPGA never drives DATA while OE_N is low.
module ft601_bridge #(
    parameter int unsigned IN_FREE_BITS = 5
) (
    input  logic                    clk,
    input  logic                    rst,
    input  logic                    txe_n,
    input  logic                    rxf_n,
    input  logic [31:0]             data_in,
    output logic [31:0]             data_out,
    output logic                    data_oe,
    output logic [3:0]              be,
    output logic                    wr_n,
    output logic                    rd_n,
    output logic                    oe_n,
    input  logic                    out_available,  // the outgoing FIFO has a word
    input  logic [31:0]             out_word,
    output logic                    out_pop,
    input  logic [IN_FREE_BITS-1:0] in_free_words,  // room in the incoming FIFO
    output logic                    in_push,
    output logic [31:0]             in_word
);
  typedef enum logic [1:0] {
    MODE_WRITE,
    MODE_TURN_TO_READ,
    MODE_READ,
    MODE_TURN_TO_WRITE
  } mode_t;

  mode_t mode;
  logic holding;  // data_out holds a word the chip has not taken yet
  // The strobes are kept as active-high registers and inverted at the pins: FPGA flip-flops power up
  // at 0, so WR_N, RD_N and OE_N read inactive (high) from power-up on, before any clock edge.
  logic wr, rd, oe;
  assign wr_n = !wr;
  assign rd_n = !rd;
  assign oe_n = !oe;
  logic word_sent, word_taken, still_holding, in_has_room, room_after, go_read;

  assign word_sent = !wr_n && !txe_n;
  assign word_taken = !rd_n && !rxf_n;
  assign still_holding = holding && !word_sent;
  assign in_has_room = in_free_words != '0;
  assign room_after = in_free_words > (word_taken ? IN_FREE_BITS'(1) : IN_FREE_BITS'(0));
  assign go_read = !rxf_n && in_has_room;
  assign out_pop = mode == MODE_WRITE && !go_read && !still_holding && out_available;
  assign in_push = mode == MODE_READ && word_taken;
  assign in_word = data_in;
  assign be = 4'hF;  // every word the FPGA writes is whole

  always_ff @(posedge clk) begin
    if (rst) begin
      mode     <= MODE_WRITE;
      holding  <= 1'b0;
      data_out <= 32'd0;
      data_oe  <= 1'b1;
      wr       <= 1'b0;
      rd       <= 1'b0;
      oe       <= 1'b0;
    end else begin
      case (mode)
        MODE_WRITE: begin
          if (go_read) begin
            mode    <= MODE_TURN_TO_READ;
            holding <= still_holding;
            data_oe <= 1'b0;
            oe      <= 1'b1;
            wr      <= 1'b0;
          end else begin
            if (out_pop) data_out <= out_word;
            holding <= still_holding || out_pop;
            wr      <= (still_holding || out_pop) && !txe_n;
          end
        end
        MODE_TURN_TO_READ: begin
          mode <= MODE_READ;
          rd   <= go_read;
        end
        MODE_READ: begin
          if (rxf_n || !room_after) begin
            mode <= MODE_TURN_TO_WRITE;
            oe   <= 1'b0;
            rd   <= 1'b0;
          end else begin
            rd   <= 1'b1;
          end
        end
        default: begin  // MODE_TURN_TO_WRITE
          mode    <= MODE_WRITE;
          data_oe <= 1'b1;
        end
      endcase
    end
  end
endmodule
