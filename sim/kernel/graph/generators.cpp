#include "graph/generators.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <numeric>
#include <span>
#include <utility>

#include <tbb/enumerable_thread_specific.h>
#include <boost/random/binomial_distribution.hpp>

#include "core/errors.hpp"
#include "core/pages.hpp"
#include "core/parallel.hpp"
#include "core/prefetch.hpp"
#include "graph/row_sort.hpp"
#include "random/random_stream.hpp"

namespace reachsim {
namespace {

// Room for `drawn` follows and the ones reciprocity returns, with a margin of six standard
// deviations of their binomial count.
std::uint64_t capacity_with_reciprocity(std::uint64_t drawn, double reciprocity) {
    if (reciprocity <= 0) {
        return drawn;
    }
    const double p = returned_share(reciprocity);
    const auto n = static_cast<double>(drawn);
    return drawn + static_cast<std::uint64_t>(n * p + 6 * std::sqrt(n * p * (1 - p)) + 1024);
}

constexpr std::size_t accounts_per_task = 4096;
constexpr std::size_t reciprocity_prefetch = 16;  // returned follows ahead, slots prefetched
constexpr int price_retries = 20;  // redraws of a duplicate follow before it is dropped

// A generator's rows before they become a FollowerGraph (which counts followers once, at the end).
struct GeneratedRows {
    Csr followees;
    EdgeCleanup cleanup;
};

struct SegmentSampler {
    std::vector<AccountIndex> members;
    AliasTable within;  // over members, by weight
};

// Draws followees: by weight over all accounts, or with homophily h: from the follower's own
// segment with probability h, otherwise from the other segments (by their total weight).
class FolloweeSampler {
  public:
    FolloweeSampler(const std::vector<double>& weights,
                    const std::vector<std::uint16_t>& account_segment, std::size_t segment_count,
                    std::optional<double> homophily)
        : homophily_(homophily), account_segment_(account_segment) {
        if (!homophily_) {
            everyone_ = AliasTable(weights);
            return;
        }
        segments_.resize(segment_count);
        std::vector<std::vector<double>> member_weights(segment_count);
        std::vector<double> totals(segment_count, 0.0);
        for (std::size_t a = 0; a < weights.size(); ++a) {
            segments_[account_segment[a]].members.push_back(static_cast<AccountIndex>(a));
            member_weights[account_segment[a]].push_back(weights[a]);
            totals[account_segment[a]] += weights[a];
        }
        for (std::size_t s = 0; s < segment_count; ++s) {
            segments_[s].within = AliasTable(member_weights[s]);
            std::vector<double> others = totals;
            others[s] = 0;
            other_segments_.emplace_back(others);
        }
    }

    // A followee is drawn (all its random numbers, in stream order), then looked up; between the
    // two the caller can prefetch the lookup, which is a cache miss in a large table.
    struct Draw {
        const SegmentSampler* segment = nullptr;  // null: over all accounts
        AliasTable::Draw within;
    };
    Draw draw(AccountIndex follower, RandomStream& random) const {
        if (!homophily_) {
            return {nullptr, everyone_.draw(random)};
        }
        const std::uint16_t own = account_segment_[follower];
        const bool stay = random.uniform_open01() < *homophily_;
        const SegmentSampler& segment = segments_[stay ? own : other_segments_[own].sample(random)];
        return {&segment, segment.within.draw(random)};
    }
    // A row of followees, drawn as draw() would draw them one after another. Without homophily
    // each takes 64 bits, so the row's random numbers come from one fill of the stream, its whole
    // blocks computed several at a time (a sixth of the generator's time, drawn one by one).
    void draw_row(AccountIndex follower, RandomStream& random, std::span<Draw> row,
                  std::vector<std::uint32_t>& words) const {
        if (homophily_) {
            for (auto& drawn : row) {
                drawn = draw(follower, random);
            }
            return;
        }
        words.resize(2 * row.size());
        random.fill(words);
        for (std::size_t k = 0; k < row.size(); ++k) {
            row[k] = {nullptr, everyone_.draw(RandomStream::join(words[2 * k], words[2 * k + 1]))};
        }
    }
    void prefetch(const Draw& drawn) const {
        (drawn.segment ? drawn.segment->within : everyone_).prefetch(drawn.within);
    }
    [[nodiscard]] AccountIndex resolve(const Draw& drawn) const {
        if (drawn.segment == nullptr) {
            return everyone_.resolve(drawn.within);
        }
        return drawn.segment->members[drawn.segment->within.resolve(drawn.within)];
    }

  private:
    std::optional<double> homophily_;
    const std::vector<std::uint16_t>& account_segment_;
    AliasTable everyone_;
    std::vector<SegmentSampler> segments_;
    std::vector<AliasTable> other_segments_;
};

// Follower weights of a power law with exponent alpha > 2: Pareto draws w = u^(-1/(alpha-1)),
// handed out in descending order. The draws are independent, so which account gets which is
// arbitrary; giving the heaviest to the lowest indices puts the hubs' records, which most follows
// point at, next to each other in memory (hub-first labelling), which the engine's gather of
// followees' posts relies on for cache hits. The uniforms are drawn already in ascending order, as
// order statistics: U_(k) = S_k / S_(n+1), S_k the sum of k standard exponentials (docs/model.md),
// so no sort is needed; the sums run in fixed blocks, whatever the thread count.
std::vector<double> power_law_weights(std::uint64_t accounts, double exponent, std::uint64_t seed) {
    constexpr std::size_t accounts_per_block = 65536;
    const std::size_t blocks = (accounts + accounts_per_block - 1) / accounts_per_block;
    auto exponential = [seed](std::uint64_t entity) {
        RandomStream random(
            {seed, 1, StreamKind::graph_generation, static_cast<std::uint32_t>(entity)});
        return random.standard_exponential();
    };
    auto block_end = [&](std::size_t block) {
        return std::min<std::size_t>(accounts, (block + 1) * accounts_per_block);
    };
    std::vector<double> weights(accounts);  // the sums S_k, then the weights
    std::vector<double> block_sums(blocks + 1, 0.0);
    parallel_for_each_index(0, blocks, [&](std::size_t block) {
        double sum = 0;
        for (std::size_t a = block * accounts_per_block; a < block_end(block); ++a) {
            sum += exponential(a);
            weights[a] = sum;
        }
        block_sums[block + 1] = sum;
    });
    for (std::size_t block = 0; block < blocks; ++block) {
        block_sums[block + 1] += block_sums[block];
    }
    const double total = block_sums[blocks] + exponential(accounts);  // S_(n+1)
    const double power = -1.0 / (exponent - 1.0);
    parallel_for_each_index(0, blocks, [&](std::size_t block) {
        for (std::size_t a = block * accounts_per_block; a < block_end(block); ++a) {
            weights[a] = std::pow((block_sums[block] + weights[a]) / total, power);
        }
    });
    return weights;
}

// Rounds x to floor(x) or floor(x)+1 so that the expectation is x.
std::uint64_t stochastic_round(double x, RandomStream& random) {
    const double floor = std::floor(x);
    return static_cast<std::uint64_t>(floor) + (random.uniform_open01() < x - floor ? 1 : 0);
}

// Rows moved in one direction, in waves of rows whose copies can run in parallel: a wave's
// destinations lie beyond all of its own sources, and the rows it could overwrite have moved in
// an earlier wave. A serial pass of memmove took seconds at Twitter-2010 scale.
constexpr std::uint64_t follows_moved_serially = 1 << 16;  // smaller waves: not worth the tasks

// Copies rows [first, last): row a's `length(a)` ids from `from[a]` to `to[a]`, which never meet.
template <typename Length>
void copy_rows(AccountIndex* ids, std::size_t first, std::size_t last, const std::uint64_t* from,
               const std::uint64_t* to, Length length) {
    auto copy = [&](std::size_t begin, std::size_t end) {
        for (std::size_t a = begin; a < end; ++a) {
            std::memcpy(ids + to[a], ids + from[a], length(a) * sizeof(AccountIndex));
        }
    };
    if (to[last - 1] + length(last - 1) - to[first] < follows_moved_serially) {
        copy(first, last);
    } else {
        parallel_chunks(first, last, accounts_per_task, copy);
    }
}

// Moves rows towards the front (to[a] <= from[a], the gap growing with a), from the first row on:
// a wave starts at a row and takes the rows after it whose destinations end before its source.
template <typename Length>
void move_rows_down(AccountIndex* ids, std::size_t rows, const std::uint64_t* from,
                    const std::uint64_t* to, Length length) {
    for (std::size_t first = 0; first < rows;) {
        std::size_t last = first;
        while (last < rows && to[last] + length(last) <= from[first]) {
            ++last;
        }
        if (last == first) {  // the row overlaps its own place (or is in it): it moves alone
            if (to[first] != from[first]) {
                std::memmove(ids + to[first], ids + from[first],
                             length(first) * sizeof(AccountIndex));
            }
            ++last;
        } else {
            copy_rows(ids, first, last, from, to, length);
        }
        first = last;
    }
}

// Moves rows towards the end (to[a] >= from[a], the gap growing with a), from the last row back:
// a wave ends at a row and takes the rows before it whose destinations start after its source.
template <typename Length>
void move_rows_up(AccountIndex* ids, std::size_t rows, const std::uint64_t* from,
                  const std::uint64_t* to, Length length) {
    for (std::size_t last = rows; last > 0;) {
        const std::uint64_t sources_end = from[last - 1] + length(last - 1);
        std::size_t first = last;
        while (first > 0 && to[first - 1] >= sources_end) {
            --first;
        }
        if (first == last) {  // the row overlaps its own place (or is in it): it moves alone
            if (to[last - 1] != from[last - 1]) {
                std::memmove(ids + to[last - 1], ids + from[last - 1],
                             length(last - 1) * sizeof(AccountIndex));
            }
            --first;
        } else {
            copy_rows(ids, first, last, from, to, length);
        }
        last = first;
    }
}

// Moves each row's first kept[a] entries down so rows are contiguous again. `kept` becomes the
// rows' new places on the way (no array of offsets more at the build's peak).
void compact(Csr& rows, std::vector<std::uint64_t>& kept) {
    const std::size_t row_count = kept.size();
    std::vector<std::uint64_t>& to = kept;
    std::uint64_t write = 0;
    for (auto& place : to) {
        write += std::exchange(place, write);
    }
    move_rows_down(rows.neighbours.data(), row_count, rows.offsets.data(), to.data(),
                   [&](std::size_t a) { return (a + 1 < row_count ? to[a + 1] : write) - to[a]; });
    std::copy(to.begin(), to.end(), rows.offsets.begin());
    rows.offsets[row_count] = write;
    rows.neighbours.resize(write);
    // Not shrink_to_fit, which would copy the array: the pages past the end go back to the system
    // instead, and the capacity stays for reciprocity to grow into.
    release_pages_past_end(rows.neighbours);
}

// Per-follower generation in two passes over the same keyed streams: following counts, then the
// follows themselves written in place, sorted, deduplicated and compacted.
template <typename DrawCount>
GeneratedRows generate_per_follower(std::uint64_t accounts, const FolloweeSampler& sampler,
                                    std::uint64_t seed, DrawCount draw_count, double reciprocity,
                                    std::uint64_t memory_limit_bytes) {
    Csr followees;
    resize_prefaulted(followees.offsets, accounts + 1);
    // How many 32-bit draws each count took, for the second pass to skip rather than draw the
    // count again (a lognormal's logarithm, square root, cosine and exponential); a count that took
    // more than fit is drawn again.
    constexpr std::uint64_t draws_not_kept = 255;
    std::vector<std::uint8_t> count_draws(accounts);
    parallel_for_each_index(0, accounts, [&](std::size_t a) {
        RandomStream random({seed, 0, StreamKind::graph_generation, static_cast<std::uint32_t>(a)});
        followees.offsets[a + 1] = std::min<std::uint64_t>(draw_count(random), accounts - 1);
        count_draws[a] = static_cast<std::uint8_t>(std::min(random.draws_taken(), draws_not_kept));
    });
    for (std::uint64_t a = 0; a < accounts; ++a) {
        followees.offsets[a + 1] += followees.offsets[a];
    }
    check_memory(estimated_graph_bytes(accounts, followees.offsets.back(), false),
                 memory_limit_bytes, "the generated graph");
    // Room for the returned follows too, so that reciprocity grows the rows in place: capacity
    // never touched costs address space, not memory.
    followees.neighbours.reserve(capacity_with_reciprocity(followees.offsets.back(), reciprocity));
    resize_prefaulted(followees.neighbours, followees.offsets.back());
    std::vector<std::uint64_t> kept;
    std::vector<std::uint64_t> self_loops;
    resize_prefaulted(kept, accounts);
    resize_prefaulted(self_loops, accounts);
    // Sorted, de-duplicated and without its follower: what is kept of a row.
    auto finish_row = [&](std::uint64_t a) {
        auto* begin = followees.neighbours.data() + followees.offsets[a];
        auto* end = followees.neighbours.data() + followees.offsets[a + 1];
        auto* last = begin + sort_unique({begin, end});
        auto* self = std::find(begin, last, static_cast<AccountIndex>(a));
        if (self != last) {
            std::move(self + 1, last, self);
            --last;
            self_loops[a] = 1;
        }
        kept[a] = static_cast<std::uint64_t>(last - begin);
    };
    parallel_chunks(
        0, accounts, accounts_per_task, [&](std::size_t chunk_begin, std::size_t chunk_end) {
            // A pipeline of two rows: a row's followees are drawn (all their random numbers, in
            // stream order), their lookups prefetched in one burst, and only then is the row
            // before it looked up, its lookups having had a whole row's drawing to arrive.
            // Prefetches issued one by one between the draws ran at half the rate
            // (docs/performance.md).
            std::vector<FolloweeSampler::Draw> drawn;
            std::vector<FolloweeSampler::Draw> previous;
            std::vector<std::uint32_t> words;  // the random numbers of a row
            auto look_up_previous = [&](std::uint64_t a) {
                auto* row = followees.neighbours.data() + followees.offsets[a];
                for (std::size_t k = 0; k < previous.size(); ++k) {
                    row[k] = sampler.resolve(previous[k]);
                }
                finish_row(a);
            };
            for (std::uint64_t a = chunk_begin; a != chunk_end; ++a) {
                RandomStream random(
                    {seed, 0, StreamKind::graph_generation, static_cast<std::uint32_t>(a)});
                if (count_draws[a] == draws_not_kept) {
                    draw_count(random);  // the same draw as in the first pass
                } else {
                    random.discard(count_draws[a]);
                }
                drawn.resize(followees.offsets[a + 1] - followees.offsets[a]);
                sampler.draw_row(static_cast<AccountIndex>(a), random, drawn, words);
                for (const auto& draw : drawn) {
                    sampler.prefetch(draw);
                }
                if (a != chunk_begin) {
                    look_up_previous(a - 1);
                }
                std::swap(drawn, previous);
            }
            if (chunk_end != chunk_begin) {
                look_up_previous(chunk_end - 1);
            }
        });
    GeneratedRows generated;
    for (std::uint64_t a = 0; a < accounts; ++a) {
        const std::uint64_t drawn = followees.offsets[a + 1] - followees.offsets[a];
        generated.cleanup.self_loops += self_loops[a];
        generated.cleanup.duplicates += drawn - kept[a] - self_loops[a];
    }
    compact(followees, kept);
    generated.followees = std::move(followees);
    return generated;
}

GeneratedRows generate_price(const PriceGenerator& price, std::uint64_t seed,
                             std::uint64_t memory_limit_bytes) {
    const std::uint64_t accounts = price.accounts;
    const std::uint64_t per_account = price.following_per_account;
    check_memory(estimated_graph_bytes(accounts, accounts * per_account, false) +
                     accounts * per_account * sizeof(AccountIndex),
                 memory_limit_bytes, "the generated graph");
    // `targets` lists every followee once per follow so far: a uniform entry is an account
    // drawn in proportion to its followers.
    std::vector<AccountIndex> targets;
    targets.reserve(accounts * per_account);
    Csr followees;
    followees.offsets.assign(accounts + 1, 0);
    RandomStream random({seed, 0, StreamKind::graph_generation, 0});
    GeneratedRows generated;
    std::vector<AccountIndex> picks;
    for (std::uint64_t a = 1; a < accounts; ++a) {
        picks.clear();
        const std::uint64_t wanted = std::min<std::uint64_t>(per_account, a);
        const double uniform_weight = price.attachment_offset * static_cast<double>(a);
        for (std::uint64_t k = 0; k < wanted; ++k) {
            bool placed = false;
            for (int attempt = 0; attempt < price_retries && !placed; ++attempt) {
                const double total = uniform_weight + static_cast<double>(targets.size());
                const AccountIndex pick = random.uniform_open01() * total < uniform_weight
                                              ? static_cast<AccountIndex>(random.below(a))
                                              : targets[random.below(targets.size())];
                if (std::find(picks.begin(), picks.end(), pick) == picks.end()) {
                    picks.push_back(pick);
                    placed = true;
                }
            }
            generated.cleanup.duplicates += placed ? 0 : 1;
        }
        std::sort(picks.begin(), picks.end());
        targets.insert(targets.end(), picks.begin(), picks.end());
        followees.neighbours.insert(followees.neighbours.end(), picks.begin(), picks.end());
        followees.offsets[a + 1] = followees.neighbours.size();
    }
    generated.followees = std::move(followees);
    return generated;
}

// Returned follows are written into their followees' rows by partitions of followees (followee
// modulo the partition count), in parallel: a partition alone updates its followees' counters and
// write cursors, with plain stores (an atomic per follow at random stalled the core on each miss).
// By remainder, not by range: the hubs, at the lowest indices, would fill the first range.
constexpr std::size_t returned_partitions = 64;

struct ReturnedFollow {
    AccountIndex followee;
    AccountIndex follower;
};

// One task's returned follows, by partition of the followee and, within a partition, in follower
// order: a stretch of an array shared by the tasks.
struct ReturnedFollows {
    const ReturnedFollow* first = nullptr;
    std::array<std::size_t, returned_partitions + 1> starts{};  // each partition's first

    [[nodiscard]] std::span<const ReturnedFollow> of_partition(std::size_t partition) const {
        return {first + starts[partition], starts[partition + 1] - starts[partition]};
    }
};

// Returns a share of follows (see returned_share), growing the rows in place.
void add_reciprocity(Csr& followees, double reciprocity, std::uint64_t seed,
                     std::uint64_t memory_limit_bytes, EdgeCleanup& cleanup) {
    const double probability = returned_share(reciprocity);
    const std::size_t accounts = followees.row_count();
    const std::vector<std::uint64_t> old_offsets = [&] {
        std::vector<std::uint64_t> copy;
        resize_prefaulted(copy, followees.offsets.size());
        std::copy(followees.offsets.begin(), followees.offsets.end(), copy.begin());
        return copy;
    }();
    auto original_row = [&](std::size_t a) {  // at its new place, once the rows have moved
        return std::span<const AccountIndex>(followees.neighbours.data() + followees.offsets[a],
                                             old_offsets[a + 1] - old_offsets[a]);
    };
    // Which follows are returned, by their position before the rows move, from the follower's
    // stream: the gaps between returned follows are drawn (geometric, one exponential each), not a
    // coin per follow, so a row costs a draw per returned follow and one more. A follow that is
    // already returned may be drawn again; the duplicate is dropped below.
    const double log_not_returned = std::log1p(-probability);
    auto follows_skipped = [&](RandomStream& random) {
        return static_cast<std::uint64_t>(random.geometric_failures(log_not_returned));
    };
    // Every task's list in one array, each claiming its stretch when done: one block of memory,
    // sized for every follow returned (address space; only what is written is touched), handed
    // back whole. Lists of their own, freed one by one, stayed with the heap and raised the
    // simulation's peak (docs/performance.md).
    auto all_returned = std::make_unique_for_overwrite<ReturnedFollow[]>(old_offsets.back());
    std::atomic<std::size_t> returned_count{0};
    const std::size_t tasks = (accounts + accounts_per_task - 1) / accounts_per_task;
    std::vector<ReturnedFollows> returned(tasks);
    tbb::enumerable_thread_specific<std::vector<ReturnedFollow>> scratch;
    parallel_for_each_index(0, tasks, [&](std::size_t task) {
        const std::size_t first = task * accounts_per_task;
        const std::size_t last = std::min(accounts, first + accounts_per_task);
        auto& drawn = scratch.local();  // in follower order
        drawn.clear();
        std::array<std::size_t, returned_partitions> counts{};
        for (std::size_t f = first; f < last; ++f) {
            RandomStream random(
                {seed, 0, StreamKind::graph_reciprocity, static_cast<std::uint32_t>(f)});
            const std::uint64_t row_end = old_offsets[f + 1];
            for (std::uint64_t position = old_offsets[f] + follows_skipped(random);
                 position < row_end; position += 1 + follows_skipped(random)) {
                const AccountIndex followee = followees.neighbours[position];
                drawn.push_back({followee, static_cast<AccountIndex>(f)});
                ++counts[followee % returned_partitions];
            }
        }
        // Stably by partition: each partition keeps follower order.
        ReturnedFollows& out = returned[task];
        for (std::size_t partition = 0; partition < returned_partitions; ++partition) {
            out.starts[partition + 1] = out.starts[partition] + counts[partition];
        }
        ReturnedFollow* stretch = all_returned.get() + returned_count.fetch_add(drawn.size());
        out.first = stretch;
        auto next = out.starts;
        for (const auto& follow : drawn) {
            stretch[next[follow.followee % returned_partitions]++] = follow;
        }
    });
    std::vector<std::uint64_t> added;
    resize_prefaulted(added, accounts);
    // Each partition's returned follows come task by task, and within a task in follower order.
    parallel_for_each_index(0, returned_partitions, [&](std::size_t partition) {
        for (const ReturnedFollows& task : returned) {
            const auto follows = task.of_partition(partition);
            for (std::size_t k = 0; k < follows.size(); ++k) {
                if (k + reciprocity_prefetch < follows.size()) {
                    prefetch(added[follows[k + reciprocity_prefetch].followee]);
                }
                ++added[follows[k].followee];
            }
        }
    });
    for (std::size_t a = 0; a < accounts; ++a) {
        followees.offsets[a + 1] =
            followees.offsets[a] + (old_offsets[a + 1] - old_offsets[a]) + added[a];
    }
    const std::uint64_t total = followees.offsets.back();
    check_memory(estimated_graph_bytes(accounts, total, false), memory_limit_bytes,
                 "the generated graph with reciprocity");
    // The rows move towards the end, each by the follows added to the rows before it, in waves
    // from the last row back: a row only ever lands on rows that have moved already. Within the
    // capacity the generator reserved, nothing is copied aside.
    resize_prefaulted(followees.neighbours, total);
    move_rows_up(followees.neighbours.data(), accounts, old_offsets.data(),
                 followees.offsets.data(),
                 [&](std::size_t a) { return old_offsets[a + 1] - old_offsets[a]; });
    // Each partition writes its followees' returned follows, after their original ones, follower
    // by follower: so they come in increasing order. Reads (original follows) and writes (the room
    // after them) never meet.
    std::vector<std::uint64_t>& next = added;  // each row's write cursor, in place of its count
    parallel_for_each_index(0, accounts, [&](std::size_t a) {
        next[a] = followees.offsets[a] + original_row(a).size();
    });
    parallel_for_each_index(0, returned_partitions, [&](std::size_t partition) {
        AccountIndex* rows = followees.neighbours.data();
        for (const ReturnedFollows& task : returned) {
            const auto follows = task.of_partition(partition);
            for (std::size_t k = 0; k < follows.size(); ++k) {
                // Each write is two dependent misses (the cursor, then the slot): prefetched ahead.
                if (k + reciprocity_prefetch < follows.size()) {
                    prefetch(next[follows[k + reciprocity_prefetch].followee]);
                }
                if (k + reciprocity_prefetch / 2 < follows.size()) {
                    prefetch(rows[next[follows[k + reciprocity_prefetch / 2].followee]]);
                }
                const auto [followee, follower] = follows[k];
                rows[next[followee]++] = follower;
            }
        }
    });
    all_returned.reset();
    // Each row is its sorted original follows, then the returned ones, sorted too: they are merged
    // in from the back.
    std::vector<std::uint64_t> kept;
    resize_prefaulted(kept, accounts);
    parallel_chunks(0, accounts, accounts_per_task, [&](std::size_t first, std::size_t last) {
        std::vector<AccountIndex> returned_follows;
        for (std::size_t a = first; a < last; ++a) {
            auto* begin = followees.neighbours.data() + followees.offsets[a];
            auto* end = followees.neighbours.data() + followees.offsets[a + 1];
            auto* original_end = begin + original_row(a).size();
            returned_follows.assign(original_end, end);
            auto* read = original_end;
            auto* write = end;
            for (auto back = returned_follows.rbegin(); back != returned_follows.rend();) {
                *--write = read != begin && *(read - 1) > *back ? *--read : *back++;
            }
            kept[a] = static_cast<std::uint64_t>(std::unique(begin, end) - begin);
        }
    });
    cleanup.duplicates += total - std::accumulate(kept.begin(), kept.end(), std::uint64_t{0});
    compact(followees, kept);
}

}  // namespace

AliasTable::AliasTable(const std::vector<double>& weights) : columns_(weights.size()) {
    const std::size_t n = weights.size();
    double total = 0;
    for (double w : weights) {
        total += w;
    }
    if (n == 0 || !(total > 0)) {
        throw internal_error("AliasTable: weights must have a positive sum");
    }
    std::vector<double> scaled(n);
    // Reserved: grown by doubling, they would touch twice their size in new memory, which is slow
    // to touch the first time (docs/performance.md).
    std::vector<std::uint32_t> small;
    std::vector<std::uint32_t> large;
    small.reserve(n);
    large.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        scaled[i] = weights[i] * static_cast<double>(n) / total;
        (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
        const std::uint32_t less = small.back();
        small.pop_back();
        const std::uint32_t more = large.back();
        columns_[less] = {static_cast<float>(scaled[less]), more};
        scaled[more] -= 1.0 - scaled[less];
        if (scaled[more] < 1.0) {
            large.pop_back();
            small.push_back(more);
        }
    }
    for (auto i : large) {
        columns_[i] = {1.0f, i};
    }
    for (auto i : small) {  // left over only through rounding
        columns_[i] = {1.0f, i};
    }
}

std::uint64_t generator_accounts(const AudienceSource& source) {
    return std::visit(
        [](const auto& generator) -> std::uint64_t {
            using T = std::decay_t<decltype(generator)>;
            if constexpr (std::is_same_v<T, GraphFile> || std::is_same_v<T, StarAudience>) {
                return 0;
            } else {
                return generator.accounts;
            }
        },
        source);
}

double expected_generated_follows(const Audience& spec) {
    const double reciprocal_factor = 1.0 + returned_share(spec.reciprocity);
    return std::visit(
               [](const auto& generator) -> double {
                   using T = std::decay_t<decltype(generator)>;
                   if constexpr (std::is_same_v<T, GraphFile> || std::is_same_v<T, StarAudience>) {
                       return 0;
                   } else if constexpr (std::is_same_v<T, PriceGenerator>) {
                       return static_cast<double>(generator.accounts) *
                              generator.following_per_account;
                   } else {
                       return static_cast<double>(generator.accounts) * generator.mean_following;
                   }
               },
               spec.source) *
           reciprocal_factor;
}

GeneratedGraph generate_graph(const Audience& spec,
                              const std::vector<std::uint16_t>& account_segment,
                              std::size_t segment_count, std::uint64_t seed,
                              std::uint64_t memory_limit_bytes) {
    const auto accounts = generator_accounts(spec.source);
    check_memory(estimated_graph_bytes(
                     accounts, static_cast<std::uint64_t>(expected_generated_follows(spec)), false),
                 memory_limit_bytes, "the generated graph");
    GeneratedRows generated;
    if (const auto* power_law = std::get_if<PowerLawGenerator>(&spec.source)) {
        const FolloweeSampler sampler(
            power_law_weights(accounts, power_law->followers_exponent, seed), account_segment,
            segment_count, spec.homophily);
        const double sigma = power_law->following_sigma;
        const double mu = std::log(power_law->mean_following) - sigma * sigma / 2;
        generated = generate_per_follower(
            accounts, sampler, seed,
            [mu, sigma](RandomStream& random) {
                return stochastic_round(std::exp(mu + sigma * random.standard_normal()), random);
            },
            spec.reciprocity, memory_limit_bytes);
    } else if (const auto* erdos_renyi = std::get_if<ErdosRenyiGenerator>(&spec.source)) {
        const FolloweeSampler sampler(std::vector<double>(accounts, 1.0), account_segment,
                                      segment_count, spec.homophily);
        const double probability = erdos_renyi->mean_following / static_cast<double>(accounts - 1);
        generated = generate_per_follower(
            accounts, sampler, seed,
            [&](RandomStream& random) {
                return static_cast<std::uint64_t>(
                    boost::random::binomial_distribution<std::int64_t, double>(
                        static_cast<std::int64_t>(accounts - 1), probability)(random));
            },
            spec.reciprocity, memory_limit_bytes);
    } else if (const auto* price = std::get_if<PriceGenerator>(&spec.source)) {
        generated = generate_price(*price, seed, memory_limit_bytes);
    } else {
        throw internal_error("generate_graph: a file source is not generated");
    }
    if (spec.reciprocity > 0) {
        add_reciprocity(generated.followees, spec.reciprocity, seed, memory_limit_bytes,
                        generated.cleanup);
    }
    return {FollowerGraph(std::move(generated.followees)), generated.cleanup};
}

}  // namespace reachsim
