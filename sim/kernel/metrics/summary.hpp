// Metrics: turns the raw counts of every replicate into the numbers users ask for — seen
// fractions with standard errors, impressions, reach per post, per segment and over time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/results.hpp"
#include "model/model.hpp"

namespace reachsim {

// A share estimated as (sum of successes) / (sum of trials) over independent replicates, with
// the ratio estimator's standard error across replicates (NaN with fewer than 2 replicates).
struct RatioEstimate {
    double value = 0;
    double standard_error = 0;
};
RatioEstimate ratio_over_replicates(const std::vector<double>& successes,
                                    const std::vector<double>& trials);

struct SegmentSummary {
    std::string name;
    std::int64_t size = 0;                 // followers
    std::int64_t post_follower_pairs = 0;  // over all replicates
    RatioEstimate seen_fraction;           // of (post, follower) pairs
    double impressions_per_post_follower = 0;
    double mean_followers_reached = 0;  // per post, followers of this segment
};

struct Summary {
    std::int64_t posts = 0;  // over all replicates
    RatioEstimate seen_fraction;
    double mean_followers_reached = 0;  // per post
    double mean_impressions = 0;        // per post
    bool has_retweets = false;          // single-author runs with [retweets]:
    double mean_retweets = 0;           // per post
    double mean_reach = 0;  // per post: followers reached plus retweeters' followers reached
    std::vector<SegmentSummary> segments;

    // Per follower (graph runs: per tracked author and follower), summed over replicates.
    std::vector<std::uint32_t> follower_author;   // graph runs: the tracked author's account index
    std::vector<std::uint32_t> follower_account;  // graph runs: the follower's account index
    std::vector<double> follower_utc_offset_hours;
    std::vector<std::uint32_t> follower_segment;
    std::vector<std::int64_t> follower_posts_delivered;
    std::vector<std::int64_t> follower_posts_seen;
    std::vector<std::int64_t> follower_impressions;

    // Cumulative share of first views that happened within each age.
    std::vector<double> age_seconds;
    std::vector<double> seen_by_age_fraction;
};

Summary summarise(const Model& model, const std::vector<ReplicateResult>& replicates);

// The cumulative share of first views within each age of the histogram's grid.
void fill_seen_by_age(const LogHistogram& first_view_age, Summary& summary);

}  // namespace reachsim
