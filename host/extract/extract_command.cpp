#include "extract/extract_command.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "extract/bit_source.hpp"
#include "extract/gf2_multiply.hpp"

namespace dira::extract {

namespace {

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorKind::invalid_argument, message); }

SourceUse available(const std::string& name, const std::string& path, std::optional<std::uint64_t> bits) {
    if (path.empty()) invalid("--" + name + " FILE is required");
    SourceUse use;
    const std::uint64_t file_bits = FileBits::file_bits(path);
    use.available_bits = bits.value_or(file_bits);
    if (use.available_bits > file_bits)
        invalid("--" + name + "-bits " + std::to_string(*bits) + " is more than the " + std::to_string(file_bits) +
                " bits of '" + path + "' (to pad with zeros, use --fit up)");
    use.used_bits = use.available_bits;
    return use;
}

void fit_to(SourceUse& use, std::uint64_t needed) {
    use.used_bits = needed;
    use.dropped_bits = use.available_bits > needed ? use.available_bits - needed : 0;
    use.padded_bits = needed > use.available_bits ? needed - use.available_bits : 0;
}

} // namespace

ExtractReport run_extract_command(const ExtractCommand& command) {
    ExtractReport report;
    report.kind = command.kind;
    report.m_bits = command.m_bits;
    report.x = available("x", command.x_path, command.x_bits);
    report.y = available("y", command.y_path, command.y_bits);
    if (command.out_path.empty()) invalid("--out FILE is required");
    if (command.m_bits == 0) invalid("--m must be at least 1");
    for (const auto& [name, input] : {std::pair{"--x", command.x_path}, std::pair{"--y", command.y_path}})
        if (same_file(command.out_path, input))
            invalid("--out " + command.out_path + " is the input " + name + ": writing it would destroy the input");

    if (command.fit) {
        const LengthChoice choice = choose_length(command.kind, report.x.available_bits, *command.fit);
        fit_to(report.x, choice.x_bits);
        const std::uint64_t y_needed = required_y_bits(command.kind, choice.n_bits, command.m_bits);
        if (y_needed > report.y.available_bits && *command.fit == Direction::down)
            invalid("y has " + std::to_string(report.y.available_bits) + " bits, the extractor needs " +
                    std::to_string(y_needed) + " (with --fit down y is never padded)");
        fit_to(report.y, y_needed);
    }
    report.n_bits = n_from_x_bits(command.kind, report.x.used_bits);
    check_lengths(command.kind, report.x.used_bits, report.y.used_bits, command.m_bits);

    const FileBits x(command.x_path, report.x.used_bits), y(command.y_path, report.y.used_bits);
    report.chunk_bits = command.options.chunk_bits
                            ? command.options.chunk_bits
                            : plan_chunk_bits(report.x.used_bits + (command.kind == Kind::circulant),
                                              command.m_bits, command.options.memory_budget_bytes);
    report.cpu_kernel = std::string(to_string(active_cpu_kernel()));
    const auto t0 = std::chrono::steady_clock::now();
    const BitString z = extract(command.kind, x, y, command.m_bits, command.options);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    write_bit_file(command.out_path, z);
    return report;
}

std::string to_json(const ExtractReport& r) {
    auto source = [](const SourceUse& s) {
        return nlohmann::json{{"available_bits", s.available_bits},
                              {"used_bits", s.used_bits},
                              {"dropped_bits", s.dropped_bits},
                              {"padded_bits", s.padded_bits}};
    };
    const nlohmann::json j{{"kind", std::string(to_string(r.kind))},
                           {"n_bits", r.n_bits},
                           {"m_bits", r.m_bits},
                           {"x", source(r.x)},
                           {"y", source(r.y)},
                           {"chunk_bits", r.chunk_bits},
                           {"cpu_kernel", r.cpu_kernel},
                           {"seconds", r.seconds}};
    return j.dump(2);
}

std::string to_text(const ExtractReport& r) {
    std::ostringstream out;
    auto source = [&](const char* name, const SourceUse& s) {
        out << "  " << name << ": " << s.used_bits << " bits used of " << s.available_bits;
        if (s.dropped_bits) out << ", " << s.dropped_bits << " dropped";
        if (s.padded_bits) out << ", " << s.padded_bits << " zero-padded";
        out << '\n';
    };
    out << to_string(r.kind) << " extractor, n = " << r.n_bits << ", m = " << r.m_bits << " output bits\n";
    source("x", r.x);
    source("y", r.y);
    out << "  " << r.seconds << " s (" << r.cpu_kernel << " kernel, chunks of " << r.chunk_bits << " bits)\n";
    return out.str();
}

} // namespace dira::extract
