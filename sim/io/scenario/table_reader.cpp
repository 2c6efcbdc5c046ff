#include "scenario/table_reader.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace reachsim::detail {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string join(const KeyList& keys) {
    std::string text;
    for (auto key : keys) {
        text += (text.empty() ? "" : ", ") + std::string(key);
    }
    return text;
}

const toml::table& empty_table() {
    static const toml::table empty;
    return empty;
}

}  // namespace

std::string closest_key(std::string_view key, const KeyList& candidates) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, key.size() / 3) + 1;
    for (auto candidate : candidates) {
        const std::size_t distance = edit_distance(key, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    return best;
}

TableReader::TableReader(const toml::table& table, std::string path, std::string file,
                         const KeyList& allowed)
    : table_(table), path_(std::move(path)), file_(std::move(file)) {
    for (const auto& [key, value] : table_) {
        if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) {
            continue;
        }
        std::string problem = "unknown key";
        if (auto suggestion = closest_key(key.str(), allowed); !suggestion.empty()) {
            problem += "; did you mean '" + suggestion + "'?";
        }
        problem += " Valid keys here: " + join(allowed) + ".";
        throw input_error(locate(key.source()), full_key(key.str()), problem);
    }
}

std::string TableReader::full_key(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

SourceLocation TableReader::locate(const toml::source_region& region) const {
    if (region.begin.line == 0) {
        return {"--set", 0};  // a value inserted by a command-line override
    }
    return {file_, region.begin.line};
}

void TableReader::fail(std::string_view key, const std::string& problem) const {
    const toml::node* value = table_.get(key);
    throw input_error(locate(value ? value->source() : table_.source()), full_key(key), problem);
}

void TableReader::fail_at(const toml::node& node, std::string_view key,
                          const std::string& problem) const {
    throw input_error(locate(node.source()), full_key(key), problem);
}

std::optional<double> TableReader::number(std::string_view key) const {
    const toml::node* value = table_.get(key);
    if (!value) {
        return std::nullopt;
    }
    if (value->is_integer()) {
        return static_cast<double>(value->as_integer()->get());
    }
    if (!value->is_floating_point()) {
        fail(key, "expected a number");
    }
    const double number = value->as_floating_point()->get();
    if (!std::isfinite(number)) {
        fail(key, "expected a finite number");
    }
    return number;
}

std::optional<std::int64_t> TableReader::integer(std::string_view key) const {
    const toml::node* value = table_.get(key);
    if (!value) {
        return std::nullopt;
    }
    if (!value->is_integer()) {
        fail(key, "expected an integer");
    }
    return value->as_integer()->get();
}

std::optional<std::string> TableReader::string(std::string_view key) const {
    const toml::node* value = table_.get(key);
    if (!value) {
        return std::nullopt;
    }
    if (!value->is_string()) {
        fail(key, "expected a string");
    }
    return value->as_string()->get();
}

std::optional<bool> TableReader::boolean(std::string_view key) const {
    const toml::node* value = table_.get(key);
    if (!value) {
        return std::nullopt;
    }
    if (!value->is_boolean()) {
        fail(key, "expected true or false");
    }
    return value->as_boolean()->get();
}

const toml::table* TableReader::table(std::string_view key) const {
    const toml::node* value = table_.get(key);
    if (value && !value->is_table()) {
        fail(key, "expected a table");
    }
    return value ? value->as_table() : nullptr;
}

const toml::array* TableReader::array(std::string_view key) const {
    const toml::node* value = table_.get(key);
    if (value && !value->is_array()) {
        fail(key, "expected an array");
    }
    return value ? value->as_array() : nullptr;
}

TableReader TableReader::child(std::string_view key, const KeyList& allowed) const {
    const toml::table* sub = table(key);
    return TableReader(sub ? *sub : empty_table(), full_key(key), file_, allowed);
}

}  // namespace reachsim::detail
