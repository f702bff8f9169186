// Putting text into the page safely. Everything that comes from a run directory (the manifest is a
// file anyone can edit) goes through one of these, so a hostile value shows as text and never runs:
// html_text for element content and attribute values, script_json for the data the page's script
// reads. The page's Content-Security-Policy allows only its own scripts (by hash) as a second wall.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace dira::report {

// Valid UTF-8: each byte that does not start or continue a well-formed sequence becomes U+FFFD.
std::string valid_utf8(std::string_view text);

// &, <, >, " and ' escaped; invalid UTF-8 replaced; control characters other than tab and newline
// shown as U+FFFD.
std::string html_text(std::string_view text);

// JSON to place inside <script type="application/json">: <, > and & escaped as \u003c, \u003e,
// \u0026 (they can only occur inside JSON strings), so that no "</script>" or "<!--" can end or
// change the element; invalid UTF-8 replaced.
std::string script_json(const nlohmann::json& value);

// The CSP source for an inline script: 'sha256-<base64 of its SHA-256>'.
std::string csp_script_hash(std::string_view script);

} // namespace dira::report
