// The full-run-size extraction (DIRA_LONG_TESTS only): an ETH-size run, n ~ 2.68e9 bits per input and
// m = 5e7, through the dira extract command logic on files, within this machine's memory; output
// bits spot-checked against the definition. Takes minutes and ~700 MB of disk in the temp directory.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "extract/bit_source.hpp"
#include "extract/extract_command.hpp"
#include "support/temp_dir.hpp"

using namespace dira::extract;

namespace {

constexpr std::uint64_t kRunBits = 2'680'000'000; // 1.34e9 trials, two outcome bits each
constexpr std::uint64_t kOutputBits = 50'000'000;

void write_random_file(const std::string& path, std::uint64_t bits, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::uint64_t> block(1 << 20);
    std::ofstream out(path, std::ios::binary);
    for (std::uint64_t done = 0; done < bits; done += block.size() * 64) {
        for (auto& w : block) w = rng();
        const std::uint64_t bytes = std::min<std::uint64_t>(block.size() * 8, (bits - done + 7) / 8);
        out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(bytes));
    }
    REQUIRE(out.good());
}

// z_i = XOR_k x_k y_((i+k) mod n), 64 terms at a time.
bool dodis_bit(const BitString& x, const BitString& y, std::uint64_t n, std::uint64_t i) {
    std::uint64_t parity = 0;
    BitString window(64);
    for (std::uint64_t k = 0; k < n; k += 64) {
        const std::uint64_t len = std::min<std::uint64_t>(64, n - k), start = (i + k) % n;
        window.words[0] = 0;
        const std::uint64_t first = std::min(len, n - start);
        xor_bits(window.words.data(), 0, y.words.data(), start, first);
        if (first < len) xor_bits(window.words.data(), first, y.words.data(), 0, len - first);
        parity ^= x.words[k / 64] & window.words[0];
    }
    return __builtin_parityll(parity);
}

} // namespace

TEST_CASE("full-run-size dodis extraction from files, within memory") {
    const TempDir dir("dira-full-run");
    const std::string x_path = dir.file("x.bin"), y_path = dir.file("y.bin"), z_path = dir.file("z.bin");
    write_random_file(x_path, kRunBits, 1);
    write_random_file(y_path, kRunBits, 2);

    ExtractCommand cmd;
    cmd.kind = Kind::dodis;
    cmd.x_path = x_path, cmd.y_path = y_path, cmd.out_path = z_path;
    cmd.m_bits = kOutputBits;
    cmd.fit = Direction::down;
    const ExtractReport report = run_extract_command(cmd);
    CHECK(report.n_bits <= kRunBits);
    CHECK(report.x.dropped_bits < 2000);

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double peak_gib = static_cast<double>(usage.ru_maxrss) / (1 << 20);
    INFO("peak RSS " << peak_gib << " GiB, " << report.seconds << " s");
    CHECK(peak_gib < 20.0); // the machine has 24 GiB

    const BitString x = read_all(FileBits(x_path, report.n_bits)), y = read_all(FileBits(y_path, report.n_bits));
    const BitString z = read_all(FileBits(z_path, kOutputBits));
    for (std::uint64_t i : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{12'345'678}, kOutputBits - 1})
        CHECK(z.get(i) == dodis_bit(x, y, report.n_bits, i));
}
