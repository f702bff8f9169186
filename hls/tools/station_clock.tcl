# The station clock period for the Vitis scripts (hls/station/run_hls.tcl, hls/extract/run_hls.tcl),
# read from its one definition, kDefaultClockHz in hls/include/dira/station_timing.hpp.
#
#   source station_clock.tcl; set clock_ns [dira_station_clock_ns]
#   tclsh station_clock.tcl        prints the period in ns (tests/firmware runs it)
set ::dira_station_timing_hpp \
    [file join [file dirname [file dirname [file normalize [info script]]]] include dira station_timing.hpp]

proc dira_station_clock_ns {} {
    set header $::dira_station_timing_hpp
    set f [open $header]
    set text [read $f]
    close $f
    if {![regexp {kDefaultClockHz\s*=\s*([0-9']+)\s*;} $text -> hz]} {
        error "station_clock.tcl: no 'kDefaultClockHz = <hertz>;' in $header"
    }
    return [expr {1e9 / [string map {' ""} $hz]}]
}

if {[info exists argv0] && [file normalize $argv0] eq [file normalize [info script]]} {
    puts [dira_station_clock_ns]
}
