// What one simulated replicate records, before any aggregation: the tracked posts, the tracked
// authors' followers, every account (graphs), the cascades, and the ages at which posts were
// first seen.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "graph/follower_graph.hpp"

namespace reachsim {

// Counts of ages on a log-spaced grid, per group (the viewers' segments): bin 0 holds ages
// <= edge(0), bin i holds (edge(i-1), edge(i)], the last bin everything above. Groups are added as
// they are first used.
class LogHistogram {
  public:
    static constexpr double first_edge_seconds = 1.0;
    static constexpr int bins_per_decade = 20;
    static constexpr int decades = 7;  // 1 s ... 10^7 s (116 days)
    static constexpr int edge_count = bins_per_decade * decades + 1;
    static constexpr std::size_t bins = edge_count + 1;

    static double edge(int index) {
        return first_edge_seconds * std::pow(10.0, static_cast<double>(index) / bins_per_decade);
    }

    void add(double age_seconds, std::size_t group) {
        int bin = 0;
        if (age_seconds > first_edge_seconds) {
            const double position =
                std::ceil(std::log10(age_seconds / first_edge_seconds) * bins_per_decade);
            bin = static_cast<int>(std::min(position, static_cast<double>(edge_count)));
            // log10 rounding can put an age sitting on an edge one bin off; the edges decide.
            while (bin > 0 && age_seconds <= edge(bin - 1)) {
                --bin;
            }
            while (bin < edge_count && age_seconds > edge(bin)) {
                ++bin;
            }
        }
        grow(group + 1);
        ++counts_[group * bins + static_cast<std::size_t>(bin)];
    }

    void merge(const LogHistogram& other) {
        grow(other.groups());
        for (std::size_t i = 0; i < other.counts_.size(); ++i) {
            counts_[i] += other.counts_[i];
        }
    }

    [[nodiscard]] std::size_t groups() const { return counts_.size() / bins; }
    bool operator==(const LogHistogram&) const = default;

    // Every bin, group after group, and back: for moving records between processes.
    [[nodiscard]] const std::vector<std::int64_t>& bins_of_all_groups() const { return counts_; }
    static LogHistogram from_bins(std::vector<std::int64_t> counts) {
        LogHistogram histogram;
        histogram.counts_ = std::move(counts);
        return histogram;
    }
    // The counts of `group`'s bins (zeros for a group never used).
    [[nodiscard]] std::vector<std::int64_t> counts(std::size_t group) const {
        if (group >= groups()) {
            return std::vector<std::int64_t>(bins, 0);
        }
        const auto first = counts_.begin() + static_cast<std::ptrdiff_t>(group * bins);
        return {first, first + static_cast<std::ptrdiff_t>(bins)};
    }

  private:
    void grow(std::size_t groups_needed) {
        if (counts_.size() < groups_needed * bins) {
            counts_.resize(groups_needed * bins, 0);
        }
    }

    std::vector<std::int64_t> counts_;
};

// By which way a view came: a session showing the newest items on opening (feed), a session
// already open when the item arrived (live), a notification, or a visit to the author's profile.
enum class Channel : std::uint8_t { feed, live, notification, profile };
inline constexpr std::size_t channel_count = 4;
inline constexpr std::array<const char*, channel_count> channel_names{"feed", "live",
                                                                      "notification", "profile"};
using ChannelCounts = std::array<std::int64_t, channel_count>;

// One tracked post: what happened to it in its replicate.
struct PostRecord {
    AccountIndex author = 0;
    double post_time = 0;                  // seconds from the start
    std::int64_t followers_reached = 0;    // distinct followers who saw it
    std::int64_t impressions = 0;          // showings to anyone, repeats included
    double first_seen_delay = 0;           // seconds to the first view by anyone; NaN if unseen
    std::int64_t reach = 0;                // distinct accounts that saw it, by any route
    std::int64_t retweets = 0;             // retweets of it (any generation)
    std::uint32_t deepest_generation = 0;  // of its retweets (0: never retweeted)
    double time_to_reach_50 = 0;  // cascades: seconds to half of its final reach; NaN if unseen
    double time_to_reach_90 = 0;
    ChannelCounts impressions_by_channel{};  // sums to impressions
    ChannelCounts reach_by_channel{};        // by the channel of each first view; sums to reach
};

// The schedulers count every channel but the feed; the feed's share is what the other channels
// leave of the totals, filled in once the replicate's impressions and reach are final.
inline void complete_feed_channel(PostRecord& post) {
    auto fill = [](ChannelCounts& counts, std::int64_t total) {
        const auto feed = static_cast<std::size_t>(Channel::feed);
        counts[feed] = total;
        for (std::size_t c = 0; c < channel_count; ++c) {
            counts[feed] -= c == feed ? 0 : counts[c];
        }
    };
    fill(post.impressions_by_channel, post.impressions);
    fill(post.reach_by_channel, post.reach);
}

// A retweet of a tracked post: who retweeted, whose item they had first seen it through, when
// (seconds from the start) and its generation (1 = retweeting the author's own post).
struct CascadeRow {
    std::uint32_t post = 0;  // row in the record's posts
    AccountIndex retweeter = 0;
    AccountIndex parent = 0;
    double time = 0;
    std::uint32_t generation = 0;
};

// A first view of a tracked post (cascades): when, and through an item of which generation.
struct FirstView {
    std::uint32_t post = 0;  // row in the record's posts
    double time = 0;
    std::uint32_t generation = 0;
    AccountIndex viewer = 0;
};

// What one replicate of any run records, before any aggregation. Counts are integers so that
// merging is exact and independent of order.
struct ReplicateRecord {
    std::uint32_t replicate = 0;

    // The tracked authors' recorded posts, by (author, time), with reach split by the followers'
    // segments [post][segment].
    std::vector<PostRecord> posts;
    std::vector<std::int64_t> reached_by_segment;
    // Per tracked author and follower (in World::tracked_followers order).
    std::vector<std::vector<std::int64_t>> follower_posts_seen;
    std::vector<std::vector<std::int64_t>> follower_impressions;
    // The calendar day (RunCalendar::day_of) of each post, and per tracked author and follower
    // the days of the posts they saw as bits, `day_words` words per follower: reach in any week
    // or month is read from them.
    std::vector<std::uint32_t> post_day;
    std::size_t day_words = 0;
    std::vector<std::vector<std::uint64_t>> follower_days_reached;
    // Ages (seconds after posting) of first views by followers, one per (post, follower) seen, by
    // the follower's segment.
    LogHistogram first_view_age;

    // Graphs: per account, its recorded posts and over them the followers who saw each, the
    // impressions, and with retweets the accounts reached by any route and the retweets.
    std::vector<std::uint64_t> account_posts;
    std::vector<std::uint64_t> account_followers_reached;
    std::vector<std::uint64_t> account_impressions;
    std::vector<std::uint64_t> account_reach;
    std::vector<std::uint64_t> account_retweets;

    // With retweets: every retweet of a tracked post, by (post, time, retweeter); cascades on
    // graphs also every first view, by (post, time, viewer).
    std::vector<CascadeRow> cascade_rows;
    std::vector<FirstView> first_views;

    // Accounts that unfollowed each tracked author (in World::tracked_authors order), and with
    // attention on graphs, every account's unfollowers.
    std::vector<std::int64_t> unfollows_by_tracked_author;
    std::vector<std::uint64_t> account_unfollows;

    std::uint64_t deliveries = 0;  // (post, follower) arrivals resolved
    // (recorded post, follower) pairs still within reach and unseen when the follow-up ended.
    std::uint64_t unresolved_pairs = 0;
};

}  // namespace reachsim
