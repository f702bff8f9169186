# Xilinx AC701 (XC7A200T-2FBG676C) + FTDI UMFT601X-B on the FMC (HPC connector J30, LA pins).
# Sources, cited pin by pin in docs/boards.md ("Wiring"):
#  - balls and IO standards of the board's parts and of each FMC LA signal: Xilinx's AC701 board
#    files (Xilinx/XilinxBoardStore, boards/Xilinx/ac701/1.4/part0_pins.xml; FMC connector
#    positions in board.xml);
#  - banks: the XC7A200T-FBG676 package pin list (f4pga/prjxray-db,
#    artix7/xc7a200tfbg676-1/package_pins.csv);
#  - the FT601 signal on each LA pin: the public UMFT601X design for the SP605's FMC
#    (ufrisk/pcileech-fpga, sp605_ft601/pcileech_sp605.ucf), the same module and LA names.
# Vivado cannot run here: check_project.tcl (a ctest) checks that every top-level port has a pin and
# an IO standard and that build.tcl applies the pad bounds of pad_timing.json; tests/timing holds
# this file, pad_timing.json and the lab descriptions to each other.

# --- configuration -------------------------------------------------------------------------------
set_property CFGBVS VCCO [current_design]
set_property CONFIG_VOLTAGE 3.3 [current_design]
set_property BITSTREAM.GENERAL.COMPRESS TRUE [current_design]

# --- clocks --------------------------------------------------------------------------------------
# 200 MHz system clock (SiT9102, LVDS, bank 34); the MMCM's 250 MHz station clock is derived from it.
set_property -dict {PACKAGE_PIN R3 IOSTANDARD LVDS_25} [get_ports sysclk_p]
set_property -dict {PACKAGE_PIN P3 IOSTANDARD LVDS_25} [get_ports sysclk_n]
create_clock -period 5.000 -name sysclk [get_ports sysclk_p]
# FT601 CLK, 100 MHz, from the UMFT601X-B on FMC LA18_CC_P (HPC pin C22): ball G20,
# IO_L11P_T1_SRCC_15, a clock-capable pin of bank 15. (The FMC's CLK0_M2C_P, pin H4, is ball D19.)
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
# Trigger and readout strobe on the SMA pair the board files call sma_lvds_tx (balls T8, T7: bank 34,
# the DDR3 bank at 1.5 V; SSTL15 inputs like the board files' own bank-34 inputs, on the bank's VREF);
# the readout bit on the P side of the SMA pair they call sma_lvds_rx (ball J23, bank 15 at VADJ,
# 2.5 V); setting and weak-source lines on PMOD J48 (bank 14, 3.3 V; LVTTL, the TTL levels of lab
# pulse equipment).
set_property -dict {PACKAGE_PIN T8 IOSTANDARD SSTL15} [get_ports trigger_in]
set_property -dict {PACKAGE_PIN T7 IOSTANDARD SSTL15} [get_ports readout_valid_in]
set_property -dict {PACKAGE_PIN J23 IOSTANDARD LVCMOS25} [get_ports readout_bit_in]
set_property -dict {PACKAGE_PIN P26 IOSTANDARD LVTTL SLEW FAST DRIVE 8} [get_ports setting_out]
set_property -dict {PACKAGE_PIN T22 IOSTANDARD LVTTL SLEW FAST DRIVE 8} [get_ports setting_strobe_out]
set_property -dict {PACKAGE_PIN R22 IOSTANDARD LVTTL} [get_ports ws_bit_in]
set_property -dict {PACKAGE_PIN T23 IOSTANDARD LVTTL} [get_ports ws_strobe_in]
# The setting registers drive nothing but their pins: in the IOB their clock-to-pin is the
# output buffer's and the OLOGIC flop's, with no fabric route.
set_property IOB TRUE [get_ports {setting_out setting_strobe_out}]

# Trigger pin to setting pin is the timing model's number (docs/timing.md): the trigger reaches its
# first synchroniser flop within input_delay_ns, the setting register loads kBasisLatencyCycles
# station periods later at worst (the 250 MHz clock above), and the setting reaches its pin within
# output_delay_ns. Both bounds are defined once, with the DS181 buffer delays they rest on, in
# pad_timing.json; build.tcl applies them (pad_timing.tcl: set_max_delay -datapath_only on every
# lab pin, since the lab inputs are asynchronous to the station clock) and refuses a bitstream that
# misses them. Labs naming this board take the same two numbers.

# --- FT601, 245 synchronous FIFO, 32-bit bus (UMFT601X-B, VCCIO 2.5 V) -------------------------
set_property -dict {PACKAGE_PIN A18 IOSTANDARD LVCMOS25} [get_ports ft_rst_n]   ;# FMC LA10_N, the FT601's RESET_N (active low: docs/boards.md)
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
