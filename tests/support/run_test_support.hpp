// Test helpers: run a scenario through the run layer (as the CLI does), and check that two runs
// produced the same records field by field.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "runs/run_scenario.hpp"
#include "scenario/scenario.hpp"

namespace reachsim::testing {

// Statistical checks accept |estimate - truth| < 5 standard errors of a ratio over independent
// replicates: a correct engine fails one with probability < 1e-6 (tests/engine/star_runs_test.cpp).
inline constexpr double tolerance_in_standard_errors = 5.0;

// `estimate` is within `standard_errors` of `truth`, and precise enough (a standard error under 2%
// of max(truth, 0.05)) that the check could detect an error of a few percent.
inline void check_close(const RatioEstimate& estimate, double truth,
                        double standard_errors = tolerance_in_standard_errors) {
    INFO("estimate " << estimate.value << " ± " << estimate.standard_error << ", truth " << truth);
    REQUIRE(estimate.standard_error > 0);
    REQUIRE(estimate.standard_error < 0.02 * std::max(truth, 0.05));
    CHECK(std::abs(estimate.value - truth) < standard_errors * estimate.standard_error);
}

inline RunResult simulate(const Scenario& scenario, std::int64_t threads = 0) {
    return simulate_scenario(scenario, {threads, 0});
}

inline bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// Every record of `a` and `b` is identical (doubles bit for bit).
inline void check_same_records(const RunResult& a, const RunResult& b) {
    REQUIRE(a.records.size() == b.records.size());
    bool any_posts = false;
    for (std::size_t r = 0; r < a.records.size(); ++r) {
        const ReplicateRecord& x = a.records[r];
        const ReplicateRecord& y = b.records[r];
        CHECK(x.reached_by_segment == y.reached_by_segment);
        CHECK(x.follower_posts_seen == y.follower_posts_seen);
        CHECK(x.follower_impressions == y.follower_impressions);
        CHECK(x.first_view_age == y.first_view_age);
        CHECK(x.account_posts == y.account_posts);
        CHECK(x.account_followers_reached == y.account_followers_reached);
        CHECK(x.account_impressions == y.account_impressions);
        CHECK(x.account_reach == y.account_reach);
        CHECK(x.account_retweets == y.account_retweets);
        CHECK(x.deliveries == y.deliveries);
        CHECK(x.unresolved_pairs == y.unresolved_pairs);
        CHECK(x.unfollows_by_tracked_author == y.unfollows_by_tracked_author);
        CHECK(x.account_unfollows == y.account_unfollows);
        REQUIRE(x.posts.size() == y.posts.size());
        any_posts = any_posts || !x.posts.empty();
        for (std::size_t i = 0; i < x.posts.size(); ++i) {
            CHECK(x.posts[i].author == y.posts[i].author);
            CHECK(same_bits(x.posts[i].post_time, y.posts[i].post_time));
            CHECK(x.posts[i].followers_reached == y.posts[i].followers_reached);
            CHECK(x.posts[i].impressions == y.posts[i].impressions);
            CHECK(same_bits(x.posts[i].first_seen_delay, y.posts[i].first_seen_delay));
            CHECK(x.posts[i].reach == y.posts[i].reach);
            CHECK(x.posts[i].retweets == y.posts[i].retweets);
            CHECK(x.posts[i].impressions_by_channel == y.posts[i].impressions_by_channel);
            CHECK(x.posts[i].reach_by_channel == y.posts[i].reach_by_channel);
        }
        REQUIRE(x.cascade_rows.size() == y.cascade_rows.size());
        for (std::size_t i = 0; i < x.cascade_rows.size(); ++i) {
            CHECK(x.cascade_rows[i].retweeter == y.cascade_rows[i].retweeter);
            CHECK(x.cascade_rows[i].parent == y.cascade_rows[i].parent);
            CHECK(same_bits(x.cascade_rows[i].time, y.cascade_rows[i].time));
        }
        CHECK(x.first_views.size() == y.first_views.size());
    }
    CHECK(any_posts);
}

// Every tracked post's views by channel add up: impressions, and reach by the channel of each
// first view (`reach` is followers_reached without retweets).
inline void check_channels_add_up(const RunResult& result) {
    for (const auto& record : result.records) {
        for (const auto& post : record.posts) {
            std::int64_t impressions = 0;
            std::int64_t reach = 0;
            for (std::size_t c = 0; c < channel_count; ++c) {
                // The feed's share is derived from the totals: no channel may be overcounted.
                CHECK(post.impressions_by_channel[c] >= 0);
                CHECK(post.reach_by_channel[c] >= 0);
                impressions += post.impressions_by_channel[c];
                reach += post.reach_by_channel[c];
            }
            CHECK(impressions == post.impressions);
            CHECK(reach == post.reach);
        }
    }
}

// The sum over every replicate's tracked posts of their views by `channel`.
inline std::int64_t channel_total(const RunResult& result, Channel channel,
                                  ChannelCounts PostRecord::*member) {
    std::int64_t total = 0;
    for (const auto& record : result.records) {
        for (const auto& post : record.posts) {
            total += (post.*member)[static_cast<std::size_t>(channel)];
        }
    }
    return total;
}

// An edge list in which account 0 is followed by accounts 1..followers: a star as a file graph
// (direction = "followee_follower"), with the star's account indices.
inline std::string star_edge_list(int followers) {
    std::string text;
    for (int f = 1; f <= followers; ++f) {
        text += "0 " + std::to_string(f) + "\n";
    }
    return text;
}

// The same author's views, post for post and follower for follower, in two runs of one author
// (a star, and the same star as a graph); returns the impressions seen.
inline std::int64_t check_same_views(const RunResult& a, const RunResult& b) {
    REQUIRE(a.records.size() == b.records.size());
    std::int64_t impressions = 0;
    for (std::size_t r = 0; r < a.records.size(); ++r) {
        const auto& x = a.records[r];
        const auto& y = b.records[r];
        REQUIRE(x.posts.size() == y.posts.size());
        for (std::size_t i = 0; i < x.posts.size(); ++i) {
            CHECK(x.posts[i].impressions_by_channel == y.posts[i].impressions_by_channel);
            CHECK(x.posts[i].reach_by_channel == y.posts[i].reach_by_channel);
            impressions += x.posts[i].impressions;
        }
        CHECK(x.follower_posts_seen[0] == y.follower_posts_seen[0]);
        CHECK(x.follower_impressions[0] == y.follower_impressions[0]);
        CHECK(x.unfollows_by_tracked_author == y.unfollows_by_tracked_author);
        CHECK(x.unresolved_pairs == y.unresolved_pairs);
    }
    return impressions;
}

// A ratio over replicates of two per-replicate sums over the tracked posts.
template <typename Successes, typename Trials>
RatioEstimate ratio_of_post_sums(const RunResult& result, Successes successes, Trials trials) {
    std::vector<double> numerator;
    std::vector<double> denominator;
    for (const auto& record : result.records) {
        double s = 0;
        double t = 0;
        for (const auto& post : record.posts) {
            s += successes(post);
            t += trials(post);
        }
        numerator.push_back(s);
        denominator.push_back(t);
    }
    return ratio_over_replicates(numerator, denominator);
}

}  // namespace reachsim::testing
