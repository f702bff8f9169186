#include "timing/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "dira/station_timing.hpp"

namespace dira::timing {
namespace {

constexpr double kPsPerNs = 1000.0;
constexpr double kLightMetresPerNs = kSpeedOfLight_m_per_s * 1e-9;

std::string escape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += ch;
        }
    }
    return out;
}

std::string fmt(const char* format, auto... args) {
    char buffer[512];
    std::snprintf(buffer, sizeof buffer, format, args...);
    return buffer;
}

const char* kSideColour[2] = {"#1f5fbf", "#c0392b"};

struct Label {
    double event_y;
    double y;
    std::string text;
};

// Pushes labels apart vertically so that none overlaps the next, keeping their order.
void spread(std::vector<Label>& labels, double min_gap_px) {
    std::sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) { return a.event_y < b.event_y; });
    for (auto& l : labels) l.y = l.event_y;
    for (std::size_t i = 1; i < labels.size(); ++i)
        labels[i].y = std::max(labels[i].y, labels[i - 1].y + min_gap_px);
}

// Maps lab coordinates (metres along Alice->Bob, nanoseconds) to SVG pixels; light at 45 degrees.
struct Frame {
    double t_min_ns, t_max_ns, px_per_ns, px_per_m, left_px, top_px;
    double x(double m) const { return left_px + m * px_per_m; }
    double y(double ns) const { return top_px + (t_max_ns - ns) * px_per_ns; }
};

struct EventPoint {
    const char* label;
    double t_ns;
};

// The station's events in ns since `origin_ps` (the trial's trigger at the sequencer).
std::vector<EventPoint> station_points(const StationTrialEvents& e, double origin_ps) {
    auto ns = [origin_ps](double ps) { return (ps - origin_ps) / kPsPerNs; };
    std::vector<EventPoint> points = {{"trigger at pin", ns(e.trigger_pin_ps)}};
    if (!e.setting_driven) return points;
    points.insert(points.end(), {
        {"weak-source bit created: setting fixed", ns(e.ws_bit_created_ps)},
        {"setting at pin", ns(e.setting_pin_ps)},
        {"rotation pulse starts", ns(e.pulse_start_ps)},
        {"readout integration starts", ns(e.pulse_end_ps)},
        {"readout integrated", ns(e.integration_end_ps)},
        {"outcome discriminated", ns(e.discriminated_ps)},
    });
    if (e.outcome_missing) {
        points.push_back({"readout window closes: outcome fixed (missing)", ns(e.window_close_ps)});
    } else {
        points.push_back({"outcome at FPGA pin", ns(e.outcome_pin_ps)});
        points.push_back({"outcome latched: outcome fixed", ns(e.outcome_latched_ps)});
    }
    return points;
}

void draw_cone(std::string& svg, const Frame& f, double x_m, double t_ns, double distance_m, const char* colour) {
    // The future light cone from the setting event, clipped to the drawing's time range.
    const double top_ns = f.t_max_ns;
    const double reach_m = (top_ns - t_ns) * kLightMetresPerNs;
    const double left_m = std::max(x_m - reach_m, 0.0);
    const double right_m = std::min(x_m + reach_m, distance_m);
    const double t_left = t_ns + (x_m - left_m) / kLightMetresPerNs;
    const double t_right = t_ns + (right_m - x_m) / kLightMetresPerNs;
    svg += fmt("<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\" fill-opacity=\"0.10\" "
               "stroke=\"%s\" stroke-width=\"1\"/>\n",
               f.x(x_m), f.y(t_ns), f.x(left_m), f.y(t_left), f.x(left_m), f.y(top_ns), f.x(right_m), f.y(top_ns),
               f.x(right_m), f.y(t_right), colour, colour);
}

void draw_past_cone(std::string& svg, const Frame& f, double x_m, double t_ns, double distance_m, const char* colour) {
    const double reach_m = (t_ns - f.t_min_ns) * kLightMetresPerNs;
    for (double dir : {-1.0, 1.0}) {
        const double end_m = std::clamp(x_m + dir * reach_m, 0.0, distance_m);
        const double end_t = t_ns - std::abs(end_m - x_m) / kLightMetresPerNs;
        svg += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"4 3\" stroke-width=\"1\"/>\n",
                   f.x(x_m), f.y(t_ns), f.x(end_m), f.y(end_t), colour);
    }
}

void draw_labels(std::string& svg, const Frame& f, double x_m, const std::vector<EventPoint>& points, bool on_left,
                 const char* colour) {
    std::vector<Label> labels;
    for (const auto& p : points) labels.push_back({f.y(p.t_ns), 0, fmt("%s (%.3f ns)", p.label, p.t_ns)});
    // Lay out top-down in screen space: sort by screen y, then spread.
    spread(labels, 13.0);
    const double text_x = on_left ? f.x(x_m) - 40 : f.x(x_m) + 40;
    for (const auto& l : labels) {
        svg += fmt("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", f.x(x_m), l.event_y, colour);
        svg += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-width=\"0.6\"/>\n", f.x(x_m),
                   l.event_y, text_x, l.y);
        svg += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\" dominant-baseline=\"middle\">%s</text>\n",
                   text_x + (on_left ? -3 : 3), l.y, on_left ? "end" : "start", escape(l.text).c_str());
    }
}

void draw_segment(std::string& svg, const Frame& f, double x_m, double from_ns, double to_ns, const char* colour) {
    svg += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"5\" stroke-opacity=\"0.45\"/>\n",
               f.x(x_m), f.y(from_ns), f.x(x_m), f.y(to_ns), colour);
}

void draw_margin(std::string& svg, const Frame& f, double x_m, double outcome_ns, double cone_ns, double margin_ns, bool left) {
    const double x = f.x(x_m) + (left ? -14 : 14);
    const char* colour = margin_ns > 0 ? "#1e8449" : "#c0392b";
    svg += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n", x, f.y(outcome_ns), x,
               f.y(cone_ns), colour);
    svg += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\" text-anchor=\"%s\">%s %.3f ns</text>\n",
               x + (left ? -4 : 4), f.y(std::max(outcome_ns, cone_ns)) - 4, colour, left ? "end" : "start",
               margin_ns > 0 ? "margin" : "CROSSED by", std::abs(margin_ns));
}

void draw_time_axis(std::string& svg, const Frame& f, double axis_x) {
    const double span = f.t_max_ns - f.t_min_ns;
    const double step = span > 400 ? 100 : span > 160 ? 20 : 10;
    svg += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", axis_x, f.y(f.t_min_ns), axis_x,
               f.y(f.t_max_ns));
    for (double t = std::ceil(f.t_min_ns / step) * step; t <= f.t_max_ns; t += step) {
        svg += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", axis_x - 4, f.y(t), axis_x, f.y(t));
        svg += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" dominant-baseline=\"middle\">%.0f</text>\n",
                   axis_x - 6, f.y(t), t);
    }
    svg += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"start\">time since the trigger left the sequencer (ns)</text>\n", axis_x - 20, f.y(f.t_max_ns) - 12);
}

} // namespace

TrialEvents worst_case_events(const LabDescription& lab) {
    TrialEvents e;
    for (auto side : kStations) {
        const StationDescription& s = lab.station(side);
        const StationBudget b = station_budget(lab, side);
        StationTrialEvents& ev = e.stations[index(side)];
        const double t_ns = s.trigger_cable_ns;
        const double setting_pin_ns = t_ns + s.fpga.input_delay_ns + basis_selection_ps(s.fpga) / kPsPerNs + s.fpga.output_delay_ns;
        const QubitTiming& q = s.qubit;
        ev.trigger_pin_ps = t_ns * kPsPerNs;
        ev.setting_driven = true;
        ev.ws_bit_created_ps = (t_ns - b.lead_worst_ns) * kPsPerNs;
        ev.setting_pin_ps = setting_pin_ns * kPsPerNs;
        ev.pulse_start_ps = (setting_pin_ns + q.setting_to_pulse_ns) * kPsPerNs;
        ev.pulse_end_ps = ev.pulse_start_ps + q.rotation_pulse_ns * kPsPerNs;
        ev.integration_end_ps = ev.pulse_end_ps + q.readout_integration_ns * kPsPerNs;
        ev.discriminated_ps = ev.integration_end_ps + q.discrimination_ns * kPsPerNs;
        ev.outcome_pin_ps = ev.discriminated_ps + q.outcome_to_pin_ns * kPsPerNs;
        ev.outcome_latched_ps = (t_ns + b.latency_worst_ns) * kPsPerNs;
        ev.window_close_ps = (t_ns + b.window_close_worst_ns) * kPsPerNs;
    }
    return e;
}

std::string space_time_svg(const LabDescription& lab, const TrialEvents& e, const std::string& title) {
    const double d_m = station_distance_m(lab);
    const double light_ns = light_travel_ps(d_m) / kPsPerNs;
    // Time 0 is the trial's trigger leaving the sequencer.
    const double origin_ps = e.stations[0].trigger_pin_ps - lab.stations[0].trigger_cable_ns * kPsPerNs;
    auto ns = [origin_ps](double ps) { return (ps - origin_ps) / kPsPerNs; };
    std::array<std::vector<EventPoint>, 2> points{station_points(e.stations[0], origin_ps), station_points(e.stations[1], origin_ps)};
    double t_min = 1e300, t_max = -1e300;
    for (const auto& list : points)
        for (const auto& p : list) {
            t_min = std::min(t_min, p.t_ns);
            t_max = std::max(t_max, p.t_ns);
        }
    // Show where each setting's light cone reaches the other station.
    for (const auto& ev : e.stations)
        if (ev.setting_driven) t_max = std::max(t_max, ns(ev.ws_bit_created_ps) + light_ns);
    const double pad_ns = 0.12 * (t_max - t_min) + 5;
    Frame f{t_min - pad_ns, t_max + pad_ns, 0, 0, 430, 90};
    f.px_per_ns = std::min({4.0, 820.0 / (f.t_max_ns - f.t_min_ns), 700.0 / light_ns});
    f.px_per_m = f.px_per_ns / kLightMetresPerNs;
    const double width = f.left_px + d_m * f.px_per_m + 400;
    const double height = f.top_px + (f.t_max_ns - f.t_min_ns) * f.px_per_ns + 70;

    std::string svg = fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                          "font-family=\"sans-serif\">\n",
                          width, height, width, height);
    svg += fmt("<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    svg += fmt("<text x=\"%.1f\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", 20.0, escape(title).c_str());
    svg += fmt("<text x=\"%.1f\" y=\"42\" font-size=\"11\">trial %llu; stations %.3f m apart, light needs %.3f ns; "
               "shaded: future light cone of each setting event, dashed: past light cone of each outcome event</text>\n",
               20.0, static_cast<unsigned long long>(e.trial), d_m, light_ns);
    draw_time_axis(svg, f, 40);

    const double x_m[2] = {0.0, d_m};
    for (auto side : kStations) {
        const auto i = index(side);
        const auto& ev = e.stations[i];
        svg += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\"/>\n", f.x(x_m[i]),
                   f.y(f.t_min_ns), f.x(x_m[i]), f.y(f.t_max_ns), kSideColour[i]);
        svg += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"%s\">%s</text>\n",
                   f.x(x_m[i]), height - 22, kSideColour[i], side == StationId::alice ? "Alice" : "Bob");
        if (!ev.setting_driven) continue;
        draw_cone(svg, f, x_m[i], ns(ev.ws_bit_created_ps), d_m, kSideColour[i]);
        draw_past_cone(svg, f, x_m[i], ns(ev.outcome_fixed_ps()), d_m, kSideColour[i]);
        draw_segment(svg, f, x_m[i], ns(ev.pulse_start_ps), ns(ev.pulse_end_ps), "#8e44ad");
        draw_segment(svg, f, x_m[i], ns(ev.pulse_end_ps), ns(ev.integration_end_ps), "#d68910");
    }
    for (auto side : kStations) {
        const auto i = index(side);
        const auto& mine = e.stations[i];
        const auto& other = e.stations[1 - i];
        if (mine.setting_driven && other.setting_driven) {
            const double cone_ns = ns(mine.ws_bit_created_ps) + light_ns;
            const double outcome_ns = ns(other.outcome_fixed_ps());
            const double margin = light_cone_margin_ps(light_ns * kPsPerNs, mine.ws_bit_created_ps, other.outcome_fixed_ps()) / kPsPerNs;
            draw_margin(svg, f, x_m[1 - i], outcome_ns, cone_ns, margin, side == StationId::bob);
        }
        draw_labels(svg, f, x_m[i], points[i], side == StationId::alice, kSideColour[i]);
    }
    svg += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#555\">purple: rotation pulse; orange: readout integration; "
               "position across (light at 45 degrees), time up</text>\n",
               20.0, height - 6);
    svg += "</svg>\n";
    return svg;
}

std::string margin_histogram_svg(const std::vector<double>& margins_ps, const std::string& title) {
    const double width = 760, height = 420, left = 70, right = 30, top = 70, bottom = 60;
    std::string svg = fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                          "font-family=\"sans-serif\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
                          width, height, width, height);
    svg += fmt("<text x=\"20\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", escape(title).c_str());
    if (margins_ps.empty()) {
        svg += "<text x=\"20\" y=\"60\" font-size=\"12\">no checked trials</text>\n</svg>\n";
        return svg;
    }
    const auto [lo_it, hi_it] = std::minmax_element(margins_ps.begin(), margins_ps.end());
    const double lo = std::min(0.0, *lo_it / kPsPerNs), hi = std::max(*hi_it / kPsPerNs, lo + 1.0);
    // About 60 bins across the range, at a round width.
    const double raw = (hi - lo) / 60;
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    const double bin_ns = raw / decade < 2 ? 2 * decade : raw / decade < 5 ? 5 * decade : 10 * decade;
    const double start = std::floor(lo / bin_ns) * bin_ns;
    const auto bins = static_cast<std::size_t>(std::ceil((hi - start) / bin_ns)) + 1;
    std::vector<std::uint64_t> counts(bins, 0);
    std::uint64_t crossed = 0;
    for (double m : margins_ps) {
        const auto b = static_cast<std::size_t>(std::floor((m / kPsPerNs - start) / bin_ns));
        ++counts[std::min(b, bins - 1)];
        crossed += m <= 0;
    }
    const double peak = static_cast<double>(*std::max_element(counts.begin(), counts.end()));
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    auto x = [&](double ns) { return left + (ns - start) / (bins * bin_ns) * plot_w; };
    auto y = [&](double c) { return top + plot_h - c / peak * plot_h; };
    svg += fmt("<text x=\"20\" y=\"44\" font-size=\"12\">%zu checked trials; minimum margin %.3f ns; %llu not space-like "
               "(margin &lt;= 0, flagged LIGHT_CONE); bin %.3g ns</text>\n",
               margins_ps.size(), *lo_it / kPsPerNs, static_cast<unsigned long long>(crossed), bin_ns);
    for (std::size_t b = 0; b < bins; ++b) {
        if (counts[b] == 0) continue;
        const double x0 = x(start + b * bin_ns);
        const bool bad = start + (b + 1) * bin_ns <= 0;
        svg += fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n", x0, y(counts[b]),
                   std::max(1.0, plot_w / bins - 1), top + plot_h - y(counts[b]), bad ? "#c0392b" : "#1f5fbf");
    }
    svg += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", left, top + plot_h, left + plot_w, top + plot_h);
    svg += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", left, top, left, top + plot_h);
    svg += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c0392b\" stroke-dasharray=\"5 3\"/>\n", x(0), top - 8,
               x(0), top + plot_h);
    svg += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#c0392b\" text-anchor=\"middle\">light cone</text>\n", x(0), top - 12);
    const double tick = bin_ns * std::ceil(bins / 8.0);
    for (double t = std::ceil(start / tick) * tick; t <= start + bins * bin_ns; t += tick)
        svg += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%.3g</text>\n", x(t), top + plot_h + 16,
                   std::abs(t) < 1e-9 ? 0.0 : t);
    svg += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">light-cone margin per trial (ns)</text>\n",
               left + plot_w / 2, height - 14);
    svg += fmt("<text x=\"16\" y=\"%.1f\" font-size=\"11\" transform=\"rotate(-90 16 %.1f)\" text-anchor=\"middle\">trials</text>\n",
               top + plot_h / 2, top + plot_h / 2);
    svg += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.0f</text>\n", left - 4, top + 4, peak);
    svg += "</svg>\n";
    return svg;
}

void write_text_file(const std::string& path, const std::string& text) {
    write_file_atomically(path, text, Access::shared); // core/files.hpp: never through a link, never half a file
}

} // namespace dira::timing
