// Typed errors thrown by library code. Only the CLI turns them into messages and exit codes:
// input_error (the user's mistake, exit 2) names where the bad value came from; output_error (the
// machine refused to take the results, exit 1) names the file; internal_error (a bug in reachsim,
// exit 1) names the broken invariant.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace reachsim {

// Where a value came from: a file and line, or a command-line override.
struct SourceLocation {
    std::string file;      // path as the user gave it, or "--set"
    std::size_t line = 0;  // 1-based; 0 when unknown

    [[nodiscard]] std::string to_string() const {
        return line == 0 ? file : file + ":" + std::to_string(line);
    }
};

// A user's mistake: bad scenario, bad option, bad data file. The message says where, which key,
// and what was expected.
class input_error : public std::runtime_error {
  public:
    input_error(const SourceLocation& where, const std::string& key, const std::string& problem)
        : std::runtime_error(where.to_string() + ": " + (key.empty() ? "" : "'" + key + "': ") +
                             problem),
          where_(where),
          key_(key) {}
    explicit input_error(const std::string& message) : std::runtime_error(message) {}

    [[nodiscard]] const SourceLocation& where() const { return where_; }
    [[nodiscard]] const std::string& key() const { return key_; }

  private:
    SourceLocation where_;
    std::string key_;
};

// The machine refused: an output that cannot be written (a full disk, a folder that went away).
// Neither the user's scenario nor a bug: the message says what failed and where.
class output_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A bug: an invariant of reachsim itself does not hold.
class internal_error : public std::logic_error {
  public:
    using std::logic_error::logic_error;
};

}  // namespace reachsim
