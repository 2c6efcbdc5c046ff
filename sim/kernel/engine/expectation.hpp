// Expectation mode (docs/model.md, "Expected values, without sampling"): for each follower of a
// star (whose retweets, if any, reach only accounts outside the run), the expected number of the
// author's recorded posts it sees and the expected impressions, computed from its session process
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
    double posts_seen = 0;   // of the author's recorded posts
    double impressions = 0;  // of them, repeats included
};

struct ExpectedStar {
    double posts = 0;                         // the author's expected recorded posts
    std::vector<ExpectedFollower> followers;  // accounts 1..N, in world order
};

// Expected views summed over a group of followers (a segment, or all of them).
struct ExpectedGroup {
    std::string name;
    std::int64_t size = 0;     // followers
    double seen_fraction = 0;  // of (post, follower) pairs
    double impressions_per_post_follower = 0;
    double mean_followers_reached = 0;  // per post
};
// One per segment, in the model's order, then "all".
std::vector<ExpectedGroup> expected_by_segment(const Model& model, const World& world,
                                               const ExpectedStar& expected);

// Throws input_error naming the scenario and the first key the mode cannot compute: retweet
// cascades on a graph, and for now any graph audience, sessions that last, views outside the feed,
// attention, a jittered schedule, a start or time zone off the quarter hour.
void check_expectation_applies(const Model& model, const std::string& scenario_path);

// For a model check_expectation_applies accepts.
ExpectedStar expect_star(const Model& model, const World& world);

// By depth n = 0..deepest-1 (items arrived since a post), the chance that a session shows it:
// 1 within an account's own depth, or P(a session's drawn depth > n) when drawn per session.
std::vector<double> shown_by_depth(const Distribution& feed_depth, std::uint64_t deepest);

// The grid on which every rate is constant: a quarter of an hour.
inline constexpr double expectation_step_seconds = 900;

// One kind of follower's feed on the grid, piece p = [p step, (p + 1) step): arrivals per second
// and sessions per second in each piece, how deep its sessions scroll, and the moments (ascending)
// when the author's other posts arrive if they are scheduled rather than Poisson.
struct FeedOnGrid {
    std::vector<double> arrivals_per_second;
    std::vector<double> sessions_per_second;
    std::vector<double> shown;  // by depth n (items arrived since): P(a session shows it)
    double horizon_seconds = 0;
    std::vector<double> scheduled_arrivals;
};

// For a post arriving at any of `post_times` (ascending, each scheduled arrival among them counted
// as that post), or spread with density `post_rate_per_second` over [0, recorded_until): the
// expected count of them seen, and their expected impressions.
struct ExpectedViews {
    double seen = 0;
    double impressions = 0;
};
ExpectedViews expected_views(const FeedOnGrid& feed, const std::vector<double>& post_times,
                             const std::vector<double>& post_rate_per_second,
                             double recorded_until);

}  // namespace reachsim
