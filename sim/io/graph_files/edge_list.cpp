#include "graph_files/edge_list.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <thread>
#include <unordered_map>

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
// Lines whose ids one task looks up, when blocks are read side by side.
constexpr std::size_t follows_per_chunk = std::size_t{1} << 14;
// Blocks of text read side by side: enough for both threads and the reader to keep busy.
constexpr std::size_t blocks_per_run = 8;

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

// Maps ids to dense indices, renumbered at the end: in ascending numeric order if every id is an
// integer, else in order of first appearance. While every id is a plain number (SNAP's and
// Twitter's are) they are kept as numbers in an open-addressing table, which threads may fill
// together; the first other id moves them all to text.
class IdMap {
  public:
    static constexpr AccountIndex absent = std::numeric_limits<AccountIndex>::max();

    [[nodiscard]] bool numeric() const { return numeric_; }
    [[nodiscard]] std::size_t size() const { return numeric_ ? numbers_.size() : texts_.size(); }

    void prefetch(std::uint64_t id) const { reachsim::prefetch(slots_[slot_of(id)]); }

    // Whether `most_new` more ids still get an index each.
    [[nodiscard]] bool fits(std::size_t most_new) const {
        return numbers_.size() + most_new < absent;
    }

    // Threads adding numbers together, between begin_adding and end_adding: add_concurrently
    // gives a number's index, adding it if new while the table has room, else `absent` (the
    // caller numbers it alone afterwards). The indices added so follow no order (renumber()).
    void begin_adding() {
        most_ids_while_adding_ = slots_.size() / 4 * 3;  // so that probes stay short
        added_ = std::make_unique_for_overwrite<std::uint64_t[]>(slots_.size() - numbers_.size());
        next_index_.store(numbers_.size(), std::memory_order_relaxed);
    }
    AccountIndex add_concurrently(std::uint64_t id) {
        for (std::size_t slot = slot_of(id);; slot = (slot + 1) & mask_) {
            std::atomic_ref<std::uint64_t> slot_id(slots_[slot].id);
            std::uint64_t seen = slot_id.load(std::memory_order_acquire);
            if (seen == empty_slot) {
                // Each thread may pass the limit by one: the table never fills.
                if (next_index_.load(std::memory_order_relaxed) >= most_ids_while_adding_) {
                    return absent;
                }
                if (slot_id.compare_exchange_strong(seen, id, std::memory_order_acq_rel,
                                                    std::memory_order_acquire)) {
                    const std::size_t index = next_index_.fetch_add(1, std::memory_order_relaxed);
                    added_[index - numbers_.size()] = id;
                    std::atomic_ref<AccountIndex>(slots_[slot].index)
                        .store(static_cast<AccountIndex>(index), std::memory_order_release);
                    return static_cast<AccountIndex>(index);
                }
                // Another thread took the slot first; `seen` is now its number.
            }
            if (seen == id) {  // added, perhaps by another thread still giving it its index
                std::atomic_ref<AccountIndex> slot_index(slots_[slot].index);
                AccountIndex index = slot_index.load(std::memory_order_acquire);
                while (index == absent) {
                    std::this_thread::yield();
                    index = slot_index.load(std::memory_order_acquire);
                }
                return index;
            }
        }
    }
    void end_adding() {
        const std::size_t added = next_index_.load(std::memory_order_relaxed) - numbers_.size();
        numbers_.insert(numbers_.end(), added_.get(), added_.get() + added);
        added_.reset();
        if (2 * numbers_.size() > slots_.size()) {
            grow();
        }
    }

    // Gives the provisional indices new values: `renumber[old] = new`, a permutation.
    void renumber(const std::vector<AccountIndex>& renumber) {
        std::vector<std::uint64_t> numbers(numbers_.size());
        for (std::size_t index = 0; index < numbers_.size(); ++index) {
            numbers[renumber[index]] = numbers_[index];
        }
        numbers_ = std::move(numbers);
        rehash(slots_.size());
    }

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
            parallel_sort(by_number.begin(), by_number.end(), std::less<>());
            parallel_for_each_index(0, order.size(),
                                    [&](std::size_t i) { order[i] = by_number[i].second; });
        } else if (all_integers_) {
            std::sort(order.begin(), order.end(), [&](AccountIndex a, AccountIndex b) {
                return *as_integer_id(texts_[a]) < *as_integer_id(texts_[b]);
            });
        }
        std::vector<AccountIndex> renumber(order.size());
        final_ids.resize(order.size());
        parallel_for_each_index(0, order.size(), [&](std::size_t final_index) {
            const AccountIndex provisional = order[final_index];  // `order` is a permutation
            renumber[provisional] = static_cast<AccountIndex>(final_index);
            final_ids[final_index] =
                numeric_ ? std::to_string(numbers_[provisional]) : std::move(texts_[provisional]);
        });
        return renumber;
    }

  private:
    static constexpr std::uint64_t empty_slot = ~std::uint64_t{0};  // above any 19-digit id
    struct Slot {
        std::uint64_t id = empty_slot;
        AccountIndex index = absent;
    };

    [[nodiscard]] std::size_t slot_of(std::uint64_t id) const {
        return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ULL) >> shift_);
    }

    void grow() {
        shift_ -= 1;
        rehash(slots_.size() * 2);
    }

    void rehash(std::size_t slot_count) {
        slots_.assign(slot_count, Slot{});
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
    // While adding concurrently: the numbers added, from index numbers_.size() on.
    std::unique_ptr<std::uint64_t[]> added_;
    std::atomic<std::size_t> next_index_{0};
    std::size_t most_ids_while_adding_ = 0;
    std::vector<Slot> slots_ = std::vector<Slot>(std::size_t{1} << 16);
    std::size_t mask_ = (std::size_t{1} << 16) - 1;
    int shift_ = 64 - 16;
    std::vector<std::string> texts_;  // text: ids by provisional index
    std::unordered_map<std::string, AccountIndex, TextHash, std::equal_to<>> indices_;
    bool all_integers_ = true;
};

enum class PlainLine { follow, nothing, other };

// Reads the common line, "follower followee" as plain numbers with an optional numeric weight, in
// one pass: `follow`; a blank or comment line: `nothing`; anything else — ids that are not plain
// numbers, a line too long, a mistake — is `other`, for the reader of fields.
PlainLine read_plain_line(std::string_view line, std::uint64_t& first, std::uint64_t& second) {
    if (line.size() > longest_line_bytes) {
        return PlainLine::other;
    }
    const char* next = line.data();
    const char* const end = next + line.size();
    auto skip_spaces = [&] {
        while (next != end && is_space(*next)) {
            ++next;
        }
    };
    auto number = [&](std::uint64_t& value) {
        return read_plain_number(next, end, value) && (next == end || is_space(*next));
    };
    skip_spaces();
    if (next == end || *next == '#') {
        return PlainLine::nothing;
    }
    if (!number(first)) {
        return PlainLine::other;
    }
    skip_spaces();
    if (!number(second)) {
        return PlainLine::other;
    }
    skip_spaces();
    if (next != end) {  // a weight
        const char* const weight = next;
        while (next != end && !is_space(*next)) {
            ++next;
        }
        if (!is_number({weight, static_cast<std::size_t>(next - weight)})) {
            return PlainLine::other;
        }
        skip_spaces();
    }
    return next == end ? PlainLine::follow : PlainLine::other;
}

struct NumberPair {
    std::uint64_t first = 0;
    std::uint64_t second = 0;
};

// One block of a run read side by side: its lines of plain numbers, read on any thread.
struct BlockOfLines {
    // The line that ends in this block: the previous block's rest and this block's start.
    std::string first_line;
    std::string_view whole_lines;  // the lines after it, each ending in a newline
    std::string_view rest;  // after the last newline: the start of a line the next block ends
    std::vector<NumberPair> follows;  // read, in order
    std::size_t lines = 0;            // read, with blanks and comments
    bool read_whole = true;        // else the lines from `unread` on are left to the serial reader
    const char* unread = nullptr;  // where they begin in whole_lines; nullptr: at first_line

    void read() {
        follows.clear();
        lines = 0;
        read_whole = true;
        unread = nullptr;
        if (!read_line(first_line)) {
            return;
        }
        const char* next = whole_lines.data();
        const char* const end = next + whole_lines.size();
        while (next != end) {
            const char* newline = static_cast<const char*>(
                std::memchr(next, '\n', static_cast<std::size_t>(end - next)));
            if (!read_line({next, static_cast<std::size_t>(newline - next)})) {
                unread = next;
                return;
            }
            next = newline + 1;
        }
    }

  private:
    bool read_line(std::string_view line) {
        NumberPair pair;
        switch (read_plain_line(line, pair.first, pair.second)) {
            case PlainLine::follow:
                follows.push_back(pair);
                break;
            case PlainLine::nothing:
                break;
            case PlainLine::other:
                read_whole = false;
                return false;
        }
        ++lines;
        return true;
    }
};

// Reads the lines of an edge list into (follower, followee) pairs of provisional indices. Runs of
// blocks are read side by side while ids are plain numbers (each block's lines on its own thread,
// then their ids looked up by every thread in one table); a line that is not a plain follow, a
// comment or a blank ends that, and it and the rest of the run are read line by line, in order.
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

    // The next `count` blocks of text, in order: their whole lines are read, the last partial one
    // kept for the next block.
    void add_blocks(const std::vector<std::vector<char>>& blocks, std::size_t count) {
        std::size_t block = 0;
        if (ids_.numeric()) {
            block = add_side_by_side(blocks, count);
        }
        for (; block < count; ++block) {
            add_block({blocks[block].data(), blocks[block].size()});
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

    // The share of the file read so far (its raw bytes), for an estimate of its size.
    void set_share_read(double share) { share_read_ = share; }

    [[nodiscard]] std::size_t lines() const { return line_number_; }
    IdMap& ids() { return ids_; }
    std::vector<std::pair<AccountIndex, AccountIndex>>& pairs() { return pairs_; }

  private:
    struct NumericLine {
        std::uint64_t first = 0;
        std::uint64_t second = 0;
        std::size_t line_number = 0;
    };

    // Reads the blocks side by side, as far as it can; returns the first block not read (from
    // its start, with partial_ the line the blocks before it left open).
    std::size_t add_side_by_side(const std::vector<std::vector<char>>& blocks, std::size_t count) {
        // Each block's lines, split on the first and last newline; a block without one (a line
        // longer than what is left of it) ends the run.
        const std::string open_line = partial_;
        std::size_t ready = 0;
        parts_.resize(std::max(parts_.size(), count));
        for (; ready < count; ++ready) {
            const std::string_view text(blocks[ready].data(), blocks[ready].size());
            const auto first_newline = text.find('\n');
            if (first_newline == std::string_view::npos) {
                break;
            }
            const auto last_newline = text.rfind('\n');
            BlockOfLines& part = parts_[ready];
            part.first_line.assign(partial_);
            part.first_line.append(text.substr(0, first_newline));
            part.whole_lines = text.substr(first_newline + 1, last_newline - first_newline);
            part.rest = text.substr(last_newline + 1);
            partial_.assign(part.rest);
        }
        parallel_for_each_index(0, ready, [&](std::size_t block) { parts_[block].read(); });

        // The run reads up to the first line left unread.
        std::size_t read = 0;
        std::size_t follows = 0;
        while (read < ready) {
            follows += parts_[read].follows.size();
            if (!parts_[read++].read_whole) {
                break;
            }
        }
        const std::size_t most_new_ids = 2 * follows;
        if (read == 0 || !ids_.fits(most_new_ids)) {
            partial_ = open_line;  // read from the run's first block, line by line
            return 0;
        }
        look_up_batch();  // lines read before, in order
        look_up_side_by_side(read, follows);
        for (std::size_t block = 0; block < read; ++block) {
            line_number_ += parts_[block].lines;
        }

        const BlockOfLines& last = parts_[read - 1];
        if (last.read_whole) {
            return read;  // partial_ holds the last block's rest
        }
        // The rest of the last block, line by line.
        partial_.clear();
        const char* next = last.whole_lines.data();
        if (last.unread == nullptr) {
            read_line(last.first_line);
        } else {
            next = last.unread;
        }
        add_block({next, static_cast<std::size_t>(last.whole_lines.data() +
                                                  last.whole_lines.size() - next)});
        partial_.assign(last.rest);
        return read;
    }

    // The pairs of the first `blocks` parts' follows, appended, their ids looked up and added by
    // all threads together (those the table has no room for after, alone).
    void look_up_side_by_side(std::size_t blocks, std::size_t follows) {
        const std::size_t pairs_per_follow = direction_ == EdgeDirection::mutual ? 2 : 1;
        chunks_.clear();
        const std::size_t pairs = pairs_.size() + follows * pairs_per_follow;
        if (pairs > pairs_.capacity() && share_read_ > 0) {
            // Room for the whole file's pairs, as the share read so far suggests, rather than
            // copying them as the array doubles.
            pairs_.reserve(std::max(
                pairs, static_cast<std::size_t>(static_cast<double>(pairs) / share_read_ * 1.05)));
        }
        pairs_.resize(pairs);
        auto* out = pairs_.data() + pairs_.size() - follows * pairs_per_follow;
        for (std::size_t block = 0; block < blocks; ++block) {
            const auto& block_follows = parts_[block].follows;
            for (std::size_t begin = 0; begin < block_follows.size(); begin += follows_per_chunk) {
                const std::size_t end = std::min(begin + follows_per_chunk, block_follows.size());
                chunks_.push_back({{block_follows.data() + begin, end - begin}, out, {}});
                out += (end - begin) * pairs_per_follow;
            }
        }
        ids_.begin_adding();
        parallel_for_each_index(0, chunks_.size(), [&](std::size_t c) {
            Chunk& chunk = chunks_[c];
            chunk.unnumbered.clear();
            auto* pair = chunk.out;
            AccountIndex first = IdMap::absent;
            for (std::size_t i = 0; i < chunk.follows.size(); ++i) {
                if (i + lookups_ahead < chunk.follows.size()) {
                    ids_.prefetch(chunk.follows[i + lookups_ahead].first);
                    ids_.prefetch(chunk.follows[i + lookups_ahead].second);
                }
                const NumberPair& line = chunk.follows[i];
                if (i == 0 || line.first != chunk.follows[i - 1].first) {
                    first = ids_.add_concurrently(line.first);
                }
                const AccountIndex second = ids_.add_concurrently(line.second);
                if (first == IdMap::absent || second == IdMap::absent) {
                    chunk.unnumbered.push_back({static_cast<std::uint32_t>(i), first, second});
                    pair += pairs_per_follow;
                } else {
                    pair = place(first, second, pair);
                }
            }
        });
        ids_.end_adding();
        for (const Chunk& chunk : chunks_) {
            for (const Unnumbered& line : chunk.unnumbered) {
                const NumberPair& ids = chunk.follows[line.offset];
                const AccountIndex first =
                    line.first != IdMap::absent ? line.first : ids_.index_of(ids.first);
                place(first, line.second != IdMap::absent ? line.second : ids_.index_of(ids.second),
                      chunk.out + line.offset * pairs_per_follow);
            }
        }
        loaded_.edge_lines += follows;
        check_pairs_memory();
    }

    // Writes the pair(s) of a follow line, as the direction says, from `out` on; returns the end.
    std::pair<AccountIndex, AccountIndex>* place(AccountIndex first, AccountIndex second,
                                                 std::pair<AccountIndex, AccountIndex>* out) const {
        switch (direction_) {
            case EdgeDirection::follower_followee:
                *out++ = {first, second};
                break;
            case EdgeDirection::followee_follower:
                *out++ = {second, first};
                break;
            case EdgeDirection::mutual:
                *out++ = {first, second};
                *out++ = {second, first};
                break;
        }
        return out;
    }

    // A block of text read line by line: its whole lines are read, the last partial one kept.
    void add_block(std::string_view block) {
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

    void check_length(std::size_t bytes) const {
        if (bytes > longest_line_bytes) {
            throw input_error({path_, line_number_ + 1}, "", "line longer than 64 KiB");
        }
    }

    void read_line(std::string_view line) {
        ++line_number_;
        check_length(line.size());
        if (ids_.numeric()) {
            NumericLine numbers{0, 0, line_number_};
            switch (read_plain_line(line, numbers.first, numbers.second)) {
                case PlainLine::follow:
                    add_numbers(numbers);
                    return;
                case PlainLine::nothing:
                    return;
                case PlainLine::other:
                    break;
            }
        }
        read_fields(line);
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
                add_numbers({*first, *second, line_number_});
                return;
            }
            look_up_batch();
            number_by_first_appearance();
        }
        const AccountIndex first = ids_.index_of(fields[0]);
        add_follow(first, ids_.index_of(fields[1]), line_number_);
    }

    // Text ids are numbered by first appearance, and so must the numbers before them be; those
    // added side by side were numbered in no particular order. The pairs so far are in line
    // order, so they give it.
    void number_by_first_appearance() {
        constexpr auto unseen = std::numeric_limits<AccountIndex>::max();
        std::vector<AccountIndex> renumber(ids_.size(), unseen);
        AccountIndex next = 0;
        auto see = [&](AccountIndex index) {
            if (renumber[index] == unseen) {
                renumber[index] = next++;
            }
        };
        const bool reversed = direction_ == EdgeDirection::followee_follower;
        const std::size_t pairs_per_line = direction_ == EdgeDirection::mutual ? 2 : 1;
        for (std::size_t i = 0; i < pairs_.size(); i += pairs_per_line) {
            const auto [follower, followee] = pairs_[i];
            see(reversed ? followee : follower);
            see(reversed ? follower : followee);
        }
        for (auto& [follower, followee] : pairs_) {
            follower = renumber[follower];
            followee = renumber[followee];
        }
        ids_.renumber(renumber);
        has_last_first_ = false;
    }

    void add_numbers(const NumericLine& line) {
        batch_.push_back(line);
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
        const std::size_t at = pairs_.size();
        pairs_.resize(at + (direction_ == EdgeDirection::mutual ? 2 : 1));
        place(first, second, pairs_.data() + at);
        if (loaded_.edge_lines % memory_check_every_lines == 0) {
            check_pairs_memory();
        }
    }

    // Edge pairs held while reading, plus the graph they will become.
    void check_pairs_memory() const {
        check_memory(pairs_.size() * sizeof(pairs_[0]) +
                         estimated_graph_bytes(ids_.size(), pairs_.size(), false),
                     memory_limit_bytes_, "the graph in " + path_);
    }

    const std::string& path_;
    EdgeDirection direction_;
    std::uint64_t memory_limit_bytes_;
    LoadedGraph& loaded_;
    IdMap ids_;
    std::vector<std::pair<AccountIndex, AccountIndex>> pairs_;  // (follower, followee)
    // The run read side by side: its blocks, and their follows in chunks of lines.
    struct Unnumbered {
        std::uint32_t offset;  // in the chunk
        AccountIndex first;    // the ids' indices, or IdMap::absent
        AccountIndex second;
    };
    struct Chunk {
        std::span<const NumberPair> follows;
        std::pair<AccountIndex, AccountIndex>* out;  // where their pairs go
        std::vector<Unnumbered> unnumbered;          // lines with an id the table had no room for
    };
    std::vector<BlockOfLines> parts_;
    std::vector<Chunk> chunks_;
    std::vector<NumericLine> batch_;
    std::pair<std::uint64_t, AccountIndex> last_first_;  // the first column's last id, its index
    bool has_last_first_ = false;
    std::string partial_;  // the start of a line the next block ends
    std::size_t line_number_ = 0;
    double share_read_ = 0;
};

}  // namespace

LoadedGraph load_edge_list(const std::string& path, EdgeDirection direction,
                           std::uint64_t memory_limit_bytes, const ReadProgress& on_progress) {
    LoadedGraph loaded;
    EdgeListParser parser(path, direction, memory_limit_bytes, loaded);
    {
        TextBlocks text(path);
        std::vector<std::vector<char>> blocks(blocks_per_run);
        std::uint64_t next_report = lines_between_reports;
        bool more = true;
        while (more) {
            std::size_t count = 0;
            try {
                while (count < blocks.size() && (more = text.next(blocks[count]))) {
                    ++count;
                }
            } catch (const std::runtime_error& error) {
                parser.add_blocks(blocks, count);  // so that the error names the line it reached
                throw input_error({path, parser.lines()}, "", error.what());
            }
            if (text.file_bytes() > 0) {
                parser.set_share_read(static_cast<double>(text.bytes_read()) /
                                      static_cast<double>(text.file_bytes()));
            }
            parser.add_blocks(blocks, count);
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
