// Metrics of a graph run: the tracked authors' posts summarised like a single-author run (per
// segment, per follower, over time), and a row per account ranking every account by the reach
// its posts actually get.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/graph_engine.hpp"
#include "engine/graph_world.hpp"
#include "graph/graph_summary.hpp"
#include "metrics/summary.hpp"

namespace reachsim {

struct AccountsTable {
    std::vector<std::uint32_t> followers;
    std::vector<std::uint32_t> following;
    std::vector<std::uint64_t> posts;            // recorded posts, all replicates
    std::vector<double> mean_followers_reached;  // per post; NaN for an account that never posted
    std::vector<double> seen_fraction;           // reach / (posts x followers)
    std::vector<double> impressions_per_post;
    // Cascades only, per post: retweets received, and reach by any route (followers or not).
    std::vector<double> mean_retweets;
    std::vector<double> mean_reach;
};

// The tracked authors, ascending by account, with their recorded posts over all replicates: an
// author with none contributes nothing to the tracked figures, and the output says so.
struct TrackedAuthors {
    std::vector<AccountIndex> account;
    std::vector<std::uint32_t> followers;
    std::vector<std::uint64_t> posts;
};

struct GraphRunSummary {
    GraphSummary graph;
    TrackedAuthors tracked_authors;
    Summary tracked;  // over tracked authors' posts
    AccountsTable accounts;
    std::uint64_t deliveries = 0;
    std::uint64_t unresolved_pairs = 0;
};

GraphRunSummary summarise_graph_run(const GraphModel& model, const GraphWorld& world,
                                    const GraphResults& results);

}  // namespace reachsim
