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
module ice40_hx8k_top #(
    parameter int unsigned STATION_CLOCK_HZ = 30_000_000,
    parameter logic [7:0]  STATION_ID       = 8'd0,
    parameter int unsigned OSCILLATOR_HZ    = 12_000_000,
    parameter int unsigned PLL_DIVR         = 0,
    parameter int unsigned PLL_DIVF         = 79,
    parameter int unsigned PLL_DIVQ         = 5,
    parameter int unsigned PLL_FILTER_RANGE = 1
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

  // --- the station -------------------------------------------------------------------------
  logic [7:0] ft_data_out;
  logic ft_data_oe;

  station_ft2232h #(.CLOCK_HZ(STATION_CLOCK_HZ), .STATION_ID(STATION_ID)) u_station (
      .clk, .rst, .trigger_in, .ws_bit_in, .ws_strobe_in, .readout_valid_in, .readout_bit_in,
      .setting_out, .setting_strobe_out,
      .usb_clk(ft_clkout), .usb_rst,
      .ft_rxf_n, .ft_txe_n, .ft_data_in(ft_data), .ft_data_out, .ft_data_oe,
      .ft_rd_n, .ft_wr_n, .ft_oe_n, .ft_siwu_n
  );

  // The FT2232H's data bus: the FPGA drives it only while ft_data_oe (never with OE# low).
  assign ft_data = ft_data_oe ? ft_data_out : 8'bz;

  // --- bring-up LEDs -----------------------------------------------------------------------
  logic [24:0] usb_blink = '0;
  always_ff @(posedge ft_clkout) usb_blink <= usb_blink + 25'd1;
  assign led = {usb_blink[24], pll_locked};
endmodule
