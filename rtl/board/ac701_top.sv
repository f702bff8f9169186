// Board top for the Xilinx AC701 (Artix-7 XC7A200T-2FBG676C) with an FTDI UMFT601X-B module
// (FT601, USB 3.0, 32-bit 245 synchronous FIFO) on the FMC connector. Pins, IO standards and
// timing: constraints/ac701-ft601/station.xdc; build: constraints/ac701-ft601/build.tcl (Vivado).
//
// Clocks: the board's 200 MHz oscillator (LVDS) feeds an MMCM that makes the 250 MHz station clock
// (kDefaultClockHz: VCO 1000 MHz = 200 MHz * 5, divided by 4); the FT601 drives its 100 MHz CLK,
// the USB clock. Resets: the CPU_RESET button or an unlocked MMCM reset the station; the USB side
// follows through a synchroniser. The FT601's RESET_N is released with the USB side.
// LEDs: DS2 MMCM locked, DS3 FT601 clock alive (blinks about three times a second).
module ac701_top #(
    parameter logic [7:0] STATION_ID = 8'd0
) (
    input  logic        sysclk_p,
    input  logic        sysclk_n,
    input  logic        cpu_reset,
    // lab signals
    input  logic        trigger_in,
    input  logic        ws_bit_in,
    input  logic        ws_strobe_in,
    input  logic        readout_valid_in,
    input  logic        readout_bit_in,
    output logic        setting_out,
    output logic        setting_strobe_out,
    // FT601 on the UMFT601X-B
    input  logic        ft_clk,
    output logic        ft_rst_n,
    input  logic        ft_rxf_n,
    input  logic        ft_txe_n,
    inout  wire  [31:0] ft_data,
    inout  wire  [ 3:0] ft_be,
    output logic        ft_wr_n,
    output logic        ft_rd_n,
    output logic        ft_oe_n,
    output logic        ft_siwu_n,
    output logic [ 1:0] led
);
  // --- station clock: 200 MHz -> 250 MHz ----------------------------------------------------
  logic sysclk, mmcm_feedback, mmcm_feedback_buffered, clk_unbuffered, clk, mmcm_locked;

  IBUFDS u_sysclk_buffer (.I(sysclk_p), .IB(sysclk_n), .O(sysclk));

  // Lint waiver: the MMCM's unused outputs stay open.
  /* verilator lint_off PINCONNECTEMPTY */
  MMCME2_BASE #(
      .CLKIN1_PERIOD(5.0),
      .DIVCLK_DIVIDE(1),
      .CLKFBOUT_MULT_F(5.0),
      .CLKOUT0_DIVIDE_F(4.0)
  ) u_mmcm (
      .CLKIN1(sysclk), .CLKFBIN(mmcm_feedback_buffered), .CLKFBOUT(mmcm_feedback), .CLKFBOUTB(),
      .CLKOUT0(clk_unbuffered), .CLKOUT0B(), .CLKOUT1(), .CLKOUT1B(), .CLKOUT2(), .CLKOUT2B(),
      .CLKOUT3(), .CLKOUT3B(), .CLKOUT4(), .CLKOUT5(), .CLKOUT6(),
      .LOCKED(mmcm_locked), .PWRDWN(1'b0), .RST(cpu_reset)
  );
  /* verilator lint_on PINCONNECTEMPTY */
  BUFG u_feedback_buffer (.I(mmcm_feedback), .O(mmcm_feedback_buffered));
  BUFG u_clock_buffer (.I(clk_unbuffered), .O(clk));

  // --- resets ------------------------------------------------------------------------------
  (* ASYNC_REG = "TRUE" *) logic [2:0] reset_sync = 3'b111;
  always_ff @(posedge clk) reset_sync <= {reset_sync[1:0], cpu_reset || !mmcm_locked};
  logic rst;
  assign rst = reset_sync[2];

  (* ASYNC_REG = "TRUE" *) logic [2:0] usb_reset_sync = 3'b111;
  always_ff @(posedge ft_clk) usb_reset_sync <= {usb_reset_sync[1:0], rst};
  logic usb_rst;
  assign usb_rst = usb_reset_sync[2];
  // Active low, as the FT601's RESET_N pin is and as pcileech's AC701 + UMFT601X-B design drives the
  // same ball (docs/boards.md, "The FT601's reset on LA10_N is active low").
  assign ft_rst_n = !usb_rst;

  // --- the station -------------------------------------------------------------------------
  logic [31:0] ft_data_out;
  logic [3:0] ft_be_out;
  logic ft_data_oe;

  // Lint waiver: a board leaves the cosimulation ports open.
  /* verilator lint_off PINCONNECTEMPTY */
  station_core #(.CLOCK_HZ(dira_pkg::DEFAULT_CLOCK_HZ), .STATION_ID(STATION_ID), .IDENTITY_FROM_STRAPS(0)) u_station (
      .clk, .rst, .trigger_in, .ws_bit_in, .ws_strobe_in, .readout_valid_in, .readout_bit_in,
      .setting_out, .setting_strobe_out,
      .usb_clk(ft_clk), .usb_rst,
      .ft_txe_n, .ft_rxf_n, .ft_data_in(ft_data), .ft_data_out, .ft_data_oe, .ft_be_out,
      .ft_wr_n, .ft_rd_n, .ft_oe_n,
      .strap_clock_hz(32'd0), .strap_station_id(8'd0),
      .obs_record_ready(), .obs_reg_cmd_valid(), .obs_reg_cmd_word0(), .obs_reg_cmd_value(),
      .obs_frame_sent(), .obs_frame_fifo_ready()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  // The FT601 drives DATA and BE while OE_N is low; the FPGA only while ft_data_oe.
  assign ft_data = ft_data_oe ? ft_data_out : 32'bz;
  assign ft_be = ft_data_oe ? ft_be_out : 4'bz;
  assign ft_siwu_n = 1'b1;  // not used: the FT601 sends full and short packets by itself

  // --- bring-up LEDs -----------------------------------------------------------------------
  logic [24:0] usb_blink = '0;
  always_ff @(posedge ft_clk) usb_blink <= usb_blink + 25'd1;
  assign led = {usb_blink[24], mmcm_locked};
endmodule
