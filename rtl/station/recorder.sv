// Recorder (docs/station.md, "Recorder"): builds the record of a closing trial, or of a late
// trigger one cycle after it came, and commits it to the record FIFO when that can take it
// (`pushed`), else drops it (`dropped`, counted in RECORDS_DROPPED). At most one record is due per
// cycle: a late trigger's record waits exactly the cycle in which the trial it interrupted closes.
module recorder (
    input  logic        clk,
    input  logic        rst,
    input  logic        clear,
    input  logic [63:0] cycle,
    input  logic        late,
    input  logic [63:0] trial_index,
    input  logic        close,
    input  logic        captured,
    input  logic        interrupted,
    input  logic        missing,
    input  logic        outcome,
    input  logic [63:0] open_index,
    input  logic [63:0] open_t_trigger,
    input  logic [63:0] open_t_setting,
    input  logic        open_setting,
    input  logic        open_ws_reused,
    input  logic        rct_alarm,
    input  logic        apt_alarm,
    input  logic        record_ready,
    output logic        pushed,
    output logic        dropped,
    output logic [dira_pkg::RECORD_WORDS*32-1:0] record_words
);
  localparam int unsigned BITS_BASE = dira_pkg::RECORD_WORD_BITS * 32;

  logic        late_pending;
  logic [63:0] late_index, late_t_trigger;
  logic        commit;
  logic [63:0] r_index, r_t_trigger, r_t_setting, r_t_outcome;
  logic        r_setting, r_outcome;
  logic [dira_pkg::RECORD_FLAGS_WIDTH-1:0] r_flags;

  assign commit  = close || late_pending;
  assign pushed  = commit && record_ready;
  assign dropped = commit && !record_ready;

  always_comb begin
    r_flags = '0;
    r_flags[dira_pkg::FLAG_HEALTH_RCT_BIT] = rct_alarm;
    r_flags[dira_pkg::FLAG_HEALTH_APT_BIT] = apt_alarm;
    if (close) begin
      r_index     = open_index;
      r_t_trigger = open_t_trigger;
      r_t_setting = open_t_setting;
      r_t_outcome = captured ? cycle : 64'd0;
      r_setting   = open_setting;
      r_outcome   = captured ? outcome : dira_pkg::FIXED_OUTCOME_WHEN_MISSING[0];
      r_flags[dira_pkg::FLAG_WS_REUSED_BIT] = open_ws_reused;
      r_flags[dira_pkg::FLAG_OUTCOME_MISSING_BIT] = missing;
      r_flags[dira_pkg::FLAG_INTERRUPTED_BIT] = interrupted;
    end else begin
      r_index     = late_index;
      r_t_trigger = late_t_trigger;
      r_t_setting = 64'd0;
      r_t_outcome = 64'd0;
      r_setting   = dira_pkg::FIXED_SETTING_WHEN_LATE[0];
      r_outcome   = dira_pkg::FIXED_OUTCOME_WHEN_MISSING[0];
      r_flags[dira_pkg::FLAG_TRIGGER_LATE_BIT] = 1'b1;
    end
  end

  always_comb begin
    record_words = '0;
    record_words[dira_pkg::RECORD_WORD_TRIAL_INDEX*32+:64] = r_index;
    record_words[dira_pkg::RECORD_WORD_T_TRIGGER*32+:64] = r_t_trigger;
    record_words[dira_pkg::RECORD_WORD_T_SETTING*32+:64] = r_t_setting;
    record_words[dira_pkg::RECORD_WORD_T_OUTCOME*32+:64] = r_t_outcome;
    record_words[BITS_BASE+dira_pkg::RECORD_SETTING_BIT] = r_setting;
    record_words[BITS_BASE+dira_pkg::RECORD_OUTCOME_BIT] = r_outcome;
    record_words[BITS_BASE+dira_pkg::RECORD_FLAGS_SHIFT+:dira_pkg::RECORD_FLAGS_WIDTH] = r_flags;
  end

  always_ff @(posedge clk) begin
    if (rst || clear) begin
      late_pending   <= 1'b0;
      late_index     <= 64'd0;
      late_t_trigger <= 64'd0;
    end else begin
      late_pending <= late;
      if (late) begin
        late_index     <= trial_index;
        late_t_trigger <= cycle;
      end
    end
  end
endmodule
