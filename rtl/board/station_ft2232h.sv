// A station for an FT2232H board: station_core with its FT601-style USB side joined to the 8-bit
// FT2232H bridge (ft2232h_sync_fifo_bridge). Vendor-neutral: the board top adds clocks, resets
// and pads. The station clock (clk, CLOCK_HZ) times the trials; usb_clk is the FT2232H's CLKOUT.
// The bus outputs come both as the bridge's flops (ft_*) and as what those take at the next edge
// (ft_*_next), for a board that registers its outputs in the I/O cells.
module station_ft2232h #(
    parameter int unsigned CLOCK_HZ   = dira_pkg::DEFAULT_CLOCK_HZ,
    parameter logic [7:0]  STATION_ID = 8'd0
) (
    input  logic       clk,
    input  logic       rst,
    input  logic       trigger_in,
    input  logic       ws_bit_in,
    input  logic       ws_strobe_in,
    input  logic       readout_valid_in,
    input  logic       readout_bit_in,
    output logic       setting_out,
    output logic       setting_strobe_out,
    input  logic       usb_clk,
    input  logic       usb_rst,
    input  logic       ft_rxf_n,
    input  logic       ft_txe_n,
    input  logic [7:0] ft_data_in,
    output logic [7:0] ft_data_out,
    output logic       ft_data_oe,
    output logic       ft_rd_n,
    output logic       ft_wr_n,
    output logic       ft_oe_n,
    output logic       ft_siwu_n,
    output logic [7:0] ft_data_out_next,
    output logic       ft_data_oe_next,
    output logic       ft_rd_n_next,
    output logic       ft_wr_n_next,
    output logic       ft_oe_n_next,
    output logic       ft_siwu_n_next,
    output logic       ft_order_fault
);
  logic st_txe_n, st_rxf_n, st_wr_n, st_rd_n, st_oe_n;
  logic [31:0] st_data_to_station, st_data_from_station;

  // Lint waiver: a board leaves the cosimulation ports open, and inside the FPGA the FT601 bus is
  // two one-way buses, so the station's DATA-enable and byte enables have nothing to drive.
  /* verilator lint_off PINCONNECTEMPTY */
  // No extractor: the iCE40 HX8K has neither the logic nor the block RAM for it (EXTRACT_STATUS
  // tells the host).
  station_core #(.CLOCK_HZ(CLOCK_HZ), .STATION_ID(STATION_ID), .IDENTITY_FROM_STRAPS(0), .EXTRACTOR(0)) u_station (
      .clk, .rst, .trigger_in, .ws_bit_in, .ws_strobe_in, .readout_valid_in, .readout_bit_in,
      .setting_out, .setting_strobe_out,
      .usb_clk, .usb_rst,
      .ft_txe_n(st_txe_n), .ft_rxf_n(st_rxf_n), .ft_data_in(st_data_to_station),
      .ft_data_out(st_data_from_station), .ft_data_oe(), .ft_be_out(),
      .ft_wr_n(st_wr_n), .ft_rd_n(st_rd_n), .ft_oe_n(st_oe_n),
      .strap_clock_hz(32'd0), .strap_station_id(8'd0),
      .obs_record_ready(), .obs_reg_cmd_valid(), .obs_reg_cmd_word0(), .obs_reg_cmd_value(),
      .obs_frame_sent(), .obs_frame_fifo_ready()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  ft2232h_sync_fifo_bridge u_bridge (
      .clk(usb_clk), .rst(usb_rst),
      .ft_rxf_n, .ft_txe_n, .ft_data_in, .ft_data_out, .ft_data_oe, .ft_rd_n, .ft_wr_n, .ft_oe_n, .ft_siwu_n,
      .ft_data_out_next, .ft_data_oe_next, .ft_rd_n_next, .ft_wr_n_next, .ft_oe_n_next, .ft_siwu_n_next, .ft_order_fault,
      .st_txe_n, .st_rxf_n, .st_data(st_data_to_station), .st_data_out(st_data_from_station),
      .st_wr_n, .st_rd_n, .st_oe_n
  );
endmodule
