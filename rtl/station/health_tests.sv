// Weak-source health tests, NIST SP 800-90B section 4.4 (docs/station.md, "Health tests"): the
// repetition count test and the adaptive proportion test, on every weak-source bit. A failure
// fires when a count *becomes* equal to its cutoff (once per run / once per window); the alarms
// latch until CLEAR.
module health_tests (
    input  logic        clk,
    input  logic        rst,
    input  logic        clear,
    input  logic        ws_rise,
    input  logic        ws_bit,
    input  logic [31:0] rct_cutoff,
    input  logic [31:0] apt_cutoff,
    output logic        rct_failure,
    output logic        apt_failure,
    output logic        rct_alarm,
    output logic        apt_alarm
);
  localparam int unsigned POSITION_BITS = $clog2(dira_pkg::APT_WINDOW_BITS);
  localparam int unsigned MATCH_BITS = POSITION_BITS + 1;  // counts up to APT_WINDOW_BITS
  localparam logic [POSITION_BITS-1:0] LAST_POSITION = POSITION_BITS'(dira_pkg::APT_WINDOW_BITS - 1);

  logic                     rct_last_bit;
  logic [31:0]              rct_run_bits;  // saturating
  logic                     apt_first_bit;
  logic [MATCH_BITS-1:0]    apt_matches;
  logic [POSITION_BITS-1:0] apt_position;  // of the next bit in its window; 0 starts a window

  logic repeat_bit, run_grows, window_start, match;
  logic [31:0] run_bits_next;
  logic [MATCH_BITS-1:0] matches_next;

  assign repeat_bit = ws_bit == rct_last_bit;
  assign run_grows = !repeat_bit || rct_run_bits != 32'hFFFF_FFFF;
  assign run_bits_next = !repeat_bit ? 32'd1 : (run_grows ? rct_run_bits + 32'd1 : rct_run_bits);
  assign rct_failure = ws_rise && run_grows && run_bits_next == rct_cutoff;

  assign window_start = apt_position == '0;
  assign match = ws_bit == apt_first_bit;
  assign matches_next = window_start ? MATCH_BITS'(1) : apt_matches + MATCH_BITS'(match);
  assign apt_failure = ws_rise && (window_start || match) && 32'(matches_next) == apt_cutoff;

  always_ff @(posedge clk) begin
    if (rst || clear) begin
      rct_last_bit  <= 1'b0;
      rct_run_bits  <= 32'd0;
      apt_first_bit <= 1'b0;
      apt_matches   <= '0;
      apt_position  <= '0;
      rct_alarm     <= 1'b0;
      apt_alarm     <= 1'b0;
    end else if (ws_rise) begin
      rct_last_bit  <= ws_bit;
      rct_run_bits  <= run_bits_next;
      apt_first_bit <= window_start ? ws_bit : apt_first_bit;
      apt_matches   <= matches_next;
      apt_position  <= apt_position == LAST_POSITION ? '0 : apt_position + 1'b1;
      rct_alarm     <= rct_alarm || rct_failure;
      apt_alarm     <= apt_alarm || apt_failure;
    end
  end
endmodule
