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
    // Cascades only:
    std::int64_t reach = 0;  // distinct accounts that saw it, by any route (author excluded)
    std::int64_t retweets = 0;
    std::uint32_t deepest_generation = 0;  // of its retweets (0: never retweeted)
    double time_to_reach_50 = 0;           // seconds to half of its final reach; NaN if unseen
    double time_to_reach_90 = 0;
};

// A retweet of a tracked post: who retweeted, whose item they had first seen it through, when
// (seconds from the start) and its generation (1 = retweeting the author's own post).
struct CascadeRow {
    std::uint32_t post = 0;  // row in the tracked posts
    AccountIndex retweeter = 0;
    AccountIndex parent = 0;
    double time = 0;
    std::uint32_t generation = 0;
};

// A first view of a tracked post: when, and through an item of which generation.
struct FirstView {
    std::uint32_t post = 0;  // row in the tracked posts
    double time = 0;
    std::uint32_t generation = 0;
    AccountIndex viewer = 0;
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

    // Cascades only: per account, first views of its posts by anyone (followers or not) and
    // retweets of its posts; per tracked post, every retweet and every first view.
    bool cascades = false;
    std::vector<std::uint64_t> account_total_reach;
    std::vector<std::uint64_t> account_retweets;
    std::vector<CascadeRow> cascade_rows;  // ordered by (post, time, retweeter)
    std::vector<FirstView> first_views;    // ordered by (post, time, viewer)

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

// Without retweets: each follower pulls its followees' posts and resolves its feed in one pass.
GraphResults simulate_graph(const GraphModel& model, const GraphWorld& world,
                            const GraphEngineSettings& settings);

// With retweets (model.retweets): time advances in windows of min_delay, so that every retweet
// made in a window lands in a later one; inside a window accounts are resolved in parallel.
// Requires the world's followers index. In cascade_engine.cpp.
GraphResults simulate_cascades(const GraphModel& model, const GraphWorld& world,
                               const GraphEngineSettings& settings);

// Sizes `results` for a run: per-account and per-tracked-follower arrays, empty lists.
void prepare_results(GraphResults& results, const GraphWorld& world, std::int64_t replicates);

// Appends the tracked authors' recorded posts of one replicate to results.tracked_posts and adds
// every account's recorded posts to results.account_posts; returns each tracked author's first
// row (relative to the rows before the call).
std::vector<std::uint64_t> add_tracked_posts(GraphResults& results, const GraphWorld& world,
                                             const std::vector<std::uint64_t>& post_offsets,
                                             const std::vector<double>& post_times,
                                             double recorded_until, std::uint32_t replicate,
                                             std::size_t segments);

}  // namespace reachsim
