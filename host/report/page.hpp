// The report page: HTML around the charts, from the recomputed certificate, the manifest and the
// binned series. Every value from the run directory passes html_text or script_json (html.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "certify/certificate.hpp"
#include "report/report.hpp"
#include "report/series.hpp"

namespace dira::report {

struct PageInput {
    std::filesystem::path run_dir;
    const nlohmann::json* manifest = nullptr;
    const certify::Certificate* certificate = nullptr; // recomputed from the records
    const RunSeries* series = nullptr;
    const std::vector<VerificationCheck>* checks = nullptr;
    nlohmann::json data; // what report_page.js plots: {"charts": ..., "pictures": ...}
};

std::string render_page(const PageInput& input);

// The reason a run certifies nothing, in a sentence a person reads first.
std::string refusal_headline(const certify::Certificate& certificate, certify::RefusalReason reason);

} // namespace dira::report
