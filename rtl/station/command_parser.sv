// Command parser (docs/station.md, "Register file"): pairs the incoming USB words into register
// commands (word 0, value) and holds one until the register file executes it, in a cycle where
// the reply FIFO has room (`execute`). The next command's words load while one is held.
module command_parser (
    input  logic        clk,
    input  logic        rst,
    input  logic        word_available,  // the incoming FIFO has a word
    input  logic [31:0] word,
    output logic        pop,
    input  logic        reply_ready,     // the reply FIFO can take a reply
    output logic        execute,         // the held command executes in this cycle
    output logic [31:0] command_word0,
    output logic [31:0] command_value
);
  logic have_word0, command_valid, slot_free;
  logic [31:0] word0;

  assign execute = command_valid && reply_ready;
  assign slot_free = !command_valid || execute;
  assign pop = word_available && (!have_word0 || slot_free);

  always_ff @(posedge clk) begin
    if (rst) begin
      have_word0    <= 1'b0;
      word0         <= 32'd0;
      command_valid <= 1'b0;
      command_word0 <= 32'd0;
      command_value <= 32'd0;
    end else begin
      if (execute) command_valid <= 1'b0;
      if (pop && !have_word0) begin
        word0      <= word;
        have_word0 <= 1'b1;
      end else if (pop) begin
        command_word0 <= word0;
        command_value <= word;
        command_valid <= 1'b1;
        have_word0    <= 1'b0;
      end
    end
  end
endmodule
