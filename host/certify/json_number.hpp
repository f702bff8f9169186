// Numbers in dira's JSON reports, written so that the same computation gives the same bytes: doubles are
// rounded to 12 significant digits (far above the precision of any bound here, far below the last-bit
// noise of libm differences), non-finite values become null; keys are sorted (nlohmann's default map).
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

namespace dira::certify {

inline constexpr int kReportSignificantDigits = 12;

inline nlohmann::json report_number(double value) {
    if (!std::isfinite(value)) return nullptr;
    char text[64];
    std::snprintf(text, sizeof text, "%.*e", kReportSignificantDigits - 1, value);
    return std::strtod(text, nullptr);
}

// The one serialisation of every report: two-space indent, sorted keys, a final newline.
inline std::string serialize_report(const nlohmann::json& report) { return report.dump(2) + "\n"; }

} // namespace dira::certify
