#include "metrics/summary.hpp"

#include <cmath>
#include <limits>

#include "core/errors.hpp"
#include "engine/single_author.hpp"

namespace reachsim {

RatioEstimate ratio_over_replicates(const std::vector<double>& successes,
                                    const std::vector<double>& trials) {
    double success_sum = 0;
    double trial_sum = 0;
    for (std::size_t r = 0; r < successes.size(); ++r) {
        success_sum += successes[r];
        trial_sum += trials[r];
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (trial_sum <= 0) {
        return {nan, nan};
    }
    const double ratio = success_sum / trial_sum;
    const auto count = static_cast<double>(successes.size());
    if (successes.size() < 2) {
        return {ratio, nan};
    }
    // Linearised (delta-method) variance of a ratio of sums over independent replicates.
    double squares = 0;
    for (std::size_t r = 0; r < successes.size(); ++r) {
        const double residual = successes[r] - ratio * trials[r];
        squares += residual * residual;
    }
    return {ratio, std::sqrt(count / (count - 1) * squares) / trial_sum};
}

void fill_seen_by_age(const LogHistogram& first_view_age, Summary& summary) {
    const auto& counts = first_view_age.counts();
    double total_views = 0;
    for (auto count : counts) {
        total_views += static_cast<double>(count);
    }
    double cumulative = 0;
    summary.age_seconds.clear();
    summary.seen_by_age_fraction.clear();
    for (int edge = 0; edge < LogHistogram::edge_count; ++edge) {
        cumulative += static_cast<double>(counts[static_cast<std::size_t>(edge)]);
        summary.age_seconds.push_back(LogHistogram::edge(edge));
        summary.seen_by_age_fraction.push_back(
            total_views > 0 ? cumulative / total_views : std::numeric_limits<double>::quiet_NaN());
    }
}

Summary summarise(const Model& model, const std::vector<ReplicateResult>& replicates) {
    Summary summary;
    const std::size_t segment_count = model.segments.size();
    const auto follower_count = static_cast<std::size_t>(model.follower_count());
    const std::size_t replicate_count = replicates.size();
    summary.follower_segment = follower_segments(model);
    summary.follower_posts_delivered.assign(follower_count, 0);
    summary.follower_posts_seen.assign(follower_count, 0);
    summary.follower_impressions.assign(follower_count, 0);

    // Per replicate and segment: (post, follower) pairs seen, pairs, impressions.
    std::vector<std::vector<double>> seen(segment_count, std::vector<double>(replicate_count, 0));
    std::vector<std::vector<double>> pairs(segment_count, std::vector<double>(replicate_count, 0));
    std::vector<double> segment_impressions(segment_count, 0);
    std::vector<double> all_seen(replicate_count, 0);
    std::vector<double> all_pairs(replicate_count, 0);
    LogHistogram first_view_age;
    double reached_sum = 0;
    double impressions_sum = 0;

    for (std::size_t r = 0; r < replicate_count; ++r) {
        const ReplicateResult& result = replicates[r];
        const auto posts = static_cast<std::int64_t>(result.post_count());
        summary.posts += posts;
        for (std::size_t post = 0; post < result.post_count(); ++post) {
            reached_sum += static_cast<double>(result.post_followers_reached[post]);
            impressions_sum += static_cast<double>(result.post_impressions[post]);
            for (std::size_t segment = 0; segment < segment_count; ++segment) {
                seen[segment][r] += static_cast<double>(
                    result.post_reached_by_segment[post * segment_count + segment]);
            }
        }
        for (std::size_t follower = 0; follower < follower_count; ++follower) {
            summary.follower_posts_delivered[follower] += posts;
            summary.follower_posts_seen[follower] += result.follower_posts_seen[follower];
            summary.follower_impressions[follower] += result.follower_impressions[follower];
            segment_impressions[summary.follower_segment[follower]] +=
                static_cast<double>(result.follower_impressions[follower]);
        }
        for (std::size_t segment = 0; segment < segment_count; ++segment) {
            pairs[segment][r] = static_cast<double>(posts * model.segments[segment].count);
            all_seen[r] += seen[segment][r];
            all_pairs[r] += pairs[segment][r];
        }
        first_view_age.merge(result.first_view_age);
    }

    const auto total_posts = static_cast<double>(summary.posts);
    if (model.retweets) {
        double retweets = 0;
        double beyond = 0;
        for (const auto& result : replicates) {
            for (std::size_t post = 0; post < result.post_count(); ++post) {
                retweets += static_cast<double>(result.post_retweets[post]);
                beyond += static_cast<double>(result.post_reach_beyond_followers[post]);
            }
        }
        summary.has_retweets = true;
        summary.mean_retweets = retweets / total_posts;
        summary.mean_reach = (reached_sum + beyond) / total_posts;
    }
    summary.seen_fraction = ratio_over_replicates(all_seen, all_pairs);
    summary.mean_followers_reached = reached_sum / total_posts;
    summary.mean_impressions = impressions_sum / total_posts;
    for (std::size_t segment = 0; segment < segment_count; ++segment) {
        SegmentSummary segment_summary;
        segment_summary.name = model.segments[segment].name;
        segment_summary.size = model.segments[segment].count;
        segment_summary.post_follower_pairs = summary.posts * segment_summary.size;
        segment_summary.seen_fraction = ratio_over_replicates(seen[segment], pairs[segment]);
        segment_summary.impressions_per_post_follower =
            segment_impressions[segment] / static_cast<double>(segment_summary.post_follower_pairs);
        double reached = 0;
        for (double count : seen[segment]) {
            reached += count;
        }
        segment_summary.mean_followers_reached = reached / total_posts;
        summary.segments.push_back(std::move(segment_summary));
    }

    for (std::size_t follower = 0; follower < follower_count; ++follower) {
        summary.follower_utc_offset_hours.push_back(
            model.segments[summary.follower_segment[follower]].utc_offset_hours);
    }
    fill_seen_by_age(first_view_age, summary);
    return summary;
}

}  // namespace reachsim
