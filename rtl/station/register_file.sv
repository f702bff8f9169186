// Register file (docs/station.md, "Register file"): the registers of dira_pkg (generated from
// register_map.hpp), the 64-bit counters with LO-latches-HI, and the execution of one register
// command per cycle. A read returns the value during the cycle; a write takes effect at the end
// of the cycle and overrides the datapath; CLEAR (`clear`) zeroes the counters but CYCLES there
// and, through the other blocks, the trial state. The reply is (address, value after the
// command), or (REGISTER_ERROR_ADDRESS, word 0) for a command that is refused. Without the
// extractor (EXTRACTOR = 0) its registers store nothing and read 0.
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
  // Counter i is at COUNTER_BASE + 2*i (its _LO), in the order of register_map.hpp.
  localparam int unsigned I_TRIGGERS = (dira_pkg::REG_TRIGGERS_LO - dira_pkg::COUNTER_BASE) / 2;
  localparam int unsigned I_LATE_TRIGGERS = (dira_pkg::REG_LATE_TRIGGERS_LO - dira_pkg::COUNTER_BASE) / 2;
  localparam int unsigned I_MISSING_OUTCOMES = (dira_pkg::REG_MISSING_OUTCOMES_LO - dira_pkg::COUNTER_BASE) / 2;
  localparam int unsigned I_RECORDS_DROPPED = (dira_pkg::REG_RECORDS_DROPPED_LO - dira_pkg::COUNTER_BASE) / 2;
  localparam int unsigned I_FRAMES_SENT = (dira_pkg::REG_FRAMES_SENT_LO - dira_pkg::COUNTER_BASE) / 2;
  localparam int unsigned I_STRAY_STROBES = (dira_pkg::REG_STRAY_STROBES_LO - dira_pkg::COUNTER_BASE) / 2;
  localparam int unsigned I_RCT_FAILURES = (dira_pkg::REG_RCT_FAILURES_LO - dira_pkg::COUNTER_BASE) / 2;
  localparam int unsigned I_APT_FAILURES = (dira_pkg::REG_APT_FAILURES_LO - dira_pkg::COUNTER_BASE) / 2;
  localparam int unsigned I_WS_BITS = (dira_pkg::REG_WS_BITS_LO - dira_pkg::COUNTER_BASE) / 2;
  localparam int unsigned I_RECORDS = (dira_pkg::REG_RECORDS_LO - dira_pkg::COUNTER_BASE) / 2;
  localparam int unsigned I_CYCLES = (dira_pkg::REG_CYCLES_LO - dira_pkg::COUNTER_BASE) / 2;
  localparam int unsigned I_EXTRACT_BLOCKS = (dira_pkg::REG_EXTRACT_BLOCKS_LO - dira_pkg::COUNTER_BASE) / 2;
  // CONTROL keeps RUN and TEST_PATTERN; CLEAR is a one-cycle pulse and reads 0.
  localparam logic [31:0] CONTROL_STORED = dira_pkg::CONTROL_RUN | dira_pkg::CONTROL_TEST_PATTERN;
  // EXTRACT_CONTROL keeps KIND; START is a one-cycle pulse and reads 0.
  localparam logic [31:0] EXTRACT_CONTROL_STORED = dira_pkg::EXTRACT_KIND_MASK;

  logic [31:0] extract_control;
  // Without the extractor EXTRACT_BLOCKS is never stored (it reads 0), so no logic is spent on it.
  function automatic logic built(input int unsigned i);
    built = EXTRACTOR != 0 || i != I_EXTRACT_BLOCKS;
  endfunction

  logic [31:0] control;
  // public_flat_rw: the board model's test hook presets counters, so that the tests reach the
  // 64-bit carries (and timestamps past 2^32) without simulating 2^32 cycles. No effect on hardware.
  logic [63:0] counter[COUNTERS]  /* verilator public_flat_rw */;
  logic [31:0] hi_latch[COUNTERS];
  logic [COUNTERS-1:0] increment;

  always_comb begin
    increment = '0;
    increment[I_TRIGGERS] = count_triggers;
    increment[I_LATE_TRIGGERS] = count_late_triggers;
    increment[I_MISSING_OUTCOMES] = count_missing_outcomes;
    increment[I_RECORDS_DROPPED] = count_records_dropped;
    increment[I_FRAMES_SENT] = count_frames_sent;
    increment[I_STRAY_STROBES] = count_stray_strobes;
    increment[I_RCT_FAILURES] = count_rct_failures;
    increment[I_APT_FAILURES] = count_apt_failures;
    increment[I_WS_BITS] = count_ws_bits;
    increment[I_RECORDS] = count_records;
    increment[I_CYCLES] = 1'b1;
    increment[I_EXTRACT_BLOCKS] = count_extract_blocks;
  end

  // --- decode the command ------------------------------------------------------------------
  logic [7:0] opcode;
  logic [31:0] address;
  logic reserved_set, is_read, is_write, is_control, is_extract_control, is_extract_register;
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

  always_comb begin
    known = 1'b1;
    writable = 1'b0;
    read_value = 32'd0;
    if (is_counter) begin
      if (built(32'(counter_select))) read_value = counter_hi ? hi_latch[counter_select] : counter[counter_select][31:0];
    end else begin
      case (address)
        dira_pkg::REG_ID_MAGIC: read_value = dira_pkg::RESET_ID_MAGIC;
        dira_pkg::REG_FW_VERSION: read_value = dira_pkg::RESET_FW_VERSION;
        dira_pkg::REG_API_LEVEL: read_value = dira_pkg::RESET_API_LEVEL;
        dira_pkg::REG_CLOCK_HZ: read_value = id_clock_hz;
        dira_pkg::REG_STATION_ID: read_value = {24'd0, id_station_id};
        dira_pkg::REG_BASIS_LATENCY_CYCLES: read_value = dira_pkg::RESET_BASIS_LATENCY_CYCLES;
        dira_pkg::REG_STATUS: read_value = status;
        dira_pkg::REG_APT_WINDOW: read_value = dira_pkg::RESET_APT_WINDOW;
        dira_pkg::REG_EXTRACT_STATUS: read_value = extract_status;
        dira_pkg::REG_EXTRACT_CONTROL: begin
          read_value = extract_control;
          writable   = dira_pkg::WRITABLE_EXTRACT_CONTROL;
        end
        dira_pkg::REG_EXTRACT_N_BITS: begin
          read_value = extract_n_bits;
          writable   = dira_pkg::WRITABLE_EXTRACT_N_BITS;
        end
        dira_pkg::REG_EXTRACT_M_BITS: begin
          read_value = extract_m_bits;
          writable   = dira_pkg::WRITABLE_EXTRACT_M_BITS;
        end
        dira_pkg::REG_CONTROL: begin
          read_value = control;
          writable   = dira_pkg::WRITABLE_CONTROL;
        end
        dira_pkg::REG_WINDOW_OPEN_CYCLES: begin
          read_value = window_open_cycles;
          writable   = dira_pkg::WRITABLE_WINDOW_OPEN_CYCLES;
        end
        dira_pkg::REG_WINDOW_CLOSE_CYCLES: begin
          read_value = window_close_cycles;
          writable   = dira_pkg::WRITABLE_WINDOW_CLOSE_CYCLES;
        end
        dira_pkg::REG_TRIAL_LIMIT: begin
          read_value = trial_limit;
          writable   = dira_pkg::WRITABLE_TRIAL_LIMIT;
        end
        dira_pkg::REG_FLUSH_CYCLES: begin
          read_value = flush_cycles;
          writable   = dira_pkg::WRITABLE_FLUSH_CYCLES;
        end
        dira_pkg::REG_RCT_CUTOFF: begin
          read_value = rct_cutoff;
          writable   = dira_pkg::WRITABLE_RCT_CUTOFF;
        end
        dira_pkg::REG_APT_CUTOFF: begin
          read_value = apt_cutoff;
          writable   = dira_pkg::WRITABLE_APT_CUTOFF;
        end
        default: known = 1'b0;
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
  assign extract_kind = extract_control[dira_pkg::EXTRACT_KIND_SHIFT+:2];
  assign latch_hi = cmd_execute && is_read && !refused && is_counter && !counter_hi;
  assign clear = write_ok && is_control && (cmd_value & dira_pkg::CONTROL_CLEAR) != 32'd0;
  assign reply_address = refused ? dira_pkg::REGISTER_ERROR_ADDRESS : address;
  assign reply_value = refused ? cmd_word0 : (is_write ? write_value : read_value);

  assign cycles = counter[I_CYCLES];
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
        else if (clear && i != I_CYCLES) counter[i] <= 64'd0;
        else if (increment[i]) counter[i] <= counter[i] + 64'd1;
      if (latch_hi && built(32'(counter_select))) hi_latch[counter_select] <= counter[counter_select][63:32];
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      control             <= dira_pkg::RESET_CONTROL & CONTROL_STORED;
      window_open_cycles  <= dira_pkg::RESET_WINDOW_OPEN_CYCLES;
      window_close_cycles <= dira_pkg::RESET_WINDOW_CLOSE_CYCLES;
      trial_limit         <= dira_pkg::RESET_TRIAL_LIMIT;
      flush_cycles        <= dira_pkg::RESET_FLUSH_CYCLES;
      rct_cutoff          <= dira_pkg::RESET_RCT_CUTOFF;
      apt_cutoff          <= dira_pkg::RESET_APT_CUTOFF;
    end else if (write_ok) begin
      case (address)
        dira_pkg::REG_CONTROL: control <= write_value;
        dira_pkg::REG_WINDOW_OPEN_CYCLES: window_open_cycles <= write_value;
        dira_pkg::REG_WINDOW_CLOSE_CYCLES: window_close_cycles <= write_value;
        dira_pkg::REG_TRIAL_LIMIT: trial_limit <= write_value;
        dira_pkg::REG_FLUSH_CYCLES: flush_cycles <= write_value;
        dira_pkg::REG_RCT_CUTOFF: rct_cutoff <= write_value;
        dira_pkg::REG_APT_CUTOFF: apt_cutoff <= write_value;
        default: ;
      endcase
    end
  end

  // The extractor's registers exist only with the extractor; without it they read 0 and a write
  // stores nothing (write_value is 0 for them).
  if (EXTRACTOR != 0) begin : g_extract_registers
    always_ff @(posedge clk) begin
      if (rst) begin
        extract_control <= dira_pkg::RESET_EXTRACT_CONTROL & EXTRACT_CONTROL_STORED;
        extract_n_bits  <= dira_pkg::RESET_EXTRACT_N_BITS;
        extract_m_bits  <= dira_pkg::RESET_EXTRACT_M_BITS;
      end else if (write_ok) begin
        if (address == dira_pkg::REG_EXTRACT_CONTROL) extract_control <= write_value;
        if (address == dira_pkg::REG_EXTRACT_N_BITS) extract_n_bits <= write_value;
        if (address == dira_pkg::REG_EXTRACT_M_BITS) extract_m_bits <= write_value;
      end
    end
  end else begin : g_no_extract_registers
    assign extract_control = 32'd0;
    assign extract_n_bits  = 32'd0;
    assign extract_m_bits  = 32'd0;
  end
endmodule
