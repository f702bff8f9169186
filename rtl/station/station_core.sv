// One dira station (docs/station.md): the trial path on the station clock `clk` (synchronisers,
// basis selector, readout capture, recorder, health tests, register file, record and reply FIFOs,
// command parser, framer) and the FT601 bridge on the FT601's clock `usb_clk`, joined by two
// Gray-pointer async FIFOs. Nothing on the trial path waits for USB.
//
// Identification: CLOCK_HZ and STATION_ID are build parameters; with IDENTITY_FROM_STRAPS they
// come from the strap_* inputs instead (board straps, or a simulation that serves both stations
// with one compiled model). The obs_* outputs exist for cosimulation; boards leave them open.
// EXTRACTOR = 0 leaves out the extraction engine (the iCE40 has neither the logic nor the RAM).
module station_core #(
    parameter int unsigned CLOCK_HZ             = dira_pkg::DEFAULT_CLOCK_HZ,
    parameter logic [7:0]  STATION_ID           = 8'd0,
    parameter int unsigned IDENTITY_FROM_STRAPS = 0,    // 1: identification from the strap_* inputs
    parameter int unsigned EXTRACTOR            = 1     // 1: the extraction engine is built
) (
    input  logic        clk,
    input  logic        rst,
    input  logic        trigger_in,
    input  logic        ws_bit_in,
    input  logic        ws_strobe_in,
    input  logic        readout_valid_in,
    input  logic        readout_bit_in,
    output logic        setting_out,
    output logic        setting_strobe_out,
    input  logic        usb_clk,
    input  logic        usb_rst,
    input  logic        ft_txe_n,
    input  logic        ft_rxf_n,
    input  logic [31:0] ft_data_in,
    output logic [31:0] ft_data_out,
    output logic        ft_data_oe,
    output logic [ 3:0] ft_be_out,
    output logic        ft_wr_n,
    output logic        ft_rd_n,
    output logic        ft_oe_n,
    // Lint waiver: the straps are read only when IDENTITY_FROM_STRAPS is set.
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [31:0] strap_clock_hz,
    input  logic [ 7:0] strap_station_id,
    /* verilator lint_on UNUSEDSIGNAL */
    output logic        obs_record_ready,      // the record FIFO can take a record this cycle
    output logic        obs_reg_cmd_valid,     // a register command executes this cycle ...
    output logic [31:0] obs_reg_cmd_word0,     // ... this one
    output logic [31:0] obs_reg_cmd_value,
    output logic        obs_frame_sent,        // the framer wrote a frame's last word this cycle
    output logic        obs_frame_fifo_ready   // the outgoing async FIFO can take a word this cycle
);
  localparam int unsigned RECORD_BITS = dira_pkg::RECORD_WORDS * 32;
  localparam int unsigned RECORD_BITS_BASE = dira_pkg::RECORD_WORD_BITS * 32;  // the word with setting, outcome, flags
  localparam int unsigned RECORD_COUNT_BITS = $clog2(dira_pkg::RECORD_FIFO_DEPTH + 1);
  localparam int unsigned REPLY_COUNT_BITS = $clog2(dira_pkg::REPLY_FIFO_DEPTH + 1);
  // The async FIFOs: 16 words each way is a few USB cycles of slack at full rate.
  localparam int unsigned USB_FIFO_ADDR_BITS = 4;

  // --- synchronised pins -------------------------------------------------------------------
  logic trigger_rise, ws_rise, ws_bit, readout_rise, readout_bit;
  // Lint waiver: the synchroniser gives level and edge of every pin; each pin uses one of them.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [4:0] pin_level, pin_rise;
  /* verilator lint_on UNUSEDSIGNAL */

  station_sync #(.WIDTH(5)) u_sync (
      .clk, .rst,
      .pin({readout_bit_in, readout_valid_in, ws_bit_in, ws_strobe_in, trigger_in}),
      .level(pin_level),
      .rise(pin_rise)
  );
  assign trigger_rise = pin_rise[0];
  assign ws_rise = pin_rise[1];
  assign ws_bit = pin_level[2];
  assign readout_rise = pin_rise[3];
  assign readout_bit = pin_level[4];

  // --- register file -----------------------------------------------------------------------
  logic cmd_execute;
  logic [31:0] cmd_word0, cmd_value, reply_address, reply_value;
  logic control_run, control_test_pattern, clear;
  logic [31:0] window_open_cycles, window_close_cycles, trial_limit, flush_cycles, rct_cutoff, apt_cutoff;
  logic [63:0] cycle, cycle_next;
  logic running, done, trial_open, rct_alarm, apt_alarm;
  logic served, late, missing, stray, rct_failure, apt_failure, pushed, dropped, frame_sent;
  logic extract_start, extract_block_done;
  logic [1:0] extract_kind;
  logic [31:0] extract_n_bits, extract_m_bits, extract_status;

  // Identification: the build parameters, or the straps as they stand during reset.
  logic [31:0] id_clock_hz;
  logic [ 7:0] id_station_id;
  if (IDENTITY_FROM_STRAPS != 0) begin : g_straps
    always_ff @(posedge clk) begin
      if (rst) begin
        id_clock_hz   <= strap_clock_hz;
        id_station_id <= strap_station_id;
      end
    end
  end else begin : g_parameters
    assign id_clock_hz = 32'(CLOCK_HZ);
    assign id_station_id = STATION_ID;
  end

  register_file #(.EXTRACTOR(EXTRACTOR)) u_registers (
      .clk, .rst, .id_clock_hz, .id_station_id,
      .cmd_execute, .cmd_word0, .cmd_value, .reply_address, .reply_value,
      .status_running(running), .status_done(done), .status_trial_open(trial_open),
      .status_rct_alarm(rct_alarm), .status_apt_alarm(apt_alarm),
      .count_triggers(served || late), .count_late_triggers(late), .count_missing_outcomes(missing),
      .count_records_dropped(dropped), .count_frames_sent(frame_sent), .count_stray_strobes(stray),
      .count_rct_failures(rct_failure), .count_apt_failures(apt_failure), .count_ws_bits(ws_rise),
      .count_records(pushed), .count_extract_blocks(extract_block_done), .extract_status,
      .control_run, .control_test_pattern, .clear,
      .window_open_cycles, .window_close_cycles, .trial_limit, .flush_cycles, .rct_cutoff, .apt_cutoff,
      .extract_start, .extract_kind, .extract_n_bits, .extract_m_bits,
      .cycles(cycle)
  );
  assign cycle_next = cycle + 64'd1;

  // --- trial path --------------------------------------------------------------------------
  logic chosen_setting, ws_reused, ws_superseded, ws_superseded_bit;
  logic [63:0] trial_index;

  health_tests u_health (
      .clk, .rst, .clear, .ws_rise, .ws_bit, .rct_cutoff, .apt_cutoff,
      .rct_failure, .apt_failure, .rct_alarm, .apt_alarm
  );

  basis_selector u_basis (
      .clk, .rst, .clear, .trigger_rise, .ws_rise, .ws_bit, .run(control_run), .trial_limit, .trial_open,
      .running, .done, .served, .late, .chosen_setting, .ws_reused, .trial_index,
      .setting_out, .setting_strobe(setting_strobe_out),
      .superseded(ws_superseded), .superseded_bit(ws_superseded_bit)
  );

  logic close, captured, interrupted, outcome, open_setting, open_ws_reused;
  logic [63:0] open_index, open_t_trigger, open_t_setting;

  readout_capture u_capture (
      .clk, .rst, .clear, .cycle, .cycle_next, .readout_rise, .readout_bit,
      .served, .late, .chosen_setting, .ws_reused, .trial_index, .window_open_cycles, .window_close_cycles,
      .trial_open, .close, .captured, .interrupted, .missing, .stray, .outcome,
      .open_index, .open_t_trigger, .open_t_setting, .open_setting, .open_ws_reused
  );

  logic record_ready;
  logic [RECORD_BITS-1:0] record_words;

  recorder u_recorder (
      .clk, .rst, .clear, .cycle, .late, .trial_index, .close, .captured, .interrupted, .missing, .outcome,
      .open_index, .open_t_trigger, .open_t_setting, .open_setting, .open_ws_reused,
      .rct_alarm, .apt_alarm, .record_ready, .pushed, .dropped, .record_words
  );

  // --- extractor ---------------------------------------------------------------------------
  logic z_valid, z_pop;
  logic [dira_pkg::EXTRACT_P-1:0] z_data;

  station_extractor #(.EXTRACTOR(EXTRACTOR)) u_extractor (
      .clk, .rst, .start_cmd(extract_start), .cfg_kind(extract_kind), .cfg_n_bits(extract_n_bits),
      .cfg_m_bits(extract_m_bits),
      .x_bit_valid(pushed), .x_bit(record_words[RECORD_BITS_BASE+dira_pkg::RECORD_OUTCOME_BIT]),
      .y_bit_valid(ws_superseded), .y_bit(ws_superseded_bit),
      .z_pop, .z_valid, .z_data, .block_done(extract_block_done), .status_word(extract_status)
  );

  // --- record and reply FIFOs, framer -------------------------------------------------------
  logic record_pop, record_full, reply_pop, reply_full, reply_select, out_full, out_push;
  logic [$clog2(dira_pkg::RECORD_WORDS)-1:0] record_select;
  logic [31:0] record_word, reply_word, out_word;
  logic [RECORD_COUNT_BITS-1:0] record_count;
  logic [REPLY_COUNT_BITS-1:0] reply_count;

  sync_fifo #(.WORDS(dira_pkg::RECORD_WORDS), .DEPTH(dira_pkg::RECORD_FIFO_DEPTH)) u_record_fifo (
      .clk, .rst, .push(pushed), .push_data(record_words), .pop(record_pop),
      .head_select(record_select), .head_word(record_word), .count(record_count), .full(record_full)
  );
  assign record_ready = !record_full;

  sync_fifo #(.WORDS(dira_pkg::REGISTER_REPLY_WORDS), .DEPTH(dira_pkg::REPLY_FIFO_DEPTH)) u_reply_fifo (
      .clk, .rst, .push(cmd_execute), .push_data({reply_value, reply_address}), .pop(reply_pop),
      .head_select(reply_select), .head_word(reply_word), .count(reply_count), .full(reply_full)
  );

  framer #(.RECORD_COUNT_BITS(RECORD_COUNT_BITS), .REPLY_COUNT_BITS(REPLY_COUNT_BITS)) u_framer (
      .clk, .rst, .test_pattern(control_test_pattern), .flush_cycles, .record_pushed(pushed),
      .record_count, .record_select, .record_word_in(record_word), .record_pop,
      .reply_count, .reply_select, .reply_word_in(reply_word), .reply_pop, .z_valid, .z_data, .z_pop,
      .out_ready(!out_full), .out_push, .out_word, .frame_sent
  );

  // --- command path ------------------------------------------------------------------------
  logic in_empty, in_pop;
  logic [31:0] in_head;

  command_parser u_parser (
      .clk, .rst, .word_available(!in_empty), .word(in_head), .pop(in_pop), .reply_ready(!reply_full),
      .execute(cmd_execute), .command_word0(cmd_word0), .command_value(cmd_value)
  );

  // --- clock-domain crossing and the FT601 bridge --------------------------------------------
  logic usb_out_empty, usb_out_pop, usb_in_push;
  logic [31:0] usb_out_head, usb_in_word;
  logic [USB_FIFO_ADDR_BITS:0] usb_in_free;

  // Lint waiver: each direction needs one of the write side's full/free_words, not both.
  /* verilator lint_off PINCONNECTEMPTY */
  async_fifo #(.WIDTH(32), .ADDR_BITS(USB_FIFO_ADDR_BITS)) u_out_fifo (
      .wclk(clk), .wrst(rst), .push(out_push), .push_data(out_word), .full(out_full), .free_words(),
      .rclk(usb_clk), .rrst(usb_rst), .pop(usb_out_pop), .head(usb_out_head), .empty(usb_out_empty)
  );

  async_fifo #(.WIDTH(32), .ADDR_BITS(USB_FIFO_ADDR_BITS)) u_in_fifo (
      .wclk(usb_clk), .wrst(usb_rst), .push(usb_in_push), .push_data(usb_in_word), .full(),
      .free_words(usb_in_free),
      .rclk(clk), .rrst(rst), .pop(in_pop), .head(in_head), .empty(in_empty)
  );
  /* verilator lint_on PINCONNECTEMPTY */

  ft601_bridge #(.IN_FREE_BITS(USB_FIFO_ADDR_BITS + 1)) u_bridge (
      .clk(usb_clk), .rst(usb_rst), .txe_n(ft_txe_n), .rxf_n(ft_rxf_n), .data_in(ft_data_in),
      .data_out(ft_data_out), .data_oe(ft_data_oe), .be(ft_be_out), .wr_n(ft_wr_n), .rd_n(ft_rd_n),
      .oe_n(ft_oe_n), .out_available(!usb_out_empty), .out_word(usb_out_head), .out_pop(usb_out_pop),
      .in_free_words(usb_in_free), .in_push(usb_in_push), .in_word(usb_in_word)
  );

  // --- observation -------------------------------------------------------------------------
  assign obs_record_ready = record_ready;
  assign obs_reg_cmd_valid = cmd_execute;
  assign obs_reg_cmd_word0 = cmd_word0;
  assign obs_reg_cmd_value = cmd_value;
  assign obs_frame_sent = frame_sent;
  assign obs_frame_fifo_ready = !out_full;
endmodule
