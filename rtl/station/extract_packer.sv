// One packer: bits in arrival order, W to a word (bit i of word w = bit wW+i), `target` bits per
// block; a word is offered for one cycle when it is whole or holds the block's last bit.
module extract_packer #(
    parameter int W = 32
) (
    input  logic         clk,
    input  logic         rst,
    input  logic         restart,      // a block starts: forget everything
    input  logic         bit_valid,
    input  logic         bit_in,
    input  logic         engine_busy,  // collect only while the engine has a block
    input  logic [31:0]  target,
    output logic         word_valid,
    output logic [W-1:0] word_data
);
  logic [W-1:0] word, word_next;
  logic [$clog2(W)-1:0] fill;
  logic [31:0] collected;
  logic collect, complete;

  assign collect = bit_valid && engine_busy && collected != target;
  assign complete = collect && (fill == $clog2(W)'(W - 1) || collected + 32'd1 == target);
  always_comb begin
    word_next = word;
    word_next[fill] = bit_in;
  end

  always_ff @(posedge clk) begin
    if (rst || restart) begin
      word       <= '0;
      fill       <= '0;
      collected  <= 32'd0;
      word_valid <= 1'b0;
    end else begin
      word_valid <= complete;
      if (complete) word_data <= word_next;
      if (collect) begin
        collected <= collected + 32'd1;
        word      <= complete ? '0 : word_next;
        fill      <= complete ? '0 : fill + 1'b1;
      end
    end
  end
endmodule
