#include "graph/graph_summary.hpp"

#include <atomic>

#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>
#include <vector>

#include "core/nearest_rank.hpp"
#include "core/parallel.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

DegreeSummary summarise_degrees(std::vector<std::uint32_t> degrees) {
    DegreeSummary summary;
    if (degrees.empty()) {
        return summary;
    }
    double sum = 0;
    summary.min = degrees.front();
    summary.max = degrees.front();
    for (auto degree : degrees) {
        sum += degree;
        summary.min = std::min(summary.min, degree);
        summary.max = std::max(summary.max, degree);
        const std::size_t bin = degree == 0 ? 0 : static_cast<std::size_t>(std::bit_width(degree));
        if (summary.histogram.size() <= bin) {
            summary.histogram.resize(bin + 1, 0);
        }
        ++summary.histogram[bin];
    }
    summary.mean = sum / static_cast<double>(degrees.size());
    // Each percentile selected (in linear time) from what lies above the one before, the levels
    // being in increasing order, rather than a sort of every degree on one thread.
    auto above = degrees.begin();
    for (double level : percentile_levels) {
        const auto at =
            degrees.begin() + static_cast<std::ptrdiff_t>(nearest_rank(level, degrees.size()) - 1);
        std::nth_element(above, at, degrees.end());
        summary.percentiles.push_back(*at);
        above = at;
    }
    return summary;
}

namespace {

// Lookups ahead whose row bounds, then row middles, are prefetched.
constexpr std::size_t bounds_ahead = 16;
constexpr std::size_t rows_ahead = 8;

// How many of the (follower, followee) pairs are follows, with the rows' cache misses overlapped.
std::uint64_t count_follows(const FollowerGraph& graph,
                            const std::vector<std::pair<AccountIndex, AccountIndex>>& pairs) {
    std::uint64_t count = 0;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        if (i + bounds_ahead < pairs.size()) {
            graph.prefetch_row_bounds(pairs[i + bounds_ahead].first);
        }
        if (i + rows_ahead < pairs.size()) {
            graph.prefetch_row_middle(pairs[i + rows_ahead].first);
        }
        count += graph.follows(pairs[i].first, pairs[i].second) ? 1 : 0;
    }
    return count;
}

}  // namespace

GraphSummary summarise_graph(const FollowerGraph& graph, std::uint64_t exact_limit,
                             std::uint64_t sample_size) {
    GraphSummary summary;
    summary.accounts = graph.account_count();
    summary.follows = graph.follow_count();
    if (summary.follows <= exact_limit) {
        std::atomic<std::uint64_t> reciprocated{0};
        parallel_chunks(
            0, graph.account_count(), 1024, [&](std::size_t chunk_begin, std::size_t chunk_end) {
                // Each reciprocated pair is found once, from its lower account, and counts twice.
                std::vector<std::pair<AccountIndex, AccountIndex>> follows_back;  // to look up
                for (std::size_t a = chunk_begin; a != chunk_end; ++a) {
                    const auto row = graph.followees_of(static_cast<AccountIndex>(a));
                    for (auto higher = std::upper_bound(row.begin(), row.end(), a);
                         higher != row.end(); ++higher) {
                        follows_back.emplace_back(*higher, static_cast<AccountIndex>(a));
                    }
                }
                reciprocated.fetch_add(2 * count_follows(graph, follows_back),
                                       std::memory_order_relaxed);
            });
        summary.reciprocity = summary.follows > 0 ? static_cast<double>(reciprocated.load()) /
                                                        static_cast<double>(summary.follows)
                                                  : 0.0;
    } else {
        // Sample k of n is drawn from the k-th of n equal runs of positions in the follows array
        // (ordered by follower): the sample ascends, so a chunk finds its first follower by a
        // search and the rest by walking forward.
        const std::uint64_t samples = std::min(sample_size, summary.follows);
        summary.reciprocity_sample = samples;
        __extension__ using uint128 = unsigned __int128;
        auto run_start = [&](std::uint64_t k) {
            return static_cast<std::uint64_t>(static_cast<uint128>(k) * summary.follows / samples);
        };
        std::atomic<std::uint64_t> reciprocated{0};
        parallel_chunks(0, samples, 4096, [&](std::size_t chunk_begin, std::size_t chunk_end) {
            std::vector<std::pair<AccountIndex, AccountIndex>> follows_back;  // to look up
            AccountIndex follower = graph.follower_at(run_start(chunk_begin));
            for (std::uint64_t k = chunk_begin; k != chunk_end; ++k) {
                // Substream 1: apart from the generator's streams of the same kind.
                RandomStream random({0, static_cast<std::uint32_t>(k >> 32),
                                     StreamKind::graph_reciprocity, static_cast<std::uint32_t>(k),
                                     1});
                const std::uint64_t position =
                    run_start(k) + random.below(run_start(k + 1) - run_start(k));
                while (graph.first_follow_of(follower + 1) <= position) {
                    ++follower;
                }
                follows_back.emplace_back(graph.followee_at(position), follower);
            }
            reciprocated.fetch_add(count_follows(graph, follows_back), std::memory_order_relaxed);
        });
        summary.reciprocity =
            static_cast<double>(reciprocated.load()) / static_cast<double>(samples);
    }
    std::vector<std::uint32_t> following(graph.account_count());
    for (std::size_t a = 0; a < following.size(); ++a) {
        following[a] = graph.following_count(static_cast<AccountIndex>(a));
    }
    summary.following = summarise_degrees(std::move(following));
    summary.followers = summarise_degrees(graph.follower_counts());
    return summary;
}

}  // namespace reachsim
