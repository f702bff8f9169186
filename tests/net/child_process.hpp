// A dira command run as a child process, its output in files: for the tests that need real
// processes (servers on loopback, a run interrupted by a signal).
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace dira::testing {

inline std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class Child {
public:
    // Starts DIRA_BINARY with `args`; stdout and stderr go to `prefix`.out and `prefix`.err.
    Child(const std::vector<std::string>& args, const std::filesystem::path& prefix) : out_(prefix.string() + ".out"), err_(prefix.string() + ".err") {
        pid_ = ::fork();
        if (pid_ == 0) {
            const int o = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            const int e = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(o, 1);
            ::dup2(e, 2);
            std::vector<char*> argv{const_cast<char*>(DIRA_BINARY)};
            for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            ::execv(DIRA_BINARY, argv.data());
            ::_exit(127);
        }
    }
    ~Child() {
        if (running()) {
            ::kill(pid_, SIGKILL);
            wait();
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    bool running() const { return !status_; }
    void signal(int sig) const { ::kill(pid_, sig); }
    // The exit status, or 128 + the signal that ended it.
    int wait() {
        if (!status_) {
            int st = 0;
            ::waitpid(pid_, &st, 0);
            status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
        return *status_;
    }
    // Waits (up to `limit`) until stdout + stderr match `pattern`; returns the first capture group.
    std::string wait_for(const std::string& pattern, std::chrono::seconds limit = std::chrono::seconds(60)) const {
        const std::regex re(pattern);
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            const std::string text = out() + err();
            std::smatch m;
            if (std::regex_search(text, m, re)) return m.size() > 1 ? m[1].str() : m[0].str();
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("timed out waiting for '" + pattern + "' in:\n" + out() + err());
    }
    std::string out() const { return read_text(out_); }
    std::string err() const { return read_text(err_); }

private:
    pid_t pid_ = -1;
    std::filesystem::path out_, err_;
    std::optional<int> status_;
};

// Runs a dira command to its end; returns its exit status.
inline int run_dira(const std::vector<std::string>& args, const std::filesystem::path& prefix) {
    Child c(args, prefix);
    return c.wait();
}

} // namespace dira::testing
