// The graph engine: every account posts, every account's feed holds its followees' posts (plus
// background from outside the graph), every account opens sessions. Followers are processed in
// parallel, each pulling its followees' posts and resolving its own chronological feed exactly;
// posts' times are drawn once per replicate from streams keyed by their author.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/graph_world.hpp"
#include "engine/results.hpp"
#include "model/graph_model.hpp"

namespace reachsim {

// One tracked post's record.
struct TrackedPost {
    std::uint32_t replicate = 0;
    AccountIndex author = 0;
    double post_time = 0;
    std::int64_t followers_reached = 0;
    std::int64_t impressions = 0;
    double first_seen_delay = 0;  // NaN if unseen
};

struct GraphResults {
    std::int64_t replicates = 0;
    // Per account, summed over replicates: recorded posts, (post, follower) pairs seen,
    // impressions.
    std::vector<std::uint64_t> account_posts;
    std::vector<std::uint64_t> account_reach;
    std::vector<std::uint64_t> account_impressions;

    // Tracked posts in (replicate, author, time) order, with reach split by segment
    // [post][segment].
    std::vector<TrackedPost> tracked_posts;
    std::vector<std::int64_t> tracked_reached_by_segment;
    // Per (tracked author, follower), in world.tracked_followers order, summed over replicates.
    std::vector<std::vector<std::int64_t>> tracked_follower_posts_seen;
    std::vector<std::vector<std::int64_t>> tracked_follower_impressions;
    LogHistogram tracked_first_view_age;

    std::uint64_t deliveries = 0;  // (post, follower) arrivals resolved, all replicates
    // (recorded post, follower) pairs still within reach and unseen when the follow-up ended:
    // counted neither as seen nor as missed by reach, so a longer follow-up would settle them.
    std::uint64_t unresolved_pairs = 0;
};

struct GraphEngineSettings {
    std::uint64_t seed = 1;
    std::int64_t replicates = 1;
    std::int64_t threads = 0;  // 0: all cores
};

GraphResults simulate_graph(const GraphModel& model, const GraphWorld& world,
                            const GraphEngineSettings& settings);

}  // namespace reachsim
