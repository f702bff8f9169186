# The lab pins' pad and clock-to-pin bounds for Vivado, from their one definition,
# pad_timing.json beside this file (docs/boards.md, "Pad timing"). build.tcl sources this after
# synth_design and calls dira_pad_timing::apply; check_project.tcl (a ctest) runs the same code
# against stand-ins for Vivado's commands.
#
# Vivado's Tcl has no JSON reader, so this reads the file's fixed shape: "input_delay_ns" and
# "output_delay_ns" each once as a plain number, and the ports as the keys of the "inputs" and
# "outputs" objects. Anything else is an error, never a guess.
namespace eval dira_pad_timing {}

# The text of the JSON object that follows "key": at the top level of `text`.
proc dira_pad_timing::object_text {text key} {
    set found [regexp -all -indices -inline "\"$key\"\\s*:\\s*\\\{" $text]
    if {[llength $found] != 1} { error "pad timing: expected one object \"$key\", found [llength $found]" }
    set start [lindex $found 0 1]
    set depth 0
    set in_string 0
    for {set i $start} {$i < [string length $text]} {incr i} {
        set c [string index $text $i]
        if {$in_string} {
            if {$c eq "\\"} { incr i } elseif {$c eq "\""} { set in_string 0 }
            continue
        }
        switch -- $c {
            "\"" { set in_string 1 }
            "\{" { incr depth }
            "\}" { incr depth -1; if {$depth == 0} { return [string range $text $start $i] } }
        }
    }
    error "pad timing: object \"$key\" is not closed"
}

# The keys of a JSON object's text (its first level only).
proc dira_pad_timing::object_keys {object} {
    set keys {}
    set depth 0
    set in_string 0
    set string_start 0
    for {set i 0} {$i < [string length $object]} {incr i} {
        set c [string index $object $i]
        if {$in_string} {
            if {$c eq "\\"} { incr i; continue }
            if {$c eq "\""} {
                set in_string 0
                set word [string range $object [expr {$string_start + 1}] [expr {$i - 1}]]
                if {$depth == 1 && [regexp {^\s*:} [string range $object [expr {$i + 1}] end]]} { lappend keys $word }
            }
            continue
        }
        switch -- $c {
            "\"" { set in_string 1; set string_start $i }
            "\{" { incr depth }
            "\}" { incr depth -1 }
        }
    }
    return $keys
}

proc dira_pad_timing::number {text key} {
    set found [regexp -all -inline "\"$key\"\\s*:\\s*(\[0-9\]+(?:\\.\[0-9\]+)?)\\s*\[,\}\]" $text]
    if {[llength $found] != 2} { error "pad timing: expected \"$key\" once as a plain number" }
    return [lindex $found 1]
}

# {input_delay_ns N output_delay_ns N inputs {ports} outputs {ports}} from pad_timing.json.
proc dira_pad_timing::read {path} {
    set f [open $path]
    set text [::read $f]
    close $f
    set timing [dict create]
    foreach key {input_delay_ns output_delay_ns} { dict set timing $key [number $text $key] }
    foreach key {inputs outputs} {
        set ports [object_keys [object_text $text $key]]
        if {[llength $ports] == 0} { error "pad timing: \"$key\" names no port" }
        dict set timing $key $ports
    }
    return $timing
}

# Bounds the lab ports' data paths. They are asynchronous to the station clock (the inputs go into
# synchronisers), so only the data paths are bounded: pin to first flop, flop clock to pin.
proc dira_pad_timing::apply {path} {
    set timing [read $path]
    foreach port [dict get $timing inputs] {
        set_max_delay -datapath_only -from [get_ports $port] [dict get $timing input_delay_ns]
    }
    foreach port [dict get $timing outputs] {
        set_max_delay -datapath_only -to [get_ports $port] [dict get $timing output_delay_ns]
    }
    return $timing
}
