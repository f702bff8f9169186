// The page's scripts and style, compiled in at build time (host/report/CMakeLists.txt): the report
// never fetches anything, and needs no file outside the dira binary when it is written.
#pragma once

#include <string_view>

namespace dira::report::assets {
extern const std::string_view k_chartjs;  // Chart.js, minified, from Debian's libjs-chart.js
extern const std::string_view k_page_js;  // report_page.js: draws the charts and pictures from the data
extern const std::string_view k_page_css; // report_page.css
} // namespace dira::report::assets
