// The extractors against their definitions: random and edge cases, chunked and whole, every kernel;
// files and the dira extract command logic; error cases.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/error.hpp"
#include "extract/extract_command.hpp"
#include "extract/extractor.hpp"
#include "kernel_guard.hpp"
#include "naive_reference.hpp"
#include "support/temp_dir.hpp"

using namespace dira::extract;
using namespace dira::extract::testing;

namespace {

Bits naive(Kind kind, const Bits& x, const Bits& y, std::uint64_t m) {
    switch (kind) {
    case Kind::dodis: return naive_dodis(x, y, m);
    case Kind::circulant: return naive_circulant(x, y, m);
    case Kind::toeplitz: return naive_toeplitz(x, y, m);
    }
    return {};
}

Bits host(Kind kind, const Bits& x, const Bits& y, std::uint64_t m, std::uint64_t chunk_bits = 0) {
    ExtractOptions options;
    options.chunk_bits = chunk_bits;
    return to_bits(extract(kind, to_bit_string(x), to_bit_string(y), m, options));
}

struct Case {
    Kind kind;
    Bits x, y;
    std::uint64_t m;
};

// Inputs of the right shape for kind with extractor length n (toeplitz: n1) and output m.
Case make_case(Kind kind, std::uint64_t n, std::uint64_t m, std::mt19937_64& rng, double density = 0.5) {
    return {kind, random_bits(rng, required_x_bits(kind, n), density), random_bits(rng, required_y_bits(kind, n, m), density), m};
}

const Kind kKinds[] = {Kind::dodis, Kind::circulant, Kind::toeplitz};

std::uint64_t random_usable(std::mt19937_64& rng, std::uint64_t below) {
    return usable_cyclic_length_at_least(3 + rng() % below);
}

} // namespace

TEST_CASE("the extractors agree with their definitions on random inputs") {
    std::mt19937_64 rng(100);
    for (CpuKernel k : available_kernels()) {
        KernelGuard guard(k);
        for (Kind kind : kKinds)
            for (int it = 0; it < 25; ++it) {
                const std::uint64_t n = kind == Kind::toeplitz ? 1 + rng() % 3000 : random_usable(rng, 3000);
                const std::uint64_t m = 1 + rng() % n;
                const Case c = make_case(kind, n, m, rng);
                const Bits expected = naive(kind, c.x, c.y, m);
                INFO(to_string(kind) << " n=" << n << " m=" << m);
                CHECK(host(kind, c.x, c.y, m) == expected);
                CHECK(host(kind, c.x, c.y, m, 1 + rng() % n) == expected); // any chunking gives the same bits
            }
    }
}

TEST_CASE("the extractors on edge cases") {
    std::mt19937_64 rng(101);
    for (Kind kind : kKinds)
        for (std::uint64_t n : {3ull, 5ull, 131ull, 1019ull}) {
            if (kind == Kind::circulant && n == 3) continue; // covered by the random cases; x of 2 bits
            for (std::uint64_t m : {std::uint64_t{1}, n - 1, n}) {
                if (m == 0) continue;
                INFO(to_string(kind) << " n=" << n << " m=" << m);
                for (double density : {0.0, 1.0, 0.5}) {
                    const Case c = make_case(kind, n, m, rng, density);
                    CHECK(host(kind, c.x, c.y, m) == naive(kind, c.x, c.y, m));
                }
                // A single one in x picks a window of y; a single one in y a window of x.
                const std::uint64_t xn = required_x_bits(kind, n), yn = required_y_bits(kind, n, m);
                for (std::uint64_t at : {std::uint64_t{0}, xn / 2, xn - 1}) {
                    const Bits x = single_bit(xn, at), y = random_bits(rng, yn);
                    CHECK(host(kind, x, y, m) == naive(kind, x, y, m));
                }
                for (std::uint64_t at : {std::uint64_t{0}, yn / 2, yn - 1}) {
                    const Bits x = random_bits(rng, xn), y = single_bit(yn, at);
                    CHECK(host(kind, x, y, m) == naive(kind, x, y, m));
                }
            }
        }
}

TEST_CASE("dodis shifts: a single one at x_k outputs y from k on") {
    std::mt19937_64 rng(102);
    const std::uint64_t n = 1019, k = 700, m = 500;
    const Bits y = random_bits(rng, n);
    const Bits z = host(Kind::dodis, single_bit(n, k), y, m);
    for (std::uint64_t i = 0; i < m; ++i) CHECK(z[i] == y[(i + k) % n]);
}

TEST_CASE("large extractions agree across chunkings and kernels") {
    std::mt19937_64 rng(103);
    for (Kind kind : kKinds) {
        const std::uint64_t n = kind == Kind::toeplitz ? 200'000 : usable_cyclic_length_at_least(200'000);
        const std::uint64_t m = 50'000;
        const Case c = make_case(kind, n, m, rng);
        const Bits whole = host(kind, c.x, c.y, m);
        CHECK(host(kind, c.x, c.y, m, 65'536) == whole);
        CHECK(host(kind, c.x, c.y, m, 77'777) == whole);
        KernelGuard portable(CpuKernel::portable);
        CHECK(host(kind, c.x, c.y, m) == whole);
        // Spot-check single output bits against the definition.
        for (std::uint64_t i : {std::uint64_t{0}, m / 3, m - 1})
            CHECK(whole[i] == (kind == Kind::toeplitz ? naive_toeplitz_bit(c.x, c.y, m, i) : naive_dodis_bit(c.x, c.y, i)));
    }
}

namespace {

void write_bits(const std::string& path, const Bits& b, std::uint64_t extra_bytes = 0) {
    BitString s = to_bit_string(b);
    s.words.resize(s.words.size() + extra_bytes / 8 + 1, ~0ull); // garbage past the length must be ignored
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(s.words.data()), static_cast<std::streamsize>((b.size() + 7) / 8 + extra_bytes));
}

Bits read_output(const std::string& path, std::uint64_t m) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(bytes.size() == (m + 7) / 8);
    Bits z(m);
    for (std::uint64_t i = 0; i < m; ++i) z[i] = (static_cast<unsigned char>(bytes[i / 8]) >> (i % 8)) & 1;
    for (std::uint64_t i = m; i < bytes.size() * 8; ++i) CHECK(((static_cast<unsigned char>(bytes[i / 8]) >> (i % 8)) & 1) == 0);
    return z;
}

// A missing input file is not_found (core/files.hpp maps errno), every other refusal a bad argument.
std::string error_of(const ExtractCommand& cmd, dira::ErrorKind expected = dira::ErrorKind::invalid_argument) {
    try {
        run_extract_command(cmd);
    } catch (const dira::Error& e) {
        CHECK(e.kind() == expected);
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("dira extract on files") {
    TempDir dir;
    std::mt19937_64 rng(104);
    for (Kind kind : kKinds) {
        const std::uint64_t n = kind == Kind::toeplitz ? 999 : 1019, m = 333;
        const Case c = make_case(kind, n, m, rng);
        write_bits(dir.file("x"), c.x, 5);
        write_bits(dir.file("y"), c.y, 3);
        ExtractCommand cmd;
        cmd.kind = kind;
        cmd.x_path = dir.file("x"), cmd.y_path = dir.file("y"), cmd.out_path = dir.file("z");
        cmd.x_bits = c.x.size(), cmd.y_bits = c.y.size(), cmd.m_bits = m;
        const ExtractReport r = run_extract_command(cmd);
        CHECK(r.n_bits == n);
        CHECK(r.x.used_bits == c.x.size());
        CHECK(read_output(dir.file("z"), m) == naive(kind, c.x, c.y, m));
        CHECK_THAT(to_json(r), Catch::Contains("\"n_bits\": " + std::to_string(n)));
    }
}

TEST_CASE("dira extract fits lengths when asked") {
    TempDir dir;
    std::mt19937_64 rng(105);
    const Bits x = random_bits(rng, 1000), y = random_bits(rng, 1100);
    write_bits(dir.file("x"), x);
    write_bits(dir.file("y"), y);
    ExtractCommand cmd;
    cmd.kind = Kind::dodis;
    cmd.x_path = dir.file("x"), cmd.y_path = dir.file("y"), cmd.out_path = dir.file("z");
    cmd.x_bits = 1000, cmd.y_bits = 1100, cmd.m_bits = 100;
    SECTION("down drops trailing bits of both") {
        cmd.fit = Direction::down;
        const ExtractReport r = run_extract_command(cmd);
        CHECK(r.n_bits == 947);
        CHECK(r.x.dropped_bits == 53);
        CHECK(r.y.dropped_bits == 153);
        const Bits xs(x.begin(), x.begin() + 947), ys(y.begin(), y.begin() + 947);
        CHECK(read_output(dir.file("z"), 100) == naive_dodis(xs, ys, 100));
    }
    SECTION("up pads x with zeros") {
        cmd.fit = Direction::up;
        const ExtractReport r = run_extract_command(cmd);
        CHECK(r.n_bits == 1019);
        CHECK(r.x.padded_bits == 19);
        CHECK(r.y.dropped_bits == 81);
        Bits xs = x;
        xs.resize(1019, 0);
        const Bits ys(y.begin(), y.begin() + 1019);
        CHECK(read_output(dir.file("z"), 100) == naive_dodis(xs, ys, 100));
    }
}

TEST_CASE("dira extract refuses wrong input with a clear message") {
    TempDir dir;
    std::mt19937_64 rng(106);
    write_bits(dir.file("x"), random_bits(rng, 1019));
    write_bits(dir.file("y"), random_bits(rng, 1019));
    ExtractCommand cmd;
    cmd.kind = Kind::dodis;
    cmd.x_path = dir.file("x"), cmd.y_path = dir.file("y"), cmd.out_path = dir.file("z");
    cmd.x_bits = 1019, cmd.y_bits = 1019, cmd.m_bits = 10;
    CHECK(error_of(cmd).empty());

    auto with = [&](auto change, dira::ErrorKind expected = dira::ErrorKind::invalid_argument) {
        ExtractCommand c = cmd;
        change(c);
        return error_of(c, expected);
    };
    CHECK_THAT(with([](auto& c) { c.x_path = "/nonexistent/x"; }, dira::ErrorKind::not_found),
               Catch::Contains("cannot open /nonexistent/x: No such file or directory"));
    CHECK_THAT(with([](auto& c) { c.x_bits = 1018; }), Catch::Contains("not a prime with 2 as a primitive root"));
    CHECK_THAT(with([](auto& c) { c.y_bits = 1013; }), Catch::Contains("y must have n = 1019"));
    CHECK_THAT(with([](auto& c) { c.x_bits = 99999; }), Catch::Contains("more than the"));
    CHECK_THAT(with([](auto& c) { c.m_bits = 1020; }), Catch::Contains("larger than n"));
    CHECK_THAT(with([](auto& c) { c.m_bits = 0; }), Catch::Contains("at least 1"));
    CHECK_THAT(with([](auto& c) { c.kind = Kind::circulant; }), Catch::Contains("x bits + 1"));
    CHECK_THAT(with([](auto& c) { c.kind = Kind::toeplitz; }), Catch::Contains("n1 + m - 1"));
    CHECK_THAT(with([](auto& c) {
                   c.fit = Direction::down;
                   c.kind = Kind::toeplitz;
               }),
               Catch::Contains("never padded"));
    CHECK_THAT(with([](auto& c) { c.out_path.clear(); }), Catch::Contains("--out"));
    CHECK_THAT(with([](auto& c) { c.options.memory_budget_bytes = 1000; }), Catch::Contains("budget"));
}
