// A first-word-fall-through FIFO between two clock domains, with Gray-coded pointers that cross
// through two synchroniser flops each way. full/free_words are for the write side (pessimistic:
// they see reads late), empty/head for the read side (pessimistic: it sees writes late). A push
// when full or a pop when empty is ignored. Both resets must overlap (the board resets both).
module async_fifo #(
    parameter int unsigned WIDTH     = 32,
    parameter int unsigned ADDR_BITS = 4
) (
    input  logic                 wclk,
    input  logic                 wrst,
    input  logic                 push,
    input  logic [WIDTH-1:0]     push_data,
    output logic                 full,
    output logic [ADDR_BITS:0]   free_words,
    input  logic                 rclk,
    input  logic                 rrst,
    input  logic                 pop,
    output logic [WIDTH-1:0]     head,
    output logic                 empty
);
  localparam int unsigned DEPTH = 1 << ADDR_BITS;

  function automatic logic [ADDR_BITS:0] to_gray(input logic [ADDR_BITS:0] b);
    to_gray = b ^ (b >> 1);
  endfunction
  function automatic logic [ADDR_BITS:0] from_gray(input logic [ADDR_BITS:0] g);
    logic [ADDR_BITS:0] b;
    b[ADDR_BITS] = g[ADDR_BITS];
    for (int i = ADDR_BITS; i > 0; i--) b[i-1] = b[i] ^ g[i-1];
    from_gray = b;
  endfunction

  logic [WIDTH-1:0] mem[DEPTH];

  // --- write side --------------------------------------------------------------------------
  logic [ADDR_BITS:0] wbin, wgray;
  (* ASYNC_REG = "TRUE" *) logic [ADDR_BITS:0] rgray_w1, rgray_w2;
  logic do_push;

  // Full: the write pointer is one lap ahead of the read pointer (top two Gray bits differ).
  assign full = wgray == {~rgray_w2[ADDR_BITS:ADDR_BITS-1], rgray_w2[ADDR_BITS-2:0]};
  assign free_words = (ADDR_BITS + 1)'(DEPTH) - (wbin - from_gray(rgray_w2));
  assign do_push = push && !full;

  always_ff @(posedge wclk) begin
    if (do_push) mem[wbin[ADDR_BITS-1:0]] <= push_data;
  end

  always_ff @(posedge wclk) begin
    if (wrst) begin
      wbin     <= '0;
      wgray    <= '0;
      rgray_w1 <= '0;
      rgray_w2 <= '0;
    end else begin
      if (do_push) begin
        wbin  <= wbin + 1'b1;
        wgray <= to_gray(wbin + 1'b1);
      end
      rgray_w1 <= rgray;
      rgray_w2 <= rgray_w1;
    end
  end

  // --- read side ---------------------------------------------------------------------------
  logic [ADDR_BITS:0] rbin, rgray;
  (* ASYNC_REG = "TRUE" *) logic [ADDR_BITS:0] wgray_r1, wgray_r2;
  logic do_pop;

  assign empty = rgray == wgray_r2;
  assign head = mem[rbin[ADDR_BITS-1:0]];
  assign do_pop = pop && !empty;

  always_ff @(posedge rclk) begin
    if (rrst) begin
      rbin     <= '0;
      rgray    <= '0;
      wgray_r1 <= '0;
      wgray_r2 <= '0;
    end else begin
      if (do_pop) begin
        rbin  <= rbin + 1'b1;
        rgray <= to_gray(rbin + 1'b1);
      end
      wgray_r1 <= wgray;
      wgray_r2 <= wgray_r1;
    end
  end
endmodule
