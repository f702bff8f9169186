// A first-word-fall-through FIFO of WORDS-word entries in one clock domain (record FIFO, reply
// FIFO). The reader sees one 32-bit word of the head entry at a time, the one `head_select`
// picks: all the framer needs, and no wide read mux. A push when full or a pop when empty is
// ignored: the users look at full/count first. DEPTH: a power of two; WORDS: at least 2.
module sync_fifo #(
    parameter int unsigned WORDS = 2,
    parameter int unsigned DEPTH = 4
) (
    input  logic                       clk,
    input  logic                       rst,
    input  logic                       push,
    input  logic [32*WORDS-1:0]        push_data,
    input  logic                       pop,
    input  logic [$clog2(WORDS)-1:0]   head_select,
    output logic [31:0]                head_word,
    output logic [$clog2(DEPTH+1)-1:0] count,  // entries held
    output logic                       full
);
  localparam int unsigned ADDR_BITS = $clog2(DEPTH);
  localparam int unsigned COUNT_BITS = $clog2(DEPTH + 1);

  logic [32*WORDS-1:0] mem[DEPTH];
  logic [ADDR_BITS-1:0] head_ptr, tail_ptr;
  logic do_push, do_pop;

  assign full = count == COUNT_BITS'(DEPTH);
  assign do_push = push && !full;
  assign do_pop = pop && count != '0;
  assign head_word = mem[head_ptr][32*head_select+:32];

  always_ff @(posedge clk) begin
    if (do_push) mem[tail_ptr] <= push_data;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      head_ptr <= '0;
      tail_ptr <= '0;
      count    <= '0;
    end else begin
      if (do_push) tail_ptr <= tail_ptr + 1'b1;
      if (do_pop) head_ptr <= head_ptr + 1'b1;
      count <= count + COUNT_BITS'(do_push) - COUNT_BITS'(do_pop);
    end
  end
endmodule
