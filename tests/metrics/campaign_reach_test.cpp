// Campaign reach against closed forms (docs/model.md, "Campaign reach"): with constant rates and
// a fixed depth K, a post is seen with p = 1 - (L / (L + m))^K, and posts far enough apart are
// seen independently, so a follower is reached by at least one of n posts with 1 - (1 - p)^n.
// Tolerance: 5 standard errors over replicates (see tests/engine/star_runs_test.cpp).
#include <catch2/catch.hpp>

#include <cmath>

#include "run_test_support.hpp"

using namespace reachsim;
using reachsim::testing::check_close;
using reachsim::testing::simulate;

TEST_CASE("weekly, monthly and whole-run reach of posts three times a week: 1 - (1 - p)^n") {
    // Mondays, Wednesdays and Fridays at noon for four weeks from Monday 2 January 2012: a post
    // sinks below K = 20 within hours (fewer than 20 of 240 arrivals a day in two days has
    // probability < 1e-150), so each post is an independent trial.
    const Scenario scenario = parse_scenario(
        "[simulation]\nstart = \"2012-01-02T00:00:00Z\"\nduration = \"28d\"\nreplicates = 40\n"
        "seed = 5\n"
        "[author]\nposting = { kind = \"schedule\", days = \"mon,wed,fri\", times = [\"12:00\"] }\n"
        "[followers]\ncount = 300\nsessions = { per_day = 2 }\nfeed = { per_hour = 10 }\n"
        "feed_depth = 20\n",
        "three-a-week.toml");
    const RunResult result = simulate(scenario);
    const Summary& summary = result.summary;
    const double p = 1 - std::pow(240.0 / 242.0, 20);
    REQUIRE(summary.calendar.weeks().size() == 4);
    CHECK(summary.posts == 12 * 40);
    check_close(summary.seen_fraction, p);
    check_close(summary.mean_weekly_reach, 1 - std::pow(1 - p, 3));
    check_close(summary.run_reach, 1 - std::pow(1 - p, 12));

    // Per week, per replicate: distinct posts seen per follower average 3p; every follower's
    // weekly count of reaching replicates adds up to the replicates' weekly reach.
    std::vector<double> posts_seen;
    std::vector<double> ones;
    for (const auto& replicate : summary.replicates) {
        REQUIRE(replicate.weekly_reach.size() == 4);
        REQUIRE(replicate.monthly_reach.size() == 1);
        for (double seen : replicate.weekly_posts_seen_per_follower) {
            posts_seen.push_back(seen);
            ones.push_back(1);
        }
        // January holds the whole run.
        CHECK(replicate.monthly_reach[0] == replicate.run_reach);
    }
    check_close(ratio_over_replicates(posts_seen, ones), 3 * p);
    const auto followers = static_cast<double>(summary.followers.account.size());
    for (std::size_t week = 0; week < 4; ++week) {
        double from_followers = 0;
        for (std::size_t row = 0; row < summary.followers.account.size(); ++row) {
            from_followers += static_cast<double>(summary.followers.weeks_reached[row * 4 + week]);
        }
        double from_replicates = 0;
        for (const auto& replicate : summary.replicates) {
            from_replicates += replicate.weekly_reach[week] * followers;
        }
        CHECK(from_followers == Approx(from_replicates));
    }
}
