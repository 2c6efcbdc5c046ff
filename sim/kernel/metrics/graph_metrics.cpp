#include "metrics/graph_metrics.hpp"

#include <cmath>
#include <limits>

namespace reachsim {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

AccountsTable accounts_table(const GraphWorld& world, const GraphResults& results) {
    AccountsTable table;
    const std::size_t count = world.graph.account_count();
    table.followers = world.graph.follower_counts();
    table.following.resize(count);
    table.posts = results.account_posts;
    table.mean_followers_reached.resize(count);
    table.seen_fraction.resize(count);
    table.impressions_per_post.resize(count);
    for (std::size_t a = 0; a < count; ++a) {
        const auto account = static_cast<AccountIndex>(a);
        table.following[a] = world.graph.following_count(account);
        const auto posts = static_cast<double>(results.account_posts[a]);
        const auto reach = static_cast<double>(results.account_reach[a]);
        table.mean_followers_reached[a] = posts > 0 ? reach / posts : nan;
        table.impressions_per_post[a] =
            posts > 0 ? static_cast<double>(results.account_impressions[a]) / posts : nan;
        const double pairs = posts * table.followers[a];
        table.seen_fraction[a] = pairs > 0 ? reach / pairs : nan;
    }
    if (results.cascades) {
        table.mean_retweets.resize(count);
        table.mean_reach.resize(count);
        for (std::size_t a = 0; a < count; ++a) {
            const auto posts = static_cast<double>(results.account_posts[a]);
            table.mean_retweets[a] =
                posts > 0 ? static_cast<double>(results.account_retweets[a]) / posts : nan;
            table.mean_reach[a] =
                posts > 0 ? static_cast<double>(results.account_total_reach[a]) / posts : nan;
        }
    }
    return table;
}

Summary tracked_summary(const GraphModel& model, const GraphWorld& world,
                        const GraphResults& results) {
    Summary summary;
    const std::size_t segment_count = model.segments.size();
    const std::size_t tracked_count = world.tracked_authors.size();
    const auto replicates = static_cast<std::size_t>(results.replicates);
    // Followers of each tracked author by segment.
    std::vector<std::vector<double>> audience(tracked_count, std::vector<double>(segment_count, 0));
    for (std::size_t k = 0; k < tracked_count; ++k) {
        for (AccountIndex follower : world.tracked_followers[k]) {
            audience[k][world.accounts.segment[follower]] += 1;
        }
    }
    std::vector<std::size_t> tracked_position(world.graph.account_count(), 0);
    for (std::size_t k = 0; k < tracked_count; ++k) {
        tracked_position[world.tracked_authors[k]] = k;
    }
    std::vector<std::vector<double>> seen(segment_count, std::vector<double>(replicates, 0));
    std::vector<std::vector<double>> pairs(segment_count, std::vector<double>(replicates, 0));
    std::vector<double> all_seen(replicates, 0);
    std::vector<double> all_pairs(replicates, 0);
    std::vector<double> segment_impressions(segment_count, 0);
    double reached_sum = 0;
    double impressions_sum = 0;
    for (std::size_t row = 0; row < results.tracked_posts.size(); ++row) {
        const TrackedPost& post = results.tracked_posts[row];
        const std::size_t k = tracked_position[post.author];
        reached_sum += static_cast<double>(post.followers_reached);
        impressions_sum += static_cast<double>(post.impressions);
        for (std::size_t s = 0; s < segment_count; ++s) {
            const auto reached =
                static_cast<double>(results.tracked_reached_by_segment[row * segment_count + s]);
            seen[s][post.replicate] += reached;
            pairs[s][post.replicate] += audience[k][s];
            all_seen[post.replicate] += reached;
            all_pairs[post.replicate] += audience[k][s];
        }
    }
    summary.posts = static_cast<std::int64_t>(results.tracked_posts.size());
    const auto posts = static_cast<double>(summary.posts);
    summary.seen_fraction = ratio_over_replicates(all_seen, all_pairs);
    summary.mean_followers_reached = posts > 0 ? reached_sum / posts : nan;
    summary.mean_impressions = posts > 0 ? impressions_sum / posts : nan;

    for (std::size_t k = 0; k < tracked_count; ++k) {
        const AccountIndex author = world.tracked_authors[k];
        const auto& followers = world.tracked_followers[k];
        for (std::size_t i = 0; i < followers.size(); ++i) {
            const AccountIndex follower = followers[i];
            summary.follower_author.push_back(author);
            summary.follower_account.push_back(follower);
            summary.follower_segment.push_back(world.accounts.segment[follower]);
            summary.follower_utc_offset_hours.push_back(world.accounts.utc_offset_hours(follower));
            summary.follower_posts_delivered.push_back(
                static_cast<std::int64_t>(results.account_posts[author]));
            summary.follower_posts_seen.push_back(results.tracked_follower_posts_seen[k][i]);
            summary.follower_impressions.push_back(results.tracked_follower_impressions[k][i]);
            segment_impressions[world.accounts.segment[follower]] +=
                static_cast<double>(results.tracked_follower_impressions[k][i]);
        }
    }
    std::vector<std::int64_t> sizes(segment_count, 0);
    for (auto segment : world.accounts.segment) {
        ++sizes[segment];
    }
    for (std::size_t s = 0; s < segment_count; ++s) {
        SegmentSummary segment;
        segment.name = model.segments[s].name;
        segment.size = sizes[s];
        double pair_sum = 0;
        double seen_sum = 0;
        for (std::size_t r = 0; r < replicates; ++r) {
            pair_sum += pairs[s][r];
            seen_sum += seen[s][r];
        }
        segment.post_follower_pairs = static_cast<std::int64_t>(pair_sum);
        segment.seen_fraction = ratio_over_replicates(seen[s], pairs[s]);
        segment.impressions_per_post_follower =
            pair_sum > 0 ? segment_impressions[s] / pair_sum : nan;
        segment.mean_followers_reached = posts > 0 ? seen_sum / posts : nan;
        summary.segments.push_back(std::move(segment));
    }
    fill_seen_by_age(results.tracked_first_view_age, summary);
    return summary;
}

}  // namespace

GraphRunSummary summarise_graph_run(const GraphModel& model, const GraphWorld& world,
                                    const GraphResults& results) {
    GraphRunSummary summary;
    summary.graph = summarise_graph(world.graph);
    summary.tracked = tracked_summary(model, world, results);
    for (const AccountIndex author : world.tracked_authors) {
        summary.tracked_authors.account.push_back(author);
        summary.tracked_authors.followers.push_back(world.graph.follower_count(author));
        summary.tracked_authors.posts.push_back(results.account_posts[author]);
    }
    if (model.track.all_accounts) {
        summary.accounts = accounts_table(world, results);
    }
    summary.deliveries = results.deliveries;
    summary.unresolved_pairs = results.unresolved_pairs;
    return summary;
}

}  // namespace reachsim
