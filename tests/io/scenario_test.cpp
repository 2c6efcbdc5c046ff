#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "scenario/scenario.hpp"

using namespace reachsim;
using Catch::Matchers::Contains;

namespace {

const std::string minimal = R"([followers]
count = 10
)";

std::int64_t follower_count(const Model& model) {
    std::int64_t total = 0;
    for (const auto& segment : model.segments) {
        total += segment.count;
    }
    return total;
}

// The message of the input_error that `text` (as file "s.toml") raises.
std::string error_of(const std::string& text, const std::vector<Override>& overrides = {}) {
    try {
        parse_scenario(text, "s.toml", overrides);
    } catch (const input_error& error) {
        return error.what();
    }
    FAIL("expected an input_error for:\n" << text);
    return "";
}

}  // namespace

TEST_CASE("a minimal scenario gets documented defaults") {
    const Scenario scenario = parse_scenario(minimal, "minimal.toml");
    const Model& model = scenario.model;
    CHECK(model.start_unix_seconds == 1325462400);
    CHECK(model.duration_seconds == 90 * 86400.0);
    REQUIRE(model.segments.size() == 1);
    CHECK(model.segments[0].count == 10);
    CHECK(model.segments[0].background_per_hour == 150.0);
    CHECK(model.segments[0].sessions_per_day == Distribution::fixed_at(3.0));
    CHECK(model.segments[0].feed_depth.largest() == 200);
    CHECK(std::isinf(model.follow_up_seconds));  // followed until unseeable
    CHECK(scenario.run.replicates == 20);
    CHECK(scenario.run.output_path == "minimal.h5");
}

TEST_CASE("segments inherit follower defaults and override single keys") {
    const Scenario scenario = parse_scenario(R"(
[profiles]
evening = [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,0,0]
[followers]
count = 100
sessions = { per_day = 4, profile = "evening" }
feed = { per_hour = 20 }
[[followers.segment]]
name = "UK"
share = 0.25
sessions.per_day = 8
[[followers.segment]]
name = "rest"
share = 0.75
utc_offset = "-05:00"
feed_depth = { distribution = "geometric", mean = 50 }
)",
                                             "s.toml");
    const auto& segments = scenario.model.segments;
    REQUIRE(segments.size() == 2);
    CHECK(segments[0].count == 25);
    CHECK(segments[1].count == 75);
    CHECK(segments[0].sessions_per_day.value == 8.0);
    CHECK(segments[0].sessions.profile.name == "evening");
    CHECK(segments[0].sessions.profile.weights[18] == 6.0);  // normalised to mean 1: 24 / 4
    CHECK(segments[1].sessions_per_day.value == 4.0);
    CHECK(segments[1].utc_offset_hours == -5.0);
    CHECK(segments[1].background_per_hour == 20.0);
    CHECK(segments[1].feed_depth.kind == Distribution::Kind::geometric);
    CHECK(segments[1].feed_depth.per ==
          Distribution::Per::event);  // a geometric depth: per session
    CHECK(segments[1].feed_depth.cap == 500);
}

TEST_CASE("shares are turned into counts that add up exactly") {
    const Scenario scenario = parse_scenario(R"(
[followers]
count = 10
[[followers.segment]]
name = "a"
share = 0.333333333333
[[followers.segment]]
name = "b"
share = 0.333333333333
[[followers.segment]]
name = "c"
count = 2
[[followers.segment]]
name = "d"
share = 0.133333333334
)",
                                             "s.toml");
    CHECK(follower_count(scenario.model) == 10);
}

TEST_CASE("the resolved scenario parses back to the same model and run settings") {
    for (const char* file : {"greencontact.toml", "constant-rates.toml"}) {
        const Scenario original =
            load_scenario(std::string(REACHSIM_SOURCE_DIR) + "/scenarios/" + file);
        const std::string resolved = resolved_scenario_toml(original);
        const Scenario reparsed = parse_scenario(resolved, "resolved.toml");
        CHECK(reparsed.model == original.model);
        CHECK(reparsed.run == original.run);
        CHECK(resolved_scenario_toml(reparsed) == resolved);
    }
}

TEST_CASE("a schedule posting parses clock times, days and jitter") {
    const Scenario scenario = parse_scenario(R"(
[author]
utc_offset = "+01:00"
posting = { kind = "schedule", times = ["14:00", "09:30"], days = "mon-fri", jitter = "10m" }
[followers]
count = 3
)",
                                             "s.toml");
    const auto& author = std::get<StarAudience>(scenario.model.audience.source);
    const auto& schedule = std::get<SchedulePosting>(author.author_posting);
    CHECK(schedule.local_times_seconds == std::vector<double>{9.5 * 3600, 14 * 3600});
    CHECK(schedule.jitter_seconds == 600.0);
}

TEST_CASE("overrides set scalar keys and are validated like the file") {
    const Scenario scenario = parse_scenario(
        minimal, "s.toml", {{"simulation.duration", "30d"}, {"followers.count", "12"}});
    CHECK(scenario.model.duration_seconds == 30 * 86400.0);
    CHECK(follower_count(scenario.model) == 12);
    CHECK_THAT(error_of(minimal, {{"simulation.duration", "30"}}),
               Contains("--set: 'simulation.duration'"));
    CHECK_THAT(error_of(minimal, {{"simulation.duraton", "3d"}}),
               Contains("did you mean 'duration'"));
    CHECK_THAT(error_of(minimal, {{"followers", "3"}}),
               Contains("--set: 'followers'") && Contains("expected a table"));
}

TEST_CASE("overrides set arrays and tables too, and errors inside them blame --set") {
    const std::string schedule =
        "[author]\nposting = { kind = \"schedule\", times = [\"08:00\"] }\n[followers]\ncount = "
        "3\n";
    const Scenario scenario =
        parse_scenario(schedule, "s.toml", {{"author.posting.times", R"(["09:00", "13:00"])"}});
    const auto& author = std::get<StarAudience>(scenario.model.audience.source);
    CHECK(std::get<SchedulePosting>(author.author_posting).local_times_seconds ==
          std::vector<double>{9 * 3600.0, 13 * 3600.0});
    const Scenario tabled = parse_scenario(
        minimal, "s.toml", {{"followers.sessions", "{ per_day = 5, days = \"mon\" }"}});
    CHECK(tabled.model.segments[0].sessions_per_day.value == 5);
    CHECK_THAT(error_of(schedule, {{"author.posting.times", R"(["09:00", "25:00"])"}}),
               Contains("--set: 'author.posting.times'"));
    CHECK_THAT(error_of(minimal, {{"followers.sessions", "{ per_day = -1 }"}}),
               Contains("--set: 'followers.sessions.per_day'"));
    CHECK_THAT(error_of(minimal, {{"profiles.deep", std::string(100, '[')}}),
               Contains("--set") && Contains("nested"));
}

TEST_CASE("bad input names the file, line and key and says what was expected") {
    SECTION("not TOML at all") {
        CHECK_THAT(error_of("[followers\ncount = 3\n"),
                   Contains("s.toml:1") && Contains("not valid TOML"));
    }
    SECTION("a misspelt key gets the closest valid name") {
        CHECK_THAT(error_of("[followers]\ncount = 3\nsesions = { per_day = 2 }\n"),
                   Contains("s.toml:3") && Contains("'followers.sesions'") &&
                       Contains("did you mean 'sessions'"));
        CHECK_THAT(error_of("[simulaton]\n[followers]\ncount = 3\n"),
                   Contains("s.toml:1") && Contains("did you mean 'simulation'"));
    }
    SECTION("a wrong type") {
        CHECK_THAT(error_of("[followers]\ncount = \"many\"\n"),
                   Contains("s.toml:2") && Contains("'followers.count'") &&
                       Contains("expected an integer"));
        CHECK_THAT(
            error_of("[simulation]\nduration = 30\n[followers]\ncount = 3\n"),
            Contains("s.toml:2") && Contains("'simulation.duration'") && Contains("with a unit"));
    }
    SECTION("a negative rate") {
        CHECK_THAT(error_of("[followers]\ncount = 3\n\nsessions = { per_day = -1 }\n"),
                   Contains("s.toml:4") && Contains("'followers.sessions.per_day'") &&
                       Contains("non-negative"));
        CHECK_THAT(error_of("[followers]\ncount = 3\nfeed = { per_hour = -1 }\n"),
                   Contains("s.toml:3") && Contains("'followers.feed.per_hour'") &&
                       Contains("non-negative"));
        CHECK_THAT(error_of("[followers]\ncount = 3\nbackground = { per_hour = 0 }\n"),
                   Contains("'followers.background'") && Contains("positive background"));
    }
    SECTION("a profile of zeros under a positive rate") {
        const std::string text =
            "[profiles]\nnever = [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]\n"
            "[followers]\ncount = 3\nsessions = { per_day = 2, profile = \"never\" }\n";
        CHECK_THAT(error_of(text), Contains("s.toml:5") &&
                                       Contains("'followers.sessions.profile'") &&
                                       Contains("zero at every hour"));
    }
    SECTION("a profile of the wrong length, with a negative weight, or an unknown name") {
        CHECK_THAT(
            error_of("[profiles]\nshort = [1, 2]\n[followers]\ncount = 3\n"),
            Contains("s.toml:2") && Contains("'profiles.short'") && Contains("24 hourly weights"));
        CHECK_THAT(
            error_of("[profiles]\nbad = [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,\n-1]\n"
                     "[followers]\ncount = 3\n"),
            Contains("s.toml:3") && Contains("hour 23"));
        CHECK_THAT(error_of("[followers]\ncount = 3\nfeed = { profile = \"flt\" }\n"),
                   Contains("s.toml:3") && Contains("did you mean 'flat'"));
    }
    SECTION("segment counts that do not add up") {
        CHECK_THAT(
            error_of("[followers]\ncount = 10\n[[followers.segment]]\nname = \"a\"\ncount = 4\n"
                     "[[followers.segment]]\nname = \"b\"\ncount = 5\n"),
            Contains("s.toml:2") && Contains("'followers.count'") && Contains("add up to 9"));
        CHECK_THAT(
            error_of("[followers]\ncount = 10\n[[followers.segment]]\nname = \"a\"\nshare = 0.5\n"
                     "[[followers.segment]]\nname = \"b\"\nshare = 0.4\n"),
            Contains("'followers.segment'") && Contains("do not add up"));
    }
    SECTION("contradictory values") {
        CHECK_THAT(error_of("[followers]\ncount = 10\n[[followers.segment]]\nname = \"a\"\ncount = "
                            "4\nshare = 0.4\n"),
                   Contains("s.toml:6") && Contains("exactly one of 'count' and 'share'"));
        CHECK_THAT(error_of("[author]\nposting = { kind = \"poisson\", times = [\"09:00\"] "
                            "}\n[followers]\ncount = 3\n"),
                   Contains("s.toml:2") && Contains("'author.posting.times'") &&
                       Contains("only to kind = \"schedule\""));
        CHECK_THAT(
            error_of("[followers]\ncount = 2\n[[followers.segment]]\nname = \"a\"\ncount = 1\n"
                     "[[followers.segment]]\nname = \"a\"\ncount = 1\n"),
            Contains("s.toml:7") && Contains("duplicate segment name"));
    }
    SECTION("depth 0") {
        CHECK_THAT(
            error_of("[followers]\ncount = 3\nfeed_depth = 0\n"),
            Contains("s.toml:3") && Contains("'followers.feed_depth'") && Contains("at least 1"));
        CHECK_THAT(error_of("[followers]\ncount = 3\nfeed_depth = { distribution = \"geometric\", "
                            "mean = 0.5 }\n"),
                   Contains("s.toml:3") && Contains("'followers.feed_depth.mean'"));
    }
    SECTION("out-of-range values") {
        CHECK_THAT(error_of("[simulation]\nreplicates = 0\n[followers]\ncount = 3\n"),
                   Contains("s.toml:2") && Contains("'simulation.replicates'"));
        CHECK_THAT(error_of("[author]\nutc_offset = \"+17:00\"\n[followers]\ncount = 3\n"),
                   Contains("s.toml:2") && Contains("'author.utc_offset'"));
        CHECK_THAT(
            error_of("[simulation]\nstart = \"2012-13-01T00:00:00Z\"\n[followers]\ncount = 3\n"),
            Contains("s.toml:2") && Contains("ISO-8601"));
    }
    SECTION("missing required keys") {
        CHECK_THAT(error_of("[simulation]\nseed = 3\n"),
                   Contains("'followers'") && Contains("required"));
        CHECK_THAT(
            error_of("[author]\nposting = { kind = \"schedule\" }\n[followers]\ncount = 3\n"),
            Contains("'author.posting.times'") && Contains("required"));
    }
}

TEST_CASE("a missing scenario file is an input error naming it") {
    CHECK_THROWS_WITH(load_scenario("/nonexistent/x.toml"), Contains("/nonexistent/x.toml"));
}

TEST_CASE("docs/scenarios.md documents every key the parser accepts") {
    std::ifstream file(std::string(REACHSIM_SOURCE_DIR) + "/docs/scenarios.md");
    REQUIRE(file);
    std::stringstream text;
    text << file.rdbuf();
    for (const auto& key : scenario_keys()) {
        INFO(key);
        CHECK_THAT(text.str(), Contains("`" + key + "`"));
    }
    // Distribution tables take the same keys everywhere; the docs describe them once.
    const auto distributions = text.str().find("## Distributions");
    REQUIRE(distributions != std::string::npos);
    for (const auto& key : distribution_table_keys()) {
        INFO(key);
        CHECK(text.str().find("`" + key + "`", distributions) != std::string::npos);
    }
}

TEST_CASE("a graph scenario reads the graph source, account distributions and tracking") {
    const Scenario scenario =
        load_scenario(std::string(REACHSIM_SOURCE_DIR) + "/scenarios/small-power-law.toml");
    const Model& model = scenario.model;
    REQUIRE_FALSE(model.is_star());
    const auto& generator = std::get<PowerLawGenerator>(model.audience.source);
    CHECK(generator.accounts == 20000);
    CHECK(model.audience.reciprocity == 0.22);
    CHECK(model.audience.homophily == 0.6);
    CHECK(model.duration_seconds == 86400.0);
    CHECK(model.follow_up_seconds == 2 * 86400.0);
    REQUIRE(model.segments.size() == 2);
    CHECK(model.segments[0].count == 6000);
    CHECK(model.segments[1].count == 14000);
    CHECK(model.segments[1].utc_offset_hours == -5.0);
    const auto& posting = std::get<PoissonPosting>(model.segments[0].posting);
    CHECK(posting.per_day.kind == Distribution::Kind::lognormal);
    CHECK(posting.per_day.mean == 1.2);
    CHECK(model.segments[0].background_per_hour == 20.0);
    CHECK(model.track.authors.size() == 3);
}

TEST_CASE("graph file paths are relative to the scenario file") {
    const Scenario scenario =
        load_scenario(std::string(REACHSIM_SOURCE_DIR) + "/scenarios/hersheycareers.toml");
    const auto& file = std::get<GraphFile>(scenario.model.audience.source);
    CHECK_THAT(file.path, Contains("scenarios/data/hersheycareers.edges.tsv"));
    CHECK(file.direction == EdgeDirection::followee_follower);
}

TEST_CASE("resolved graph scenarios parse back to the same model") {
    for (const char* file : {"small-power-law.toml", "hersheycareers.toml", "power-law-1m.toml"}) {
        const Scenario original =
            load_scenario(std::string(REACHSIM_SOURCE_DIR) + "/scenarios/" + file);
        const std::string resolved = resolved_scenario_toml(original);
        const Scenario reparsed = parse_scenario(resolved, "resolved.toml");
        CHECK(reparsed.model == original.model);
        CHECK(reparsed.run == original.run);
    }
}

TEST_CASE("a graph larger than a star may be resolves back (found by fuzz_scenario)") {
    // A generated graph of 412.7 M accounts reads into one segment of that many; its resolved
    // scenario gives that count and must read back, although a star's followers stop at 1e8.
    const Scenario original = parse_scenario(
        "[graph]\nsource = \"power_law\"\naccounts = 412700000\nmean_following = 33.4\n",
        "big.toml");
    REQUIRE(original.model.segments[0].count == 412700000);
    const Scenario reparsed = parse_scenario(resolved_scenario_toml(original), "resolved.toml");
    CHECK(reparsed.model == original.model);
}

TEST_CASE("bad graph scenarios name the file, line and key") {
    const std::string generated =
        "[graph]\nsource = \"power_law\"\naccounts = 1000\nmean_following = 10\n";
    CHECK_THAT(error_of("[graph]\naccounts = 10\n"),
               Contains("'graph.source'") && Contains("required"));
    CHECK_THAT(error_of(generated + "following_per_account = 3\n"),
               Contains("s.toml:5") && Contains("'graph.following_per_account'") &&
                   Contains("does not apply"));
    CHECK_THAT(error_of("[graph]\nsource = \"power_law\"\naccounts = 1000\nmean_following = 10\n"
                        "followers_exponent = 1.9\n"),
               Contains("s.toml:5") && Contains("above 2"));
    CHECK_THAT(
        error_of("[graph]\nsource = \"file\"\npath = \"nowhere.txt\"\ndirection = \"mutual\"\n"),
        Contains("s.toml:3") && Contains("'graph.path'") && Contains("no such file"));
    CHECK_THAT(error_of(generated + "homophily = 0.5\n"),
               Contains("'graph.homophily'") && Contains("two"));
    CHECK_THAT(error_of(generated +
                        "[accounts]\nposting = { per_day = { distribution = \"lognormal\" } }\n"),
               Contains("s.toml:6") && Contains("'accounts.posting.per_day.mean'"));
    CHECK_THAT(error_of(generated + "[accounts]\nfeed_depth = 0\n"),
               Contains("s.toml:6") && Contains("'accounts.feed_depth'") && Contains("at least 1"));
    CHECK_THAT(error_of(generated + "[[accounts.segment]]\nname = \"a\"\ncount = 400\n"),
               Contains("'accounts.segment'") && Contains("do not add up"));
    CHECK_THAT(error_of(generated + "[author]\nname = \"x\"\n"),
               Contains("s.toml:5") && Contains("'author'") && Contains("unknown key"));
    CHECK_THAT(error_of(generated + "[track]\nauthors = [1.5]\n"), Contains("'track.authors'"));
}

TEST_CASE("heavy-tailed retweet delays read, resolve back, and are refused where they do not fit") {
    const std::string base = R"([followers]
count = 10
[retweets]
probability = 0.01
followers = 100
)";
    const Scenario power_law = parse_scenario(
        base +
            R"(delay = { distribution = "power_law", exponent = 1.5, min = "1m", cutoff = "1d" })",
        "p.toml");
    const Distribution& delay = power_law.model.retweets->delay;
    CHECK(delay.kind == Distribution::Kind::power_law);
    CHECK(delay.exponent == 1.5);
    CHECK(delay.lower == 60);
    CHECK(delay.cutoff == 86400);
    const Scenario seismic =
        parse_scenario(base + R"(delay = { distribution = "seismic", max = "7d" })", "s.toml");
    CHECK(seismic.model.retweets->delay.plateau == 300);
    CHECK(seismic.model.retweets->delay.theta == 0.2315);
    for (const Scenario* scenario : {&power_law, &seismic}) {
        CHECK(parse_scenario(resolved_scenario_toml(*scenario), "r.toml").model == scenario->model);
    }
    CHECK_THROWS_WITH(parse_scenario(base + R"(delay = { distribution = "seismic" })", "s.toml"),
                      Catch::Contains("'retweets.delay.max': required: a cap"));
    CHECK_THROWS_WITH(
        parse_scenario(
            base +
                R"(delay = { distribution = "power_law", exponent = 1.5, min = "1h", cutoff = "1m" })",
            "p.toml"),
        Catch::Contains("'retweets.delay.cutoff'"));
    CHECK_THROWS_WITH(parse_scenario(R"([followers]
count = 10
feed_depth = { distribution = "power_law", exponent = 2, min = 1, cutoff = 100 }
)",
                                     "d.toml"),
                      Catch::Contains("for delays (durations) only"));
}
