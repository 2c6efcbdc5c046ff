#include "graph_files/edge_list.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <unordered_map>

#include "core/errors.hpp"
#include "core/time.hpp"

namespace reachsim {
namespace {

constexpr std::size_t line_buffer_bytes = 1 << 16;
constexpr std::uint64_t memory_check_every_lines = 1 << 20;

std::vector<std::string_view> split_whitespace(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() &&
               (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n')) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' &&
               line[i] != '\n') {
            ++i;
        }
        if (i > start) {
            fields.push_back(line.substr(start, i - start));
        }
    }
    return fields;
}

// The finite number `text` holds, or nullopt: not a number, not finite ("nan", "inf"), out of
// range, or denormal (1e-310: no rate, depth or offset is meant so).
std::optional<double> finite_number(std::string_view text) {
    double value = 0;
    auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value) ||
        std::fpclassify(value) == FP_SUBNORMAL) {
        return std::nullopt;
    }
    return value;
}

bool is_number(std::string_view text) {
    return finite_number(text).has_value();
}

std::optional<std::uint64_t> as_integer_id(std::string_view text) {
    std::uint64_t value = 0;
    auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

struct GzipFile {
    explicit GzipFile(const std::string& path) : handle(gzopen(path.c_str(), "rb")) {}
    ~GzipFile() {
        if (handle) {
            gzclose(handle);
        }
    }
    GzipFile(const GzipFile&) = delete;
    GzipFile& operator=(const GzipFile&) = delete;
    gzFile handle;
};

// Maps ids to dense indices: provisional numbers in order of first appearance, renumbered in
// ascending numeric order at the end if every id is an integer.
class IdMap {
  public:
    AccountIndex index_of(std::string_view id) {
        auto [it, inserted] =
            indices_.try_emplace(std::string(id), static_cast<AccountIndex>(ids_.size()));
        if (inserted) {
            ids_.emplace_back(id);
            all_integers_ = all_integers_ && as_integer_id(id).has_value();
        }
        return it->second;
    }
    [[nodiscard]] std::size_t size() const { return ids_.size(); }

    // Final ids by index, and the renumbering from provisional to final indices.
    std::vector<AccountIndex> finish(std::vector<std::string>& final_ids) {
        std::vector<AccountIndex> order(ids_.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = static_cast<AccountIndex>(i);
        }
        if (all_integers_) {
            std::sort(order.begin(), order.end(), [&](AccountIndex a, AccountIndex b) {
                return *as_integer_id(ids_[a]) < *as_integer_id(ids_[b]);
            });
        }
        std::vector<AccountIndex> renumber(ids_.size());
        final_ids.resize(ids_.size());
        for (std::size_t final_index = 0; final_index < order.size(); ++final_index) {
            renumber[order[final_index]] = static_cast<AccountIndex>(final_index);
            final_ids[final_index] = std::move(ids_[order[final_index]]);
        }
        return renumber;
    }

  private:
    std::unordered_map<std::string, AccountIndex> indices_;
    std::vector<std::string> ids_;
    bool all_integers_ = true;
};

}  // namespace

std::string sha256_of_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw input_error({path, 0}, "", "cannot open the file");
    }
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                    EVP_MD_CTX_free);
    EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
    std::vector<char> buffer(1 << 20);
    while (file) {
        file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(file.gcount()));
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context.get(), digest, &length);
    std::string hex;
    char byte[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(byte, sizeof byte, "%02x", digest[i]);
        hex += byte;
    }
    return hex;
}

LoadedGraph load_edge_list(const std::string& path, EdgeDirection direction,
                           std::uint64_t memory_limit_bytes, const ReadProgress& on_progress) {
    GzipFile file(path);
    if (!file.handle) {
        throw input_error({path, 0}, "", "cannot open the edge list");
    }
    std::error_code size_error;
    const auto file_bytes =
        static_cast<std::uint64_t>(std::filesystem::file_size(path, size_error));
    constexpr std::size_t lines_between_reports = 1 << 20;
    LoadedGraph loaded;
    IdMap ids;
    std::vector<std::pair<AccountIndex, AccountIndex>>
        pairs;  // (follower, followee), provisional ids
    std::vector<char> buffer(line_buffer_bytes);
    std::size_t line_number = 0;
    while (gzgets(file.handle, buffer.data(), static_cast<int>(buffer.size())) != nullptr) {
        ++line_number;
        if (on_progress && line_number % lines_between_reports == 0 && !size_error) {
            // gzoffset: bytes of the file consumed so far, compressed or not.
            on_progress(static_cast<std::uint64_t>(gzoffset(file.handle)), file_bytes);
        }
        const std::string_view line(buffer.data());
        if (!line.empty() && line.back() != '\n' && !gzeof(file.handle)) {
            throw input_error({path, line_number}, "", "line longer than 64 KiB");
        }
        const auto fields = split_whitespace(line);
        if (fields.empty() || fields[0][0] == '#') {
            continue;
        }
        if (fields.size() < 2 || fields.size() > 3 ||
            (fields.size() == 3 && !is_number(fields[2]))) {
            throw input_error({path, line_number}, "",
                              "expected two account ids and an optional numeric weight, got '" +
                                  std::string(line.substr(0, line.find_last_not_of("\r\n") + 1)) +
                                  "'");
        }
        const AccountIndex first = ids.index_of(fields[0]);
        const AccountIndex second = ids.index_of(fields[1]);
        if (ids.size() > std::numeric_limits<AccountIndex>::max()) {
            throw input_error({path, line_number}, "", "more than 2^32 - 1 accounts");
        }
        ++loaded.edge_lines;
        switch (direction) {
            case EdgeDirection::follower_followee:
                pairs.emplace_back(first, second);
                break;
            case EdgeDirection::followee_follower:
                pairs.emplace_back(second, first);
                break;
            case EdgeDirection::mutual:
                pairs.emplace_back(first, second);
                pairs.emplace_back(second, first);
                break;
        }
        if (loaded.edge_lines % memory_check_every_lines == 0) {
            // Edge pairs held while reading, plus the graph they will become.
            check_memory(pairs.size() * sizeof(pairs[0]) +
                             estimated_graph_bytes(ids.size(), pairs.size(), false),
                         memory_limit_bytes, "the graph in " + path);
        }
    }
    // A truncated .gz ends early with Z_BUF_ERROR ("unexpected end of file"): the file is not
    // whole, so neither is the graph.
    int error = Z_OK;
    const char* message = gzerror(file.handle, &error);
    if (gzeof(file.handle) == 0 || (error != Z_OK && error != Z_STREAM_END)) {
        throw input_error({path, line_number}, "",
                          std::string("read error (a truncated or damaged file?): ") + message);
    }
    if (pairs.empty()) {
        throw input_error({path, line_number}, "", "no edges found");
    }
    const auto renumber = ids.finish(loaded.original_ids);
    for (auto& [follower, followee] : pairs) {
        follower = renumber[follower];
        followee = renumber[followee];
    }
    check_memory(estimated_graph_bytes(ids.size(), pairs.size(), true), memory_limit_bytes,
                 "the graph in " + path);
    loaded.graph = graph_from_pairs(ids.size(), pairs, loaded.cleanup);
    loaded.sha256 = sha256_of_file(path);
    return loaded;
}

namespace {

std::vector<std::string_view> split_csv(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
        const auto comma = line.find(',', start);
        auto field = line.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        while (!field.empty() && (field.back() == '\r' || field.back() == ' ')) {
            field.remove_suffix(1);
        }
        while (!field.empty() && field.front() == ' ') {
            field.remove_prefix(1);
        }
        fields.push_back(field);
        if (comma == std::string_view::npos) {
            return fields;
        }
        start = comma + 1;
    }
}

}  // namespace

AccountAttributes load_account_attributes(const std::string& path,
                                          const std::vector<std::string>& original_ids) {
    std::ifstream file(path);
    if (!file) {
        throw input_error({path, 0}, "", "cannot open the account attribute file");
    }
    std::unordered_map<std::string_view, AccountIndex> index_of;
    for (std::size_t i = 0; i < original_ids.size(); ++i) {
        index_of.emplace(original_ids[i], static_cast<AccountIndex>(i));
    }
    AccountAttributes attributes;
    const std::size_t accounts = original_ids.size();
    attributes.segment.resize(accounts);
    attributes.utc_offset_hours.resize(accounts);
    attributes.posts_per_day.resize(accounts);
    attributes.sessions_per_day.resize(accounts);
    attributes.retweet_probability.resize(accounts);
    attributes.notification_share.resize(accounts);
    attributes.feed_depth.resize(accounts);

    const std::vector<std::string_view> known{"id",
                                              "segment",
                                              "utc_offset",
                                              "posts_per_day",
                                              "sessions_per_day",
                                              "feed_depth",
                                              "retweet_probability",
                                              "notification_share"};
    std::string line;
    if (!std::getline(file, line)) {
        throw input_error({path, 1}, "", "empty file: expected a header line starting with 'id'");
    }
    const auto header_fields = split_csv(line);
    std::vector<std::string> header(header_fields.begin(), header_fields.end());
    if (header.empty() || header[0] != "id") {
        throw input_error({path, 1}, "", "expected a header line whose first column is 'id'");
    }
    for (const auto& column : header) {
        if (std::find(known.begin(), known.end(), column) == known.end()) {
            throw input_error({path, 1}, column,
                              "unknown column; expected id, segment, utc_offset, posts_per_day, "
                              "sessions_per_day, feed_depth, retweet_probability, "
                              "notification_share");
        }
    }
    std::size_t line_number = 1;
    while (std::getline(file, line)) {
        ++line_number;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const auto fields = split_csv(line);
        if (fields.size() != header.size()) {
            throw input_error({path, line_number}, "",
                              "expected " + std::to_string(header.size()) +
                                  " comma-separated fields, got " + std::to_string(fields.size()));
        }
        const auto found = index_of.find(fields[0]);
        if (found == index_of.end()) {
            throw input_error({path, line_number}, "id",
                              "account '" + std::string(fields[0]) + "' is not in the graph");
        }
        const AccountIndex account = found->second;
        for (std::size_t column = 1; column < header.size(); ++column) {
            const std::string_view cell = fields[column];
            if (cell.empty()) {
                continue;
            }
            const std::string& name = header[column];
            if (name == "segment") {
                attributes.segment[account] = std::string(cell);
                continue;
            }
            std::optional<double> value;
            if (name == "utc_offset") {
                value =
                    cell[0] == '+' || cell[0] == '-' ? parse_utc_offset_hours(cell) : std::nullopt;
                if (!value) {
                    value = finite_number(cell);
                }
                if (!value || !(std::abs(*value) <= 14)) {
                    throw input_error({path, line_number}, name,
                                      "expected a UTC offset like +05:30 or -5");
                }
                attributes.utc_offset_hours[account] = value;
                continue;
            }
            value = finite_number(cell);
            const bool depth = name == "feed_depth";
            const bool probability = name == "retweet_probability" || name == "notification_share";
            if (!value || !std::isfinite(*value) || *value < (depth ? 1 : 0) ||
                (probability && *value > 1) || (depth && *value != std::floor(*value))) {
                throw input_error({path, line_number}, name,
                                  depth         ? "expected a whole number of items, at least 1"
                                  : probability ? "expected a probability in [0, 1]"
                                                : "expected a non-negative number per day");
            }
            (name == "posts_per_day"         ? attributes.posts_per_day
             : name == "sessions_per_day"    ? attributes.sessions_per_day
             : name == "retweet_probability" ? attributes.retweet_probability
             : probability                   ? attributes.notification_share
                                             : attributes.feed_depth)[account] = value;
        }
    }
    return attributes;
}

}  // namespace reachsim
