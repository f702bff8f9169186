# Vitis HLS: C-simulation, synthesis and C/RTL co-simulation of the extraction kernel.
#   cd hls/extract && vitis_hls -f run_hls.tcl            (all three steps)
#   vitis_hls -f run_hls.tcl -tclargs csim                 (one step: csim | csynth | cosim)
# Top: dira_extract (AXI4-Stream, station board). For the accelerator card set TOP to dira_extract_mm.
# Part: the station board's Artix-7 (constraints/); the clock is the station clock (kDefaultClockHz
# in hls/include/dira/station_timing.hpp, read by hls/tools/station_clock.tcl).
set TOP   [expr {[info exists ::env(DIRA_HLS_TOP)] ? $::env(DIRA_HLS_TOP) : "dira_extract"}]
set PART  [expr {[info exists ::env(DIRA_HLS_PART)] ? $::env(DIRA_HLS_PART) : "xc7a200tfbg676-2"}]
set STEPS [expr {$argc > 0 ? $argv : "csim csynth cosim"}]
set HERE  [file dirname [file normalize [info script]]]
source [file join [file dirname $HERE] tools station_clock.tcl]
# The C++ standard of all HLS sources, stated once in hls/CXX_STANDARD (CMake reads it too).
set STD   [string trim [read [open $HERE/../CXX_STANDARD]]]
set INC   "-std=c++$STD -I$HERE -I$HERE/../include -DDIRA_USE_VITIS_HEADERS"

open_project -reset dira_extract_prj
set_top $TOP
add_files $HERE/extract_top.cpp -cflags $INC
add_files -tb $HERE/csim_main.cpp -cflags $INC
open_solution -reset solution1 -flow_target vivado
set_part $PART
create_clock -period [dira_station_clock_ns] -name default
config_interface -m_axi_latency 64

if {[lsearch $STEPS csim] >= 0}   { csim_design }
if {[lsearch $STEPS csynth] >= 0} { csynth_design }
if {[lsearch $STEPS cosim] >= 0}  { cosim_design -trace_level none }
exit
