// Input synchronisers (docs/station.md, "Time"): dira_pkg::SYNC_STAGES flops against
// metastability, then one more flop for edge detection. A pin high during cycle p is `level` in
// cycle p + SYNC_STAGES, and its rising edge shows on `rise` in that cycle.
module station_sync #(
    parameter int unsigned WIDTH = 1
) (
    input  logic             clk,
    input  logic             rst,
    input  logic [WIDTH-1:0] pin,
    output logic [WIDTH-1:0] level,
    output logic [WIDTH-1:0] rise
);
  localparam int unsigned STAGES = dira_pkg::SYNC_STAGES + 1;

  // Stage i is chain[WIDTH*i +: WIDTH]; stage 0 samples the pins.
  (* ASYNC_REG = "TRUE" *) logic [WIDTH*STAGES-1:0] chain;

  always_ff @(posedge clk) begin
    if (rst) chain <= '0;
    else chain <= {chain[WIDTH*(STAGES-1)-1:0], pin};
  end

  assign level = chain[WIDTH*(STAGES-1)-1-:WIDTH];
  assign rise  = level & ~chain[WIDTH*STAGES-1-:WIDTH];
endmodule
