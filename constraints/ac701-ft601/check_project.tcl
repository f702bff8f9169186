# What can be checked of the Vivado build without Vivado (run by ctest with tclsh):
#   1. build.tcl parses, and run against stand-ins for Vivado's commands it reads only files that
#      exist, synthesises ac701_top, and writes a bitstream after routing;
#   2. every top-level port of ac701_top (each bit of a bus) has exactly one PACKAGE_PIN and an
#      IOSTANDARD in station.xdc, no package pin is used twice, and every port the XDC names exists;
#   3. build.tcl bounds every lab pin of pad_timing.json with set_max_delay -datapath_only, after
#      synthesis and before routing, with the file's numbers as read by pad_timing.tcl, which must
#      equal the numbers a real JSON reader found (CMake's string(JSON), passed by the ctest).
#
#   tclsh check_project.tcl DIRA_PKG_SV SCRATCH_DIR INPUT_DELAY_NS OUTPUT_DELAY_NS
# Exits 1 with the list of problems.

set script_dir [file dirname [file normalize [info script]]]
set repo_dir [file normalize [file join $script_dir .. ..]]
if {[llength $argv] != 4} {
    puts stderr "usage: tclsh check_project.tcl DIRA_PKG_SV SCRATCH_DIR INPUT_DELAY_NS OUTPUT_DELAY_NS"
    exit 2
}
lassign $argv dira_pkg scratch_dir expected_input_ns expected_output_ns
set problems {}
proc problem {text} { lappend ::problems $text }

# --- 1. the build script ------------------------------------------------------------------------
set build_script [file join $script_dir build.tcl]
set f [open $build_script]
set text [read $f]
close $f
if {![info complete $text]} {
    problem "build.tcl does not parse (unbalanced braces or quotes)"
}

set steps {}
set files_read {}
proc record {step args} { lappend ::steps [list $step {*}$args] }
foreach command {create_project current_project update_ip_catalog write_checkpoint report_utilization opt_design
                 place_design phys_opt_design route_design report_timing_summary report_clock_interaction} {
    proc $command {args} "record $command {*}\$args"
}
proc set_property {args} { record set_property {*}$args }
proc read_verilog {args} {
    foreach f [lindex $args end] { lappend ::files_read $f }
    record read_verilog {*}$args
}
proc read_xdc {files} {
    foreach f $files { lappend ::files_read $f }
    record read_xdc $files
}
proc synth_design {args} { record synth_design {*}$args }
proc get_ports {name} { return $name }
proc set_max_delay {args} { record set_max_delay {*}$args }
proc get_timing_paths {args} { return path }
proc get_property {name object} { return 0.5 }
proc write_bitstream {args} { record write_bitstream {*}$args }

set argv [list [file join $scratch_dir vivado-build] $dira_pkg 0]
set argc 3
if {[catch {source $build_script} message]} {
    problem "build.tcl failed against the stand-ins: $message"
}
foreach f $files_read {
    if {![file exists $f]} { problem "build.tcl reads $f, which does not exist" }
}
set order {}
foreach step $steps { lappend order [lindex $step 0] }
foreach {before after} {read_verilog synth_design read_xdc synth_design synth_design set_max_delay set_max_delay route_design
                        synth_design route_design route_design write_bitstream} {
    set b [lsearch $order $before]
    set a [lsearch $order $after]
    if {$b < 0 || $a < 0 || $b > $a} { problem "build.tcl must run $before before $after (ran: $order)" }
}
foreach step $steps {
    if {[lindex $step 0] eq "synth_design"} {
        set top [lindex $step [expr {[lsearch $step -top] + 1}]]
        if {$top ne "ac701_top"} { problem "build.tcl synthesises $top, not ac701_top" }
    }
}

# --- 2. ports and pins --------------------------------------------------------------------------
# The top's ports, one name per bit: name for a single bit, name[i] for a bus.
set f [open [file join $repo_dir rtl board ac701_top.sv]]
set rtl [read $f]
close $f
set header_start [string first "module ac701_top" $rtl]
set header_end [string first ");" $rtl $header_start]
set header [string range $rtl $header_start $header_end]
set ports {}
foreach line [split $header "\n"] {
    if {[regexp {^\s*(input|output|inout)\s+(?:logic|wire)?\s*(?:\[\s*(\d+)\s*:\s*(\d+)\s*\])?\s*(\w+)} $line -> dir msb lsb name]} {
        if {$msb eq ""} {
            lappend ports $name
        } else {
            for {set i $lsb} {$i <= $msb} {incr i} { lappend ports "$name\[$i\]" }
        }
    }
}
if {[llength $ports] == 0} { problem "found no ports in ac701_top.sv" }

set f [open [file join $script_dir station.xdc]]
set xdc [read $f]
close $f
array set pin_of {}
array set standard_of {}
array set port_of_pin {}
set named_ports {}
# The argument of each [get_ports ...] in a line: from after "get_ports" to its closing bracket
# (port names carry brackets of their own: ft_data[0]).
proc get_ports_arguments {line} {
    set found {}
    set at 0
    while {[set start [string first {[get_ports } $line $at]] >= 0} {
        set i [expr {$start + 11}]
        set depth 1
        while {$i < [string length $line] && $depth > 0} {
            switch -- [string index $line $i] {
                "\[" { incr depth }
                "\]" { incr depth -1 }
            }
            incr i
        }
        lappend found [string trim [string range $line [expr {$start + 11}] [expr {$i - 2}]]]
        set at $i
    }
    return $found
}
foreach line [split $xdc "\n"] {
    set line [string trim $line]
    if {$line eq "" || [string index $line 0] eq "#"} { continue }
    set arguments [get_ports_arguments $line]
    foreach argument $arguments {
        foreach name [string map {"{" "" "}" ""} $argument] { lappend named_ports $name }
    }
    if {[regexp {^set_property\s+-dict\s+\{([^\}]*)\}} $line -> dict] && [llength $arguments] == 1} {
        set port [string map {"{" "" "}" ""} [lindex $arguments 0]]
        if {[dict exists $dict PACKAGE_PIN]} {
            set pin [dict get $dict PACKAGE_PIN]
            if {[info exists pin_of($port)]} { problem "$port has two PACKAGE_PINs" }
            set pin_of($port) $pin
            if {[info exists port_of_pin($pin)]} { problem "package pin $pin is given to $port_of_pin($pin) and $port" }
            set port_of_pin($pin) $port
        }
        if {[dict exists $dict IOSTANDARD]} { set standard_of($port) [dict get $dict IOSTANDARD] }
    }
}
foreach port $ports {
    if {![info exists pin_of($port)]} { problem "top-level port $port has no PACKAGE_PIN in station.xdc" }
    if {![info exists standard_of($port)]} { problem "top-level port $port has no IOSTANDARD in station.xdc" }
}
foreach name [lsort -unique $named_ports] {
    # A name ending in [*] stands for every bit of that bus; any other name is taken literally.
    if {[string match {*\[\*\]} $name]} {
        set known [expr {[lsearch -exact -all [lmap p $ports {expr {[string first "[string range $name 0 end-3]\[" $p] == 0}}] 1] ne ""}]
    } else {
        set known [expr {[lsearch -exact $ports $name] >= 0}]
    }
    if {!$known} { problem "station.xdc names port $name, which ac701_top does not have" }
}

# --- 3. the lab pins' pad bounds ------------------------------------------------------------------
set bounded {}
foreach step $steps {
    if {[lindex $step 0] ne "set_max_delay"} { continue }
    lassign [lrange $step 1 end] option direction port value
    if {$option ne "-datapath_only"} { problem "build.tcl's set_max_delay on $port is not -datapath_only" }
    lappend bounded [list $direction $port $value]
}
if {[catch {dira_pad_timing::read [file join $script_dir pad_timing.json]} timing]} {
    problem "pad_timing.json: $timing"
} else {
    foreach {key expected} [list input_delay_ns $expected_input_ns output_delay_ns $expected_output_ns] {
        if {[dict get $timing $key] != $expected} {
            problem "pad_timing.tcl reads $key = [dict get $timing $key], a JSON reader $expected"
        }
    }
    set wanted {}
    foreach port [dict get $timing inputs] { lappend wanted [list -from $port [dict get $timing input_delay_ns]] }
    foreach port [dict get $timing outputs] { lappend wanted [list -to $port [dict get $timing output_delay_ns]] }
    if {[lsort $wanted] ne [lsort $bounded]} { problem "build.tcl bounds {$bounded}, pad_timing.json asks for {$wanted}" }
    foreach entry $wanted {
        if {[lsearch -exact $ports [lindex $entry 1]] < 0} { problem "pad_timing.json names [lindex $entry 1], which ac701_top does not have" }
    }
}

if {[llength $problems] > 0} {
    foreach p $problems { puts stderr "check_project: $p" }
    exit 1
}
puts "check_project: build.tcl parses and reads [llength $files_read] existing files; [llength $ports] top-level port bits, each with one pin and an IO standard; [llength $bounded] lab pins bounded as pad_timing.json says"
