#include "certify/preregistration.hpp"

#include <cmath>

#include "certify/json_number.hpp"
#include "core/error.hpp"

namespace dira::certify {
namespace {

[[noreturn]] void format_error(const std::string& message) { throw Error(ErrorKind::format, "plan.json: " + message); }

const nlohmann::json& member(const nlohmann::json& object, const char* key, const std::string& where) {
    if (!object.is_object() || !object.contains(key)) format_error(where + " lacks \"" + key + "\"");
    return object.at(key);
}

// Numbers must be finite JSON numbers: null (what NaN becomes), strings and booleans are refused.
double finite_number(const nlohmann::json& object, const char* key, const std::string& where) {
    const auto& value = member(object, key, where);
    if (!value.is_number() || !std::isfinite(value.get<double>())) format_error(where + "." + key + " must be a finite number");
    return value.get<double>();
}

std::uint64_t count(const nlohmann::json& object, const char* key, const std::string& where) {
    const auto& value = member(object, key, where);
    if (!value.is_number_unsigned()) format_error(where + "." + key + " must be a non-negative integer");
    return value.get<std::uint64_t>();
}

std::string text(const nlohmann::json& object, const char* key, const std::string& where) {
    const auto& value = member(object, key, where);
    if (!value.is_string()) format_error(where + "." + key + " must be a string");
    return value.get<std::string>();
}

nlohmann::json to_json(const Preregistration& p) {
    return {
        {"format", kPreregistrationFormat},
        {"run_id", p.run_id},
        {"first_trial", p.first_trial},
        {"source_test_false_refusal", report_number(p.source_test_false_refusal)},
        {"second_source", p.second_source ? nlohmann::json{{"path", p.second_source->path}, {"sha256", p.second_source->sha256_hex}}
                                          : nlohmann::json(nullptr)},
        {"plan", plan_to_json(registered_plan(p))},
    };
}

Preregistration from_json(const nlohmann::json& j) {
    if (!j.is_object() || j.value("format", "") != kPreregistrationFormat) format_error(std::string("not a ") + kPreregistrationFormat + " plan");
    for (const auto& [key, value] : j.items())
        if (key != "format" && key != "run_id" && key != "first_trial" && key != "source_test_false_refusal" &&
            key != "second_source" && key != "plan")
            format_error("unknown key \"" + key + "\": a plan holds only what dira wrote into it");
    Preregistration p;
    p.run_id = text(j, "run_id", "plan");
    p.first_trial = count(j, "first_trial", "plan");
    p.source_test_false_refusal = finite_number(j, "source_test_false_refusal", "plan");
    if (const auto& second = member(j, "second_source", "plan"); !second.is_null())
        p.second_source = InputFile{"weak-source bits", text(second, "path", "second_source"), text(second, "sha256", "second_source")};
    const auto& parameters = member(member(j, "plan", "plan"), "parameters", "plan.plan");
    const std::string where = "plan.parameters";
    auto& q = p.params;
    q.expected_chsh = finite_number(parameters, "chsh", where);
    q.source_bias = finite_number(parameters, "source_bias", where);
    q.trials = count(parameters, "trials", where);
    q.soundness_error = finite_number(parameters, "soundness", where);
    q.completeness_target = finite_number(parameters, "completeness_target", where);
    try {
        q.extractor = extract::parse_kind(text(parameters, "extractor", where));
        q.model = parse_security_model(text(parameters, "model", where));
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::invalid_argument) format_error(e.what());
        throw;
    }
    return p;
}

} // namespace

Plan registered_plan(const Preregistration& plan) { return make_plan(plan.params); }

std::string preregistration_bytes(const Preregistration& plan) {
    validate_plan_parameters(plan.params);
    if (!(plan.source_test_false_refusal > 0.0 && plan.source_test_false_refusal < 1.0))
        throw Error(ErrorKind::invalid_argument, "the source test's false-refusal probability must lie in (0, 1)");
    // Round through the JSON once, so that the plan written is computed from the numbers it shows.
    const Preregistration shown = from_json(to_json(plan));
    return serialize_report(to_json(shown));
}

Preregistration parse_preregistration(const std::string& bytes) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(bytes);
    } catch (const nlohmann::json::exception& e) {
        format_error(std::string("not valid JSON: ") + e.what());
    }
    Preregistration p = from_json(j);
    nlohmann::json recomputed;
    try {
        recomputed = plan_to_json(registered_plan(p));
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::invalid_argument) throw;
        format_error(std::string("its parameters are not a valid plan: ") + e.what());
    }
    for (const auto& [key, value] : recomputed.items())
        if (!j["plan"].contains(key) || j["plan"][key] != value)
            throw Error(ErrorKind::integrity, "plan.json: plan." + key + " is not what the plan's parameters give (" +
                                                  value.dump() + "): the plan was edited after it was registered");
    if (j["plan"].size() != recomputed.size())
        throw Error(ErrorKind::integrity, "plan.json: plan holds keys the plan's parameters do not give: the plan was edited");
    return p;
}

RunInfo run_info_from(const Preregistration& p) {
    RunInfo info;
    info.run_id = info.alice_run_id = info.bob_run_id = p.run_id;
    info.first_trial = p.first_trial;
    info.trials = p.params.trials;
    info.source_bias = p.params.source_bias;
    info.expected_chsh = p.params.expected_chsh;
    return info;
}

CertifyOptions certify_options_from(const Preregistration& p) {
    CertifyOptions options;
    options.soundness_error = p.params.soundness_error;
    options.extractor = p.params.extractor;
    options.model = p.params.model;
    options.completeness_target = p.params.completeness_target;
    options.source_test_false_refusal = p.source_test_false_refusal;
    return options;
}

} // namespace dira::certify
