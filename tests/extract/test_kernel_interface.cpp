// One definition of the extraction kernel's interface (hls/include/dira/extract_interface.hpp):
// these tests fail if a side drifts from it. The HLS top's parameter types are held to the argument
// list at compile time (extract_top.hpp); here: the top's parameter names and INTERFACE pragmas, the
// SystemVerilog package the RTL uses, the station registers' fields, and the host's binding of the
// arguments (as the XRT transport binds them, on a recorder instead of an xrt::run).
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "dira/extract_interface.hpp"
#include "dira/register_map.hpp"
#include "hls/extract/extract_top.hpp"
#include "transport/extract_kernel.hpp"
#include "transport/station.hpp"

namespace ki = dira::kernel_interface;

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The parameter names of `function`'s definition (the first line that starts with its return type).
std::vector<std::string> parameter_names(const std::string& source, const std::string& function) {
    const std::size_t at = source.find("\nunsigned " + function + "(");
    REQUIRE(at != std::string::npos);
    const std::size_t open = source.find('(', at), close = source.find(')', at);
    const std::string list = source.substr(open + 1, close - open - 1);
    std::vector<std::string> names;
    const std::regex name(R"((\w+)\s*(,|$))");
    for (std::sregex_iterator it(list.begin(), list.end(), name), end; it != end; ++it) names.push_back((*it)[1]);
    return names;
}

// name -> interface mode of each `#pragma HLS INTERFACE mode = M port = P` in `function`'s body.
std::map<std::string, std::string> interface_pragmas(const std::string& source, const std::string& function) {
    const std::size_t at = source.find("\nunsigned " + function + "(");
    const std::size_t end = source.find("\n}", at);
    const std::string body = source.substr(at, end - at);
    std::map<std::string, std::string> modes;
    const std::regex pragma(R"(#pragma HLS INTERFACE mode = (\w+) port = (\w+))");
    for (std::sregex_iterator it(body.begin(), body.end(), pragma), e; it != e; ++it) modes[(*it)[2]] = (*it)[1];
    return modes;
}

// EXTRACT_<prefix>_<NAME> = value lines of the generated package.
std::map<std::string, unsigned> package_values(const std::string& package, const std::string& prefix) {
    std::map<std::string, unsigned> values;
    const std::regex param("localparam int unsigned EXTRACT_" + prefix + R"(_(\w+) = (\d+);)");
    for (std::sregex_iterator it(package.begin(), package.end(), param), e; it != e; ++it)
        values[(*it)[1]] = static_cast<unsigned>(std::stoul((*it)[2]));
    return values;
}

std::string upper_snake(const std::string& name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (i > 0 && std::isupper(static_cast<unsigned char>(name[i]))) out += '_';
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(name[i])));
    }
    return out;
}

struct Buffer {
    int id;
};

// Stands where xrt::run does: records what each argument index received.
struct RecordingRun {
    struct Arg {
        int sets = 0;
        bool buffer = false;
        int buffer_id = -1;
        unsigned scalar_bits = 0;
        std::uint64_t value = 0;
    };
    std::map<int, Arg> args;
    void set_arg(int index, const Buffer& b) {
        Arg& a = args[index];
        ++a.sets;
        a.buffer = true;
        a.buffer_id = b.id;
    }
    template <typename T>
    void set_arg(int index, T v) {
        static_assert(std::is_unsigned_v<T>, "the kernel's scalars are unsigned");
        Arg& a = args[index];
        ++a.sets;
        a.scalar_bits = 8 * sizeof(T);
        a.value = v;
    }
};

} // namespace

TEST_CASE("dira_extract_mm's parameters and INTERFACE pragmas are the interface's, in order") {
    const std::string source = read_text(DIRA_SOURCE_DIR "/hls/extract/extract_top.cpp");
    const std::vector<std::string> names = parameter_names(source, ki::kMmKernelName);
    const std::map<std::string, std::string> modes = interface_pragmas(source, ki::kMmKernelName);
    REQUIRE(names.size() == ki::kMmArgCount);
    for (unsigned i = 0; i < ki::kMmArgCount; ++i) {
        const ki::ArgInfo& arg = ki::kMmArgs[i];
        INFO("argument " << i << " " << arg.name);
        CHECK(names[i] == arg.name);
        REQUIRE(modes.count(arg.name) == 1);
        CHECK(modes.at(arg.name) == (arg.kind == ki::ArgKind::scalar ? "s_axilite" : "m_axi"));
    }
    CHECK(modes.at("return") == "s_axilite");
    CHECK(modes.size() == ki::kMmArgCount + 1); // no pragma for a port the interface does not have
}

TEST_CASE("the RTL's package carries the interface's kinds and status codes") {
    const std::string package = read_text(DIRA_SV_PKG_PATH);
    const auto kinds = package_values(package, "KIND");
    const auto codes = package_values(package, "CODE");
    for (const ki::CodeInfo& k : ki::kKindTable) {
        INFO(k.name);
        REQUIRE(kinds.count(upper_snake(k.name)) == 1);
        CHECK(kinds.at(upper_snake(k.name)) == k.code);
    }
    for (const ki::CodeInfo& c : ki::kStatusTable) {
        INFO(c.name);
        REQUIRE(codes.count(upper_snake(c.name)) == 1);
        CHECK(codes.at(upper_snake(c.name)) == c.code);
    }
    CHECK(kinds.at("COUNT") == ki::kKindCount);
    CHECK(kinds.at("BITS") == ki::kKindBits);
    CHECK(codes.at("BITS") == ki::kStatusBits);
    // The engine takes its codes from the package, not from literals of its own.
    const std::string rtl = read_text(DIRA_SOURCE_DIR "/rtl/extract/dira_extract.sv");
    CHECK(rtl.find("dira_pkg::EXTRACT_CODE_BAD_KIND") != std::string::npos);
    CHECK(rtl.find("dira_pkg::EXTRACT_KIND_TOEPLITZ") != std::string::npos);
}

TEST_CASE("the host binds dira_extract_mm's arguments at the interface's indices and widths") {
    RecordingRun run;
    const Buffer x{10}, y{11}, z{12};
    dira::transport::ExtractMmCall call;
    call.kind = ki::kToeplitz;
    call.x_bits = 1000;
    call.y_bits = 1099;
    call.m_bits = 100;
    dira::transport::bind_extract_mm(run, x, y, z, call);
    REQUIRE(run.args.size() == ki::kMmArgCount);
    const std::map<std::string, std::uint64_t> scalar = {{"kind", call.kind}, {"x_bits", 1000}, {"y_bits", 1099}, {"m_bits", 100}};
    const std::map<std::string, int> buffer = {{"x", 10}, {"y", 11}, {"z", 12}};
    for (unsigned i = 0; i < ki::kMmArgCount; ++i) {
        const ki::ArgInfo& arg = ki::kMmArgs[i];
        const RecordingRun::Arg& got = run.args.at(static_cast<int>(i));
        INFO("argument " << i << " " << arg.name);
        CHECK(got.sets == 1);
        CHECK(got.buffer == (arg.kind != ki::ArgKind::scalar));
        if (got.buffer) {
            CHECK(got.buffer_id == buffer.at(arg.name));
        } else {
            CHECK(got.scalar_bits == arg.bits);
            CHECK(got.value == scalar.at(arg.name));
        }
    }
}

TEST_CASE("host kinds, station registers and status words follow the interface") {
    using dira::extract::Kind;
    CHECK(dira::transport::kernel_kind(Kind::dodis) == ki::kDodis);
    CHECK(dira::transport::kernel_kind(Kind::circulant) == ki::kCirculant);
    CHECK(dira::transport::kernel_kind(Kind::toeplitz) == ki::kToeplitz);
    for (const ki::CodeInfo& c : ki::kStatusTable) CHECK(dira::transport::describe_extractor_code(c.code) == c.meaning);
    CHECK(dira::transport::describe_extractor_code(dira::kExtractCodeAbsent) == "this firmware build has no extractor");
    CHECK(dira::transport::describe_kernel_status(ki::kStatusCount) == "unknown status code " + std::to_string(ki::kStatusCount));
    // Every kind fits EXTRACT_CONTROL.KIND and every status EXTRACT_STATUS's code.
    for (const ki::CodeInfo& k : ki::kKindTable)
        CHECK(((k.code << dira::kExtractKindShift) & ~dira::kExtractKindMask) == 0);
    for (const ki::CodeInfo& c : ki::kStatusTable) CHECK(((c.code << dira::kExtractCodeShift) & ~dira::kExtractCodeMask) == 0);
}

TEST_CASE("the size rules are one function: the kernel's refusals are the interface's") {
    // dira_extract_mm's own refusal and check_sizes agree on a spread of sizes.
    const std::uint32_t max_bits = ki::kMmWordBits * ki::kMmMaxWords;
    struct Case {
        unsigned kind;
        std::uint32_t x, y, m;
    };
    for (const Case& c : {Case{ki::kDodis, 131, 131, 8}, Case{3, 131, 131, 8}, Case{ki::kDodis, 131, 130, 8},
                          Case{ki::kCirculant, max_bits, max_bits + 1, 8}, Case{ki::kDodis, 40, 40, 8},
                          Case{ki::kDodis, 131, 131, 0}, Case{ki::kDodis, 131, 131, 132}, Case{ki::kToeplitz, 100, 149, 50}}) {
        const unsigned expected = ki::check_sizes(c.kind, c.x, c.y, c.m, ki::kMmWordBits, max_bits);
        if (expected == ki::kOk) continue; // a run needs real buffers; the refusals are the point here
        INFO("kind " << c.kind << " x " << c.x << " y " << c.y << " m " << c.m);
        CHECK(dira_extract_mm(nullptr, nullptr, nullptr, c.kind, c.x, c.y, c.m) == expected);
    }
}
