// The station's extractor (docs/station.md, "Extractor"): dira_extract (rtl/extract) with two
// packers in front. x: the outcome bit of every record that enters the record FIFO; y: each
// weak-source bit that the next strobe superseded before a trigger used it. A START (EXTRACT_CONTROL)
// accepted in cycle c reaches the engine in cycle c+1 with the registers of that cycle; the packers
// collect while the engine is busy, and its z words wait for the framer (z_pop). With EXTRACTOR = 0
// nothing is built and EXTRACT_STATUS reads EXTRACT_STATUS_ABSENT.
module station_extractor #(
    parameter int unsigned EXTRACTOR = 1
) (
    // Lint waiver: without the extractor the inputs go nowhere.
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic                          clk,
    input  logic                          rst,
    input  logic                          start_cmd,   // EXTRACT_CONTROL written with START
    input  logic [dira_pkg::EXTRACT_KIND_BITS-1:0] cfg_kind, // EXTRACT_CONTROL.KIND during the cycle
    input  logic [31:0]                   cfg_n_bits,  // EXTRACT_N_BITS
    input  logic [31:0]                   cfg_m_bits,  // EXTRACT_M_BITS
    input  logic                          x_bit_valid, // a record entered the record FIFO ...
    input  logic                          x_bit,       // ... with this outcome
    input  logic                          y_bit_valid, // a weak-source bit was superseded unused ...
    input  logic                          y_bit,       // ... this one
    input  logic                          z_pop,       // the framer took the z word
    /* verilator lint_on UNUSEDSIGNAL */
    output logic                          z_valid,
    output logic [dira_pkg::EXTRACT_P-1:0] z_data,
    output logic                          block_done,  // the block's last z word went out (EXTRACT_BLOCKS)
    output logic [31:0]                   status_word  // EXTRACT_STATUS
);
  localparam int W = dira_pkg::EXTRACT_W;
  localparam int P = dira_pkg::EXTRACT_P;

  if (EXTRACTOR != 0) begin : g_extractor
    logic start_q, ext_busy, ext_done, busy, accept, done_latched, start_refused, z_last;
    logic x_valid, y_valid;
    logic [W-1:0] x_data, y_data;
    localparam int KB = dira_pkg::EXTRACT_KIND_BITS;
    localparam logic [KB-1:0] K_CIRCULANT = KB'(dira_pkg::EXTRACT_KIND_CIRCULANT), K_TOEPLITZ = KB'(dira_pkg::EXTRACT_KIND_TOEPLITZ);
    logic [dira_pkg::EXTRACT_CODE_BITS-1:0] ext_status;
    logic [31:0] x_bits, y_bits, x_target, y_target;

    assign busy = start_q || ext_busy;
    assign accept = start_cmd && !busy;
    // The lengths the kind needs (docs/extraction.md section 1): circulant x n-1, toeplitz y n+m-1.
    assign x_bits = cfg_kind == K_CIRCULANT ? cfg_n_bits - 32'd1 : cfg_n_bits;
    assign y_bits = cfg_kind == K_TOEPLITZ ? cfg_n_bits + cfg_m_bits - 32'd1 : cfg_n_bits;

    always_ff @(posedge clk) begin
      if (rst) begin
        start_q       <= 1'b0;
        done_latched  <= 1'b0;
        start_refused <= 1'b0;
        x_target      <= 32'd0;
        y_target      <= 32'd0;
      end else begin
        start_q <= accept;
        if (ext_done) done_latched <= 1'b1;
        if (start_cmd && busy) start_refused <= 1'b1;
        if (accept) begin  // an accepted START wins over a DONE of the same cycle
          done_latched  <= 1'b0;
          start_refused <= 1'b0;
        end
        if (start_q) begin
          x_target <= x_bits;
          y_target <= y_bits;
        end
      end
    end

    extract_packer #(.W(W)) u_x_packer (
        .clk, .rst, .restart(start_q), .bit_valid(x_bit_valid), .bit_in(x_bit), .engine_busy(ext_busy),
        .target(x_target), .word_valid(x_valid), .word_data(x_data)
    );
    extract_packer #(.W(W)) u_y_packer (
        .clk, .rst, .restart(start_q), .bit_valid(y_bit_valid), .bit_in(y_bit), .engine_busy(ext_busy),
        .target(y_target), .word_valid(y_valid), .word_data(y_data)
    );

    // Lint waiver: the packers offer a word only while the engine loads that input, so the
    // engine is always ready for it and x_ready / y_ready need no look.
    /* verilator lint_off PINCONNECTEMPTY */
    dira_extract #(.W(W), .P(P), .ADDR_BITS(dira_pkg::EXTRACT_ADDR_BITS)) u_engine (
        .clk, .rst_n(!rst), .start(start_q), .cfg_kind, .cfg_x_bits(x_bits), .cfg_y_bits(y_bits),
        .cfg_m_bits, .busy(ext_busy), .done(ext_done), .status(ext_status),
        .x_valid, .x_ready(), .x_data, .y_valid, .y_ready(), .y_data,
        .z_valid, .z_ready(z_pop), .z_data, .z_last
    );
    /* verilator lint_on PINCONNECTEMPTY */

    assign block_done = z_valid && z_pop && z_last;
    assign status_word = {26'd0, ext_status, start_refused, done_latched || ext_done, busy};
  end else begin : g_none
    assign z_valid = 1'b0;
    assign z_data = '0;
    assign block_done = 1'b0;
    assign status_word = dira_pkg::EXTRACT_STATUS_ABSENT;
  end
endmodule
