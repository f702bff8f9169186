// Shared by the timing tests: the default lab file, temporary directories, running the programs.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace dira::test {

inline std::filesystem::path default_lab_path() { return std::filesystem::path(DIRA_SOURCE_DIR) / "labs" / "default-30m.json"; }

inline nlohmann::json default_lab_json() {
    std::ifstream in(default_lab_path());
    nlohmann::json j;
    in >> j;
    return j;
}

// A fresh directory under the build tree, removed first if a previous run left it.
inline std::filesystem::path scratch_dir(const std::string& name) {
    const auto dir = std::filesystem::path(DIRA_TEST_SCRATCH_DIR) / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

inline void write_json(const std::filesystem::path& path, const nlohmann::json& j) { std::ofstream(path) << j.dump(2); }

struct ProgramResult {
    int exit_status = -1;
    std::string out;
};

// Runs a shell command line, stdout to a file that is read back.
inline ProgramResult run_program(const std::string& command, const std::filesystem::path& scratch) {
    const auto out_path = scratch / "stdout.txt";
    const int raw = std::system((command + " > '" + out_path.string() + "' 2> '" + (scratch / "stderr.txt").string() + "'").c_str());
    ProgramResult r;
    r.exit_status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    std::ifstream in(out_path);
    r.out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return r;
}

} // namespace dira::test
