// Basis selector (docs/station.md, "Basis selector"): on a trigger edge while RUNNING, load the
// freshest weak-source bit into the setting register (served), or count the trigger as late when
// a trial is open. It hands out trial indices and so decides DONE (trial limit reached).
module basis_selector (
    input  logic        clk,
    input  logic        rst,
    input  logic        clear,           // CONTROL.CLEAR written in this cycle
    input  logic        trigger_rise,
    input  logic        ws_rise,
    input  logic        ws_bit,
    input  logic        run,             // CONTROL.RUN
    input  logic [31:0] trial_limit,     // TRIAL_LIMIT, 0 = none
    input  logic        trial_open,
    output logic        running,         // STATUS.RUNNING
    output logic        done,            // STATUS.DONE
    output logic        served,
    output logic        late,
    output logic        chosen_setting,  // the bit a served trigger drives
    output logic        ws_reused,       // ... and it is not fresh
    output logic [63:0] trial_index,     // the index the trigger of this cycle gets
    output logic        setting_out,
    output logic        setting_strobe,
    output logic        superseded,      // a strobe replaces a bit no trigger used ...
    output logic        superseded_bit   // ... this one (the extractor's y)
);
  logic ws_latest, ws_fresh, trigger;

  assign done = trial_limit != 32'd0 && trial_index >= {32'd0, trial_limit};
  assign running = run && !done;
  assign trigger = trigger_rise && running;
  assign served = trigger && !trial_open;
  assign late = trigger && trial_open;
  assign chosen_setting = ws_rise ? ws_bit : ws_latest;
  assign ws_reused = !ws_rise && !ws_fresh;
  assign superseded = ws_rise && ws_fresh;
  assign superseded_bit = ws_latest;

  always_ff @(posedge clk) begin
    if (rst) begin
      ws_latest      <= 1'b0;
      ws_fresh       <= 1'b0;
      setting_out    <= 1'b0;
      setting_strobe <= 1'b0;
      trial_index    <= 64'd0;
    end else begin
      if (ws_rise) ws_latest <= ws_bit;
      ws_fresh <= !served && (ws_rise || ws_fresh);
      if (served) setting_out <= chosen_setting;
      setting_strobe <= served;
      if (clear) trial_index <= 64'd0;
      else if (trigger) trial_index <= trial_index + 64'd1;
    end
  end
endmodule
