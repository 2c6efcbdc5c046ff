// Test helpers for graph runs: run a scenario through the engine it calls for, and check that two
// runs produced the same results field by field.
#pragma once

#include <catch2/catch.hpp>

#include <cstring>

#include "engine/graph_engine.hpp"
#include "runs/world_builder.hpp"
#include "scenario/scenario.hpp"

namespace reachsim::testing {

// Builds the scenario's world and simulates it: the cascade engine with [retweets], else the
// graph engine.
inline GraphResults simulate_graph_scenario(const Scenario& scenario, std::int64_t threads = 0) {
    const GraphWorld world =
        build_graph_world(*scenario.graph, scenario.run.seed, 0, scenario.path);
    const GraphEngineSettings settings{scenario.run.seed, scenario.run.replicates, threads};
    return scenario.graph->retweets ? simulate_cascades(*scenario.graph, world, settings)
                                    : simulate_graph(*scenario.graph, world, settings);
}

// Every result the graph engine produces is identical in `a` and `b` (doubles bit for bit).
inline void check_same_graph_results(const GraphResults& a, const GraphResults& b) {
    CHECK(a.account_posts == b.account_posts);
    CHECK(a.account_reach == b.account_reach);
    CHECK(a.account_impressions == b.account_impressions);
    CHECK(a.tracked_reached_by_segment == b.tracked_reached_by_segment);
    CHECK(a.tracked_follower_posts_seen == b.tracked_follower_posts_seen);
    CHECK(a.tracked_follower_impressions == b.tracked_follower_impressions);
    CHECK(a.tracked_first_view_age.counts() == b.tracked_first_view_age.counts());
    CHECK(a.deliveries == b.deliveries);
    CHECK(a.unresolved_pairs == b.unresolved_pairs);
    REQUIRE(a.tracked_posts.size() == b.tracked_posts.size());
    REQUIRE_FALSE(a.tracked_posts.empty());
    for (std::size_t i = 0; i < a.tracked_posts.size(); ++i) {
        CHECK(a.tracked_posts[i].post_time == b.tracked_posts[i].post_time);
        CHECK(a.tracked_posts[i].followers_reached == b.tracked_posts[i].followers_reached);
        CHECK(a.tracked_posts[i].impressions == b.tracked_posts[i].impressions);
        CHECK(std::memcmp(&a.tracked_posts[i].first_seen_delay,
                          &b.tracked_posts[i].first_seen_delay, sizeof(double)) == 0);
    }
}

}  // namespace reachsim::testing
