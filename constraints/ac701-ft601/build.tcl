# Builds the AC701 + UMFT601X-B station bitstream with Vivado, non-project batch mode:
#
#   vivado -mode batch -source constraints/ac701-ft601/build.tcl \
#          -tclargs BUILD_DIR DIRA_PKG_SV [STATION_ID] [HLS_IP_REPO]
#
#   BUILD_DIR    where the checkpoints, reports and station.bit go (created)
#   DIRA_PKG_SV  the generated SystemVerilog package: build/rtl/generated/dira_pkg.sv after
#                `cmake --build build --target dira_sv_pkg` (it is never kept by hand)
#   STATION_ID   0 Alice (default), 1 Bob: the STATION_ID register of this bitstream
#   HLS_IP_REPO  optional: a folder of IP exported by Vitis HLS (hls/station/run_hls.tcl,
#                export_design); it is added to the IP catalogue for block designs. ac701_top
#                itself is all RTL and instantiates no HLS IP.
#
# Steps: read the RTL and the XDC, synth_design, the lab pins' pad and clock-to-pin bounds from
# pad_timing.json (their one definition, applied by pad_timing.tcl), opt/place/phys_opt/route,
# timing and utilisation reports, then the bitstream, refused (an error) when timing is not met. Not run in dira's CI:
# Vivado is not a Debian package. check_project.tcl (tclsh, a ctest) checks what can be checked.

set script_dir [file dirname [file normalize [info script]]]
set repo_dir [file normalize [file join $script_dir .. ..]]
set part xc7a200tfbg676-2
set top ac701_top

if {[llength $argv] < 2} {
    error "usage: vivado -mode batch -source build.tcl -tclargs BUILD_DIR DIRA_PKG_SV \[STATION_ID\] \[HLS_IP_REPO\]"
}
set build_dir [file normalize [lindex $argv 0]]
set dira_pkg [file normalize [lindex $argv 1]]
set station_id [expr {[llength $argv] > 2 ? [lindex $argv 2] : 0}]
set hls_ip_repo [expr {[llength $argv] > 3 ? [lindex $argv 3] : ""}]
if {$station_id ni {0 1}} {
    error "STATION_ID must be 0 (Alice) or 1 (Bob), got $station_id"
}

# The station's sources are every .sv in rtl/station; the package comes first.
set station_sources [lsort [glob -directory [file join $repo_dir rtl station] *.sv]]
set board_sources [list [file join $repo_dir rtl board ac701_top.sv]]
set constraints [list [file join $script_dir station.xdc]]
set pad_timing [list [file join $script_dir pad_timing.tcl] [file join $script_dir pad_timing.json]]
foreach f [concat [list $dira_pkg] $station_sources $board_sources $constraints $pad_timing] {
    if {![file exists $f]} {
        error "missing input: $f"
    }
}

file mkdir $build_dir
create_project -in_memory -part $part
set_property target_language Verilog [current_project]
if {$hls_ip_repo ne ""} {
    set_property ip_repo_paths [list [file normalize $hls_ip_repo]] [current_project]
    update_ip_catalog
}

read_verilog -sv [concat [list $dira_pkg] $station_sources $board_sources]
read_xdc $constraints

synth_design -top $top -part $part -generic STATION_ID=8'd$station_id
source [lindex $pad_timing 0]
dira_pad_timing::apply [lindex $pad_timing 1]
write_checkpoint -force [file join $build_dir post_synth.dcp]
report_utilization -file [file join $build_dir utilization_synth.rpt]

opt_design
place_design
phys_opt_design
route_design
write_checkpoint -force [file join $build_dir post_route.dcp]
report_timing_summary -max_paths 20 -file [file join $build_dir timing_summary.rpt]
report_utilization -file [file join $build_dir utilization.rpt]
report_clock_interaction -file [file join $build_dir clock_interaction.rpt]

# A bitstream that misses timing is not a station: its latencies would not be the documented ones.
set worst_setup [get_property SLACK [get_timing_paths -delay_type max -max_paths 1]]
set worst_hold [get_property SLACK [get_timing_paths -delay_type min -max_paths 1]]
if {$worst_setup < 0 || $worst_hold < 0} {
    error "timing not met (worst setup slack $worst_setup ns, hold $worst_hold ns): see [file join $build_dir timing_summary.rpt]"
}

write_bitstream -force [file join $build_dir station.bit]
puts "dira: [file join $build_dir station.bit] (station $station_id), worst setup slack $worst_setup ns"
