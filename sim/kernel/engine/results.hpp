// What one simulated replicate records, before any aggregation: per post, per follower, and the
// ages at which posts were first seen. Counts are integers so that merging is exact and
// independent of order.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace reachsim {

// Counts of ages on a log-spaced grid: bin 0 holds ages <= edge(0), bin i holds
// (edge(i-1), edge(i)], the last bin everything above.
class LogHistogram {
  public:
    static constexpr double first_edge_seconds = 1.0;
    static constexpr int bins_per_decade = 20;
    static constexpr int decades = 7;  // 1 s ... 10^7 s (116 days)
    static constexpr int edge_count = bins_per_decade * decades + 1;

    LogHistogram() : counts_(edge_count + 1, 0) {}

    static double edge(int index) {
        return first_edge_seconds * std::pow(10.0, static_cast<double>(index) / bins_per_decade);
    }

    void add(double age_seconds) {
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
        ++counts_[static_cast<std::size_t>(bin)];
    }

    void merge(const LogHistogram& other) {
        for (std::size_t i = 0; i < counts_.size(); ++i) {
            counts_[i] += other.counts_[i];
        }
    }

    [[nodiscard]] const std::vector<std::int64_t>& counts() const { return counts_; }

  private:
    std::vector<std::int64_t> counts_;
};

struct ReplicateResult {
    // Per post of this replicate, in posting order.
    std::vector<double> post_times;
    std::vector<std::int64_t> post_followers_reached;
    std::vector<std::int64_t> post_impressions;
    std::vector<double> post_first_seen_delay;          // seconds; NaN if nobody saw the post
    std::vector<std::int64_t> post_reached_by_segment;  // [post][segment], row-major
    // With retweets: per post, retweets by followers and accounts reached beyond the followers.
    std::vector<std::int64_t> post_retweets;
    std::vector<std::int64_t> post_reach_beyond_followers;

    // Per follower.
    std::vector<std::int64_t> follower_posts_seen;
    std::vector<std::int64_t> follower_impressions;

    // Ages (seconds after posting) of first views, one per (post, follower) seen.
    LogHistogram first_view_age;

    [[nodiscard]] std::size_t post_count() const { return post_times.size(); }
};

}  // namespace reachsim
