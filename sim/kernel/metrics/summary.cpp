#include "metrics/summary.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace reachsim {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double ratio(double numerator, double denominator) {
    return denominator > 0 ? numerator / denominator : nan;
}

// The cumulative share of first views within each age of the histogram's grid: of all followers'
// first views, and of each segment's ([age][segment]).
void fill_seen_by_age(const LogHistogram& first_view_age, std::size_t segment_count,
                      Summary& summary) {
    std::vector<std::vector<std::int64_t>> counts;
    std::vector<double> totals(segment_count, 0);
    for (std::size_t s = 0; s < segment_count; ++s) {
        counts.push_back(first_view_age.counts(s));
        for (const auto count : counts.back()) {
            totals[s] += static_cast<double>(count);
        }
    }
    double total = 0;
    for (const double segment_total : totals) {
        total += segment_total;
    }
    std::vector<double> cumulative(segment_count, 0);
    for (int edge = 0; edge < LogHistogram::edge_count; ++edge) {
        double all = 0;
        for (std::size_t s = 0; s < segment_count; ++s) {
            cumulative[s] += static_cast<double>(counts[s][static_cast<std::size_t>(edge)]);
            all += cumulative[s];
        }
        summary.age_seconds.push_back(LogHistogram::edge(edge));
        summary.seen_by_age_fraction.push_back(ratio(all, total));
        for (std::size_t s = 0; s < segment_count; ++s) {
            summary.seen_by_age_fraction_by_segment.push_back(ratio(cumulative[s], totals[s]));
        }
    }
}

void fill_tracked_authors(const World& world, const std::vector<ReplicateRecord>& records,
                          Summary& summary) {
    auto& tracked = summary.tracked_authors;
    tracked.account = world.tracked_authors;
    tracked.posts.assign(world.tracked_authors.size(), 0);
    tracked.unfollows.assign(world.tracked_authors.size(), 0);
    for (std::size_t k = 0; k < world.tracked_authors.size(); ++k) {
        tracked.followers.push_back(static_cast<std::uint32_t>(world.tracked_followers[k].size()));
    }
    for (const auto& record : records) {
        for (std::size_t k = 0; k < record.unfollows_by_tracked_author.size(); ++k) {
            tracked.unfollows[k] += record.unfollows_by_tracked_author[k];
        }
        std::size_t k = 0;
        for (const auto& post : record.posts) {
            while (world.tracked_authors[k] != post.author) {
                ++k;
            }
            ++tracked.posts[k];
        }
    }
}

void fill_followers(const World& world, const std::vector<ReplicateRecord>& records,
                    Summary& summary) {
    FollowerRows& rows = summary.followers;
    for (std::size_t k = 0; k < world.tracked_authors.size(); ++k) {
        const auto& followers = world.tracked_followers[k];
        for (std::size_t i = 0; i < followers.size(); ++i) {
            const AccountIndex follower = followers[i];
            std::int64_t seen = 0;
            std::int64_t impressions = 0;
            for (const auto& record : records) {
                seen += record.follower_posts_seen[k][i];
                impressions += record.follower_impressions[k][i];
            }
            rows.author.push_back(world.tracked_authors[k]);
            rows.account.push_back(follower);
            rows.segment.push_back(world.accounts.segment[follower]);
            rows.utc_offset_hours.push_back(world.accounts.utc_offset_hours(follower));
            rows.posts_delivered.push_back(
                static_cast<std::int64_t>(summary.tracked_authors.posts[k]));
            rows.posts_seen.push_back(seen);
            rows.impressions.push_back(impressions);
        }
    }
}

// Campaign reach in one replicate: which (tracked author, follower) pairs saw at least one of the
// author's posts over the run and in each week and month, from the days of the posts each
// follower saw; adds the replicate's counts to the follower rows.
void fill_campaign_reach(const World& world, const RunCalendar& calendar, std::size_t segment_count,
                         const ReplicateRecord& record, ReplicateSummary& replicate,
                         FollowerRows& rows) {
    const std::size_t weeks = calendar.weeks().size();
    const std::size_t months = calendar.months().size();
    std::vector<double> pairs(segment_count, 0);
    std::vector<double> run(segment_count, 0);
    std::vector<double> weekly(weeks * segment_count, 0);
    std::vector<double> monthly(months * segment_count, 0);
    std::vector<std::uint8_t> week_hit(weeks);
    std::vector<std::uint8_t> month_hit(months);
    const std::size_t authors = world.tracked_followers.size();
    std::vector<double> weekly_by_author(weeks * authors, 0);
    std::size_t row = 0;
    for (std::size_t k = 0; k < authors; ++k) {
        const auto& followers = world.tracked_followers[k];
        double author_reached = 0;
        for (std::size_t i = 0; i < followers.size(); ++i, ++row) {
            const std::size_t segment = world.accounts.segment[followers[i]];
            pairs[segment] += 1;
            std::fill(week_hit.begin(), week_hit.end(), 0);
            std::fill(month_hit.begin(), month_hit.end(), 0);
            bool reached = false;
            const std::uint64_t* words = &record.follower_days_reached[k][i * record.day_words];
            for (std::size_t w = 0; w < record.day_words; ++w) {
                for (std::uint64_t bits = words[w]; bits != 0; bits &= bits - 1) {
                    const auto day = static_cast<int>(w * 64) + std::countr_zero(bits);
                    week_hit[static_cast<std::size_t>(calendar.week_of_day(day))] = 1;
                    month_hit[static_cast<std::size_t>(calendar.month_of_day(day))] = 1;
                    reached = true;
                }
            }
            if (reached) {
                run[segment] += 1;
                author_reached += 1;
                ++rows.replicates_reached[row];
            }
            for (std::size_t week = 0; week < weeks; ++week) {
                weekly[week * segment_count + segment] += week_hit[week];
                weekly_by_author[week * authors + k] += week_hit[week];
                rows.weeks_reached[row * weeks + week] += week_hit[week];
            }
            for (std::size_t month = 0; month < months; ++month) {
                monthly[month * segment_count + segment] += month_hit[month];
                rows.months_reached[row * months + month] += month_hit[month];
            }
        }
        replicate.run_reach_by_author.push_back(
            ratio(author_reached, static_cast<double>(followers.size())));
    }
    for (std::size_t week = 0; week < weeks; ++week) {
        for (std::size_t k = 0; k < authors; ++k) {
            replicate.weekly_reach_by_author.push_back(
                ratio(weekly_by_author[week * authors + k],
                      static_cast<double>(world.tracked_followers[k].size())));
        }
    }
    double all_pairs = 0;
    double all_run = 0;
    for (std::size_t s = 0; s < segment_count; ++s) {
        all_pairs += pairs[s];
        all_run += run[s];
        replicate.run_reach_by_segment.push_back(ratio(run[s], pairs[s]));
    }
    replicate.run_reach = ratio(all_run, all_pairs);
    // Shares of every pair, and of each segment's pairs, per period.
    auto shares = [&](const std::vector<double>& counts, std::size_t periods,
                      std::vector<double>& overall, std::vector<double>& by_segment) {
        for (std::size_t period = 0; period < periods; ++period) {
            double total = 0;
            for (std::size_t s = 0; s < segment_count; ++s) {
                const double count = counts[period * segment_count + s];
                total += count;
                by_segment.push_back(ratio(count, pairs[s]));
            }
            overall.push_back(ratio(total, all_pairs));
        }
    };
    shares(weekly, weeks, replicate.weekly_reach, replicate.weekly_reach_by_segment);
    shares(monthly, months, replicate.monthly_reach, replicate.monthly_reach_by_segment);

    std::vector<double> posts_seen(weeks, 0);
    std::vector<double> impressions(weeks, 0);
    for (std::size_t post = 0; post < record.posts.size(); ++post) {
        const auto week =
            static_cast<std::size_t>(calendar.week_of_day(static_cast<int>(record.post_day[post])));
        posts_seen[week] += static_cast<double>(record.posts[post].followers_reached);
        impressions[week] += static_cast<double>(record.posts[post].impressions);
    }
    double full_weeks = 0;
    double full_week_reach = 0;
    for (std::size_t week = 0; week < weeks; ++week) {
        replicate.weekly_posts_seen_per_follower.push_back(ratio(posts_seen[week], all_pairs));
        replicate.weekly_impressions_per_follower.push_back(ratio(impressions[week], all_pairs));
        const CalendarPeriod& period = calendar.weeks()[week];
        if (period.seconds_in_run >= period.days * seconds_per_day) {
            full_weeks += 1;
            full_week_reach += replicate.weekly_reach[week];
        }
    }
    replicate.mean_weekly_reach = ratio(full_week_reach, full_weeks);
}

}  // namespace

RatioEstimate ratio_over_replicates(const std::vector<double>& successes,
                                    const std::vector<double>& trials) {
    double success_sum = 0;
    double trial_sum = 0;
    for (std::size_t r = 0; r < successes.size(); ++r) {
        success_sum += successes[r];
        trial_sum += trials[r];
    }
    if (trial_sum <= 0) {
        return {nan, nan};
    }
    const double value = success_sum / trial_sum;
    const auto count = static_cast<double>(successes.size());
    if (successes.size() < 2) {
        return {value, nan};
    }
    // Linearised (delta-method) variance of a ratio of sums over independent replicates.
    double squares = 0;
    for (std::size_t r = 0; r < successes.size(); ++r) {
        const double residual = successes[r] - value * trials[r];
        squares += residual * residual;
    }
    return {value, std::sqrt(count / (count - 1) * squares) / trial_sum};
}

Summary summarise(const Model& model, const World& world,
                  const std::vector<ReplicateRecord>& records) {
    Summary summary;
    const std::size_t segment_count = model.segments.size();
    const std::size_t replicates = records.size();
    summary.has_retweets = model.retweets.has_value();
    fill_tracked_authors(world, records, summary);
    fill_followers(world, records, summary);
    summary.calendar = run_calendar(model, world);
    const std::size_t follower_rows = summary.followers.account.size();
    summary.followers.replicates_reached.assign(follower_rows, 0);
    summary.followers.weeks_reached.assign(follower_rows * summary.calendar.weeks().size(), 0);
    summary.followers.months_reached.assign(follower_rows * summary.calendar.months().size(), 0);

    // Followers of each tracked author by segment: the (post, follower) pairs of each post.
    std::vector<std::vector<double>> audience(world.tracked_authors.size(),
                                              std::vector<double>(segment_count, 0));
    for (std::size_t k = 0; k < world.tracked_authors.size(); ++k) {
        for (AccountIndex follower : world.tracked_followers[k]) {
            audience[k][world.accounts.segment[follower]] += 1;
        }
    }
    std::vector<std::vector<double>> seen(segment_count, std::vector<double>(replicates, 0));
    std::vector<std::vector<double>> pairs(segment_count, std::vector<double>(replicates, 0));
    std::vector<double> all_seen(replicates, 0);
    std::vector<double> all_pairs(replicates, 0);
    std::vector<double> run_reach(replicates, 0);
    std::vector<double> weekly_reach(replicates, 0);
    LogHistogram first_view_age;
    double reached_sum = 0;
    double impressions_sum = 0;
    double retweets_sum = 0;
    double reach_sum = 0;
    for (std::size_t r = 0; r < replicates; ++r) {
        const ReplicateRecord& record = records[r];
        ReplicateSummary replicate;
        double replicate_reached = 0;
        double replicate_impressions = 0;
        double replicate_retweets = 0;
        double replicate_reach = 0;
        std::array<double, channel_count> impressions_by_channel{};
        std::array<double, channel_count> reach_by_channel{};
        std::size_t k = 0;
        for (std::size_t row = 0; row < record.posts.size(); ++row) {
            const PostRecord& post = record.posts[row];
            while (world.tracked_authors[k] != post.author) {
                ++k;
            }
            replicate_reached += static_cast<double>(post.followers_reached);
            replicate_impressions += static_cast<double>(post.impressions);
            replicate_retweets += static_cast<double>(post.retweets);
            replicate_reach += static_cast<double>(post.reach);
            for (std::size_t c = 0; c < channel_count; ++c) {
                impressions_by_channel[c] += static_cast<double>(post.impressions_by_channel[c]);
                reach_by_channel[c] += static_cast<double>(post.reach_by_channel[c]);
            }
            summary.deepest_generation =
                std::max(summary.deepest_generation, post.deepest_generation);
            for (std::size_t s = 0; s < segment_count; ++s) {
                const auto reached =
                    static_cast<double>(record.reached_by_segment[row * segment_count + s]);
                seen[s][r] += reached;
                pairs[s][r] += audience[k][s];
                all_seen[r] += reached;
                all_pairs[r] += audience[k][s];
            }
        }
        const auto posts = static_cast<double>(record.posts.size());
        replicate.posts = static_cast<std::int64_t>(record.posts.size());
        for (std::size_t s = 0; s < segment_count; ++s) {
            replicate.seen_fraction_by_segment.push_back(ratio(seen[s][r], pairs[s][r]));
        }
        fill_campaign_reach(world, summary.calendar, segment_count, record, replicate,
                            summary.followers);
        run_reach[r] = replicate.run_reach;
        weekly_reach[r] = replicate.mean_weekly_reach;
        replicate.seen_fraction = ratio(all_seen[r], all_pairs[r]);
        replicate.mean_followers_reached = ratio(replicate_reached, posts);
        replicate.mean_impressions = ratio(replicate_impressions, posts);
        replicate.mean_retweets = ratio(replicate_retweets, posts);
        replicate.mean_reach = ratio(replicate_reach, posts);
        for (std::size_t c = 0; c < channel_count; ++c) {
            replicate.mean_impressions_by_channel.push_back(
                ratio(impressions_by_channel[c], posts));
            replicate.mean_reach_by_channel.push_back(ratio(reach_by_channel[c], posts));
            summary.mean_impressions_by_channel[c] += impressions_by_channel[c];
            summary.mean_reach_by_channel[c] += reach_by_channel[c];
        }
        replicate.deliveries = record.deliveries;
        for (const std::int64_t unfollows : record.unfollows_by_tracked_author) {
            replicate.unfollows += unfollows;
        }
        replicate.unresolved_pairs = record.unresolved_pairs;
        summary.replicates.push_back(replicate);
        summary.posts += replicate.posts;
        reached_sum += replicate_reached;
        impressions_sum += replicate_impressions;
        retweets_sum += replicate_retweets;
        reach_sum += replicate_reach;
        first_view_age.merge(record.first_view_age);
        summary.deliveries += record.deliveries;
        summary.unresolved_pairs += record.unresolved_pairs;
    }
    const auto posts = static_cast<double>(summary.posts);
    summary.seen_fraction = ratio_over_replicates(all_seen, all_pairs);
    // Every replicate has the same pairs: the pooled shares are means over replicates.
    const std::vector<double> ones(replicates, 1.0);
    summary.run_reach = ratio_over_replicates(run_reach, ones);
    summary.mean_weekly_reach = ratio_over_replicates(weekly_reach, ones);
    summary.mean_followers_reached = ratio(reached_sum, posts);
    summary.mean_impressions = ratio(impressions_sum, posts);
    summary.mean_retweets = ratio(retweets_sum, posts);
    summary.mean_reach = ratio(reach_sum, posts);
    for (std::size_t c = 0; c < channel_count; ++c) {
        summary.mean_impressions_by_channel[c] =
            ratio(summary.mean_impressions_by_channel[c], posts);
        summary.mean_reach_by_channel[c] = ratio(summary.mean_reach_by_channel[c], posts);
    }

    std::vector<std::int64_t> sizes(segment_count, 0);
    for (const SegmentIndex segment : world.accounts.segment) {
        if (segment != no_segment) {
            ++sizes[segment];
        }
    }
    std::vector<double> segment_impressions(segment_count, 0);
    for (std::size_t i = 0; i < summary.followers.account.size(); ++i) {
        segment_impressions[summary.followers.segment[i]] +=
            static_cast<double>(summary.followers.impressions[i]);
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
        segment.impressions_per_post_follower = ratio(segment_impressions[s], pair_sum);
        segment.mean_followers_reached = ratio(seen_sum, posts);
        summary.segments.push_back(std::move(segment));
    }
    fill_seen_by_age(first_view_age, segment_count, summary);
    if (!model.is_star()) {
        summary.graph = summarise_graph(world.graph);
        if (model.track.all_accounts) {
            summary.accounts = accounts_table(world, records);
        }
    }
    return summary;
}

}  // namespace reachsim
