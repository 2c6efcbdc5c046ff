#include "hdf5/hdf5_writer.hpp"

#include <hdf5.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "build_info/version.hpp"
#include "core/errors.hpp"
#include "hdf5/hdf5_objects.hpp"

namespace reachsim {
namespace {

using hdf5::create_group;
using hdf5::Handle;
using hdf5::LabelledGroup;
using hdf5::write_attribute;

// One member of every row, as a column.
template <typename Row, typename T>
std::vector<T> column(const std::vector<Row>& rows, T Row::*member) {
    std::vector<T> values;
    values.reserve(rows.size());
    for (const Row& row : rows) {
        values.push_back(row.*member);
    }
    return values;
}

// CF units of instants in simulated time: seconds since the scenario's start.
std::string seconds_since_start(const Model& model) {
    return "seconds since " + format_utc_instant(model.start_unix_seconds);
}

std::vector<std::string> segment_names(const Model& model) {
    std::vector<std::string> names;
    for (const auto& segment : model.segments) {
        names.push_back(segment.name);
    }
    return names;
}

std::string direction_name(EdgeDirection direction) {
    switch (direction) {
        case EdgeDirection::follower_followee:
            return "follower_followee";
        case EdgeDirection::followee_follower:
            return "followee_follower";
        case EdgeDirection::mutual:
            return "mutual";
    }
    return "";
}

void write_root_attributes(hid_t file, const RunMetadata& metadata, const std::string& mode) {
    write_provenance(file, mode, metadata.command_line);
    write_attribute(file, "seed", metadata.seed);
    write_attribute(file, "replicates", metadata.replicates);
    write_attribute(file, "threads", metadata.threads);
    write_attribute(file, "scenario", metadata.scenario_text);
    write_attribute(file, "resolved_scenario", metadata.resolved_scenario);
}

// A column of every record's posts, replicate after replicate.
template <typename T>
std::vector<T> post_column(const std::vector<ReplicateRecord>& records, T PostRecord::*member) {
    std::vector<T> values;
    for (const auto& record : records) {
        for (const auto& post : record.posts) {
            values.push_back(post.*member);
        }
    }
    return values;
}

// Per generation the viewers (first seen through an item of that generation: 0 = the author's own
// post) and the retweeters (generation 1 = retweets of the original).
void write_generations(LabelledGroup& posts, const std::vector<ReplicateRecord>& records,
                       std::size_t rows) {
    std::size_t generations = 1;
    for (const auto& record : records) {
        for (const auto& view : record.first_views) {
            generations = std::max<std::size_t>(generations, view.generation + 1);
        }
        for (const auto& row : record.cascade_rows) {
            generations = std::max<std::size_t>(generations, row.generation + 1);
        }
    }
    std::vector<std::int64_t> viewers(rows * generations, 0);
    std::vector<std::int64_t> retweeters(rows * generations, 0);
    std::size_t base = 0;
    for (const auto& record : records) {
        for (const auto& view : record.first_views) {
            ++viewers[(base + view.post) * generations + view.generation];
        }
        for (const auto& row : record.cascade_rows) {
            ++retweeters[(base + row.post) * generations + row.generation];
        }
        base += record.posts.size();
    }
    posts.index_coordinate("generation", generations);
    posts.variable("viewers_by_generation", viewers, {"post", "generation"});
    posts.variable("retweeters_by_generation", retweeters, {"post", "generation"});
}

std::vector<std::string> channel_labels() {
    return {channel_names.begin(), channel_names.end()};
}

// Every post's counts by channel, [post][channel].
std::vector<std::int64_t> by_channel(const std::vector<ReplicateRecord>& records,
                                     ChannelCounts PostRecord::*member) {
    std::vector<std::int64_t> values;
    for (const auto& record : records) {
        for (const auto& post : record.posts) {
            values.insert(values.end(), (post.*member).begin(), (post.*member).end());
        }
    }
    return values;
}

void write_posts(hid_t file, const Model& model, const std::vector<ReplicateRecord>& records) {
    std::vector<std::uint32_t> replicate;
    std::vector<std::int64_t> reached_by_segment;
    for (const auto& record : records) {
        replicate.insert(replicate.end(), record.posts.size(), record.replicate);
        reached_by_segment.insert(reached_by_segment.end(), record.reached_by_segment.begin(),
                                  record.reached_by_segment.end());
    }
    const std::size_t rows = replicate.size();
    LabelledGroup posts(file, "posts");
    posts.index_coordinate("post", rows);
    posts.coordinate("segment", segment_names(model));
    const std::vector<std::string> by_post{"post"};
    posts.variable("replicate", replicate, by_post);
    posts.variable("author", post_column(records, &PostRecord::author), by_post);
    posts.variable("post_time", post_column(records, &PostRecord::post_time), by_post,
                   seconds_since_start(model));
    const auto followers_reached = post_column(records, &PostRecord::followers_reached);
    posts.variable("followers_reached", followers_reached, by_post);
    posts.variable("impressions", post_column(records, &PostRecord::impressions), by_post);
    posts.variable("first_seen_delay", post_column(records, &PostRecord::first_seen_delay), by_post,
                   "seconds");
    posts.variable("reached_by_segment", reached_by_segment, {"post", "segment"});
    posts.coordinate("channel", channel_labels());
    posts.variable("impressions_by_channel",
                   by_channel(records, &PostRecord::impressions_by_channel), {"post", "channel"});
    posts.variable("reach_by_channel", by_channel(records, &PostRecord::reach_by_channel),
                   {"post", "channel"});
    if (model.retweets) {
        const auto reach = post_column(records, &PostRecord::reach);
        std::vector<std::int64_t> beyond(rows);
        for (std::size_t i = 0; i < rows; ++i) {
            beyond[i] = reach[i] - followers_reached[i];
        }
        posts.variable("reach", reach, by_post);
        posts.variable("reach_beyond_followers", beyond, by_post);
        posts.variable("retweets", post_column(records, &PostRecord::retweets), by_post);
        posts.variable("cascade_depth", post_column(records, &PostRecord::deepest_generation),
                       by_post);
        posts.variable("time_to_reach_50", post_column(records, &PostRecord::time_to_reach_50),
                       by_post, "seconds");
        posts.variable("time_to_reach_90", post_column(records, &PostRecord::time_to_reach_90),
                       by_post, "seconds");
        if (!model.is_star()) {
            write_generations(posts, records, rows);
        }
    }
}

// Every retweet of a tracked post; `post` is the row in /posts.
void write_cascades(hid_t file, const Model& model, const std::vector<ReplicateRecord>& records) {
    std::vector<CascadeRow> rows;
    std::size_t base = 0;
    for (const auto& record : records) {
        for (CascadeRow row : record.cascade_rows) {
            row.post += static_cast<std::uint32_t>(base);
            rows.push_back(row);
        }
        base += record.posts.size();
    }
    LabelledGroup cascades(file, "cascades");
    cascades.index_coordinate("retweet", rows.size());
    const std::vector<std::string> by_retweet{"retweet"};
    cascades.variable("post", column(rows, &CascadeRow::post), by_retweet);
    cascades.variable("retweeter", column(rows, &CascadeRow::retweeter), by_retweet);
    cascades.variable("parent", column(rows, &CascadeRow::parent), by_retweet);
    cascades.variable("time", column(rows, &CascadeRow::time), by_retweet,
                      seconds_since_start(model));
    cascades.variable("depth", column(rows, &CascadeRow::generation), by_retweet);
    write_attribute(
        cascades.id(), "description",
        std::string(
            "a row per retweet of a tracked post: post = row in /posts, parent = the account "
            "whose item the retweeter first saw it through (the author at depth 1), time in "
            "seconds from the start, depth = the retweet's generation"));
}

// The run's calendar weeks and months as coordinates: each period's start (an instant), label and
// how much of it the run covers.
void write_periods(LabelledGroup& group, const Model& model, const RunCalendar& calendar) {
    for (const auto& [dimension, periods] : {std::pair{std::string("week"), &calendar.weeks()},
                                             std::pair{std::string("month"), &calendar.months()}}) {
        group.coordinate(dimension, column(*periods, &CalendarPeriod::start_seconds),
                         seconds_since_start(model));
        group.variable(dimension + "_label", column(*periods, &CalendarPeriod::label), dimension);
        group.variable(dimension + "_seconds_in_run",
                       column(*periods, &CalendarPeriod::seconds_in_run), {dimension}, "seconds");
    }
}

void write_followers(hid_t file, const Model& model, const Summary& summary) {
    const FollowerRows& rows = summary.followers;
    LabelledGroup followers(file, "followers");
    followers.index_coordinate("follower", rows.account.size());
    write_periods(followers, model, summary.calendar);
    const std::vector<std::string> by_follower{"follower"};
    followers.variable("author", rows.author, by_follower);
    followers.variable("account", rows.account, by_follower);
    followers.variable("segment", rows.segment, by_follower);
    followers.variable("utc_offset_hours", rows.utc_offset_hours, by_follower);
    followers.variable("posts_delivered", rows.posts_delivered, by_follower);
    followers.variable("posts_seen", rows.posts_seen, by_follower);
    followers.variable("impressions", rows.impressions, by_follower);
    followers.variable("replicates_reached", rows.replicates_reached, by_follower);
    followers.variable("weeks_reached", rows.weeks_reached, {"follower", "week"});
    followers.variable("months_reached", rows.months_reached, {"follower", "month"});
    write_attribute(followers.id(), "description",
                    std::string("a row per (tracked author, follower), summed over replicates; "
                                "*_reached: in how many replicates the follower saw at least one "
                                "of the author's posts made in the run, week or month"));
}

void write_segments(hid_t file, const Model& model, const Summary& summary) {
    const auto& rows = summary.segments;
    LabelledGroup segments(file, "segments");
    segments.coordinate("segment", segment_names(model));
    const std::vector<std::string> by_segment{"segment"};
    segments.variable("size", column(rows, &SegmentSummary::size), by_segment);
    std::vector<double> seen_fraction;
    std::vector<double> seen_fraction_stderr;
    for (const auto& segment : rows) {
        seen_fraction.push_back(segment.seen_fraction.value);
        seen_fraction_stderr.push_back(segment.seen_fraction.standard_error);
    }
    segments.variable("seen_fraction", seen_fraction, by_segment);
    segments.variable("seen_fraction_stderr", seen_fraction_stderr, by_segment);
    segments.variable("impressions_per_post_follower",
                      column(rows, &SegmentSummary::impressions_per_post_follower), by_segment);
    segments.variable("mean_followers_reached",
                      column(rows, &SegmentSummary::mean_followers_reached), by_segment);
}

void write_summary(hid_t file, const Model& model, const Summary& summary) {
    LabelledGroup group(file, "summary");
    group.scalar("seen_fraction", summary.seen_fraction.value);
    group.scalar("seen_fraction_stderr", summary.seen_fraction.standard_error);
    group.scalar("mean_followers_reached", summary.mean_followers_reached);
    group.scalar("mean_impressions", summary.mean_impressions);
    group.scalar("run_reach", summary.run_reach.value);
    group.scalar("run_reach_stderr", summary.run_reach.standard_error);
    group.scalar("mean_weekly_reach", summary.mean_weekly_reach.value);
    group.scalar("mean_weekly_reach_stderr", summary.mean_weekly_reach.standard_error);
    group.scalar("posts", summary.posts);
    group.scalar("deliveries", static_cast<std::int64_t>(summary.deliveries));
    group.scalar("unresolved_pairs", static_cast<std::int64_t>(summary.unresolved_pairs));
    if (model.retweets) {
        group.scalar("mean_retweets", summary.mean_retweets);
        group.scalar("mean_reach", summary.mean_reach);
    }
}

// How the tracked posts were seen, by channel: per post, impressions and reach (by the channel of
// each first view).
void write_channels(hid_t file, const Summary& summary) {
    LabelledGroup group(file, "channels");
    group.coordinate("channel", channel_labels());
    const std::vector<std::string> by_channel_dimension{"channel"};
    auto values = [](const std::array<double, channel_count>& per_channel) {
        return std::vector<double>(per_channel.begin(), per_channel.end());
    };
    group.variable("mean_impressions", values(summary.mean_impressions_by_channel),
                   by_channel_dimension);
    group.variable("mean_reach", values(summary.mean_reach_by_channel), by_channel_dimension);
}

// Every replicate's row of `member`, concatenated: [replicate][...].
std::vector<double> stacked(const std::vector<ReplicateSummary>& rows,
                            std::vector<double> ReplicateSummary::*member) {
    std::vector<double> values;
    for (const auto& row : rows) {
        values.insert(values.end(), (row.*member).begin(), (row.*member).end());
    }
    return values;
}

// The summary of each replicate, a row per replicate: the sweep file stacks these per point.
void write_replicates(hid_t file, const Model& model, const Summary& summary) {
    const auto& rows = summary.replicates;
    LabelledGroup group(file, "replicates");
    group.index_coordinate("replicate", rows.size());
    group.coordinate("segment", segment_names(model));
    group.coordinate("tracked_author", summary.tracked_authors.account);
    write_periods(group, model, summary.calendar);
    const std::vector<std::string> by_replicate{"replicate"};
    group.variable("posts", column(rows, &ReplicateSummary::posts), by_replicate);
    group.variable("seen_fraction", column(rows, &ReplicateSummary::seen_fraction), by_replicate);
    group.variable("seen_fraction_by_segment",
                   stacked(rows, &ReplicateSummary::seen_fraction_by_segment),
                   {"replicate", "segment"});
    group.variable("mean_followers_reached",
                   column(rows, &ReplicateSummary::mean_followers_reached), by_replicate);
    group.variable("mean_impressions", column(rows, &ReplicateSummary::mean_impressions),
                   by_replicate);
    group.coordinate("channel", channel_labels());
    group.variable("mean_impressions_by_channel",
                   stacked(rows, &ReplicateSummary::mean_impressions_by_channel),
                   {"replicate", "channel"});
    group.variable("mean_reach_by_channel", stacked(rows, &ReplicateSummary::mean_reach_by_channel),
                   {"replicate", "channel"});
    group.variable("run_reach", column(rows, &ReplicateSummary::run_reach), by_replicate);
    group.variable("run_reach_by_segment", stacked(rows, &ReplicateSummary::run_reach_by_segment),
                   {"replicate", "segment"});
    group.variable("mean_weekly_reach", column(rows, &ReplicateSummary::mean_weekly_reach),
                   by_replicate);
    group.variable("weekly_reach", stacked(rows, &ReplicateSummary::weekly_reach),
                   {"replicate", "week"});
    group.variable("weekly_reach_by_segment",
                   stacked(rows, &ReplicateSummary::weekly_reach_by_segment),
                   {"replicate", "week", "segment"});
    group.variable("weekly_posts_seen_per_follower",
                   stacked(rows, &ReplicateSummary::weekly_posts_seen_per_follower),
                   {"replicate", "week"});
    group.variable("weekly_impressions_per_follower",
                   stacked(rows, &ReplicateSummary::weekly_impressions_per_follower),
                   {"replicate", "week"});
    group.variable("monthly_reach", stacked(rows, &ReplicateSummary::monthly_reach),
                   {"replicate", "month"});
    group.variable("monthly_reach_by_segment",
                   stacked(rows, &ReplicateSummary::monthly_reach_by_segment),
                   {"replicate", "month", "segment"});
    group.variable("run_reach_by_author", stacked(rows, &ReplicateSummary::run_reach_by_author),
                   {"replicate", "tracked_author"});
    group.variable("weekly_reach_by_author",
                   stacked(rows, &ReplicateSummary::weekly_reach_by_author),
                   {"replicate", "week", "tracked_author"});
    group.variable("deliveries", column(rows, &ReplicateSummary::deliveries), by_replicate);
    group.variable("unfollows", column(rows, &ReplicateSummary::unfollows), by_replicate);
    group.variable("unresolved_pairs", column(rows, &ReplicateSummary::unresolved_pairs),
                   by_replicate);
    if (model.retweets) {
        group.variable("mean_retweets", column(rows, &ReplicateSummary::mean_retweets),
                       by_replicate);
        group.variable("mean_reach", column(rows, &ReplicateSummary::mean_reach), by_replicate);
        std::vector<double> beyond;
        for (const auto& row : rows) {
            beyond.push_back(row.mean_reach - row.mean_followers_reached);
        }
        group.variable("mean_reach_beyond_followers", beyond, by_replicate);
    }
}

void write_tracked_authors(hid_t file, const World& world, const TrackedAuthors& tracked) {
    LabelledGroup group(file, "tracked_authors");
    group.index_coordinate("tracked_author", tracked.account.size());
    const std::vector<std::string> by_author{"tracked_author"};
    group.variable("account", tracked.account, by_author);
    std::vector<double> utc_offset_hours;
    for (const AccountIndex account : tracked.account) {
        utc_offset_hours.push_back(world.accounts.utc_offset_hours(account));
    }
    group.variable("utc_offset_hours", utc_offset_hours, by_author);
    group.variable("followers", tracked.followers, by_author);
    group.variable("posts", tracked.posts, by_author);
    group.variable("unfollows", tracked.unfollows, by_author);
    write_attribute(group.id(), "description",
                    std::string("a row per tracked author: account index, followers, posts "
                                "made during simulation.duration over all replicates (0: "
                                "tracked, but nothing to measure), and followers who unfollowed "
                                "it over all replicates"));
}

void write_curves(hid_t file, const Model& model, const Summary& summary) {
    const Handle curves = create_group(file, "curves");
    LabelledGroup seen_by_age(curves, "seen_by_age");
    seen_by_age.coordinate("age_seconds", summary.age_seconds, "seconds");
    seen_by_age.coordinate("segment", segment_names(model));
    seen_by_age.variable("fraction", summary.seen_by_age_fraction, {"age_seconds"});
    seen_by_age.variable("fraction_by_segment", summary.seen_by_age_fraction_by_segment,
                         {"age_seconds", "segment"});
    write_attribute(
        seen_by_age.id(), "description",
        std::string(
            "cumulative share of first views (post, follower) within each age after posting, of "
            "all followers and of each segment's"));
}

void write_degree_summary(LabelledGroup& group, const std::string& prefix,
                          const DegreeSummary& degrees) {
    group.scalar(prefix + "_mean", degrees.mean);
    group.scalar(prefix + "_min", static_cast<std::int64_t>(degrees.min));
    group.scalar(prefix + "_max", static_cast<std::int64_t>(degrees.max));
    group.variable(prefix + "_percentiles", degrees.percentiles, {"percentile_level"});
    group.index_coordinate(prefix + "_bin", degrees.histogram.size());
    group.variable(prefix + "_histogram", degrees.histogram, {prefix + "_bin"});
}

// Where the graph came from, as attributes: the file (path, checksum, direction) or the
// generator with every parameter it was given.
void write_generator_parameters(hid_t graph, const PowerLawGenerator& generator) {
    write_attribute(graph, "source", std::string("power_law"));
    write_attribute(graph, "mean_following", generator.mean_following);
    write_attribute(graph, "following_sigma", generator.following_sigma);
    write_attribute(graph, "followers_exponent", generator.followers_exponent);
}

void write_generator_parameters(hid_t graph, const PriceGenerator& generator) {
    write_attribute(graph, "source", std::string("price"));
    write_attribute(graph, "following_per_account",
                    static_cast<std::int64_t>(generator.following_per_account));
    write_attribute(graph, "attachment_offset", generator.attachment_offset);
}

void write_generator_parameters(hid_t graph, const ErdosRenyiGenerator& generator) {
    write_attribute(graph, "source", std::string("erdos_renyi"));
    write_attribute(graph, "mean_following", generator.mean_following);
}

// Where the graph came from, as attributes: the file (path, checksum, direction) or the
// generator with every parameter it was given.
void write_graph_source(hid_t graph, const Audience& spec, const World& world) {
    std::visit(
        [&](const auto& source) {
            if constexpr (std::is_same_v<std::decay_t<decltype(source)>, GraphFile>) {
                write_attribute(graph, "source", std::string("file"));
                write_attribute(graph, "path", source.path);
                write_attribute(graph, "sha256", world.source_sha256);
                write_attribute(graph, "direction", direction_name(source.direction));
                write_attribute(graph, "attributes", source.attributes);
            } else if constexpr (!std::is_same_v<std::decay_t<decltype(source)>, StarAudience>) {
                write_generator_parameters(graph, source);
                write_attribute(graph, "generated_accounts",
                                static_cast<std::int64_t>(source.accounts));
                write_attribute(graph, "reciprocity_requested", spec.reciprocity);
                write_attribute(graph, "homophily_requested",
                                spec.homophily.value_or(std::numeric_limits<double>::quiet_NaN()));
            }
        },
        spec.source);
}

void write_graph(hid_t file, const Model& model, const World& world, const GraphSummary& summary) {
    LabelledGroup graph(file, "graph");
    write_graph_source(graph.id(), model.audience, world);
    if (!world.original_ids.empty()) {
        graph.index_coordinate("account", world.original_ids.size());
        graph.variable("original_id", world.original_ids, "account");
    }
    graph.scalar("accounts", static_cast<std::int64_t>(summary.accounts));
    graph.scalar("follows", static_cast<std::int64_t>(summary.follows));
    graph.scalar("reciprocity", summary.reciprocity);
    graph.scalar("self_loops_dropped", static_cast<std::int64_t>(world.cleanup.self_loops));
    graph.scalar("duplicates_dropped", static_cast<std::int64_t>(world.cleanup.duplicates));
    graph.coordinate("percentile_level", percentile_levels);
    write_degree_summary(graph, "followers", summary.followers);
    write_degree_summary(graph, "following", summary.following);
    write_attribute(graph.id(), "histogram_bins",
                    std::string("degree 0, 1, 2-3, 4-7, 8-15, ... (powers of two)"));
}

void write_accounts(hid_t file, const World& world, const AccountsTable& table) {
    LabelledGroup accounts(file, "accounts");
    accounts.index_coordinate("account", world.accounts.size());
    const std::vector<std::string> by_account{"account"};
    std::vector<double> utc_offset_hours(world.accounts.size());
    for (std::size_t a = 0; a < utc_offset_hours.size(); ++a) {
        utc_offset_hours[a] = world.accounts.utc_offset_hours(a);
    }
    accounts.variable(
        "segment",
        std::vector<std::uint32_t>(world.accounts.segment.begin(), world.accounts.segment.end()),
        by_account);
    accounts.variable("utc_offset_hours", utc_offset_hours, by_account);
    accounts.variable("posts_per_day",
                      std::vector<double>(world.accounts.posts_per_day.begin(),
                                          world.accounts.posts_per_day.end()),
                      by_account);
    accounts.variable("sessions_per_day",
                      std::vector<double>(world.accounts.sessions_per_day.begin(),
                                          world.accounts.sessions_per_day.end()),
                      by_account);
    accounts.variable("feed_depth", world.accounts.feed_depth, by_account);
    accounts.variable("followers", table.followers, by_account);
    accounts.variable("following", table.following, by_account);
    accounts.variable("posts", table.posts, by_account);
    accounts.variable("mean_followers_reached", table.mean_followers_reached, by_account);
    accounts.variable("seen_fraction", table.seen_fraction, by_account);
    accounts.variable("impressions", table.impressions_per_post, by_account);
    write_attribute(accounts.id(), "impressions_units", std::string("per post"));
    if (!table.mean_unfollows.empty()) {
        accounts.variable("mean_unfollows", table.mean_unfollows, by_account);
    }
    if (!table.mean_retweets.empty()) {
        accounts.variable("mean_retweets", table.mean_retweets, by_account);
        accounts.variable("mean_reach", table.mean_reach, by_account);
    }
}

}  // namespace

void write_provenance(std::int64_t file, const std::string& mode, const std::string& command_line) {
    const auto now = std::chrono::system_clock::now();
    write_attribute(file, "format", std::string("reachsim"));
    write_attribute(file, "mode", mode);
    write_attribute(file, "format_version", output_format_version);
    write_attribute(file, "reachsim_version", std::string(reachsim_version));
    write_attribute(file, "git_commit", std::string(reachsim_git_commit));
    write_attribute(
        file, "created_utc",
        format_utc_instant(
            std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()));
    write_attribute(file, "command_line", command_line);
}

void write_run(const std::string& path, const RunMetadata& metadata, const Model& model,
               const World& world, const std::vector<ReplicateRecord>& records,
               const Summary& summary) {
    write_atomically(path, [&](std::int64_t file) {
        write_root_attributes(file, metadata, model.is_star() ? "single_author" : "graph");
        if (summary.graph) {
            write_graph(file, model, world, *summary.graph);
        }
        if (summary.accounts) {
            write_accounts(file, world, *summary.accounts);
        }
        write_tracked_authors(file, world, summary.tracked_authors);
        write_posts(file, model, records);
        if (model.retweets) {
            write_cascades(file, model, records);
        }
        write_followers(file, model, summary);
        write_segments(file, model, summary);
        write_summary(file, model, summary);
        write_channels(file, summary);
        write_replicates(file, model, summary);
        write_curves(file, model, summary);
    });
}

void write_expected(const std::string& path, const RunMetadata& metadata, const Model& model,
                    const World& world, const Expectation& expectation) {
    // /followers: a row per (tracked author, follower), as a sampled run's.
    const std::vector<std::string> names = segment_names(model);
    std::vector<std::int64_t> author;
    std::vector<std::int64_t> account;
    std::vector<std::string> segment;
    std::vector<double> utc_offset_hours;
    std::vector<double> posts_seen;
    std::vector<double> impressions;
    std::vector<double> seen_fraction;
    for (const ExpectedAuthor& tracked : expectation.authors) {
        for (const ExpectedFollower& follower : tracked.followers) {
            author.push_back(tracked.account);
            account.push_back(follower.account);
            segment.push_back(names[world.accounts.segment[follower.account]]);
            utc_offset_hours.push_back(world.accounts.utc_offset_hours(follower.account));
            posts_seen.push_back(follower.posts_seen);
            impressions.push_back(follower.impressions);
            seen_fraction.push_back(follower.posts_seen / tracked.posts);
        }
    }
    std::vector<ExpectedGroup> groups = expected_by_segment(model, world, expectation);
    const ExpectedGroup all = groups.back();
    groups.pop_back();
    double posts = 0;
    for (const ExpectedAuthor& tracked : expectation.authors) {
        posts += tracked.posts;
    }
    write_atomically(path, [&](std::int64_t file) {
        write_root_attributes(file, metadata, "expected");
        LabelledGroup by_follower(file, "followers");
        by_follower.index_coordinate("follower", account.size());
        const std::vector<std::string> follower_dimension{"follower"};
        by_follower.variable("author", author, follower_dimension);
        by_follower.variable("account", account, follower_dimension);
        by_follower.variable("segment", segment, "follower");
        by_follower.variable("utc_offset_hours", utc_offset_hours, follower_dimension);
        by_follower.variable("posts_seen", posts_seen, follower_dimension);
        by_follower.variable("impressions", impressions, follower_dimension);
        by_follower.variable("seen_fraction", seen_fraction, follower_dimension);
        write_attribute(by_follower.id(), "description",
                        std::string("expected values per (tracked author, follower): of the "
                                    "author's posts made in the run, how many the follower sees, "
                                    "and its impressions of them"));
        LabelledGroup authors(file, "tracked_authors");
        authors.index_coordinate("tracked_author", expectation.authors.size());
        const std::vector<std::string> author_dimension{"tracked_author"};
        std::vector<std::int64_t> author_account;
        std::vector<double> author_posts;
        std::vector<std::int64_t> author_followers;
        std::vector<double> author_reached;
        for (const ExpectedAuthor& tracked : expectation.authors) {
            author_account.push_back(tracked.account);
            author_posts.push_back(tracked.posts);
            author_followers.push_back(static_cast<std::int64_t>(tracked.followers.size()));
            author_reached.push_back(tracked.followers_reached_per_post());
        }
        authors.variable("account", author_account, author_dimension);
        authors.variable("posts", author_posts, author_dimension);
        authors.variable("followers", author_followers, author_dimension);
        authors.variable("mean_followers_reached", author_reached, author_dimension);
        LabelledGroup segments(file, "segments");
        segments.coordinate("segment", names);
        const std::vector<std::string> segment_dimension{"segment"};
        segments.variable("size", column(groups, &ExpectedGroup::size), segment_dimension);
        segments.variable("seen_fraction", column(groups, &ExpectedGroup::seen_fraction),
                          segment_dimension);
        segments.variable("impressions_per_post_follower",
                          column(groups, &ExpectedGroup::impressions_per_post_follower),
                          segment_dimension);
        segments.variable("mean_followers_reached",
                          column(groups, &ExpectedGroup::mean_followers_reached),
                          segment_dimension);
        LabelledGroup summary(file, "summary");
        summary.scalar("posts", posts);
        summary.scalar("seen_fraction", all.seen_fraction);
        summary.scalar("impressions_per_post_follower", all.impressions_per_post_follower);
        summary.scalar("mean_followers_reached", all.mean_followers_reached);
        write_attribute(summary.id(), "description",
                        std::string("expected values: posts, the tracked authors' posts made in "
                                    "the run; seen_fraction, of (post, follower) pairs; "
                                    "mean_followers_reached, followers who see a post"));
    });
}

}  // namespace reachsim
