#include "graph_files/edge_list.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <unordered_map>

#include <tbb/parallel_sort.h>

#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "core/prefetch.hpp"
#include "core/time.hpp"
#include "graph_files/text_blocks.hpp"

namespace reachsim {
namespace {

constexpr std::size_t longest_line_bytes = (std::size_t{1} << 16) - 2;
constexpr std::uint64_t memory_check_every_lines = 1 << 20;
constexpr std::uint64_t lines_between_reports = 1 << 20;
// Lines whose ids are looked up together, each lookup's table slot fetched ahead of it.
constexpr std::size_t lines_per_batch = 512;
constexpr std::size_t lookups_ahead = 16;

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

// Reads an id written as a plain decimal number (no sign, no leading zero, at most 19 digits, so
// it fits) from `next` on, stopping after its digits: such ids are the same account exactly when
// their values are equal. False if there is none there.
bool read_plain_number(const char*& next, const char* end, std::uint64_t& value) {
    const char* const start = next;
    value = 0;
    while (next != end && static_cast<unsigned>(*next - '0') < 10) {
        value = value * 10 + static_cast<std::uint64_t>(*next - '0');
        ++next;
    }
    const auto digits = next - start;
    return digits > 0 && digits <= 19 && (*start != '0' || digits == 1);
}

std::optional<std::uint64_t> canonical_integer(std::string_view text) {
    const char* next = text.data();
    std::uint64_t value = 0;
    if (!read_plain_number(next, text.data() + text.size(), value) ||
        next != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

// Maps ids to dense indices: provisional numbers in order of first appearance, renumbered in
// ascending numeric order at the end if every id is an integer. While every id is a plain
// number (SNAP's and Twitter's are) they are kept as numbers in an open-addressing table; the
// first other id moves them all to text.
class IdMap {
  public:
    [[nodiscard]] bool numeric() const { return numeric_; }
    [[nodiscard]] std::size_t size() const { return numeric_ ? numbers_.size() : texts_.size(); }

    void prefetch(std::uint64_t id) const { reachsim::prefetch(slots_[slot_of(id)]); }

    // Only while numeric().
    AccountIndex index_of(std::uint64_t id) {
        std::size_t slot = slot_of(id);
        for (; slots_[slot].id != empty_slot; slot = (slot + 1) & mask_) {
            if (slots_[slot].id == id) {
                return slots_[slot].index;
            }
        }
        const auto index = static_cast<AccountIndex>(numbers_.size());
        numbers_.push_back(id);
        slots_[slot] = {id, index};
        if (2 * numbers_.size() > slots_.size()) {
            grow();
        }
        return index;
    }

    AccountIndex index_of(std::string_view id) {
        if (numeric_) {
            to_text();
        }
        const auto found = indices_.find(id);
        if (found != indices_.end()) {
            return found->second;
        }
        const auto index = static_cast<AccountIndex>(texts_.size());
        texts_.emplace_back(id);
        indices_.emplace(texts_.back(), index);
        all_integers_ = all_integers_ && as_integer_id(id).has_value();
        return index;
    }

    // Final ids by index, and the renumbering from provisional to final indices.
    std::vector<AccountIndex> finish(std::vector<std::string>& final_ids) {
        std::vector<AccountIndex> order(size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = static_cast<AccountIndex>(i);
        }
        if (numeric_) {
            std::vector<std::pair<std::uint64_t, AccountIndex>> by_number(order.size());
            parallel_for_each_index(0, order.size(), [&](std::size_t i) {
                by_number[i] = {numbers_[i], static_cast<AccountIndex>(i)};
            });
            tbb::parallel_sort(by_number.begin(), by_number.end());
            parallel_for_each_index(0, order.size(),
                                    [&](std::size_t i) { order[i] = by_number[i].second; });
        } else if (all_integers_) {
            std::sort(order.begin(), order.end(), [&](AccountIndex a, AccountIndex b) {
                return *as_integer_id(texts_[a]) < *as_integer_id(texts_[b]);
            });
        }
        std::vector<AccountIndex> renumber(order.size());
        final_ids.resize(order.size());
        for (std::size_t final_index = 0; final_index < order.size(); ++final_index) {
            const AccountIndex provisional = order[final_index];
            renumber[provisional] = static_cast<AccountIndex>(final_index);
            final_ids[final_index] =
                numeric_ ? std::to_string(numbers_[provisional]) : std::move(texts_[provisional]);
        }
        return renumber;
    }

  private:
    static constexpr std::uint64_t empty_slot = ~std::uint64_t{0};  // above any 19-digit id
    struct Slot {
        std::uint64_t id = empty_slot;
        AccountIndex index = 0;
    };

    [[nodiscard]] std::size_t slot_of(std::uint64_t id) const {
        return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ULL) >> shift_);
    }

    void grow() {
        shift_ -= 1;
        slots_.assign(slots_.size() * 2, Slot{});
        mask_ = slots_.size() - 1;
        for (std::size_t index = 0; index < numbers_.size(); ++index) {
            std::size_t slot = slot_of(numbers_[index]);
            while (slots_[slot].id != empty_slot) {
                slot = (slot + 1) & mask_;
            }
            slots_[slot] = {numbers_[index], static_cast<AccountIndex>(index)};
        }
    }

    void to_text() {
        texts_.reserve(numbers_.size());
        for (std::size_t index = 0; index < numbers_.size(); ++index) {
            texts_.push_back(std::to_string(numbers_[index]));
            indices_.emplace(texts_.back(), static_cast<AccountIndex>(index));
        }
        numbers_ = {};
        slots_ = {};
        numeric_ = false;
    }

    // Text ids are looked up by string_view, without building a string.
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const {
            return std::hash<std::string_view>{}(text);
        }
    };

    bool numeric_ = true;
    std::vector<std::uint64_t> numbers_;  // numeric: ids by provisional index
    std::vector<Slot> slots_ = std::vector<Slot>(std::size_t{1} << 16);
    std::size_t mask_ = (std::size_t{1} << 16) - 1;
    int shift_ = 64 - 16;
    std::vector<std::string> texts_;  // text: ids by provisional index
    std::unordered_map<std::string, AccountIndex, TextHash, std::equal_to<>> indices_;
    bool all_integers_ = true;
};

// Reads the lines of an edge list into (follower, followee) pairs of provisional indices.
class EdgeListParser {
  public:
    EdgeListParser(const std::string& path, EdgeDirection direction,
                   std::uint64_t memory_limit_bytes, LoadedGraph& loaded)
        : path_(path),
          direction_(direction),
          memory_limit_bytes_(memory_limit_bytes),
          loaded_(loaded) {
        batch_.reserve(lines_per_batch);
    }

    // A block of text: its whole lines are read, the last partial one kept for the next block.
    void add_block(const std::vector<char>& block) {
        const char* next = block.data();
        const char* const end = block.data() + block.size();
        if (!partial_.empty()) {
            const char* newline = static_cast<const char*>(std::memchr(next, '\n', block.size()));
            const char* line_end = newline != nullptr ? newline : end;
            partial_.append(next, line_end);
            if (newline == nullptr) {
                check_length(partial_.size());
                return;
            }
            read_line(partial_);
            partial_.clear();
            next = newline + 1;
        }
        while (next != end) {
            const char* newline = static_cast<const char*>(
                std::memchr(next, '\n', static_cast<std::size_t>(end - next)));
            if (newline == nullptr) {
                partial_.assign(next, end);
                check_length(partial_.size());
                return;
            }
            read_line({next, static_cast<std::size_t>(newline - next)});
            next = newline + 1;
        }
    }

    // The end of the text: the last line, if it had no newline, and the ids not yet looked up.
    void finish() {
        if (!partial_.empty()) {
            read_line(partial_);
            partial_.clear();
        }
        look_up_batch();
    }

    [[nodiscard]] std::size_t lines() const { return line_number_; }
    IdMap& ids() { return ids_; }
    std::vector<std::pair<AccountIndex, AccountIndex>>& pairs() { return pairs_; }

  private:
    struct NumericLine {
        std::uint64_t first = 0;
        std::uint64_t second = 0;
        std::size_t line_number = 0;
    };

    void check_length(std::size_t bytes) const {
        if (bytes > longest_line_bytes) {
            throw input_error({path_, line_number_ + 1}, "", "line longer than 64 KiB");
        }
    }

    void read_line(std::string_view line) {
        ++line_number_;
        check_length(line.size());
        if (ids_.numeric()) {
            if (const auto follow = two_plain_numbers(line)) {
                add_numbers(follow->first, follow->second);
                return;
            }
        }
        read_fields(line);
    }

    // The common line, "follower followee" as plain numbers, read in one pass.
    static std::optional<std::pair<std::uint64_t, std::uint64_t>> two_plain_numbers(
        std::string_view line) {
        const char* next = line.data();
        const char* const end = next + line.size();
        auto number = [&](std::uint64_t& value) {
            while (next != end && is_space(*next)) {
                ++next;
            }
            return read_plain_number(next, end, value) && (next == end || is_space(*next));
        };
        std::uint64_t first = 0;
        std::uint64_t second = 0;
        if (!number(first) || !number(second)) {
            return std::nullopt;
        }
        while (next != end && is_space(*next)) {
            ++next;
        }
        if (next != end) {
            return std::nullopt;
        }
        return std::pair{first, second};
    }

    // Any other line: a comment, a blank, ids that are not plain numbers, a weight, or a mistake.
    void read_fields(std::string_view line) {
        std::array<std::string_view, 4> fields;
        std::size_t count = 0;
        std::size_t i = 0;
        while (count < fields.size()) {
            while (i < line.size() && is_space(line[i])) {
                ++i;
            }
            if (i == line.size()) {
                break;
            }
            const std::size_t start = i;
            while (i < line.size() && !is_space(line[i])) {
                ++i;
            }
            fields[count++] = line.substr(start, i - start);
        }
        if (count == 0 || fields[0][0] == '#') {
            return;
        }
        if (count < 2 || count > 3 || (count == 3 && !is_number(fields[2]))) {
            throw input_error({path_, line_number_}, "",
                              "expected two account ids and an optional numeric weight, got '" +
                                  std::string(line.substr(0, line.find_last_not_of('\r') + 1)) +
                                  "'");
        }
        if (ids_.numeric()) {
            const auto first = canonical_integer(fields[0]);
            const auto second = canonical_integer(fields[1]);
            if (first && second) {
                add_numbers(*first, *second);
                return;
            }
            look_up_batch();  // in order: ids are numbered by first appearance
        }
        const AccountIndex first = ids_.index_of(fields[0]);
        add_follow(first, ids_.index_of(fields[1]), line_number_);
    }

    void add_numbers(std::uint64_t first, std::uint64_t second) {
        batch_.push_back({first, second, line_number_});
        if (batch_.size() == lines_per_batch) {
            look_up_batch();
        }
    }

    // The batch's ids, each table slot prefetched a few lines ahead of its lookup.
    // Edge lists are mostly sorted by their first column, so its id is looked up once per run of
    // lines.
    void look_up_batch() {
        for (std::size_t i = 0; i < batch_.size(); ++i) {
            if (i + lookups_ahead < batch_.size()) {
                const NumericLine& ahead = batch_[i + lookups_ahead];
                if (ahead.first != batch_[i + lookups_ahead - 1].first) {
                    ids_.prefetch(ahead.first);
                }
                ids_.prefetch(ahead.second);
            }
            const NumericLine& line = batch_[i];
            if (line.first != last_first_.first || !has_last_first_) {
                last_first_ = {line.first, ids_.index_of(line.first)};
                has_last_first_ = true;
            }
            add_follow(last_first_.second, ids_.index_of(line.second), line.line_number);
        }
        batch_.clear();
    }

    void add_follow(AccountIndex first, AccountIndex second, std::size_t line_number) {
        if (ids_.size() > std::numeric_limits<AccountIndex>::max()) {
            throw input_error({path_, line_number}, "", "more than 2^32 - 1 accounts");
        }
        ++loaded_.edge_lines;
        switch (direction_) {
            case EdgeDirection::follower_followee:
                pairs_.emplace_back(first, second);
                break;
            case EdgeDirection::followee_follower:
                pairs_.emplace_back(second, first);
                break;
            case EdgeDirection::mutual:
                pairs_.emplace_back(first, second);
                pairs_.emplace_back(second, first);
                break;
        }
        if (loaded_.edge_lines % memory_check_every_lines == 0) {
            // Edge pairs held while reading, plus the graph they will become.
            check_memory(pairs_.size() * sizeof(pairs_[0]) +
                             estimated_graph_bytes(ids_.size(), pairs_.size(), false),
                         memory_limit_bytes_, "the graph in " + path_);
        }
    }

    const std::string& path_;
    EdgeDirection direction_;
    std::uint64_t memory_limit_bytes_;
    LoadedGraph& loaded_;
    IdMap ids_;
    std::vector<std::pair<AccountIndex, AccountIndex>> pairs_;  // (follower, followee)
    std::vector<NumericLine> batch_;
    std::pair<std::uint64_t, AccountIndex> last_first_;  // the first column's last id, its index
    bool has_last_first_ = false;
    std::string partial_;  // the start of a line the next block ends
    std::size_t line_number_ = 0;
};

}  // namespace

LoadedGraph load_edge_list(const std::string& path, EdgeDirection direction,
                           std::uint64_t memory_limit_bytes, const ReadProgress& on_progress) {
    LoadedGraph loaded;
    EdgeListParser parser(path, direction, memory_limit_bytes, loaded);
    {
        TextBlocks text(path);
        std::vector<char> block;
        std::uint64_t next_report = lines_between_reports;
        while (true) {
            try {
                if (!text.next(block)) {
                    break;
                }
            } catch (const std::runtime_error& error) {
                throw input_error({path, parser.lines()}, "", error.what());
            }
            parser.add_block(block);
            if (on_progress && parser.lines() >= next_report) {
                on_progress(text.bytes_read(), text.file_bytes());
                next_report = parser.lines() + lines_between_reports;
            }
        }
        parser.finish();
        loaded.sha256 = text.sha256();
    }
    auto& pairs = parser.pairs();
    if (pairs.empty()) {
        throw input_error({path, parser.lines()}, "", "no edges found");
    }
    const auto renumber = parser.ids().finish(loaded.original_ids);
    const std::size_t accounts = renumber.size();
    parallel_for_each_index(0, pairs.size(), [&](std::size_t i) {
        pairs[i] = {renumber[pairs[i].first], renumber[pairs[i].second]};
    });
    check_memory(estimated_graph_bytes(accounts, pairs.size(), true), memory_limit_bytes,
                 "the graph in " + path);
    loaded.graph = graph_from_pairs(accounts, pairs, loaded.cleanup);
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
