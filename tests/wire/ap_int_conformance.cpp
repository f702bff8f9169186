// The conformance table of ap_int: every operation dira's HLS kernels use (and its neighbours), its
// result type and its value. tests/wire/ap_int_conformance.tsv holds what Xilinx's own ap_int.h gives
// (recorded by this program built with -DDIRA_VITIS_HEADERS=<dir>, docs/station.md says how); ctest
// runs it against hls_compat.hpp's stand-in, which must give the same type and value on every row.
//
//   ap_int_conformance <table.tsv>          compare, print every differing row, exit 1 if any
//   ap_int_conformance --print              print the table (how the .tsv was recorded)
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "dira/hls_compat.hpp"

namespace {

// A result as the table records it: its type and its bits in hexadecimal.
struct Row {
    std::string type;
    std::string value;
};

std::string hex_bits(const bool* bits, int width) {
    std::string out;
    for (int top = ((width + 3) / 4) * 4 - 4; top >= 0; top -= 4) {
        int nibble = 0;
        for (int i = 3; i >= 0; --i) nibble = nibble * 2 + (top + i < width && bits[top + i] ? 1 : 0);
        out += "0123456789abcdef"[nibble];
    }
    const std::size_t first = out.find_first_not_of('0');
    return first == std::string::npos ? "0" : out.substr(first);
}

template <int W, bool S>
std::string bits_of(const ap_int_base<W, S>& v) {
    bool bits[W];
    for (int i = 0; i < W; ++i) bits[i] = v[i];
    return hex_bits(bits, W);
}

template <int W>
Row describe(const ap_uint<W>& v) {
    return {"ap_uint<" + std::to_string(W) + ">", bits_of(v)};
}
template <int W>
Row describe(const ap_int<W>& v) {
    return {"ap_int<" + std::to_string(W) + ">", bits_of(v)};
}
template <int W, bool S>
Row describe(const ap_int_base<W, S>& v) {
    return {"ap_int_base<" + std::to_string(W) + (S ? ",signed>" : ",unsigned>"), bits_of(v)};
}
template <typename C>
Row describe_c(const char* type, C v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(v));
    return {type, buf};
}
Row describe(bool v) { return describe_c("bool", v); }
Row describe(int v) { return describe_c("int", v); }
Row describe(unsigned v) { return describe_c("unsigned", v); }
Row describe(long long v) { return describe_c("long long", v); }
Row describe(unsigned long long v) { return describe_c("unsigned long long", v); }

// X(name, expression). Statements are lambdas, so that an expression is all a row needs.
#define DIRA_AP_CASES(X)                                                                          \
    /* + - * : widths and signedness grow as Xilinx's RType says */                              \
    X(sub_unsigned, ap_uint<4>(3) - ap_uint<4>(5))                                                \
    X(sub_unsigned_64, ap_uint<64>(1) - ap_uint<64>(2))                                           \
    X(sub_int, ap_uint<64>(0) - 1)                                                                \
    X(sub_unsigned_int, ap_uint<8>(0) - 1u)                                                       \
    X(add_unsigned, ap_uint<4>(15) + ap_uint<4>(1))                                               \
    X(add_mixed_width, ap_uint<4>(15) + ap_uint<8>(255))                                          \
    X(add_signed_unsigned, ap_int<4>(-8) + ap_uint<4>(15))                                        \
    X(add_int, ap_uint<4>(15) + 1)                                                                \
    X(add_unsigned_int, ap_uint<4>(15) + 1u)                                                      \
    X(add_carry_64, ap_uint<64>(~0ull) + ap_uint<64>(1))                                          \
    X(add_128, ap_uint<128>(~0ull) + ap_uint<128>(1))                                             \
    X(mul_unsigned, ap_uint<4>(15) * ap_uint<4>(15))                                              \
    X(mul_signed_unsigned, ap_int<4>(-8) * ap_uint<4>(15))                                        \
    X(mul_int, ap_uint<8>(200) * 3)                                                               \
    X(neg_unsigned, -ap_uint<4>(1))                                                               \
    /* & | ^ ~ */                                                                                 \
    X(and_mixed_width, ap_uint<8>(0xF0) & ap_uint<4>(0xF))                                        \
    X(or_signed_unsigned, ap_int<4>(-1) | ap_uint<8>(0))                                          \
    X(xor_128, ap_uint<128>(5) ^ ap_uint<128>(7))                                                 \
    X(and_int, ap_uint<8>(0xFF) & 0x0F)                                                           \
    X(not_unsigned, ~ap_uint<4>(0))                                                               \
    X(not_signed, ~ap_int<4>(0))                                                                  \
    X(not_128, ~ap_uint<128>(0))                                                                  \
    /* shifts keep the left operand's type */                                                     \
    X(shl_keeps_width, ap_uint<4>(0xF) << 2)                                                      \
    X(shl_negative_int, ap_uint<8>(0x80) << -7)                                                   \
    X(shl_unsigned_128, ap_uint<128>(3) << 126u)                                                  \
    X(shl_across_words, ap_uint<130>(0x9) << 124)                                                 \
    X(shr_unsigned, ap_uint<8>(0x80) >> 7)                                                        \
    X(shr_signed_arithmetic, ap_int<8>(-128) >> 7)                                                \
    X(shr_by_ap_uint, ap_uint<8>(0x80) >> ap_uint<3>(7))                                          \
    X(shr_negative_int, ap_uint<8>(1) >> -3)                                                      \
    X(shr_128, (ap_uint<128>(1) << 100) >> 99)                                                    \
    X(low_mask_3_of_8, ~(~ap_uint<8>(0) << 3))                                                    \
    X(low_mask_0_of_64, ~(~ap_uint<64>(0) << 0))                                                  \
    X(low_mask_63_of_64, ~(~ap_uint<64>(0) << 63))                                                \
    /* comparisons: by value, whatever the widths and signedness */                               \
    X(lt_negative_difference, ap_uint<4>(3) - ap_uint<4>(5) < 0)                                  \
    X(lt_signed_unsigned, ap_int<4>(-1) < ap_uint<4>(1))                                          \
    X(eq_int, ap_uint<8>(200) == 200)                                                             \
    X(gt_negative_int, ap_uint<8>(255) > -1)                                                      \
    X(eq_mixed_width, ap_uint<4>(15) == ap_uint<8>(15))                                           \
    X(ne_128, ap_uint<128>(5) != ap_uint<128>(7))                                                 \
    X(ge_unsigned, ap_uint<32>(7) >= 7u)                                                          \
    /* bit and range selects, concatenation */                                                    \
    X(bit_const, ap_uint<8>(0x80)[7])                                                             \
    X(bit_set_130, [] { ap_uint<130> a = 0; a[129] = 1; a[3] = 1; return a; }())                  \
    X(bit_copy, [] { ap_uint<8> a = 0; const ap_uint<8> b = 0x80; a[0] = b[7]; return a; }())    \
    X(range_to_uint64, ap_uint<16>(0xABCD).range(11, 4).to_uint64())                              \
    X(range_length, ap_uint<16>(0xABCD).range(11, 4).length())                                    \
    X(range_to_ap_uint, ap_uint<8>(ap_uint<16>(0xABCD).range(11, 4)))                             \
    X(range_across_words, ap_uint<130>(ap_uint<130>(0xF) << 62).range(65, 62).to_uint64())        \
    X(range_assign, [] { ap_uint<16> a = 0; a.range(11, 4) = 0xBC; return a; }())                 \
    X(concat_comma, ap_uint<12>((ap_uint<4>(0xA), ap_uint<8>(0xBC))))                             \
    X(concat_method, ap_uint<12>(ap_uint<4>(0xA).concat(ap_uint<8>(0xBC))))                       \
    /* conversions */                                                                             \
    X(from_negative_int, ap_uint<4>(-1))                                                          \
    X(from_negative_int_wide, ap_uint<100>(-1))                                                   \
    X(from_signed_ap_extends, ap_uint<8>(ap_int<4>(-1)))                                          \
    X(from_wider_truncates, ap_uint<4>(ap_uint<8>(0x1F)))                                         \
    X(signed_from_unsigned, ap_int<8>(ap_uint<4>(15)))                                            \
    X(signed_from_wide_int, ap_int<4>(15))                                                        \
    X(assign_uint8, [] { ap_uint<4> b = 0; b = static_cast<std::uint8_t>(0x1F); return b; }())    \
    X(assign_conditional_int, [] { ap_uint<1> b = 0; b = 2 > 1 ? 1 : 0; return b; }())            \
    X(to_uint64_of_signed, ap_int<8>(-1).to_uint64())                                             \
    X(to_int_of_unsigned, ap_uint<32>(0xFFFFFFFFu).to_int())                                      \
    X(to_uint_truncates, ap_uint<64>(0x100000005ull).to_uint())                                   \
    X(to_bool, ap_uint<70>(ap_uint<70>(1) << 69).to_bool())                                       \
    X(implicit_unsigned, static_cast<unsigned long long>(ap_uint<70>(-1)))                        \
    X(implicit_signed, static_cast<long long>(ap_int<8>(-2)))                                     \
    X(xor_reduce, ap_uint<128>(ap_uint<128>(7) << 64).xor_reduce())                               \
    /* compound assignment truncates into the left operand */                                     \
    X(sub_assign_wraps, [] { ap_uint<4> a = 3; a -= 5; return a; }())                             \
    X(add_assign_wraps, [] { ap_uint<4> a = 15; a += ap_uint<4>(1); return a; }())                \
    X(increment_wraps, [] { ap_uint<4> a = 15; ++a; return a; }())                                \
    X(and_assign, [] { ap_uint<8> a = 0xFF; a &= ap_uint<8>(0x3C); return a; }())                 \
    X(shl_assign, [] { ap_uint<8> a = 0x81; a <<= 1; return a; }())

struct Case {
    const char* name;
    Row row;
};

const Case kCases[] = {
#define DIRA_X(name, expression) {#name, describe(expression)},
    DIRA_AP_CASES(DIRA_X)
#undef DIRA_X
};

int print_table() {
    for (const Case& c : kCases) std::printf("%s\t%s\t%s\n", c.name, c.row.type.c_str(), c.row.value.c_str());
    return 0;
}

int compare(const char* path) {
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "ap_int_conformance: cannot read the table %s\n", path);
        return 2;
    }
    std::map<std::string, Row> table;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string name;
        Row row;
        if (!std::getline(fields, name, '\t') || !std::getline(fields, row.type, '\t') || !std::getline(fields, row.value)) {
            std::fprintf(stderr, "ap_int_conformance: %s: malformed line '%s'\n", path, line.c_str());
            return 2;
        }
        table[name] = row;
    }
    int differences = 0;
    for (const Case& c : kCases) {
        const auto it = table.find(c.name);
        if (it == table.end()) {
            std::printf("%s: not in the recorded table\n", c.name);
            ++differences;
            continue;
        }
        if (it->second.type != c.row.type || it->second.value != c.row.value) {
            std::printf("%s: Xilinx %s %s, here %s %s\n", c.name, it->second.type.c_str(), it->second.value.c_str(),
                        c.row.type.c_str(), c.row.value.c_str());
            ++differences;
        }
        table.erase(it);
    }
    for (const auto& left : table) {
        std::printf("%s: recorded but not computed here\n", left.first.c_str());
        ++differences;
    }
    std::printf("%s: %zu rows, %d differ\n", differences ? "FAIL" : "PASS", sizeof kCases / sizeof kCases[0], differences);
    return differences ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::string(argv[1]) == "--print") return print_table();
    if (argc == 2) return compare(argv[1]);
    std::fprintf(stderr, "usage: ap_int_conformance <table.tsv> | --print\n");
    return 2;
}
