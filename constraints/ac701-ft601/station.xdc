# Xilinx AC701 (XC7A200T-2FBG676C) + FTDI UMFT601X-B on the FMC (HPC connector J30, LA pins).
# Pins: the AC701 user guide (UG952) and the UMFT601X-B datasheet's FMC pin table; the FT601 pins
# are those of public AC701 + UMFT601X-B designs. docs/boards.md lists what to verify before wiring.
# Vivado cannot run here: constraints/ac701-ft601/check_project.tcl (a ctest) checks that every
# top-level port has a pin and an IO standard, and tests/timing checks the max-delay numbers below
# against the timing model (labs/default-30m.json).

# --- configuration -------------------------------------------------------------------------------
set_property CFGBVS VCCO [current_design]
set_property CONFIG_VOLTAGE 3.3 [current_design]
set_property BITSTREAM.GENERAL.COMPRESS TRUE [current_design]

# --- clocks --------------------------------------------------------------------------------------
# 200 MHz system clock (SiT9102, LVDS, bank 34); the MMCM's 250 MHz station clock is derived from it.
set_property -dict {PACKAGE_PIN R3 IOSTANDARD LVDS_25} [get_ports sysclk_p]
set_property -dict {PACKAGE_PIN P3 IOSTANDARD LVDS_25} [get_ports sysclk_n]
create_clock -period 5.000 -name sysclk [get_ports sysclk_p]
# FT601 CLK, 100 MHz, from the UMFT601X-B (FMC CLK0_M2C / G20 in public AC701 designs).
set_property -dict {PACKAGE_PIN G20 IOSTANDARD LVCMOS25} [get_ports ft_clk]
create_clock -period 10.000 -name ft_clk [get_ports ft_clk]
# The two clock domains meet only in station_core's Gray-coded async FIFOs and reset synchronisers.
set_clock_groups -asynchronous -group [get_clocks -include_generated_clocks sysclk] -group [get_clocks ft_clk]

# --- reset button and LEDs -------------------------------------------------------------------------
set_property -dict {PACKAGE_PIN U4 IOSTANDARD LVCMOS15} [get_ports cpu_reset]
set_false_path -from [get_ports cpu_reset]
set_property -dict {PACKAGE_PIN M26 IOSTANDARD LVCMOS33} [get_ports {led[0]}]
set_property -dict {PACKAGE_PIN T24 IOSTANDARD LVCMOS33} [get_ports {led[1]}]
set_false_path -to [get_ports {led[*]}]

# --- lab signals -----------------------------------------------------------------------------------
# Trigger and readout strobe on the user SMA clock connectors (J31, J32: 50-ohm coax, 2.5 V bank);
# the readout bit on the user SMA GPIO J33 (bank 34, 1.5 V: the DDR3 bank's voltage); setting and
# weak-source lines on PMOD J48 (3.3 V).
set_property -dict {PACKAGE_PIN J23 IOSTANDARD LVCMOS25} [get_ports trigger_in]
set_property -dict {PACKAGE_PIN H23 IOSTANDARD LVCMOS25} [get_ports readout_valid_in]
set_property -dict {PACKAGE_PIN T8 IOSTANDARD LVCMOS15} [get_ports readout_bit_in]
set_property -dict {PACKAGE_PIN P26 IOSTANDARD LVCMOS33 SLEW FAST DRIVE 12} [get_ports setting_out]
set_property -dict {PACKAGE_PIN T22 IOSTANDARD LVCMOS33 SLEW FAST DRIVE 12} [get_ports setting_strobe_out]
set_property -dict {PACKAGE_PIN R22 IOSTANDARD LVCMOS33} [get_ports ws_bit_in]
set_property -dict {PACKAGE_PIN T23 IOSTANDARD LVCMOS33} [get_ports ws_strobe_in]

# Trigger pin to setting pin, the timing model's number (docs/timing.md): the trigger reaches its
# first synchroniser flop within input_delay_ns, the setting register loads kBasisLatencyCycles
# station periods later at worst (the 250 MHz clock above), and the setting reaches its pin within
# output_delay_ns. The lab description labs/default-30m.json gives these two delays; tests/timing
# holds this file to it. The lab inputs are asynchronous to the station clock (the synchronisers'
# business), so only their data paths are bounded.
set_max_delay -datapath_only -from [get_ports trigger_in] 1.000
set_max_delay -datapath_only -to [get_ports setting_out] 2.000
set_max_delay -datapath_only -to [get_ports setting_strobe_out] 2.000
# The other lab inputs have the same budget as the trigger (the weak-source bit and the readout
# ride the same synchronisers).
set_max_delay -datapath_only -from [get_ports {ws_bit_in ws_strobe_in readout_valid_in readout_bit_in}] 1.000

# --- FT601, 245 synchronous FIFO, 32-bit bus (UMFT601X-B, VCCIO 2.5 V) -------------------------
set_property -dict {PACKAGE_PIN A18 IOSTANDARD LVCMOS25} [get_ports ft_rst_n]   ;# FMC LA10_N
set_property -dict {PACKAGE_PIN D18 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports ft_oe_n]   ;# FMC LA00_CC_P
set_property -dict {PACKAGE_PIN C18 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports ft_rd_n]   ;# FMC LA00_CC_N
set_property -dict {PACKAGE_PIN C17 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports ft_wr_n]   ;# FMC LA08_P
set_property -dict {PACKAGE_PIN H16 IOSTANDARD LVCMOS25} [get_ports ft_rxf_n]   ;# FMC LA07_P
set_property -dict {PACKAGE_PIN G16 IOSTANDARD LVCMOS25} [get_ports ft_txe_n]   ;# FMC LA07_N
set_property -dict {PACKAGE_PIN B17 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports ft_siwu_n]   ;# FMC LA08_N
set_property -dict {PACKAGE_PIN A22 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_be[0]}]   ;# FMC LA15_N
set_property -dict {PACKAGE_PIN B22 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_be[1]}]   ;# FMC LA15_P
set_property -dict {PACKAGE_PIN D16 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_be[2]}]   ;# FMC LA09_N
set_property -dict {PACKAGE_PIN E16 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_be[3]}]   ;# FMC LA09_P
set_property -dict {PACKAGE_PIN G26 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[0]}]   ;# FMC LA32_N
set_property -dict {PACKAGE_PIN F25 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[1]}]   ;# FMC LA33_N
set_property -dict {PACKAGE_PIN H26 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[2]}]   ;# FMC LA32_P
set_property -dict {PACKAGE_PIN G25 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[3]}]   ;# FMC LA33_P
set_property -dict {PACKAGE_PIN D25 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[4]}]   ;# FMC LA30_N
set_property -dict {PACKAGE_PIN D26 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[5]}]   ;# FMC LA31_N
set_property -dict {PACKAGE_PIN E25 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[6]}]   ;# FMC LA30_P
set_property -dict {PACKAGE_PIN E26 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[7]}]   ;# FMC LA31_P
set_property -dict {PACKAGE_PIN K23 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[8]}]   ;# FMC LA28_N
set_property -dict {PACKAGE_PIN F24 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[9]}]   ;# FMC LA29_N
set_property -dict {PACKAGE_PIN K22 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[10]}]   ;# FMC LA28_P
set_property -dict {PACKAGE_PIN G24 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[11]}]   ;# FMC LA29_P
set_property -dict {PACKAGE_PIN H18 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[12]}]   ;# FMC LA24_N
set_property -dict {PACKAGE_PIN F22 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[13]}]   ;# FMC LA25_N
set_property -dict {PACKAGE_PIN J18 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[14]}]   ;# FMC LA24_P
set_property -dict {PACKAGE_PIN G22 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[15]}]   ;# FMC LA25_P
set_property -dict {PACKAGE_PIN E23 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[16]}]   ;# FMC LA27_N
set_property -dict {PACKAGE_PIN H24 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[17]}]   ;# FMC LA26_N
set_property -dict {PACKAGE_PIN F23 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[18]}]   ;# FMC LA27_P
set_property -dict {PACKAGE_PIN J24 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[19]}]   ;# FMC LA26_P
set_property -dict {PACKAGE_PIN H19 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[20]}]   ;# FMC LA21_N
set_property -dict {PACKAGE_PIN L18 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[21]}]   ;# FMC LA22_N
set_property -dict {PACKAGE_PIN J19 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[22]}]   ;# FMC LA21_P
set_property -dict {PACKAGE_PIN L17 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[23]}]   ;# FMC LA22_P
set_property -dict {PACKAGE_PIN J20 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[24]}]   ;# FMC LA23_N
set_property -dict {PACKAGE_PIN K20 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[25]}]   ;# FMC LA23_P
set_property -dict {PACKAGE_PIN L14 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[26]}]   ;# FMC LA19_N
set_property -dict {PACKAGE_PIN M14 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[27]}]   ;# FMC LA19_P
set_property -dict {PACKAGE_PIN M17 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[28]}]   ;# FMC LA20_N
set_property -dict {PACKAGE_PIN M16 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[29]}]   ;# FMC LA20_P
set_property -dict {PACKAGE_PIN J21 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[30]}]   ;# FMC LA17_CC_N
set_property -dict {PACKAGE_PIN K21 IOSTANDARD LVCMOS25 SLEW FAST} [get_ports {ft_data[31]}]   ;# FMC LA17_CC_P
# FT601 bus timing at 100 MHz (FT600/FT601 datasheet, 245 synchronous FIFO): the chip's outputs are
# valid 1 to 7 ns after CLK rises; it needs the FPGA's outputs 1 ns before the edge and takes them
# with no hold time.
set_input_delay -clock ft_clk -max 7.000 [get_ports {ft_rxf_n ft_txe_n {ft_data[*]} {ft_be[*]}}]
set_input_delay -clock ft_clk -min 1.000 [get_ports {ft_rxf_n ft_txe_n {ft_data[*]} {ft_be[*]}}]
set_output_delay -clock ft_clk -max 1.000 [get_ports {ft_wr_n ft_rd_n ft_oe_n {ft_data[*]} {ft_be[*]}}]
set_output_delay -clock ft_clk -min 0.000 [get_ports {ft_wr_n ft_rd_n ft_oe_n {ft_data[*]} {ft_be[*]}}]
set_false_path -to [get_ports {ft_rst_n ft_siwu_n}]
# The bus registers go into the IO blocks, so that the 10 ns cycle holds at the pins.
set_property IOB TRUE [get_ports {ft_wr_n ft_rd_n ft_oe_n {ft_data[*]}}]
