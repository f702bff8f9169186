// Readout capture (docs/station.md, "Readout capture"): the open trial and its readout window.
// The trial closes in the cycle it captures an outcome, reaches the end of its window, or is
// interrupted by a late trigger; `age` counts cycles since t_setting.
module readout_capture (
    input  logic        clk,
    input  logic        rst,
    input  logic        clear,
    input  logic [63:0] cycle,
    input  logic [63:0] cycle_next,          // cycle + 1 (t_setting of a trial served now)
    input  logic        readout_rise,
    input  logic        readout_bit,
    input  logic        served,
    input  logic        late,
    input  logic        chosen_setting,
    input  logic        ws_reused,
    input  logic [63:0] trial_index,
    input  logic [31:0] window_open_cycles,
    input  logic [31:0] window_close_cycles,
    output logic        trial_open,
    output logic        close,               // the open trial closes in this cycle
    output logic        captured,            // ... with an outcome
    output logic        interrupted,         // ... cut short by a late trigger
    output logic        missing,             // ... without an outcome
    output logic        stray,               // a readout strobe that captured nothing
    output logic        outcome,
    output logic [63:0] open_index,
    output logic [63:0] open_t_trigger,
    output logic [63:0] open_t_setting,
    output logic        open_setting,
    output logic        open_ws_reused
);
  logic [31:0] age;  // cycle - open_t_setting; the trial closes before it can wrap
  logic in_window, window_ended;

  assign in_window = age >= window_open_cycles && age <= window_close_cycles;
  assign captured = trial_open && readout_rise && in_window;
  assign window_ended = trial_open && !captured && age >= window_close_cycles;
  assign interrupted = trial_open && !captured && !window_ended && late;
  assign missing = window_ended || interrupted;
  assign close = captured || missing;
  assign stray = readout_rise && !captured;
  assign outcome = captured && readout_bit;

  always_ff @(posedge clk) begin
    if (rst || clear) begin
      trial_open     <= 1'b0;
      age            <= 32'd0;
      open_index     <= 64'd0;
      open_t_trigger <= 64'd0;
      open_t_setting <= 64'd0;
      open_setting   <= 1'b0;
      open_ws_reused <= 1'b0;
    end else if (served) begin
      trial_open     <= 1'b1;
      age            <= 32'd0;
      open_index     <= trial_index;
      open_t_trigger <= cycle;
      open_t_setting <= cycle_next;
      open_setting   <= chosen_setting;
      open_ws_reused <= ws_reused;
    end else if (close) begin
      trial_open <= 1'b0;
    end else if (trial_open) begin
      age <= age + 32'd1;
    end
  end
endmodule
