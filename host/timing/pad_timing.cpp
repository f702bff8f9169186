#include "timing/pad_timing.hpp"

#include <cmath>
#include <sstream>
#include <string_view>
#include <utility>

#include "core/error.hpp"

namespace dira::timing {
namespace detail {
// (board folder, file text) of every constraints/<board>/pad_timing.json, generated at build time
// from those files (host/timing/CMakeLists.txt).
extern const std::vector<std::pair<std::string_view, std::string_view>> kPadTimingFiles;
} // namespace detail

namespace {

[[noreturn]] void fail(const std::string& origin, const std::string& message) {
    throw Error(ErrorKind::invalid_argument, origin + ": " + message);
}

std::string format_ns(double v) {
    std::ostringstream s;
    s << v << " ns";
    return s.str();
}

const nlohmann::json& member(const nlohmann::json& j, const std::string& key, const std::string& where,
                             const std::string& origin) {
    if (!j.is_object() || !j.contains(key)) fail(origin, "missing key '" + where + key + "'");
    return j.at(key);
}

double positive_ns(const nlohmann::json& j, const std::string& key, const std::string& where, const std::string& origin) {
    const auto& v = member(j, key, where, origin);
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() <= 0)
        fail(origin, "'" + where + key + "' must be a positive number of ns");
    return v.get<double>();
}

std::string text(const nlohmann::json& j, const std::string& key, const std::string& where, const std::string& origin) {
    const auto& v = member(j, key, where, origin);
    if (!v.is_string() || v.get<std::string>().empty()) fail(origin, "'" + where + key + "' must be a non-empty string");
    return v.get<std::string>();
}

// Each pin's cited buffer delay plus the allowance must fit under the bound; the message names the
// pin that needs the most.
void check_pins(const nlohmann::json& j, const std::string& direction, double bound_ns, const std::string& bound_key,
                const std::string& allowance_key, const std::string& origin) {
    const auto& pins = member(j, direction, "", origin);
    if (!pins.is_object() || pins.empty()) fail(origin, "'" + direction + "' must name the board's lab pins");
    const auto& buffers = member(j, "buffers", "", origin);
    std::string worst_port, worst_buffer;
    double worst_buffer_ns = 0, allowance_ns = 0;
    for (const auto& [port, pin] : pins.items()) {
        const std::string where = direction + "." + port + ".";
        text(pin, "iostandard", where, origin);
        const std::string name = text(pin, "buffer", where, origin);
        if (!buffers.is_object() || !buffers.contains(name))
            fail(origin, "'" + where + "buffer' names \"" + name + "\", which 'buffers' does not define");
        const auto& buffer = member(buffers.at(name), "ns", "buffers." + name + ".", origin);
        if (buffer.is_null()) continue; // not read: the entry says why (its "note")
        if (!buffer.is_number() || buffer.get<double>() < 0) fail(origin, "'buffers." + name + ".ns' must be a number of ns or null");
        allowance_ns = positive_ns(member(j, "allowances", "", origin), allowance_key, "allowances.", origin);
        if (worst_port.empty() || buffer.get<double>() > worst_buffer_ns) {
            worst_port = port;
            worst_buffer = name;
            worst_buffer_ns = buffer.get<double>();
        }
    }
    const double need_ns = worst_buffer_ns + allowance_ns;
    if (!worst_port.empty() && need_ns > bound_ns + 1e-9)
        fail(origin, "'" + bound_key + "' (" + format_ns(bound_ns) + ") is below " + worst_port + "'s buffer delay (" + worst_buffer +
                         ", " + format_ns(worst_buffer_ns) + ") plus allowances." + allowance_key + " (" + format_ns(allowance_ns) +
                         "): raise the bound to at least " + format_ns(need_ns));
}

} // namespace

PadTiming parse_pad_timing(const nlohmann::json& j, const std::string& origin) {
    if (!j.is_object()) fail(origin, "must be a JSON object");
    if (text(j, "format", "", origin) != kPadTimingFormat)
        fail(origin, "format is not \"" + std::string(kPadTimingFormat) + "\"");
    PadTiming t;
    t.board = text(j, "board", "", origin);
    t.input_delay_ns = positive_ns(j, "input_delay_ns", "", origin);
    t.output_delay_ns = positive_ns(j, "output_delay_ns", "", origin);
    const auto& sheet = member(j, "datasheet", "", origin);
    for (const char* key : {"document", "revision", "table", "read_from"}) text(sheet, key, "datasheet.", origin);
    t.citation = text(sheet, "cite", "datasheet.", origin);
    check_pins(j, "inputs", t.input_delay_ns, "input_delay_ns", "input_routing_ns", origin);
    check_pins(j, "outputs", t.output_delay_ns, "output_delay_ns", "output_register_routing_ns", origin);
    t.definition = j;
    return t;
}

const std::vector<PadTiming>& pad_timings() {
    static const std::vector<PadTiming> all = [] {
        std::vector<PadTiming> v;
        for (const auto& [board, file] : detail::kPadTimingFiles) {
            const std::string origin = "constraints/" + std::string(board) + "/pad_timing.json";
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(file);
            } catch (const nlohmann::json::exception& e) {
                fail(origin, std::string("is not valid JSON: ") + e.what());
            }
            PadTiming t = parse_pad_timing(j, origin);
            if (t.board != board) fail(origin, "says board \"" + t.board + "\" but sits in constraints/" + std::string(board));
            v.push_back(std::move(t));
        }
        return v;
    }();
    return all;
}

const PadTiming& find_pad_timing(const std::string& board) {
    std::string known;
    for (const auto& t : pad_timings()) {
        if (t.board == board) return t;
        known += (known.empty() ? "" : ", ") + t.board;
    }
    throw Error(ErrorKind::invalid_argument,
                "no pad timing for board \"" + board + "\" (boards with constraints/<board>/pad_timing.json: " + known + ")");
}

} // namespace dira::timing
