// Figures of the light-cone check, as self-contained SVG text:
//  - the space-time diagram of one trial, as Bell-test papers draw it: position along the line
//    from Alice to Bob across, time up, light at 45 degrees, each station's events labelled, the
//    future light cone of each setting event and the margin by which the other station's outcome
//    event stays outside it;
//  - the histogram of light-cone margins over a run.
#pragma once

#include <string>
#include <vector>

#include "timing/lab_description.hpp"
#include "timing/light_cone.hpp"
#include "timing/timing_budget.hpp"

namespace dira::timing {

std::string space_time_svg(const LabDescription& lab, const TrialEvents& events, const std::string& title);
std::string margin_histogram_svg(const std::vector<double>& margins_ps, const std::string& title);

// The events of a trial at the budget's worst phases at both stations: an envelope no real trial
// exceeds (each station's setting as early and outcome as late as its phases allow), for drawing
// what `dira timing` computes. Time 0 is the sequencer's trigger.
TrialEvents worst_case_events(const LabDescription& lab);

void write_text_file(const std::string& path, const std::string& text); // throws dira::Error(io)

} // namespace dira::timing
