// Board top for the Lattice iCE40-HX8K Breakout (ICE40HX8K-B-EVN, iCE40HX8K-CT256) with an FTDI
// FT2232H Mini Module wired to header J2 in 245 synchronous FIFO mode (docs/boards.md: why an
// external FT2232H, and the wiring). Pins: constraints/ice40-hx8k-ft2232h/station.pcf.
//
// Clocks: the breakout's 12 MHz oscillator feeds the PLL, which makes the station clock; the
// FT2232H's CLKOUT (60 MHz) is the USB clock. The PLL settings are icepll's for the requested
// clock, passed in by the build (constraints/ice40-hx8k-ft2232h/board.cmake) together with
// STATION_CLOCK_HZ, which they must produce (checked below).
// Resets: held until the PLL locks and for 16 more station cycles; the USB side leaves reset
// after the station, through a two-flop synchroniser.
// LEDs: D9 PLL locked, D8 FT2232H CLKOUT alive (blinks about twice a second). Nothing else on
// the station clock drives a pad, so the build's worst clock-to-pad path is a setting output's
// (the trigger-to-setting figure of docs/boards.md relies on that).
// FT2232H bus (docs/boards.md, "FT2232H bus timing"): every output leaves from its I/O cell's
// register, clocked by CLKOUT; every input passes BUS_INPUT_DELAY_LUTS LUTs on its way to the
// bridge's capture flop, so that it reaches the flop after CLKOUT (through its global buffer)
// does: a chip output may change right after the edge (clock to output min 0 ns), and the global
// buffer brings the edge to the flops up to 2.9 ns late. dira_board_report holds each input's
// routed delay (nets ft_in_delayed[0..9], before the last LUT) to the window the chip's figures
// leave, and the outputs to the I/O cells' fixed figures.
module ice40_hx8k_top #(
    parameter int unsigned STATION_CLOCK_HZ = 30_000_000,
    parameter logic [7:0]  STATION_ID       = 8'd0,
    parameter int unsigned OSCILLATOR_HZ    = 12_000_000,
    parameter int unsigned PLL_DIVR         = 0,
    parameter int unsigned PLL_DIVF         = 79,
    parameter int unsigned PLL_DIVQ         = 5,
    parameter int unsigned PLL_FILTER_RANGE = 1,
    parameter int unsigned BUS_INPUT_DELAY_LUTS = 4  // at least 2: the last packs with the flop
) (
    input  logic       clk_12mhz,
    // lab signals
    input  logic       trigger_in,
    input  logic       ws_bit_in,
    input  logic       ws_strobe_in,
    input  logic       readout_valid_in,
    input  logic       readout_bit_in,
    output logic       setting_out,
    output logic       setting_strobe_out,
    // FT2232H channel A, 245 synchronous FIFO
    input  logic       ft_clkout,
    input  logic       ft_rxf_n,
    input  logic       ft_txe_n,
    inout  wire  [7:0] ft_data,
    output logic       ft_rd_n,
    output logic       ft_wr_n,
    output logic       ft_oe_n,
    output logic       ft_siwu_n,
    output logic [1:0] led
);
  // The PLL must produce exactly the clock the station reports in CLOCK_HZ.
  localparam logic [63:0] PLL_OUT_HZ =
      64'(OSCILLATOR_HZ) * 64'(PLL_DIVF + 1) / (64'(PLL_DIVR + 1) * (64'd1 << PLL_DIVQ));
  if (PLL_OUT_HZ != 64'(STATION_CLOCK_HZ)) begin : g_pll_mismatch
    $error("the PLL settings do not produce STATION_CLOCK_HZ: recompute them with icepll");
  end

  logic clk, pll_locked;

  SB_PLL40_CORE #(
      .FEEDBACK_PATH("SIMPLE"),
      .DIVR(4'(PLL_DIVR)),
      .DIVF(7'(PLL_DIVF)),
      .DIVQ(3'(PLL_DIVQ)),
      .FILTER_RANGE(3'(PLL_FILTER_RANGE))
  ) u_pll (
      .REFERENCECLK(clk_12mhz),
      .PLLOUTGLOBAL(clk),
      .PLLOUTCORE(),
      .LOCK(pll_locked),
      .RESETB(1'b1),
      .BYPASS(1'b0),
      .EXTFEEDBACK(1'b0),
      .DYNAMICDELAY(8'd0),
      .LATCHINPUTVALUE(1'b0),
      .SDI(1'b0),
      .SCLK(1'b0),
      .SDO()
  );

  // --- resets ------------------------------------------------------------------------------
  logic [4:0] reset_count = 5'd0;
  logic rst = 1'b1;
  always_ff @(posedge clk) begin
    if (!pll_locked) begin
      reset_count <= 5'd0;
      rst <= 1'b1;
    end else if (!reset_count[4]) begin
      reset_count <= reset_count + 5'd1;
    end else begin
      rst <= 1'b0;
    end
  end

  (* ASYNC_REG = "TRUE" *) logic [1:0] usb_reset_sync = 2'b11;
  always_ff @(posedge ft_clkout) usb_reset_sync <= {usb_reset_sync[0], rst};
  logic usb_rst;
  assign usb_rst = usb_reset_sync[1];

  // --- the FT2232H bus in the I/O cells --------------------------------------------------------
  // SB_IO PIN_TYPE (iCE40 technology library): [5:4] output enable (01 always, 11 registered),
  // [3:2] output (01 registered, 11 registered and inverted), [1:0] input (01 not registered).
  localparam logic [5:0] PIN_INPUT = 6'b0000_01;
  localparam logic [5:0] PIN_REGISTERED_BUS = 6'b1101_01;        // data and its enable registered
  localparam logic [5:0] PIN_REGISTERED_STROBE = 6'b0111_01;     // inverted: high until the first edge
  localparam int unsigned BUS_INPUTS = 10;                       // DATA[7:0], RXF#, TXE#

  logic [7:0] ft_data_out_next;
  logic ft_data_oe_next, ft_rd_n_next, ft_wr_n_next, ft_oe_n_next, ft_siwu_n_next;
  logic [BUS_INPUTS-1:0] ft_in_pad, ft_in_delayed, ft_in_captured;

  for (genvar i = 0; i < 8; i = i + 1) begin : g_data
    SB_IO #(.PIN_TYPE(PIN_REGISTERED_BUS)) u_io (
        .PACKAGE_PIN(ft_data[i]), .OUTPUT_CLK(ft_clkout), .D_OUT_0(ft_data_out_next[i]),
        .OUTPUT_ENABLE(ft_data_oe_next), .D_IN_0(ft_in_pad[i])
    );
  end
  SB_IO #(.PIN_TYPE(PIN_INPUT)) u_rxf (.PACKAGE_PIN(ft_rxf_n), .D_IN_0(ft_in_pad[8]));
  SB_IO #(.PIN_TYPE(PIN_INPUT)) u_txe (.PACKAGE_PIN(ft_txe_n), .D_IN_0(ft_in_pad[9]));

  // The strobes are active low: their registers hold the asserted level, inverted at the pad.
  SB_IO #(.PIN_TYPE(PIN_REGISTERED_STROBE)) u_rd (
      .PACKAGE_PIN(ft_rd_n), .OUTPUT_CLK(ft_clkout), .D_OUT_0(!ft_rd_n_next));
  SB_IO #(.PIN_TYPE(PIN_REGISTERED_STROBE)) u_wr (
      .PACKAGE_PIN(ft_wr_n), .OUTPUT_CLK(ft_clkout), .D_OUT_0(!ft_wr_n_next));
  SB_IO #(.PIN_TYPE(PIN_REGISTERED_STROBE)) u_oe (
      .PACKAGE_PIN(ft_oe_n), .OUTPUT_CLK(ft_clkout), .D_OUT_0(!ft_oe_n_next));
  SB_IO #(.PIN_TYPE(PIN_REGISTERED_STROBE)) u_siwu (
      .PACKAGE_PIN(ft_siwu_n), .OUTPUT_CLK(ft_clkout), .D_OUT_0(!ft_siwu_n_next));

  // Each input's delay: LUTs passing I0 through, kept apart by yosys (keep) and by nextpnr (a LUT
  // packs only with the flop it drives, so the last one joins the capture flop).
  for (genvar i = 0; i < BUS_INPUTS; i = i + 1) begin : g_in_delay
    logic [BUS_INPUT_DELAY_LUTS:0] stage;
    assign stage[0] = ft_in_pad[i];
    for (genvar s = 0; s < BUS_INPUT_DELAY_LUTS; s = s + 1) begin : g_lut
      (* keep *) SB_LUT4 #(.LUT_INIT(16'hAAAA)) u_lut (
          .I0(stage[s]), .I1(1'b0), .I2(1'b0), .I3(1'b0), .O(stage[s+1]));
    end
    assign ft_in_delayed[i] = stage[BUS_INPUT_DELAY_LUTS-1];
    assign ft_in_captured[i] = stage[BUS_INPUT_DELAY_LUTS];
  end

  // --- the station -------------------------------------------------------------------------
  // The bridge's own output flops stay for its bookkeeping; the pins take ft_*_next in the I/O
  // cells, at the same edge.
  /* verilator lint_off PINCONNECTEMPTY */
  station_ft2232h #(.CLOCK_HZ(STATION_CLOCK_HZ), .STATION_ID(STATION_ID)) u_station (
      .clk, .rst, .trigger_in, .ws_bit_in, .ws_strobe_in, .readout_valid_in, .readout_bit_in,
      .setting_out, .setting_strobe_out,
      .usb_clk(ft_clkout), .usb_rst,
      .ft_rxf_n(ft_in_captured[8]), .ft_txe_n(ft_in_captured[9]), .ft_data_in(ft_in_captured[7:0]),
      .ft_data_out(), .ft_data_oe(), .ft_rd_n(), .ft_wr_n(), .ft_oe_n(), .ft_siwu_n(),
      .ft_data_out_next, .ft_data_oe_next, .ft_rd_n_next, .ft_wr_n_next, .ft_oe_n_next, .ft_siwu_n_next,
      .ft_order_fault()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  // --- bring-up LEDs -----------------------------------------------------------------------
  logic [24:0] usb_blink = '0;
  always_ff @(posedge ft_clkout) usb_blink <= usb_blink + 25'd1;
  assign led = {usb_blink[24], pll_locked};
endmodule
