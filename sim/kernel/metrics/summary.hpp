// Metrics: turns the records of every replicate into the numbers users ask for — seen fractions
// with standard errors, impressions, reach per post, per segment, per follower, per account and
// over time, pooled and per replicate. Everything that is printed or written is computed here.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "engine/record.hpp"
#include "engine/world.hpp"
#include "graph/graph_summary.hpp"
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
    std::int64_t size = 0;                 // accounts in the segment
    std::int64_t post_follower_pairs = 0;  // tracked (post, follower) pairs, all replicates
    RatioEstimate seen_fraction;           // of those pairs
    double impressions_per_post_follower = 0;
    double mean_followers_reached = 0;  // per tracked post, followers of this segment
};

// The tracked posts of one replicate, summed up.
struct ReplicateSummary {
    std::int64_t posts = 0;
    double seen_fraction = 0;  // of (post, follower) pairs; NaN without pairs
    double mean_followers_reached = 0;
    double mean_impressions = 0;
    double mean_retweets = 0;  // with retweets
    double mean_reach = 0;     // by any route
    std::vector<double> seen_fraction_by_segment;
    // Per post, by channel (as Summary's).
    std::vector<double> mean_impressions_by_channel;
    std::vector<double> mean_reach_by_channel;

    // Campaign reach: the share of (tracked author, follower) pairs in which the follower saw at
    // least one of the author's posts made in the run, in each week, in each month
    // (RunCalendar), overall and [period][segment].
    double run_reach = 0;
    std::vector<double> run_reach_by_segment;
    std::vector<double> weekly_reach;
    std::vector<double> weekly_reach_by_segment;
    std::vector<double> monthly_reach;
    std::vector<double> monthly_reach_by_segment;
    // Per week, per (tracked author, follower): distinct posts of that week seen, and impressions.
    std::vector<double> weekly_posts_seen_per_follower;
    std::vector<double> weekly_impressions_per_follower;
    // The mean of weekly_reach over the weeks wholly within the duration (NaN if none is).
    double mean_weekly_reach = 0;
    // The same reach per tracked author, over its followers: [author], [week][author].
    std::vector<double> run_reach_by_author;
    std::vector<double> weekly_reach_by_author;
    std::uint64_t deliveries = 0;
    std::uint64_t unresolved_pairs = 0;
    std::int64_t unfollows = 0;  // followers who unfollowed a tracked author
};

// A row per (tracked author, follower), summed over replicates.
struct FollowerRows {
    std::vector<AccountIndex> author;
    std::vector<AccountIndex> account;
    std::vector<std::uint32_t> segment;
    std::vector<double> utc_offset_hours;
    std::vector<std::int64_t> posts_delivered;
    std::vector<std::int64_t> posts_seen;
    std::vector<std::int64_t> impressions;
    // In how many replicates the follower saw at least one of the author's posts: over the run,
    // and per week and month [row][period].
    std::vector<std::int64_t> replicates_reached;
    std::vector<std::int64_t> weeks_reached;
    std::vector<std::int64_t> months_reached;
};

// The tracked authors, ascending by account, with their recorded posts over all replicates: an
// author with none contributes nothing to the tracked figures, and the output says so.
struct TrackedAuthors {
    std::vector<AccountIndex> account;
    std::vector<std::uint32_t> followers;
    std::vector<std::uint64_t> posts;
    std::vector<std::int64_t> unfollows;  // followers who unfollowed it, all replicates
};

// Graphs with track.all_accounts: a row per account ranking every account by the reach its posts
// actually get (over all replicates).
struct AccountsTable {
    std::vector<std::uint32_t> followers;
    std::vector<std::uint32_t> following;
    std::vector<std::uint64_t> posts;            // recorded posts, all replicates
    std::vector<double> mean_followers_reached;  // per post; NaN for an account that never posted
    std::vector<double> seen_fraction;           // followers reached / (posts x followers)
    std::vector<double> impressions_per_post;
    // With retweets, per post: retweets received, and reach by any route (followers or not).
    std::vector<double> mean_retweets;
    std::vector<double> mean_reach;
    // With attention: per replicate, the accounts that unfollowed it.
    std::vector<double> mean_unfollows;
};

struct Summary {
    // Over the tracked authors' posts, all replicates.
    std::int64_t posts = 0;
    RatioEstimate seen_fraction;
    double mean_followers_reached = 0;  // per post
    double mean_impressions = 0;        // per post
    bool has_retweets = false;
    double mean_retweets = 0;              // per post
    double mean_reach = 0;                 // per post, by any route
    std::uint32_t deepest_generation = 0;  // of any retweet
    // Per post, by the channel of each view (Channel order): impressions, and reach by the channel
    // of each first view; they sum to mean_impressions and to the reach (mean_reach with retweets,
    // mean_followers_reached without).
    std::array<double, channel_count> mean_impressions_by_channel{};
    std::array<double, channel_count> mean_reach_by_channel{};
    std::vector<SegmentSummary> segments;
    std::vector<ReplicateSummary> replicates;
    RunCalendar calendar;
    RatioEstimate run_reach;          // pooled over replicates
    RatioEstimate mean_weekly_reach;  // mean over replicates, with its standard error
    FollowerRows followers;
    TrackedAuthors tracked_authors;
    // Cumulative share of first views that happened within each age.
    std::vector<double> age_seconds;
    std::vector<double> seen_by_age_fraction;
    std::vector<double> seen_by_age_fraction_by_segment;  // [age][segment]

    std::optional<GraphSummary> graph;  // graphs
    std::optional<AccountsTable> accounts;
    std::uint64_t deliveries = 0;
    std::uint64_t unresolved_pairs = 0;
};

Summary summarise(const Model& model, const World& world,
                  const std::vector<ReplicateRecord>& records);

// The accounts table of a graph run (accounts_table.cpp).
AccountsTable accounts_table(const World& world, const std::vector<ReplicateRecord>& records);

}  // namespace reachsim
