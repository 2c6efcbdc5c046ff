// Expectation mode (docs/model.md, "Expected values, without sampling"): for each follower of a
// tracked author (a star's author, whose retweets, if any, reach only accounts outside the run, or
// a graph's tracked authors without retweets), the expected number of the author's recorded posts
// it sees and the expected impressions, computed from its session process
// and feed rate rather than sampled: no replicates, no noise. Rates are piecewise constant on a
// quarter-hour grid (every rhythm is hourly in a whole or quarter-hour time zone), and a post's
// fate is a chain over its depth in the feed, solved backwards from the horizon once per kind of
// follower, so every post time is answered at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/world.hpp"
#include "model/model.hpp"

namespace reachsim {

struct ExpectedFollower {
    AccountIndex account = 0;
    double posts_seen = 0;   // of the author's recorded posts
    double impressions = 0;  // of them, repeats included
};

struct ExpectedAuthor {
    AccountIndex account = 0;
    double posts = 0;                         // its expected recorded posts
    std::vector<ExpectedFollower> followers;  // in World::tracked_followers order

    // Followers who see a post of it, expected.
    [[nodiscard]] double followers_reached_per_post() const;
};

// Per tracked author, in World::tracked_authors order (a star: its author).
struct Expectation {
    std::vector<ExpectedAuthor> authors;
};

// Expected views summed over a group of (tracked author, follower) pairs: a segment's followers,
// or all.
struct ExpectedGroup {
    std::string name;
    std::int64_t size = 0;     // followers
    double seen_fraction = 0;  // of (post, follower) pairs
    double impressions_per_post_follower = 0;
    double mean_followers_reached = 0;  // per post
};
// One per segment, in the model's order, then "all".
std::vector<ExpectedGroup> expected_by_segment(const Model& model, const World& world,
                                               const Expectation& expectation);

// Throws input_error naming the scenario and the first key the mode cannot compute: retweet
// cascades on a graph, and for now scheduled posting on a graph, sessions that last, views outside
// the feed, attention, a jittered schedule, a start or time zone off the quarter hour.
void check_expectation_applies(const Model& model, const std::string& scenario_path);

// For a model check_expectation_applies accepts; throws input_error for what an attribute file
// gives per account that the mode cannot compute.
Expectation expect_views(const Model& model, const World& world);

}  // namespace reachsim
