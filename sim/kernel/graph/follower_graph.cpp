#include "graph/follower_graph.hpp"

#include <unistd.h>

#include <tbb/enumerable_thread_specific.h>

#include <boost/sort/pdqsort/pdqsort.hpp>

#include <algorithm>
#include <cstdio>

#include "core/errors.hpp"
#include "core/pages.hpp"
#include "core/parallel.hpp"
#include "core/prefetch.hpp"

namespace reachsim {
namespace {

// Follows ahead whose followee's counter is prefetched while followers are counted.
constexpr std::size_t counts_ahead = 32;

}  // namespace

FollowerGraph::FollowerGraph(Csr followees) : followees_(std::move(followees)) {
    // Counted per thread, then summed: the hubs' counters would bounce between threads.
    const auto& neighbours = followees_.neighbours;
    tbb::enumerable_thread_specific<std::vector<std::uint32_t>> counts;
    parallel_chunks(0, neighbours.size(), 1 << 20, [&](std::size_t begin, std::size_t end) {
        auto& local = counts.local();
        local.resize(account_count(), 0);
        for (std::size_t i = begin; i < end; ++i) {
            if (i + counts_ahead < end) {  // the counters are at random: a miss each
                prefetch(local[neighbours[i + counts_ahead]]);
            }
            ++local[neighbours[i]];
        }
    });
    resize_prefaulted(follower_counts_, account_count());
    for (const auto& local : counts) {
        parallel_chunks(0, local.size(), 1 << 16, [&](std::size_t begin, std::size_t end) {
            for (std::size_t a = begin; a < end; ++a) {
                follower_counts_[a] += local[a];
            }
        });
    }
}

void FollowerGraph::build_followers_index() {
    if (has_followers_index()) {
        return;
    }
    const std::size_t accounts = account_count();
    followers_.offsets.assign(accounts + 1, 0);
    for (std::size_t a = 0; a < accounts; ++a) {
        followers_.offsets[a + 1] = followers_.offsets[a] + follower_counts_[a];
    }
    followers_.neighbours.resize(followees_.neighbours.size());
    std::vector<std::uint64_t> next(followers_.offsets.begin(), followers_.offsets.end() - 1);
    // Followers are visited in ascending order, so each row comes out sorted.
    for (std::size_t follower = 0; follower < accounts; ++follower) {
        for (AccountIndex followee : followees_of(static_cast<AccountIndex>(follower))) {
            followers_.neighbours[next[followee]++] = static_cast<AccountIndex>(follower);
        }
    }
}

std::span<const AccountIndex> FollowerGraph::followers_of(AccountIndex a) const {
    if (!has_followers_index()) {
        throw internal_error("followers_of: build_followers_index() was not called");
    }
    return followers_.row(a);
}

AccountIndex FollowerGraph::follower_at(std::uint64_t position) const {
    const auto& offsets = followees_.offsets;
    const auto after = std::upper_bound(offsets.begin(), offsets.end(), position);
    return static_cast<AccountIndex>(after - offsets.begin() - 1);
}

bool FollowerGraph::follows(AccountIndex follower, AccountIndex followee) const {
    const auto row = followees_of(follower);
    return std::binary_search(row.begin(), row.end(), followee);
}

std::uint64_t estimated_graph_bytes(std::uint64_t accounts, std::uint64_t follows,
                                    bool with_followers_index) {
    const std::uint64_t one_direction =
        (accounts + 1) * sizeof(std::uint64_t) + follows * sizeof(AccountIndex);
    const std::uint64_t counts = accounts * sizeof(std::uint32_t);
    return one_direction * (with_followers_index ? 2 : 1) + counts;
}

std::string format_bytes(std::uint64_t bytes) {
    char buffer[64];
    const auto value = static_cast<double>(bytes);
    if (value >= 1024.0 * 1024 * 1024) {
        std::snprintf(buffer, sizeof buffer, "%.1f GiB", value / (1024.0 * 1024 * 1024));
    } else if (value >= 1024.0 * 1024) {
        std::snprintf(buffer, sizeof buffer, "%.1f MiB", value / (1024.0 * 1024));
    } else if (value >= 1024.0) {
        std::snprintf(buffer, sizeof buffer, "%.1f KiB", value / 1024.0);
    } else {
        std::snprintf(buffer, sizeof buffer, "%llu bytes", static_cast<unsigned long long>(bytes));
    }
    return buffer;
}

void check_memory(std::uint64_t bytes, std::uint64_t limit_bytes, const std::string& what) {
    if (limit_bytes > 0 && bytes > limit_bytes) {
        throw input_error(what + " needs an estimated " + format_bytes(bytes) +
                          ", more than the limit of " + format_bytes(limit_bytes) +
                          " (this machine's memory, or --memory-limit): use a smaller graph");
    }
}

FollowerGraph graph_from_pairs(std::size_t accounts,
                               std::vector<std::pair<AccountIndex, AccountIndex>>& pairs,
                               EdgeCleanup& cleanup) {
    std::erase_if(pairs, [&cleanup](const auto& pair) {
        const bool self_loop = pair.first == pair.second;
        cleanup.self_loops += self_loop ? 1 : 0;
        return self_loop;
    });
    // Rows by counting (no sort of the pairs): count each follower's follows, place every
    // followee at its row's cursor, then sort and de-duplicate each row on its own, in parallel.
    Csr followees;
    followees.offsets.assign(accounts + 1, 0);
    for (const auto& pair : pairs) {
        ++followees.offsets[pair.first + 1];
    }
    for (std::size_t a = 0; a < accounts; ++a) {
        followees.offsets[a + 1] += followees.offsets[a];
    }
    followees.neighbours.resize(pairs.size());
    {
        std::vector<std::uint64_t> cursor(followees.offsets.begin(), followees.offsets.end() - 1);
        for (const auto& [follower, followee] : pairs) {
            followees.neighbours[cursor[follower]++] = followee;
        }
    }
    pairs.clear();
    pairs.shrink_to_fit();
    std::vector<std::uint64_t> kept(accounts);
    parallel_for_each_index(0, accounts, [&](std::size_t a) {
        const auto first =
            followees.neighbours.begin() + static_cast<std::ptrdiff_t>(followees.offsets[a]);
        const auto last =
            followees.neighbours.begin() + static_cast<std::ptrdiff_t>(followees.offsets[a + 1]);
        boost::sort::pdqsort_branchless(first, last);
        kept[a] = static_cast<std::uint64_t>(std::unique(first, last) - first);
    });
    // Close the gaps the duplicates left, row by row (rows only move towards the front).
    std::uint64_t write = 0;
    for (std::size_t a = 0; a < accounts; ++a) {
        const std::uint64_t read = followees.offsets[a];
        std::copy(followees.neighbours.begin() + static_cast<std::ptrdiff_t>(read),
                  followees.neighbours.begin() + static_cast<std::ptrdiff_t>(read + kept[a]),
                  followees.neighbours.begin() + static_cast<std::ptrdiff_t>(write));
        followees.offsets[a] = write;
        write += kept[a];
    }
    cleanup.duplicates += followees.offsets[accounts] - write;
    followees.offsets[accounts] = write;
    followees.neighbours.resize(write);
    return FollowerGraph(std::move(followees));
}

}  // namespace reachsim
