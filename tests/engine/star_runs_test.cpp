// Statistical tests of single-author (star) runs against the closed forms of docs/model.md.
//
// Tolerances: replicates are independent and identically distributed, so each estimate is a
// ratio of sums over R replicates with a standard error SE estimated from the spread between
// replicates (metrics' ratio_over_replicates). We accept |estimate - truth| < 5 SE; a correct
// engine fails that with probability < 1e-6 per check. Each check also requires SE to be small
// enough that the test could detect an error of a few percent.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <sstream>

#include "run_test_support.hpp"

using namespace reachsim;
using reachsim::testing::check_close;
using reachsim::testing::check_same_records;
using reachsim::testing::simulate;
using reachsim::testing::tolerance_in_standard_errors;

namespace {

struct Estimates {
    RatioEstimate seen;         // share of (post, follower) pairs seen
    RatioEstimate impressions;  // impressions per (post, follower)
};

// Estimates over the posts that `keep` accepts (by post time), all followers.
template <typename Keep>
Estimates estimate(const RunResult& result, Keep keep) {
    const auto followers = static_cast<double>(result.world.tracked_followers[0].size());
    auto kept = [&](const PostRecord& post) { return keep(post.post_time) ? 1.0 : 0.0; };
    return {testing::ratio_of_post_sums(
                result,
                [&](const PostRecord& post) {
                    return kept(post) * static_cast<double>(post.followers_reached);
                },
                [&](const PostRecord& post) { return kept(post) * followers; }),
            testing::ratio_of_post_sums(
                result,
                [&](const PostRecord& post) {
                    return kept(post) * static_cast<double>(post.impressions);
                },
                [&](const PostRecord& post) { return kept(post) * followers; })};
}

Estimates estimate(const RunResult& result) {
    return estimate(result, [](double) { return true; });
}

std::string constant_rates_scenario(double feed_per_hour, double author_per_day,
                                    double sessions_per_day, const std::string& depth) {
    std::ostringstream text;
    text << "[simulation]\nduration = \"30d\"\nreplicates = 40\nseed = 11\n"
         << "[author]\nposting = { per_day = " << author_per_day << " }\n"
         << "[followers]\ncount = 400\nsessions = { per_day = " << sessions_per_day << " }\n"
         << "feed = { per_hour = " << feed_per_hour << " }\nfeed_depth = " << depth << "\n";
    return text.str();
}

// P(seen) and impressions per (post, follower) for constant rates and a depth K drawn per
// session with survival function P(K > n) (docs/model.md, "Random depth"): with
// a = mu / (Lambda + mu), P(not seen) = prod_n (1 - a) / (1 - a (1 - P(K > n))) and
// E[impressions] = (mu / Lambda) sum_n P(K > n).
template <typename Survival>
std::pair<double, double> closed_form(double arrivals_per_day, double sessions_per_day,
                                      std::int64_t deepest, Survival survival) {
    const double a = sessions_per_day / (arrivals_per_day + sessions_per_day);
    double not_seen = 1;
    double depth_sum = 0;
    for (std::int64_t n = 0; n < deepest; ++n) {
        const double s = survival(n);
        not_seen *= (1 - a) / (1 - a * (1 - s));
        depth_sum += s;
    }
    return {1 - not_seen, sessions_per_day / arrivals_per_day * depth_sum};
}

}  // namespace

TEST_CASE("constant rates, fixed depth: P(seen) = 1 - (L/(L+m))^K and impressions = K m / L") {
    struct Case {
        double feed_per_hour, author_per_day, sessions_per_day;
        std::int64_t depth;
    };
    for (const Case c :
         {Case{10, 2, 6, 20}, Case{150, 1, 3, 200}, Case{5, 0.5, 24, 3}, Case{60, 4, 2, 50}}) {
        const Scenario scenario =
            parse_scenario(constant_rates_scenario(c.feed_per_hour, c.author_per_day,
                                                   c.sessions_per_day, std::to_string(c.depth)),
                           "constant.toml");
        const double arrivals_per_day = c.feed_per_hour * 24 + c.author_per_day;
        const double p_seen =
            1 - std::pow(arrivals_per_day / (arrivals_per_day + c.sessions_per_day),
                         static_cast<double>(c.depth));
        const double impressions =
            static_cast<double>(c.depth) * c.sessions_per_day / arrivals_per_day;
        INFO("feed " << c.feed_per_hour << "/h, author " << c.author_per_day << "/day, sessions "
                     << c.sessions_per_day << "/day, depth " << c.depth);
        const Estimates estimates = estimate(simulate(scenario));
        check_close(estimates.seen, p_seen);
        check_close(estimates.impressions, impressions);
    }
}

TEST_CASE("constant rates, geometric depth per session: the random-depth closed form") {
    const Scenario scenario = parse_scenario(
        constant_rates_scenario(10, 2, 6, "{ distribution = \"geometric\", mean = 20, max = 60 }"),
        "geometric.toml");
    const double keep = 1 - 1.0 / 20;
    const auto [p_seen, impressions] = closed_form(10 * 24 + 2, 6, 60, [keep](std::int64_t n) {
        return std::pow(keep, static_cast<double>(n));
    });
    const Estimates estimates = estimate(simulate(scenario));
    check_close(estimates.seen, p_seen);
    check_close(estimates.impressions, impressions);
}

TEST_CASE(
    "sessions and feed sharing one daily profile: P(seen) does not depend on the posting hour") {
    // A time change maps both processes onto constant rates with the same ratio, so the
    // closed form holds for posts at any hour. The author posts at 03:00 and 13:00, when the
    // profile's weights differ 15-fold. The next author post comes 10 or 14 hours later, by
    // when a post has sunk below K = 20 (fewer than 20 arrivals in 10 h has probability < 1e-30
    // at these rates), so the arrival rate is the background's alone.
    const std::string text = R"(
[simulation]
duration = "30d"
replicates = 40
seed = 5
[profiles]
rhythm = [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.5, 1, 2, 3, 3, 3, 3, 3, 3, 2, 1, 1, 1, 1, 0.6, 0.5, 0.4, 0.3]
[author]
posting = { kind = "schedule", times = ["03:00", "13:00"] }
[followers]
count = 400
sessions = { per_day = 6, profile = "rhythm" }
feed = { per_hour = 20, profile = "rhythm" }
feed_depth = 20
)";
    const Scenario scenario = parse_scenario(text, "invariance.toml");
    const RunResult result = simulate(scenario);
    const double p_seen = 1 - std::pow(480.0 / (480.0 + 6.0), 20);
    const double impressions = 20 * 6.0 / 480.0;
    for (double hour : {3.0, 13.0}) {
        INFO("posts at " << hour << ":00");
        const Estimates estimates = estimate(result, [hour](double t) {
            return std::abs(std::fmod(t, seconds_per_day) - hour * seconds_per_hour) < 1.0;
        });
        check_close(estimates.seen, p_seen);
        check_close(estimates.impressions, impressions);
    }
}

TEST_CASE("a post at 08:00 UK time is seen more by UK followers than by followers at UTC-5") {
    // Both look only in their office hours. For UK followers the post has sunk under one hour of
    // feed by their first chance to look; at UTC-5 it is 03:00 and six hours of feed bury it.
    const std::string text = R"(
[simulation]
duration = "28d"
replicates = 30
[profiles]
office = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
[author]
utc_offset = "+00:00"
posting = { kind = "schedule", times = ["08:00"], days = "mon-fri" }
[followers]
count = 400
sessions = { per_day = 3, profile = "office", days = "mon-fri" }
feed = { per_hour = 60 }  # followees everywhere: the feed fills around the clock
feed_depth = 100
[[followers.segment]]
name = "UK"
count = 200
utc_offset = "+00:00"
[[followers.segment]]
name = "US East"
count = 200
utc_offset = "-05:00"
)";
    const Scenario scenario = parse_scenario(text, "timezones.toml");
    const Summary summary = simulate(scenario).summary;
    const auto& uk = summary.segments[0].seen_fraction;
    const auto& us = summary.segments[1].seen_fraction;
    INFO("UK " << uk.value << " ± " << uk.standard_error << ", US " << us.value << " ± "
               << us.standard_error);
    const double difference_error = std::hypot(uk.standard_error, us.standard_error);
    CHECK(uk.value - us.value > tolerance_in_standard_errors * difference_error);
}

TEST_CASE("the same scenario and seed give bit-identical results on 1 and 2 threads") {
    const Scenario scenario =
        load_scenario(std::string(REACHSIM_SOURCE_DIR) + "/scenarios/greencontact.toml",
                      {{"simulation.replicates", "6"}, {"simulation.duration", "14d"}});
    const RunResult one = simulate(scenario, 1);
    const RunResult two = simulate(scenario, 2);
    check_same_records(one, two);
    Scenario other = scenario;
    other.run.seed += 1;
    CHECK(simulate(other, 1).records[0].posts[0].post_time != one.records[0].posts[0].post_time);
}

TEST_CASE("a post that sinks below the scroll depth before the next session is never seen") {
    // Sessions once a week, a feed of 3600 items an hour and a depth of 1: a post is seen only if
    // a session comes before the next item, within about a second.
    const Scenario scenario =
        parse_scenario(constant_rates_scenario(3600, 1, 1.0 / 7, "1"), "sink.toml");
    std::int64_t seen = 0;
    for (const auto& record : simulate(scenario).records) {
        for (const auto& post : record.posts) {
            seen += post.followers_reached;
        }
    }
    // Expected pairs seen: posts * followers * mu/(L+mu) ~ 1200 * 400 * 1.65e-6 ~ 0.8.
    CHECK(seen < 10);
}

TEST_CASE(
    "single-author retweets: q per first view, and the retweeters' followers see them by the "
    "closed form") {
    // Retweets are Bernoulli(q) per first view: over V first views, sd sqrt(V q (1 - q)).
    // Each retweet reaches F' followers of the retweeter, each seeing it with the constant-rate
    // probability p2 = 1 - (L2/(L2+m))^K, where their feed holds background only (L2 = 240 a day):
    // over R retweets, sd sqrt(R F' p2 (1 - p2)).
    const double q = 0.05;
    const std::int64_t audience = 40;
    std::string text = constant_rates_scenario(10, 2, 6, "20");
    text += "[retweets]\nprobability = 0.05\nfollowers = 40\ndelay = \"20m\"\n";
    const Scenario scenario = parse_scenario(text, "retweets.toml");
    double first_views = 0;
    double retweets = 0;
    double beyond = 0;
    for (const auto& record : simulate(scenario).records) {
        for (const auto& post : record.posts) {
            first_views += static_cast<double>(post.followers_reached);
            retweets += static_cast<double>(post.retweets);
            beyond += static_cast<double>(post.reach - post.followers_reached);
        }
    }
    INFO("first views " << first_views << ", retweets " << retweets << ", reached beyond "
                        << beyond);
    CHECK(std::abs(retweets - q * first_views) <
          tolerance_in_standard_errors * std::sqrt(first_views * q * (1 - q)));
    const double p2 = 1 - std::pow(240.0 / 246.0, 20);
    const double exposures = retweets * static_cast<double>(audience);
    CHECK(std::abs(beyond - exposures * p2) <
          tolerance_in_standard_errors * std::sqrt(exposures * p2 * (1 - p2)));
}

TEST_CASE("a session's item budget: P(seen) = 1 - (1 - P(live)) (L/(L+m))^K") {
    // With a budget B, only the session opened last shows an arrival live, while it is open and
    // fewer than A = B - K arrivals have come since it opened. That session opened u ~ Exp(m)
    // before the post (constant rates), and the arrivals since are Poisson(L u), so for a fixed
    // duration D, P(live) = integral over [0, D] of m e^(-m u) P(Poisson(L u) <= A - 1) du. Later
    // sessions are independent of it, as before.
    struct Case {
        double feed_per_hour, sessions_per_day;
        std::int64_t depth, budget;
        double duration_seconds;
    };
    for (const Case& c : {Case{60, 6, 20, 30, 1800}, Case{20, 3, 10, 13, 7200}}) {
        std::string text = constant_rates_scenario(c.feed_per_hour, 2, c.sessions_per_day,
                                                   std::to_string(c.depth));
        text.replace(text.find("sessions = { per_day = "), 23,
                     "sessions = { duration = \"" + std::to_string(c.duration_seconds) +
                         "s\", item_budget = " + std::to_string(c.budget) + ", per_day = ");
        const Scenario scenario = parse_scenario(text, "budget.toml");
        const double arrivals = (c.feed_per_hour * 24 + 2) / seconds_per_day;  // per second
        const double sessions = c.sessions_per_day / seconds_per_day;
        const auto allowance = static_cast<int>(c.budget - c.depth);
        auto integrand = [&](double u) {
            double term = std::exp(-arrivals * u);  // P(Poisson(L u) = 0)
            double at_most = term;
            for (int n = 1; n < allowance; ++n) {
                term *= arrivals * u / n;
                at_most += term;
            }
            return sessions * std::exp(-sessions * u) * at_most;
        };
        constexpr int steps = 20000;  // Simpson's rule: error far below the tolerance
        const double h = c.duration_seconds / steps;
        double live = integrand(0) + integrand(c.duration_seconds);
        for (int i = 1; i < steps; ++i) {
            live += (i % 2 == 1 ? 4 : 2) * integrand(i * h);
        }
        live *= h / 3;
        const double daily_arrivals = c.feed_per_hour * 24 + 2;
        const double p_seen =
            1 - (1 - live) * std::pow(daily_arrivals / (daily_arrivals + c.sessions_per_day),
                                      static_cast<double>(c.depth));
        INFO("feed " << c.feed_per_hour << "/h, sessions " << c.sessions_per_day << "/day of "
                     << c.duration_seconds << " s, depth " << c.depth << ", budget " << c.budget
                     << ": P(live) " << live);
        check_close(estimate(simulate(scenario)).seen, p_seen, 4);  // issue 12: within 4 SE
    }
}

TEST_CASE("sessions that last: P(seen) = 1 - exp(-m E[D]) (L/(L+m))^K, and 0 s is the old model") {
    // A post is seen if a session is open when it arrives — the sessions covering an instant are
    // Poisson with mean m E[D], whatever D's distribution — or if a later session opens while it
    // is among the newest K. The two involve disjoint stretches of the session process, so they
    // are independent.
    struct Case {
        double feed_per_hour, author_per_day, sessions_per_day;
        std::int64_t depth;
        std::string duration;
        double mean_duration_seconds;
    };
    for (const Case& c :
         {Case{10, 2, 6, 20, "\"20m\"", 1200}, Case{150, 1, 14, 200, "\"142s\"", 142},
          Case{60, 4, 2, 50, "{ distribution = \"lognormal\", mean = \"2h\", sigma = 1 }", 7200}}) {
        std::string text = constant_rates_scenario(c.feed_per_hour, c.author_per_day,
                                                   c.sessions_per_day, std::to_string(c.depth));
        text.replace(text.find("sessions = { per_day = "), 23,
                     "sessions = { duration = " + c.duration + ", per_day = ");
        const Scenario scenario = parse_scenario(text, "lasting.toml");
        const double arrivals_per_day = c.feed_per_hour * 24 + c.author_per_day;
        const double p_seen =
            1 - std::exp(-c.sessions_per_day * c.mean_duration_seconds / seconds_per_day) *
                    std::pow(arrivals_per_day / (arrivals_per_day + c.sessions_per_day),
                             static_cast<double>(c.depth));
        INFO("feed " << c.feed_per_hour << "/h, sessions " << c.sessions_per_day << "/day lasting "
                     << c.duration << ", depth " << c.depth);
        check_close(estimate(simulate(scenario)).seen, p_seen, 4);  // issue 12: within 4 SE
    }
    // A duration of 0 s is the glance model, bit for bit.
    const std::string glance = constant_rates_scenario(10, 2, 6, "20");
    std::string zero = glance;
    zero.replace(zero.find("sessions = { per_day = "), 23,
                 "sessions = { duration = \"0s\", per_day = ");
    check_same_records(simulate(parse_scenario(glance, "glance.toml")),
                       simulate(parse_scenario(zero, "zero.toml")));
}
