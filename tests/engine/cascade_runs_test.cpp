// Retweet cascades against closed forms and branching-process theory, and against the graph
// engine. Tolerances: 5 standard errors of ratios over independent replicates (engine_test.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <sstream>

#include "run_test_support.hpp"
#include "temp_files.hpp"

using namespace reachsim;
using reachsim::testing::check_close;
using reachsim::testing::check_same_records;
using reachsim::testing::ratio_of_post_sums;
using reachsim::testing::simulate;
using reachsim::testing::TempFolder;
using reachsim::testing::tolerance_in_standard_errors;

namespace {

double p_seen(double arrivals_per_day, double sessions_per_day, int depth) {
    return 1 - std::pow(arrivals_per_day / (arrivals_per_day + sessions_per_day), depth);
}

// Mean reach per tracked post, with its standard error over replicates.
RatioEstimate reach_per_post(const RunResult& result) {
    return ratio_of_post_sums(
        result, [](const PostRecord& post) { return static_cast<double>(post.reach); },
        [](const PostRecord&) { return 1.0; });
}

}  // namespace

TEST_CASE("disjoint audiences: expected reach = F p1 (1 + q F' p2), for long and short runs") {
    // Author 0 is followed by F accounts; each of those is followed by F' accounts who follow
    // nobody else. Only the author posts (2 a day). Every feed also gets 10 background items an
    // hour. First-level feeds: arrivals 240 + 2 a day, so p1 is the closed form with that rate.
    // Second-level feeds: background plus the rare retweets of their one followee (2 p1 q a day,
    // under 0.3% of the arrivals: it moves p2 by less than 1e-3, far below the tolerance).
    // Posts are made during simulation.duration and everything they cause is followed through
    // the follow-up, so a 6-hour run (its posts' retweets mostly land after the duration ends)
    // has the same expected reach per post as a 20-day one.
    struct Case {
        int first_level, second_level;
        double q;
        const char* duration;
        int replicates;
    };
    for (const Case c : {Case{40, 15, 0.3, "20d", 20}, Case{25, 30, 0.1, "20d", 20},
                         Case{40, 15, 0.3, "6h", 400}}) {
        TempFolder folder;
        std::ostringstream edges;
        int next = c.first_level + 1;
        for (int f = 1; f <= c.first_level; ++f) {
            edges << "0 " << f << "\n";
            for (int g = 0; g < c.second_level; ++g) {
                edges << f << " " << next++ << "\n";
            }
        }
        folder.write("tree.edges", edges.str());
        folder.write("tree.csv", "id,posts_per_day\n0,2\n");
        std::ostringstream text;
        text << "[simulation]\nduration = \"" << c.duration
             << "\"\nfollow_up = \"3d\"\nseed = 8\nreplicates = " << c.replicates << "\n"
             << "[graph]\nsource = \"file\"\npath = \"tree.edges\"\ndirection = "
                "\"followee_follower\"\n"
             << "attributes = \"tree.csv\"\n"
             << "[accounts]\nposting = { per_day = 0 }\nsessions = { per_day = 6 }\nfeed_depth = "
                "20\n"
             << "extra_feed = { per_hour = 10 }\n"
             << "[retweets]\nprobability = " << c.q
             << "\ndelay = { distribution = \"exponential\", mean = \"1h\" }\n"
             << "min_delay = \"10m\"\n[track]\nauthors = [\"0\"]\n";
        const Scenario scenario = load_scenario(folder.write("tree.toml", text.str()));
        const RunResult result = simulate(scenario);
        const double p1 = p_seen(242, 6, 20);
        const double p2 = p_seen(240, 6, 20);
        const double expected = c.first_level * p1 * (1 + c.q * c.second_level * p2);
        const RatioEstimate reach = reach_per_post(result);
        INFO("F " << c.first_level << ", F' " << c.second_level << ", q " << c.q << ", "
                  << c.duration << ": reach " << reach.value << " ± " << reach.standard_error
                  << ", expected " << expected);
        REQUIRE(reach.standard_error > 0);
        REQUIRE(reach.standard_error < 0.05 * expected);
        CHECK(std::abs(reach.value - expected) <
              tolerance_in_standard_errors * reach.standard_error);
        CHECK(result.summary.unresolved_pairs == 0);
    }
}

TEST_CASE("branching: cascades stay small below R0 = 1 and take off above it") {
    // Erdős–Rényi, 3,000 accounts following 20 each; feeds get 240 background items a day. Posts
    // are rare (0.005 a day per account, all tracked), so retweet items stay a small part of the
    // feeds and a follower sees a post with probability p = 1 - (240.1/246.1)^20 = 0.386:
    // R0 = q x 20 x p. Subcritical (R0 = 0.5), a branching process reaches on average
    // 20 p / (1 - R0) ~ 15 accounts; supercritical (R0 = 2: Poisson(2) offspring survive with
    // probability 0.8), most cascades reach a finite share of all accounts.
    auto scenario = [](double q) {
        std::ostringstream text;
        text << "[simulation]\nduration = \"2d\"\nfollow_up = \"4d\"\nseed = 5\nreplicates = 8\n"
             << "[graph]\nsource = \"erdos_renyi\"\naccounts = 3000\nmean_following = 20\n"
             << "[accounts]\nposting = { per_day = 0.005 }\nsessions = { per_day = 6 }\nfeed_depth "
                "= 20\n"
             << "extra_feed = { per_hour = 10 }\n"
             << "[retweets]\nprobability = " << q
             << "\ndelay = { distribution = \"exponential\", mean = \"1h\" }\n"
             << "min_delay = \"10m\"\n[track]\nauthors = [\"top_followers:3000\"]\nall_accounts = "
                "false\n";
        return parse_scenario(text.str(), "branching.toml");
    };
    const double first_generation = 20 * p_seen(240.1, 6, 20);
    const RunResult subcritical = simulate(scenario(0.5 / first_generation));
    const RunResult supercritical = simulate(scenario(2.0 / first_generation));
    const RatioEstimate small = reach_per_post(subcritical);
    const RatioEstimate large = reach_per_post(supercritical);
    INFO("posts " << subcritical.summary.posts << ", subcritical reach " << small.value << " ± "
                  << small.standard_error << "; supercritical " << large.value << " ± "
                  << large.standard_error);
    REQUIRE(subcritical.summary.posts > 100);
    CHECK(small.value < 2 * first_generation / (1 - 0.5));
    CHECK(large.value > 0.1 * 3000);
}

TEST_CASE("q = 0: the cascade scheduler reproduces the pull scheduler's results exactly") {
    // Without background the two resolvers draw the same sessions and nothing else, so they agree
    // item for item; with background they agree in distribution (the closed-form tests).
    const std::string path = std::string(REACHSIM_SOURCE_DIR) + "/scenarios/small-power-law.toml";
    const std::vector<Override> smaller{{"graph.accounts", "3000"},
                                        {"accounts.extra_feed", "{ per_hour = 0 }"}};
    std::vector<Override> with_retweets = smaller;
    with_retweets.push_back({"retweets.probability", "0"});
    with_retweets.push_back({"retweets.min_delay", "5m"});
    const RunResult plain = simulate(load_scenario(path, smaller));
    RunResult cascades = simulate(load_scenario(path, with_retweets));
    // What only cascades record: reach by any route (here followers only), retweets (none) and
    // first views. With those set aside, every result is the pull scheduler's.
    for (ReplicateRecord& record : cascades.records) {
        CHECK(record.account_reach == record.account_followers_reached);
        CHECK(record.cascade_rows.empty());
        REQUIRE_FALSE(record.first_views.empty());
        for (const auto& post : record.posts) {
            CHECK(post.reach == post.followers_reached);
            CHECK(post.retweets == 0);
        }
        record.account_reach.clear();
        record.account_retweets.clear();
        record.first_views.clear();
    }
    check_same_records(plain, cascades);
}

TEST_CASE("cascades are identical on 1 and 2 threads") {
    const Scenario scenario =
        load_scenario(std::string(REACHSIM_SOURCE_DIR) + "/scenarios/cascades-small.toml",
                      {{"graph.accounts", "2000"}, {"simulation.replicates", "1"}});
    const RunResult one = simulate(scenario, 1);
    const RunResult two = simulate(scenario, 2);
    REQUIRE_FALSE(one.records[0].cascade_rows.empty());
    check_same_records(one, two);
}
