// Register file (docs/station.md, "Register file"): the registers of dira_pkg (generated from
// register_map.hpp), the 64-bit counters with LO-latches-HI, and the execution of one register
// command per cycle. A read returns the value during the cycle; a write takes effect at the end
// of the cycle and overrides the datapath; CLEAR (`clear`) zeroes the counters but CYCLES there
// and, through the other blocks, the trial state. The reply is (address, value after the
// command), or (REGISTER_ERROR_ADDRESS, word 0) for a command that is refused. Without the
// extractor (EXTRACTOR = 0) its registers store nothing and read 0.
//
// Which registers exist, their addresses, reset values and access all come from the generated
// tables of dira_pkg (STORED_* for the read_write registers, READ_ONLY_* for the others): adding a
// register to register_map.hpp needs no change here unless the register drives or reads the datapath.
module register_file #(
    parameter int unsigned EXTRACTOR = 1
) (
    input  logic        clk,
    input  logic        rst,
    input  logic [31:0] id_clock_hz,
    input  logic [ 7:0] id_station_id,
    input  logic        cmd_execute,
    input  logic [31:0] cmd_word0,
    input  logic [31:0] cmd_value,
    output logic [31:0] reply_address,
    output logic [31:0] reply_value,
    input  logic        status_running,
    input  logic        status_done,
    input  logic        status_trial_open,
    input  logic        status_rct_alarm,
    input  logic        status_apt_alarm,
    input  logic        count_triggers,
    input  logic        count_late_triggers,
    input  logic        count_missing_outcomes,
    input  logic        count_records_dropped,
    input  logic        count_frames_sent,
    input  logic        count_stray_strobes,
    input  logic        count_rct_failures,
    input  logic        count_apt_failures,
    input  logic        count_ws_bits,
    input  logic        count_records,
    input  logic        count_extract_blocks,
    input  logic [31:0] extract_status,    // EXTRACT_STATUS as it stands
    output logic        control_run,
    output logic        control_test_pattern,
    output logic        clear,
    output logic [31:0] window_open_cycles,
    output logic [31:0] window_close_cycles,
    output logic [31:0] trial_limit,
    output logic [31:0] flush_cycles,
    output logic [31:0] rct_cutoff,
    output logic [31:0] apt_cutoff,
    output logic        extract_start,     // EXTRACT_CONTROL written with START in this cycle
    output logic [ 1:0] extract_kind,
    output logic [31:0] extract_n_bits,
    output logic [31:0] extract_m_bits,
    output logic [63:0] cycles         // CYCLES: the cycle counter that timestamps use
);
  localparam int unsigned COUNTERS = dira_pkg::COUNTER_COUNT;
  localparam int unsigned SELECT_BITS = $clog2(COUNTERS);
  localparam int unsigned ADDRESS_BITS = dira_pkg::COMMAND_ADDRESS_BITS;
  localparam int unsigned OPCODE_SHIFT = dira_pkg::COMMAND_OPCODE_SHIFT;
  // Counter i (dira_pkg::COUNTER_<name>) is at COUNTER_BASE + 2*i (its _LO), in the order of register_map.hpp.
  // CONTROL keeps RUN and TEST_PATTERN; CLEAR is a one-cycle pulse and reads 0.
  localparam logic [31:0] CONTROL_STORED = dira_pkg::CONTROL_RUN | dira_pkg::CONTROL_TEST_PATTERN;
  // EXTRACT_CONTROL keeps KIND; START is a one-cycle pulse and reads 0.
  localparam logic [31:0] EXTRACT_CONTROL_STORED = dira_pkg::EXTRACT_KIND_MASK;

  // Without the extractor EXTRACT_BLOCKS is never stored (it reads 0), so no logic is spent on it.
  function automatic logic built(input int unsigned i);
    built = EXTRACTOR != 0 || i != dira_pkg::COUNTER_EXTRACT_BLOCKS;
  endfunction

  // --- the stored (read_write) registers, in the order of dira_pkg::STORED_* ----------------
  localparam int unsigned STORED = dira_pkg::STORED_COUNT;
  localparam int unsigned READ_ONLY = dira_pkg::READ_ONLY_COUNT;
  function automatic logic [31:0] stored_address(input int unsigned i);
    stored_address = dira_pkg::STORED_ADDRESSES[32*i+:32];
  endfunction
  function automatic logic [31:0] read_only_address(input int unsigned i);
    read_only_address = dira_pkg::READ_ONLY_ADDRESSES[32*i+:32];
  endfunction
  // The bits a write keeps: CONTROL's CLEAR and EXTRACT_CONTROL's START are pulses and read 0.
  function automatic logic [31:0] stored_bits(input int unsigned i);
    if (i == dira_pkg::STORED_CONTROL) stored_bits = CONTROL_STORED;
    else if (i == dira_pkg::STORED_EXTRACT_CONTROL) stored_bits = EXTRACT_CONTROL_STORED;
    else stored_bits = '1;
  endfunction
  // Without the extractor its registers store nothing and read 0.
  function automatic logic kept(input int unsigned i);
    kept = EXTRACTOR != 0 || !(i == dira_pkg::STORED_EXTRACT_CONTROL || i == dira_pkg::STORED_EXTRACT_N_BITS ||
                               i == dira_pkg::STORED_EXTRACT_M_BITS);
  endfunction

  logic [31:0] stored[STORED];
  logic [31:0] control;
  function automatic logic [31:0] stored_value_of(input int unsigned i);
    stored_value_of = kept(i) ? stored[i] : 32'd0;
  endfunction

  // public_flat_rw: the board model's test hook presets counters, so that the tests reach the
  // 64-bit carries (and timestamps past 2^32) without simulating 2^32 cycles. No effect on hardware.
  logic [63:0] counter[COUNTERS]  /* verilator public_flat_rw */;
  logic [31:0] hi_latch[COUNTERS];
  logic [COUNTERS-1:0] increment;

  always_comb begin
    increment = '0;
    increment[dira_pkg::COUNTER_TRIGGERS] = count_triggers;
    increment[dira_pkg::COUNTER_LATE_TRIGGERS] = count_late_triggers;
    increment[dira_pkg::COUNTER_MISSING_OUTCOMES] = count_missing_outcomes;
    increment[dira_pkg::COUNTER_RECORDS_DROPPED] = count_records_dropped;
    increment[dira_pkg::COUNTER_FRAMES_SENT] = count_frames_sent;
    increment[dira_pkg::COUNTER_STRAY_STROBES] = count_stray_strobes;
    increment[dira_pkg::COUNTER_RCT_FAILURES] = count_rct_failures;
    increment[dira_pkg::COUNTER_APT_FAILURES] = count_apt_failures;
    increment[dira_pkg::COUNTER_WS_BITS] = count_ws_bits;
    increment[dira_pkg::COUNTER_RECORDS] = count_records;
    increment[dira_pkg::COUNTER_CYCLES] = 1'b1;
    increment[dira_pkg::COUNTER_EXTRACT_BLOCKS] = count_extract_blocks;
  end

  // --- decode the command ------------------------------------------------------------------
  logic [7:0] opcode;
  logic [31:0] address;
  logic reserved_set, is_read, is_write, is_control, is_extract_control, is_extract_register;
  logic [STORED-1:0] stored_hit;  // which stored register the command addresses (at most one)
  logic [READ_ONLY-1:0] read_only_hit;
  logic [SELECT_BITS:0] counter_offset;  // (address - COUNTER_BASE): its low bits suffice
  logic is_counter, counter_hi;
  logic [SELECT_BITS-1:0] counter_select;

  assign opcode = cmd_word0[OPCODE_SHIFT+:8];
  assign address = {{(32 - ADDRESS_BITS) {1'b0}}, cmd_word0[ADDRESS_BITS-1:0]};
  assign reserved_set = cmd_word0[OPCODE_SHIFT-1:ADDRESS_BITS] != '0;
  assign is_read = opcode == dira_pkg::OPCODE_READ[7:0];
  assign is_write = opcode == dira_pkg::OPCODE_WRITE[7:0];
  assign is_control = address == dira_pkg::REG_CONTROL;
  assign is_extract_control = address == dira_pkg::REG_EXTRACT_CONTROL;
  assign is_extract_register = is_extract_control || address == dira_pkg::REG_EXTRACT_N_BITS ||
                               address == dira_pkg::REG_EXTRACT_M_BITS;
  always_comb
    for (int i = 0; i < STORED; i++) stored_hit[i] = address == stored_address(i);
  always_comb
    for (int i = 0; i < READ_ONLY; i++) read_only_hit[i] = address == read_only_address(i);
  assign counter_offset = cmd_word0[SELECT_BITS:0] - (SELECT_BITS + 1)'(dira_pkg::COUNTER_BASE);
  assign is_counter = address >= dira_pkg::COUNTER_BASE && address < dira_pkg::COUNTER_BASE + 2 * COUNTERS;
  assign counter_hi = counter_offset[0];
  assign counter_select = counter_offset[SELECT_BITS:1];

  // --- the value a read returns during this cycle ------------------------------------------
  logic known, writable;
  logic [31:0] read_value, status;

  assign status = (status_running ? dira_pkg::STATUS_RUNNING : 32'd0) |
                  (status_done ? dira_pkg::STATUS_DONE : 32'd0) |
                  (status_trial_open ? dira_pkg::STATUS_TRIAL_OPEN : 32'd0) |
                  (status_rct_alarm ? dira_pkg::STATUS_RCT_ALARM : 32'd0) |
                  (status_apt_alarm ? dira_pkg::STATUS_APT_ALARM : 32'd0);

  // A stored register reads what it holds; a read-only one its table value, unless a live source
  // stands behind it (the build parameters CLOCK_HZ and STATION_ID, STATUS, EXTRACT_STATUS).
  always_comb begin
    known = is_counter;
    writable = 1'b0;
    read_value = 32'd0;
    if (is_counter) begin
      if (built(32'(counter_select))) read_value = counter_hi ? hi_latch[counter_select] : counter[counter_select][31:0];
    end else begin
      for (int i = 0; i < STORED; i++)
        if (stored_hit[i]) begin
          known = 1'b1;
          writable = 1'b1;
          read_value = stored_value_of(i);
        end
      for (int i = 0; i < READ_ONLY; i++)
        if (read_only_hit[i]) begin
          known = 1'b1;
          read_value = dira_pkg::READ_ONLY_RESETS[32*i+:32];
        end
      case (address)
        dira_pkg::REG_CLOCK_HZ: read_value = id_clock_hz;
        dira_pkg::REG_STATION_ID: read_value = {24'd0, id_station_id};
        dira_pkg::REG_STATUS: read_value = status;
        dira_pkg::REG_EXTRACT_STATUS: read_value = extract_status;
        default: ;
      endcase
    end
  end

  // --- the reply and the effects at the end of the cycle -----------------------------------
  logic refused, write_ok, latch_hi;
  logic [31:0] write_value, stored_value;

  assign refused = reserved_set || !(is_read || is_write) || !known || (is_write && !writable);
  assign write_ok = cmd_execute && is_write && !refused;
  always_comb begin
    if (is_control) stored_value = cmd_value & CONTROL_STORED;
    else if (is_extract_control) stored_value = cmd_value & EXTRACT_CONTROL_STORED;
    else stored_value = cmd_value;
  end
  assign write_value = EXTRACTOR == 0 && is_extract_register ? 32'd0 : stored_value;
  assign extract_start = EXTRACTOR != 0 && write_ok && is_extract_control &&
                         (cmd_value & dira_pkg::EXTRACT_START) != 32'd0;
  assign extract_kind = kept(dira_pkg::STORED_EXTRACT_CONTROL) ?
                        stored[dira_pkg::STORED_EXTRACT_CONTROL][dira_pkg::EXTRACT_KIND_SHIFT+:2] : 2'd0;
  assign control = stored_value_of(dira_pkg::STORED_CONTROL);
  assign window_open_cycles = stored_value_of(dira_pkg::STORED_WINDOW_OPEN_CYCLES);
  assign window_close_cycles = stored_value_of(dira_pkg::STORED_WINDOW_CLOSE_CYCLES);
  assign trial_limit = stored_value_of(dira_pkg::STORED_TRIAL_LIMIT);
  assign flush_cycles = stored_value_of(dira_pkg::STORED_FLUSH_CYCLES);
  assign rct_cutoff = stored_value_of(dira_pkg::STORED_RCT_CUTOFF);
  assign apt_cutoff = stored_value_of(dira_pkg::STORED_APT_CUTOFF);
  assign extract_n_bits = stored_value_of(dira_pkg::STORED_EXTRACT_N_BITS);
  assign extract_m_bits = stored_value_of(dira_pkg::STORED_EXTRACT_M_BITS);
  assign latch_hi = cmd_execute && is_read && !refused && is_counter && !counter_hi;
  assign clear = write_ok && is_control && (cmd_value & dira_pkg::CONTROL_CLEAR) != 32'd0;
  assign reply_address = refused ? dira_pkg::REGISTER_ERROR_ADDRESS : address;
  assign reply_value = refused ? cmd_word0 : (is_write ? write_value : read_value);

  assign cycles = counter[dira_pkg::COUNTER_CYCLES];
  assign control_run = (control & dira_pkg::CONTROL_RUN) != 32'd0;
  assign control_test_pattern = (control & dira_pkg::CONTROL_TEST_PATTERN) != 32'd0;

  always_ff @(posedge clk) begin
    if (rst) begin
      for (int i = 0; i < COUNTERS; i++) begin
        if (built(i)) begin
          counter[i]  <= 64'd0;
          hi_latch[i] <= 32'd0;
        end
      end
    end else begin
      // Only counters that change are written (it keeps the Verilated model fast).
      for (int i = 0; i < COUNTERS; i++)
        if (!built(i)) ;
        else if (clear && i != dira_pkg::COUNTER_CYCLES) counter[i] <= 64'd0;
        else if (increment[i]) counter[i] <= counter[i] + 64'd1;
      if (latch_hi && built(32'(counter_select))) hi_latch[counter_select] <= counter[counter_select][63:32];
    end
  end

  // Only kept registers are written (without the extractor its registers are never stored).
  always_ff @(posedge clk) begin
    for (int i = 0; i < STORED; i++)
      if (!kept(i)) ;
      else if (rst) stored[i] <= dira_pkg::STORED_RESETS[32*i+:32] & stored_bits(i);
      else if (write_ok && stored_hit[i]) stored[i] <= write_value;
  end
endmodule
