// Typed, located access to one TOML table of a scenario: every read checks the value's type and
// range, every error names the file, line and full key, and keys the table does not declare are
// rejected with the closest valid name suggested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/errors.hpp"

namespace reachsim::detail {

using KeyList = std::vector<std::string_view>;

// Appends `prefix` + each key of `list` to `keys` (dotted paths for the documentation check).
inline void append_keys(std::vector<std::string>& keys, const std::string& prefix,
                        const KeyList& list) {
    for (auto key : list) {
        keys.push_back(prefix + std::string(key));
    }
}

// The closest of `candidates` to `key` by edit distance, or "" when none is close.
std::string closest_key(std::string_view key, const KeyList& candidates);

class TableReader {
  public:
    // `path` is the table's dotted name ("followers.segment[2]"), `file` the scenario's path.
    TableReader(const toml::table& table, std::string path, std::string file,
                const KeyList& allowed);

    [[nodiscard]] bool has(std::string_view key) const { return table_.contains(key); }
    [[nodiscard]] std::string full_key(std::string_view key) const;
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] const std::string& file() const { return file_; }

    // Throws input_error for `key`, located at its value (or at the table if it is absent).
    [[noreturn]] void fail(std::string_view key, const std::string& problem) const;

    // Required or defaulted reads; each checks the type.
    [[nodiscard]] std::optional<double> number(std::string_view key) const;
    [[nodiscard]] std::optional<std::int64_t> integer(std::string_view key) const;
    [[nodiscard]] std::optional<std::string> string(std::string_view key) const;
    [[nodiscard]] std::optional<bool> boolean(std::string_view key) const;
    [[nodiscard]] const toml::table* table(std::string_view key) const;
    [[nodiscard]] const toml::array* array(std::string_view key) const;
    [[nodiscard]] const toml::node* node(std::string_view key) const { return table_.get(key); }

    // A child table reader for `key` (an empty table when absent).
    [[nodiscard]] TableReader child(std::string_view key, const KeyList& allowed) const;

    // A located error for an element of an array or any node inside this table.
    [[noreturn]] void fail_at(const toml::node& node, std::string_view key,
                              const std::string& problem) const;

  private:
    [[nodiscard]] SourceLocation locate(const toml::source_region& region) const;

    const toml::table& table_;
    std::string path_;
    std::string file_;
};

}  // namespace reachsim::detail
