// Views outside the feed (engine/outside_feed.hpp): notifications and profile visits, in every
// scheduler, against the closed forms of docs/model.md ("Notifications and profile visits") and
// against each other. Tolerances: 5 standard errors of a ratio over independent replicates, as in
// star_runs_test.cpp.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>

#include "engine/outside_feed.hpp"
#include "run_test_support.hpp"
#include "temp_files.hpp"

using namespace reachsim;
using reachsim::testing::channel_total;
using reachsim::testing::check_channels_add_up;
using reachsim::testing::check_close;
using reachsim::testing::check_same_records;
using reachsim::testing::ratio_of_post_sums;
using reachsim::testing::simulate;
using reachsim::testing::TempFolder;

namespace {

constexpr int star_followers = 500;

// One author posting daily at 12:00 UTC to 500 followers; `followers` holds their extra keys.
Scenario star(const TempFolder& folder, const std::string& simulation,
              const std::string& followers) {
    std::ostringstream text;
    text << "[simulation]\n"
         << simulation << "\n[author]\nposting = { kind = \"schedule\", times = [\"12:00\"] }\n"
         << "[followers]\ncount = " << star_followers << "\n"
         << followers << "\n";
    return load_scenario(folder.write("star.toml", text.str()));
}

// The same star as a file graph (account 0 followed by accounts 1..500, the same indices), run by
// the pull scheduler.
Scenario star_as_graph(const TempFolder& folder, const std::string& simulation,
                       const std::string& accounts) {
    folder.write("star.edges", testing::star_edge_list(star_followers));
    std::ostringstream text;
    text << "[simulation]\n"
         << simulation << "\n[graph]\nsource = \"file\"\npath = \"star.edges\"\n"
         << "direction = \"followee_follower\"\n"
         << "[accounts]\nposting = { kind = \"schedule\", times = [\"12:00\"] }\n"
         << accounts << "\n[track]\nauthors = [\"0\"]\n";
    return load_scenario(folder.write("graph.toml", text.str()));
}

double posts_in(const ReplicateRecord& record) {
    return static_cast<double>(record.posts.size());
}

}  // namespace

TEST_CASE("notifications add exactly the notified pairs to what the feed shows") {
    // The same followers with and without notifications: the feed's streams are untouched, so a
    // follower sees every post if notified (each post once by notification, 10 minutes after it)
    // and otherwise exactly what they saw without.
    TempFolder folder;
    const std::string simulation =
        "duration = \"20d\"\nfollow_up = \"2d\"\nseed = 5\nreplicates = 3";
    const std::string feed = "sessions = { per_day = 2 }\nfeed_depth = 30\n";
    const RunResult without = simulate(star(folder, simulation, feed));
    const double share = 0.3;
    const Scenario notifying = star(folder, simulation,
                                    feed +
                                        "notifications = { share = 0.3, delay = { distribution = "
                                        "\"fixed\", value = \"10m\" } }");
    const RunResult with = simulate(notifying);
    check_channels_add_up(with);
    const auto& followers = with.world.tracked_followers[0];
    std::int64_t notified = 0;
    for (std::size_t i = 0; i < followers.size(); ++i) {
        const bool is_notified = notifies(notifying.model.segments[0].notifications.share,
                                          notifying.run.seed, followers[i], 0);
        notified += is_notified ? 1 : 0;
        for (std::size_t r = 0; r < with.records.size(); ++r) {
            const auto seen = with.records[r].follower_posts_seen[0][i];
            const auto seen_without = without.records[r].follower_posts_seen[0][i];
            if (is_notified) {
                CHECK(static_cast<double>(seen) == posts_in(with.records[r]));
                CHECK(with.records[r].follower_impressions[0][i] ==
                      without.records[r].follower_impressions[0][i] + seen);
            } else {
                CHECK(seen == seen_without);
            }
        }
    }
    // Which pairs notify is a Bernoulli(share) draw per pair: their number is binomial.
    const double n = static_cast<double>(followers.size());
    const double standard_error = std::sqrt(share * (1 - share) / n);
    CHECK(std::abs(static_cast<double>(notified) / n - share) < 5 * standard_error);
    CHECK(channel_total(with, Channel::notification, &PostRecord::impressions_by_channel) ==
          notified * static_cast<std::int64_t>(with.records[0].posts.size()) *
              static_cast<std::int64_t>(with.records.size()));
    CHECK(channel_total(without, Channel::notification, &PostRecord::impressions_by_channel) == 0);
}

TEST_CASE("profile visits: the seen probability and impressions of a Poisson visit process") {
    // No sessions: posts are seen only on the author's profile. A post made at t stays among the
    // newest `depth` until the post `depth` later (or the horizon H); visits at rate r per day
    // fall in that window w as Poisson(r w): P(seen) = 1 - exp(-r w), E[impressions] = r w.
    // Daily posts at 12:00 until the horizon: w = min(depth days, H - t).
    TempFolder folder;
    const double per_day = 0.4;
    const int depth = 3;
    const double duration_days = 10;
    const double follow_up_days = 1.5;
    std::ostringstream simulation;
    simulation << "duration = \"" << duration_days << "d\"\nfollow_up = \"36h\"\nseed = 8\n"
               << "replicates = 40";
    std::ostringstream followers;
    followers << "sessions = { per_day = 0 }\nprofile_visits = { per_day = " << per_day
              << ", depth = " << depth << " }\n";
    const RunResult result = simulate(star(folder, simulation.str(), followers.str()));
    check_channels_add_up(result);
    const double horizon_days = duration_days + follow_up_days;
    double seen = 0;
    double impressions = 0;
    for (int day = 0; day < duration_days; ++day) {
        const double window = std::min<double>(depth, horizon_days - (day + 0.5));
        seen += (1 - std::exp(-per_day * window)) / duration_days;
        impressions += per_day * window / duration_days;
    }
    const double followers_count = star_followers;
    check_close(ratio_of_post_sums(
                    result,
                    [](const PostRecord& post) {
                        return static_cast<double>(
                            post.reach_by_channel[static_cast<std::size_t>(Channel::profile)]);
                    },
                    [&](const PostRecord&) { return followers_count; }),
                seen);
    check_close(
        ratio_of_post_sums(
            result, [](const PostRecord& post) { return static_cast<double>(post.impressions); },
            [&](const PostRecord&) { return followers_count; }),
        impressions);
    CHECK(channel_total(result, Channel::feed, &PostRecord::impressions_by_channel) == 0);
}

TEST_CASE("views outside the feed are the same in the star and the pull scheduler") {
    // Without sessions, only notifications and profile visits show posts; both come from streams
    // keyed by the (follower, author) pair, so the two schedulers must agree post for post.
    TempFolder folder;
    const std::string simulation =
        "duration = \"6d\"\nfollow_up = \"1d\"\nseed = 9\nreplicates = 2";
    const std::string outside =
        "sessions = { per_day = 0 }\n"
        "notifications = { share = 0.2, delay = { distribution = \"exponential\", mean = \"15m\" } "
        "}\n"
        "profile_visits = { per_day = 0.3, depth = 2 }\n";
    const RunResult as_star = simulate(star(folder, simulation, outside));
    const RunResult as_graph = simulate(star_as_graph(folder, simulation, outside));
    const std::int64_t views = testing::check_same_views(as_star, as_graph);
    CHECK(channel_total(as_star, Channel::notification, &PostRecord::impressions_by_channel) > 0);
    CHECK(channel_total(as_star, Channel::profile, &PostRecord::impressions_by_channel) > 0);
    CHECK(views > 1000);
    check_channels_add_up(as_graph);
}

TEST_CASE("graph runs with views outside the feed are the same on 1 and 2 threads") {
    TempFolder folder;
    const std::string text =
        "[simulation]\nduration = \"3d\"\nfollow_up = \"1d\"\nseed = 6\nreplicates = 2\n"
        "[graph]\nsource = \"power_law\"\naccounts = 2000\nmean_following = 30\n"
        "[accounts]\nposting = { per_day = 2 }\nsessions = { per_day = 3, duration = \"2m\" }\n"
        "feed_depth = 40\nnotifications = { share = 0.05 }\n"
        "profile_visits = { per_day = 0.05 }\n"
        "[track]\nauthors = [\"top_followers:20\"]\n";
    const Scenario scenario = load_scenario(folder.write("graph.toml", text));
    const RunResult one = simulate(scenario, 1);
    const RunResult two = simulate(scenario, 2);
    check_same_records(one, two);
    check_channels_add_up(one);
    for (const Channel channel :
         {Channel::feed, Channel::live, Channel::notification, Channel::profile}) {
        INFO("channel " << channel_names[static_cast<std::size_t>(channel)]);
        CHECK(channel_total(one, channel, &PostRecord::reach_by_channel) > 0);
    }
}

TEST_CASE("cascades: notifications, profile visits and visits after a retweet") {
    // Reach by any route splits into channels; a visit to an author's profile on seeing a retweet
    // shows their posts to accounts that do not follow them; runs repeat on any thread count.
    TempFolder folder;
    auto scenario = [&](double after_retweet) {
        std::ostringstream text;
        text << "[simulation]\nduration = \"2d\"\nfollow_up = \"1d\"\nseed = 12\nreplicates = 2\n"
             << "[graph]\nsource = \"power_law\"\naccounts = 3000\nmean_following = 25\n"
             << "[accounts]\nposting = { per_day = 1 }\nsessions = { per_day = 4 }\n"
             << "feed_depth = 50\nnotifications = { share = 0.05 }\n"
             << "profile_visits = { per_day = 0.02, after_retweet = " << after_retweet << " }\n"
             << "[retweets]\nprobability = 0.05\ndelay = { distribution = \"exponential\", "
             << "mean = \"10m\" }\nmin_delay = \"60s\"\n"
             << "[track]\nauthors = [\"top_followers:30\"]\n";
        return load_scenario(folder.write("cascade.toml", text.str()));
    };
    const RunResult none = simulate(scenario(0), 2);
    const RunResult after = simulate(scenario(1), 1);
    check_same_records(after, simulate(scenario(1), 2));
    for (const auto& record : after.records) {
        for (const auto& post : record.posts) {
            CHECK(post.reach >= post.followers_reached);
        }
    }
    check_channels_add_up(none);
    check_channels_add_up(after);
    // A first view of a post itself (generation 0, not a retweet) by an account that does not
    // follow its author can only come from a profile visit after a retweet.
    auto first_views_of_originals_by_others = [](const RunResult& result) {
        std::int64_t count = 0;
        for (const auto& record : result.records) {
            for (const FirstView& view : record.first_views) {
                const AccountIndex author = record.posts[view.post].author;
                count += view.generation == 0 && !result.world.graph.follows(view.viewer, author)
                             ? 1
                             : 0;
            }
        }
        return count;
    };
    CHECK(first_views_of_originals_by_others(none) == 0);
    CHECK(first_views_of_originals_by_others(after) > 0);
    CHECK(channel_total(none, Channel::notification, &PostRecord::reach_by_channel) > 0);
    CHECK(channel_total(after, Channel::profile, &PostRecord::reach_by_channel) >
          channel_total(none, Channel::profile, &PostRecord::reach_by_channel));
}

TEST_CASE("an attribute file's notification_share overrides the segment's, account by account") {
    // Without sessions only notifications show posts: account 1 (share 1) sees every post,
    // account 2 (share 0) none, and the others follow the segment's share, pair by pair.
    TempFolder folder;
    folder.write("star.edges", testing::star_edge_list(star_followers));
    folder.write("star.csv", "id,notification_share\n1,1\n2,0\n3,\n");
    const Scenario scenario = load_scenario(folder.write(
        "graph.toml",
        "[simulation]\nduration = \"5d\"\nfollow_up = \"1d\"\nseed = 13\nreplicates = 2\n"
        "[graph]\nsource = \"file\"\npath = \"star.edges\"\ndirection = \"followee_follower\"\n"
        "attributes = \"star.csv\"\n"
        "[accounts]\nposting = { kind = \"schedule\", times = [\"12:00\"] }\n"
        "sessions = { per_day = 0 }\nnotifications = { share = 0.3 }\n"
        "[track]\nauthors = [\"0\"]\n"));
    const RunResult result = simulate(scenario);
    const auto& followers = result.world.tracked_followers[0];
    for (const auto& record : result.records) {
        const auto posts = static_cast<std::int64_t>(record.posts.size());
        REQUIRE(posts > 0);
        for (std::size_t i = 0; i < followers.size(); ++i) {
            const AccountIndex follower = followers[i];
            const double share = follower == 1 ? 1.0 : follower == 2 ? 0.0 : 0.3;
            INFO("follower " << follower);
            CHECK(record.follower_posts_seen[0][i] ==
                  (notifies(share, scenario.run.seed, follower, 0) ? posts : 0));
        }
    }
}
