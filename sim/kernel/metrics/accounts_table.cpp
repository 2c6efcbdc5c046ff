#include <cmath>
#include <limits>

#include "metrics/summary.hpp"

namespace reachsim {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Sums one per-account array over the records.
std::vector<std::uint64_t> summed(const std::vector<ReplicateRecord>& records,
                                  std::vector<std::uint64_t> ReplicateRecord::*member,
                                  std::size_t accounts) {
    std::vector<std::uint64_t> total(accounts, 0);
    for (const auto& record : records) {
        const auto& values = record.*member;
        for (std::size_t a = 0; a < values.size(); ++a) {
            total[a] += values[a];
        }
    }
    return total;
}

double per_post(std::uint64_t count, std::uint64_t posts) {
    return posts > 0 ? static_cast<double>(count) / static_cast<double>(posts) : nan;
}

}  // namespace

AccountsTable accounts_table(const World& world, const std::vector<ReplicateRecord>& records) {
    AccountsTable table;
    const std::size_t count = world.graph.account_count();
    table.followers = world.graph.follower_counts();
    table.following.resize(count);
    table.posts = summed(records, &ReplicateRecord::account_posts, count);
    const auto reached = summed(records, &ReplicateRecord::account_followers_reached, count);
    const auto impressions = summed(records, &ReplicateRecord::account_impressions, count);
    table.mean_followers_reached.resize(count);
    table.seen_fraction.resize(count);
    table.impressions_per_post.resize(count);
    for (std::size_t a = 0; a < count; ++a) {
        table.following[a] = world.graph.following_count(static_cast<AccountIndex>(a));
        table.mean_followers_reached[a] = per_post(reached[a], table.posts[a]);
        table.impressions_per_post[a] = per_post(impressions[a], table.posts[a]);
        const double pairs = static_cast<double>(table.posts[a]) * table.followers[a];
        table.seen_fraction[a] = pairs > 0 ? static_cast<double>(reached[a]) / pairs : nan;
    }
    if (!records.empty() && !records.front().account_reach.empty()) {
        const auto reach = summed(records, &ReplicateRecord::account_reach, count);
        const auto retweets = summed(records, &ReplicateRecord::account_retweets, count);
        table.mean_retweets.resize(count);
        table.mean_reach.resize(count);
        for (std::size_t a = 0; a < count; ++a) {
            table.mean_retweets[a] = per_post(retweets[a], table.posts[a]);
            table.mean_reach[a] = per_post(reach[a], table.posts[a]);
        }
    }
    if (!records.empty() && !records.front().account_unfollows.empty()) {
        const auto unfollows = summed(records, &ReplicateRecord::account_unfollows, count);
        const auto replicates = static_cast<double>(records.size());
        table.mean_unfollows.resize(count);
        for (std::size_t a = 0; a < count; ++a) {
            table.mean_unfollows[a] = static_cast<double>(unfollows[a]) / replicates;
        }
    }
    return table;
}

}  // namespace reachsim
