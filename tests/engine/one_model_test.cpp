// One model, two ways to describe an audience: the same world written as an author scenario
// ([author], [followers]) and as a star graph read from an edge list ([graph], [accounts]) takes
// the same keys and meets the same closed forms — for a scroll depth drawn per session
// (geometric), one drawn per account (lognormal) and posting at clock times (a schedule).
// Tolerances: 5 standard errors of ratios over independent replicates (engine_test.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "run_test_support.hpp"
#include "temp_files.hpp"

using namespace reachsim;
using reachsim::testing::check_close;
using reachsim::testing::ratio_of_post_sums;
using reachsim::testing::simulate;
using reachsim::testing::TempFolder;
using reachsim::testing::tolerance_in_standard_errors;

namespace {

constexpr int followers = 300;
constexpr double background_per_hour = 10;
constexpr double sessions_per_day = 6;

// The account keys both descriptions share.
std::string account_keys(const std::string& depth) {
    std::ostringstream text;
    text << "sessions = { per_day = " << sessions_per_day << " }\nfeed_depth = " << depth
         << "\nbackground = { per_hour = " << background_per_hour << " }\n";
    return text.str();
}

Scenario as_author(const std::string& posting, const std::string& depth) {
    std::ostringstream text;
    text << "[simulation]\nduration = \"30d\"\nseed = 6\nreplicates = 30\n"
         << "[author]\nposting = " << posting << "\n[followers]\ncount = " << followers << "\n"
         << account_keys(depth);
    return parse_scenario(text.str(), "author.toml");
}

// Account 0 followed by every other account, who follow nobody: their own posts reach no feed.
Scenario as_graph(const TempFolder& folder, const std::string& posting, const std::string& depth) {
    std::ostringstream edges;
    for (int f = 1; f <= followers; ++f) {
        edges << "0 " << f << "\n";
    }
    folder.write("star.edges", edges.str());
    std::ostringstream text;
    text << "[simulation]\nduration = \"30d\"\nfollow_up = \"3d\"\nseed = 6\nreplicates = 30\n"
         << "[graph]\nsource = \"file\"\npath = \"star.edges\"\ndirection = \"followee_follower\"\n"
         << "[accounts]\nposting = " << posting << "\n"
         << account_keys(depth) << "[track]\nauthors = [\"0\"]\nall_accounts = false\n";
    return load_scenario(folder.write("star.toml", text.str()));
}

// P(seen) for a fixed depth K at constant rates: 1 - (L / (L + m))^K (docs/model.md).
double p_seen(double arrivals_per_day, double depth) {
    return 1 - std::pow(arrivals_per_day / (arrivals_per_day + sessions_per_day), depth);
}

RatioEstimate seen_fraction(const RunResult& result) {
    return ratio_of_post_sums(
        result, [](const PostRecord& post) { return static_cast<double>(post.followers_reached); },
        [](const PostRecord&) { return static_cast<double>(followers); });
}

// Runs `check` on the author scenario and on the star graph.
template <typename Check>
void in_both(const std::string& posting, const std::string& depth, Check check) {
    TempFolder folder;
    for (const Scenario& scenario : {as_author(posting, depth), as_graph(folder, posting, depth)}) {
        INFO((scenario.model.is_star() ? "author scenario" : "star graph"));
        check(simulate(scenario));
    }
}

}  // namespace

TEST_CASE("a geometric scroll depth per session meets the random-depth closed form in both") {
    // A depth K drawn afresh each session, geometric with mean 20, capped at 60: with
    // a = m / (L + m), P(not seen) = prod_{n < 60} (1 - a) / (1 - a (1 - P(K > n))),
    // P(K > n) = (1 - 1/20)^n (docs/model.md, "Random depth").
    const double arrivals_per_day = background_per_hour * 24 + 2;
    const double a = sessions_per_day / (arrivals_per_day + sessions_per_day);
    double not_seen = 1;
    for (int n = 0; n < 60; ++n) {
        const double survival = std::pow(1 - 1.0 / 20, n);
        not_seen *= (1 - a) / (1 - a * (1 - survival));
    }
    in_both("{ per_day = 2 }", "{ distribution = \"geometric\", mean = 20, max = 60 }",
            [&](const RunResult& result) {
                CHECK(result.summary.unresolved_pairs == 0);
                check_close(seen_fraction(result), 1 - not_seen);
            });
}

TEST_CASE("a lognormal scroll depth per account: the mean over followers of their closed forms") {
    // Each follower keeps its own depth K_i (lognormal, mean 20, rounded, at least 1), so the
    // expected seen fraction is the mean of p(K_i) over the followers the world drew.
    const double arrivals_per_day = background_per_hour * 24 + 2;
    in_both("{ per_day = 2 }", "{ distribution = \"lognormal\", mean = 20, sigma = 0.8 }",
            [&](const RunResult& result) {
                double expected = 0;
                double smallest = 1e9;
                double largest = 0;
                for (const AccountIndex follower : result.world.tracked_followers[0]) {
                    const double depth = result.world.accounts.feed_depth[follower];
                    expected += p_seen(arrivals_per_day, depth) / followers;
                    smallest = std::min(smallest, depth);
                    largest = std::max(largest, depth);
                }
                REQUIRE(largest > 3 * smallest);  // the depths really vary
                check_close(seen_fraction(result), expected);
            });
}

TEST_CASE("posting at clock times: posts at those times, and the constant-rate closed form") {
    // Posts at 09:00 and 15:00 UTC every day. A post sinks below 20 items within a few hours at
    // 240 background items a day (fewer than 20 in 6 hours: probability < 1e-30), before the
    // next post arrives, so arrivals are the background's alone.
    in_both("{ kind = \"schedule\", times = [\"09:00\", \"15:00\"] }", "20",
            [&](const RunResult& result) {
                for (const auto& record : result.records) {
                    REQUIRE(record.posts.size() == 60);
                    for (const auto& post : record.posts) {
                        const double clock = std::fmod(post.post_time, seconds_per_day);
                        CHECK((clock == 9 * seconds_per_hour || clock == 15 * seconds_per_hour));
                    }
                }
                check_close(seen_fraction(result), p_seen(background_per_hour * 24, 20));
            });
}
