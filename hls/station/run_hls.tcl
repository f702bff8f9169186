# Vitis HLS: C-simulation and synthesis of the station's two top functions.
#
#   cd hls/station && vitis_hls -f run_hls.tcl
#
# NOT RUN BY THE PROJECT: the dira machines have no Vitis. There the same C++ is compiled natively
# against hls_compat.hpp and checked by tests/firmware, including this script's C-simulation
# testbench (csim_station_top.cpp). Treat the script as the starting point of a Vitis flow. The
# sources are C++14, the standard Vitis HLS documents (UG1399), stated once in hls/CXX_STANDARD,
# which CMake reads too. Choose the part and the clocks below.
set here [file dirname [file normalize [info script]]]
source [file join [file dirname $here] tools station_clock.tcl]
set part         "xc7a35ticsg324-1L"
set clock_ns     [dira_station_clock_ns] ;# station clock (kDefaultClockHz in hls/include/dira/station_timing.hpp)
set usb_clock_ns 10.0 ;# FT601 clock, 100 MHz

set hls_root [file dirname $here]
set cxx_std [string trim [read [open "$hls_root/CXX_STANDARD"]]]
set cflags "-std=c++$cxx_std -I[file dirname $hls_root] -I$hls_root -I$hls_root/include -DDIRA_USE_VITIS_HEADERS"

# One project per clock domain: station_top on the station clock, ft601_bridge_top on the FT601's.
# In the block design an AXI4-Stream clock-converter FIFO joins them in each direction.
proc station_project {name top clock_ns with_csim} {
    global part here cflags
    open_project -reset "hls_$name"
    set_top $top
    add_files "$here/station_tops.cpp" -cflags $cflags
    if {$with_csim} {
        add_files -tb "$here/csim_station_top.cpp" -cflags $cflags
    }
    open_solution -reset "solution1" -flow_target vivado
    set_part $part
    create_clock -period $clock_ns -name default
    config_rtl -reset all
    if {$with_csim} {
        csim_design
    }
    csynth_design
    close_project
}

station_project station "dira::hls_station::station_top"      $clock_ns     1
station_project ft601   "dira::hls_station::ft601_bridge_top" $usb_clock_ns 0
exit
