// Attention (engine/attention.hpp): repeats of one author fading within a session, and unfollows,
// against the closed forms of docs/model.md ("Attention: the cost of posting often"), and the
// same in the star and the pull scheduler. Tolerances: 5 standard errors, as in
// star_runs_test.cpp.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>

#include "run_test_support.hpp"
#include "temp_files.hpp"

using namespace reachsim;
using reachsim::testing::check_channels_add_up;
using reachsim::testing::check_close;
using reachsim::testing::check_same_records;
using reachsim::testing::ratio_of_post_sums;
using reachsim::testing::simulate;
using reachsim::testing::TempFolder;

namespace {

constexpr int followers = 400;

// 24 weights: sessions at every hour but 09:00-10:00, when the author posts.
const std::string no_sessions_at_nine =
    "[1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]";

std::string star_text(const std::string& simulation, const std::string& posting,
                      const std::string& follower_keys) {
    std::ostringstream text;
    text << "[simulation]\n"
         << simulation << "\n[author]\nposting = " << posting
         << "\n[followers]\ncount = " << followers << "\n"
         << follower_keys << "\n";
    return text.str();
}

}  // namespace

TEST_CASE("attention: the j-th newest of a session's posts by one author is noticed a^j") {
    // Five posts a day at 09:00:00-09:00:04, no background, a feed depth of 5 and no session
    // between 09:00 and 10:00: every session shows exactly one day's five posts, newest first, so
    // the post at place j (0 = newest) is noticed with probability a^j in each of the N ~
    // Poisson(S) sessions of its day: E[impressions] = S a^j, P(seen) = 1 - exp(-S a^j).
    TempFolder folder;
    const double sessions_per_day = 2;
    const double a = 0.6;
    std::ostringstream keys;
    keys << "sessions = { per_day = " << sessions_per_day << ", profile = " << no_sessions_at_nine
         << " }\nfeed_depth = 5\nbackground = { per_hour = 0 }\n"
         << "attention = { same_author = " << a << " }\n";
    const Scenario scenario = load_scenario(folder.write(
        "star.toml",
        star_text("duration = \"20d\"\nfollow_up = \"1d\"\nseed = 21\nreplicates = 40",
                  "{ kind = \"schedule\", times = [\"09:00:00\", \"09:00:01\", \"09:00:02\", "
                  "\"09:00:03\", \"09:00:04\"] }",
                  keys.str())));
    const RunResult result = simulate(scenario);
    check_channels_add_up(result);
    for (int place = 0; place < 5; ++place) {
        INFO("place " << place);
        auto at_place = [&](const PostRecord& post) {
            const double second_of_nine = std::fmod(post.post_time, 86400.0) - 9 * 3600.0;
            return std::lround(4 - second_of_nine) == place ? 1.0 : 0.0;
        };
        const double expected = sessions_per_day * std::pow(a, place);
        check_close(ratio_of_post_sums(
                        result,
                        [&](const PostRecord& post) {
                            return at_place(post) * static_cast<double>(post.impressions);
                        },
                        [&](const PostRecord& post) { return at_place(post) * followers; }),
                    expected);
        check_close(ratio_of_post_sums(
                        result,
                        [&](const PostRecord& post) {
                            return at_place(post) * static_cast<double>(post.followers_reached);
                        },
                        [&](const PostRecord& post) { return at_place(post) * followers; }),
                    1 - std::exp(-expected));
    }
}

TEST_CASE("attention: unfollowing after a threshold of posts seen in a window") {
    // One post a day at 12:00, 50 sessions a day and a deep feed: while following, every post is
    // seen before the next. From the 4th post seen on (more than 3 in the 10-day window), each
    // first view unfollows with p, so post k (1-based) is seen with probability
    // (1 - p)^max(0, k - 4), and by the end of 20 posts a follower has unfollowed with
    // probability 1 - (1 - p)^17.
    TempFolder folder;
    const double p = 0.15;
    const int posts = 20;
    std::ostringstream keys;
    keys << "sessions = { per_day = 50 }\nfeed_depth = 1000\nbackground = { per_hour = 0 }\n"
         << "attention = { unfollow = { after_posts = 3, window = \"10d\", probability = " << p
         << " } }\n";
    const Scenario scenario = load_scenario(folder.write(
        "star.toml", star_text("duration = \"20d\"\nfollow_up = \"1d\"\nseed = 22\nreplicates = 40",
                               "{ kind = \"schedule\", times = [\"12:00\"] }", keys.str())));
    const RunResult result = simulate(scenario);
    double expected_seen = 0;
    for (int k = 1; k <= posts; ++k) {
        expected_seen += std::pow(1 - p, std::max(0, k - 4)) / posts;
    }
    check_close(
        ratio_of_post_sums(
            result,
            [](const PostRecord& post) { return static_cast<double>(post.followers_reached); },
            [](const PostRecord&) { return static_cast<double>(followers); }),
        expected_seen);
    // Unfollows per replicate: Binomial(followers, q), independent between replicates.
    const double q = 1 - std::pow(1 - p, posts - 3);
    double unfollows = 0;
    for (const auto& record : result.records) {
        REQUIRE(record.posts.size() == static_cast<std::size_t>(posts));
        unfollows += static_cast<double>(record.unfollows_by_tracked_author.at(0));
    }
    const double replicates = static_cast<double>(result.records.size());
    const double standard_error = std::sqrt(followers * q * (1 - q) / replicates);
    CHECK(std::abs(unfollows / replicates - followers * q) < 5 * standard_error);
}

TEST_CASE("attention is the same in the star and the pull scheduler") {
    // Both resolve such a follower event by event from the same streams: the star as a file graph
    // gives the same results post for post, and the same on 1 and 2 threads.
    TempFolder folder;
    const std::string simulation =
        "duration = \"10d\"\nfollow_up = \"1d\"\nseed = 23\nreplicates = 2";
    const std::string keys =
        "sessions = { per_day = 6, duration = \"3m\" }\nfeed_depth = 30\n"
        "background = { per_hour = 4 }\nnotifications = { share = 0.1 }\n"
        "attention = { same_author = 0.5, unfollow = { after_posts = 8, window = \"5d\", "
        "probability = 0.1 } }\n";
    const std::string posting =
        "{ kind = \"schedule\", times = [\"08:00\", \"12:00\", \"18:00\"] }";
    const RunResult as_star =
        simulate(load_scenario(folder.write("star.toml", star_text(simulation, posting, keys))));
    folder.write("star.edges", testing::star_edge_list(followers));
    const Scenario graph = load_scenario(
        folder.write("graph.toml", "[simulation]\n" + simulation +
                                       "\n[graph]\nsource = \"file\"\npath = \"star.edges\"\n"
                                       "direction = \"followee_follower\"\n[accounts]\nposting = " +
                                       posting + "\n" + keys + "[track]\nauthors = [\"0\"]\n"));
    const RunResult as_graph = simulate(graph, 1);
    check_same_records(as_graph, simulate(graph, 2));
    CHECK(testing::check_same_views(as_star, as_graph) > 0);
    std::int64_t unfollows = 0;
    for (const auto& record : as_star.records) {
        unfollows += record.unfollows_by_tracked_author[0];
    }
    CHECK(unfollows > 0);
    check_channels_add_up(as_graph);
}

TEST_CASE("cascades with attention repeat on any thread count, and count unfollows") {
    TempFolder folder;
    const std::string text =
        "[simulation]\nduration = \"3d\"\nfollow_up = \"1d\"\nseed = 24\nreplicates = 2\n"
        "[graph]\nsource = \"power_law\"\naccounts = 3000\nmean_following = 25\n"
        "[accounts]\nposting = { per_day = 4 }\nsessions = { per_day = 6 }\nfeed_depth = 50\n"
        "attention = { same_author = 0.7, unfollow = { after_posts = 5, window = \"2d\", "
        "probability = 0.05 } }\n"
        "[retweets]\nprobability = 0.05\ndelay = { distribution = \"exponential\", mean = \"10m\" "
        "}\n"
        "min_delay = \"60s\"\n[track]\nauthors = [\"top_followers:30\"]\n";
    const Scenario scenario = load_scenario(folder.write("cascade.toml", text));
    const RunResult one = simulate(scenario, 1);
    check_same_records(one, simulate(scenario, 2));
    check_channels_add_up(one);
    std::uint64_t unfollows = 0;
    for (const auto& record : one.records) {
        for (const std::uint64_t count : record.account_unfollows) {
            unfollows += count;
        }
    }
    CHECK(unfollows > 0);
}
