#include "scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/apportion.hpp"
#include "scenario/graph_scenario.hpp"
#include "scenario/table_reader.hpp"
#include "scenario/value_readers.hpp"

namespace reachsim {
namespace {

using namespace detail;

// The schema: which keys each table may hold. docs/scenarios.md documents each one (a test
// checks that it does).
const KeyList top_keys{"simulation", "author", "followers", "retweets", "profiles", "output"};
const KeyList single_author_retweets_keys{"probability", "followers", "delay", "min_delay"};
const KeyList simulation_keys{"start", "duration", "seed", "replicates"};
const KeyList author_keys{"name", "utc_offset", "posting"};
const KeyList posting_keys{"kind", "per_day", "profile", "days", "times", "jitter"};
const KeyList sessions_keys{"per_day", "profile", "days"};
const KeyList feed_keys{"per_hour", "profile", "days"};
const KeyList feed_depth_keys{"distribution", "items", "mean", "max"};
const KeyList followers_keys{"count", "utc_offset", "sessions", "feed", "feed_depth", "segment"};
const KeyList segment_keys{"name",     "count", "share",     "utc_offset",
                           "sessions", "feed",  "feed_depth"};
const KeyList output_keys{"path"};

constexpr std::string_view default_start = "2012-01-02T00:00:00Z";  // a Monday
constexpr double default_duration_seconds = 90 * seconds_per_day;
constexpr double default_graph_duration_seconds = seconds_per_day;
constexpr double default_follow_up_seconds = 2 * seconds_per_day;
constexpr std::int64_t default_replicates = 20;
constexpr double default_sessions_per_day = 3;
constexpr double default_feed_per_hour = 150;
constexpr std::int64_t default_feed_depth = 200;
constexpr double default_geometric_cap_factor = 10;  // a geometric depth is capped at 10x its mean
constexpr double share_tolerance = 1e-9;

Rhythm read_sessions(const TableReader& reader, const Profiles& profiles, const Rhythm& fallback) {
    Rhythm rhythm;
    rhythm.events_per_active_day = read_non_negative(
        reader, "per_day", fallback.events_per_active_day, "sessions per active day");
    rhythm.profile = read_profile(reader, profiles, fallback.profile);
    rhythm.days = read_days(reader, fallback.days);
    require_active(reader, "per_day", rhythm);
    return rhythm;
}

Rhythm read_feed(const TableReader& reader, const Profiles& profiles, const Rhythm& fallback) {
    Rhythm rhythm;
    const double per_hour =
        reader.number("per_hour").value_or(fallback.events_per_active_day / hours_per_day);
    if (!(per_hour > 0)) {
        reader.fail(
            "per_hour",
            "expected a positive rate (background items per hour): with none, a post could never "
            "sink below the scroll depth");
    }
    rhythm.events_per_active_day = per_hour * hours_per_day;
    rhythm.profile = read_profile(reader, profiles, fallback.profile);
    rhythm.days = read_days(reader, fallback.days);
    require_active(reader, "per_hour", rhythm);
    return rhythm;
}

FeedDepth read_feed_depth(const TableReader& reader, const FeedDepth& fallback) {
    const toml::node* node = reader.node("feed_depth");
    if (!node) {
        return fallback;
    }
    FeedDepth depth;
    if (node->is_integer()) {
        depth.fixed_items = node->as_integer()->get();
        if (depth.fixed_items < 1) {
            reader.fail("feed_depth", "expected at least 1 item per session, got " +
                                          std::to_string(depth.fixed_items));
        }
        return depth;
    }
    if (!node->is_table()) {
        reader.fail("feed_depth",
                    "expected an integer number of items, or a table {distribution = ...}");
    }
    const TableReader table = reader.child("feed_depth", feed_depth_keys);
    const std::string distribution = table.string("distribution").value_or("fixed");
    if (distribution == "fixed") {
        depth.fixed_items = table.integer("items").value_or(default_feed_depth);
        if (depth.fixed_items < 1) {
            table.fail("items", "expected at least 1 item per session");
        }
        if (table.has("mean") || table.has("max")) {
            table.fail(table.has("mean") ? "mean" : "max",
                       "applies only to distribution = \"geometric\"");
        }
        return depth;
    }
    if (distribution != "geometric") {
        table.fail("distribution",
                   "expected \"fixed\" or \"geometric\", got \"" + distribution + "\"");
    }
    if (table.has("items")) {
        table.fail(
            "items",
            "applies only to distribution = \"fixed\"; a geometric depth takes 'mean' and 'max'");
    }
    depth.kind = FeedDepth::Kind::geometric;
    auto mean = table.number("mean");
    if (!mean) {
        table.fail("mean", "required for a geometric depth: the mean number of items per session");
    }
    if (*mean < 1) {
        table.fail("mean", "expected a mean of at least 1 item");
    }
    depth.mean_items = *mean;
    depth.max_items = table.integer("max").value_or(
        static_cast<std::int64_t>(std::ceil(default_geometric_cap_factor * *mean)));
    if (depth.max_items < 1) {
        table.fail("max", "expected at least 1 item");
    }
    return depth;
}

// Follower parameters read from `reader` on top of `fallback` (built-in defaults for
// [followers], [followers]' values for a segment).
Segment read_follower_parameters(const TableReader& reader, const Profiles& profiles,
                                 const Segment& fallback) {
    Segment segment = fallback;
    segment.utc_offset_hours = read_utc_offset(reader, fallback.utc_offset_hours);
    segment.sessions =
        read_sessions(reader.child("sessions", sessions_keys), profiles, fallback.sessions);
    segment.feed = read_feed(reader.child("feed", feed_keys), profiles, fallback.feed);
    segment.feed_per_hour = segment.feed.events_per_active_day / hours_per_day;
    segment.feed_depth = read_feed_depth(reader, fallback.feed_depth);
    return segment;
}

Segment default_follower_parameters() {
    Segment segment;
    segment.name = "all";
    segment.sessions = {default_sessions_per_day, flat_profile(), every_day()};
    segment.feed = {default_feed_per_hour * hours_per_day, flat_profile(), every_day()};
    segment.feed_per_hour = default_feed_per_hour;
    segment.feed_depth.fixed_items = default_feed_depth;
    return segment;
}

std::int64_t positive_count(const TableReader& reader, std::string_view key) {
    auto count = reader.integer(key);
    if (count && *count < 1) {
        reader.fail(key, "expected at least 1 follower, got " + std::to_string(*count));
    }
    return count.value_or(0);
}

// Shares become counts by largest remainder, so they add up exactly.
void assign_shares(std::vector<Segment>& segments, const std::vector<double>& shares,
                   std::int64_t to_share) {
    std::vector<double> positive;
    for (double share : shares) {
        positive.push_back(std::max(share, 0.0));
    }
    const auto counts = largest_remainder(positive, to_share);
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (shares[i] >= 0) {
            segments[i].count = counts[i];
        }
    }
}

std::vector<Segment> read_followers(const TableReader& followers, const Profiles& profiles) {
    const Segment defaults =
        read_follower_parameters(followers, profiles, default_follower_parameters());
    const std::int64_t total = positive_count(followers, "count");
    const toml::node* list = followers.node("segment");
    if (!list) {
        if (total == 0) {
            followers.fail(
                "count",
                "required: the number of followers (or give [[followers.segment]] counts)");
        }
        Segment all = defaults;
        all.count = total;
        return {all};
    }
    if (!list->is_array_of_tables()) {
        followers.fail("segment", "expected [[followers.segment]] tables");
    }
    std::vector<Segment> segments;
    std::vector<double> shares;  // -1 where the segment gives a count
    std::int64_t counted = 0;
    double share_sum = 0;
    const toml::array& tables = *list->as_array();
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const TableReader reader(*tables.get(i)->as_table(),
                                 "followers.segment." + std::to_string(i), followers.file(),
                                 segment_keys);
        Segment segment = read_follower_parameters(reader, profiles, defaults);
        segment.name = read_segment_name(reader, segments);
        segment.count = positive_count(reader, "count");
        counted += segment.count;
        double share = -1;
        if (reader.has("share")) {
            share = *reader.number("share");
            if (!(share > 0 && share <= 1)) {
                reader.fail("share", "expected a share of all followers in (0, 1]");
            }
            if (total == 0) {
                reader.fail("share", "a share needs 'followers.count', the total it is a share of");
            }
            share_sum += share;
        }
        shares.push_back(share);
        segments.push_back(std::move(segment));
    }
    if (segments.empty()) {
        followers.fail("segment", "expected at least one [[followers.segment]]");
    }
    const bool has_shares = share_sum > 0;
    if (has_shares) {
        const double expected_share =
            1.0 - static_cast<double>(counted) / static_cast<double>(total);
        if (std::abs(share_sum - expected_share) > share_tolerance) {
            followers.fail("segment", "segment counts and shares do not add up: counts " +
                                          std::to_string(counted) + " of " + std::to_string(total) +
                                          " leave a share of " + std::to_string(expected_share) +
                                          ", but the shares add up to " +
                                          std::to_string(share_sum));
        }
        assign_shares(segments, shares, total - counted);
    } else if (total != 0 && counted != total) {
        followers.fail("count", "segment counts add up to " + std::to_string(counted) +
                                    ", but followers.count is " + std::to_string(total));
    }
    return segments;
}

Posting read_posting(const TableReader& posting, const Profiles& profiles) {
    const std::string kind = posting.string("kind").value_or("poisson");
    const WeekdaySet days = read_days(posting, every_day());
    if (kind == "poisson") {
        for (auto key : {"times", "jitter"}) {
            if (posting.has(key)) {
                posting.fail(key, "applies only to kind = \"schedule\"");
            }
        }
        PoissonPosting poisson;
        poisson.rhythm.events_per_active_day =
            read_non_negative(posting, "per_day", 1.0, "posts per active day");
        poisson.rhythm.profile = read_profile(posting, profiles, flat_profile());
        poisson.rhythm.days = days;
        require_active(posting, "per_day", poisson.rhythm);
        return poisson;
    }
    if (kind != "schedule") {
        posting.fail("kind", "expected \"poisson\" or \"schedule\", got \"" + kind + "\"");
    }
    for (auto key : {"per_day", "profile"}) {
        if (posting.has(key)) {
            posting.fail(key,
                         "applies only to kind = \"poisson\"; a schedule takes 'times', 'days' and "
                         "'jitter'");
        }
    }
    SchedulePosting schedule;
    schedule.days = days;
    schedule.jitter_seconds = read_duration(posting, "jitter", 0.0);
    const toml::array* times = posting.array("times");
    if (!times || times->empty()) {
        posting.fail("times",
                     "required for a schedule: local clock times like [\"09:30\", \"14:00\"]");
    }
    for (const auto& value : *times) {
        auto seconds =
            value.is_string() ? parse_clock_time_seconds(value.as_string()->get()) : std::nullopt;
        if (!seconds) {
            posting.fail_at(value, "times",
                            "expected local clock times like \"09:30\" or \"14:00:00\"");
        }
        schedule.local_times_seconds.push_back(*seconds);
    }
    std::sort(schedule.local_times_seconds.begin(), schedule.local_times_seconds.end());
    return schedule;
}

// Applies one --set to the parsed document, creating tables on the way as needed.
void apply_override(toml::table& root, const Override& override) {
    auto fail = [&](const std::string& problem) -> void {
        throw input_error({"--set", 0}, override.key, problem);
    };
    std::vector<std::string> parts;
    std::stringstream stream(override.key);
    for (std::string part; std::getline(stream, part, '.');) {
        if (part.empty()) {
            fail("expected a dotted key like simulation.duration");
        }
        parts.push_back(part);
    }
    if (parts.empty()) {
        fail("expected a dotted key like simulation.duration");
    }
    toml::node* container = &root;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        const std::string& part = parts[i];
        if (auto* table = container->as_table()) {
            if (!table->contains(part)) {
                table->insert(part, toml::table{});
            }
            container = table->get(part);
        } else if (auto* array = container->as_array()) {
            const bool is_index =
                std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
            const std::size_t index = is_index ? std::stoul(part) : array->size();
            if (index >= array->size()) {
                fail("'" + part + "' is not an index into the array (it has " +
                     std::to_string(array->size()) + " elements)");
            }
            container = array->get(index);
        } else {
            fail("'" + part + "' is a value, not a table");
        }
    }
    auto* table = container->as_table();
    if (!table) {
        fail("only keys inside tables can be set");
    }
    toml::node_view existing = (*table)[parts.back()];
    if (existing && (existing.is_table() || existing.is_array())) {
        fail("only scalar keys can be set; this one holds a " +
             std::string(existing.is_table() ? "table" : "array"));
    }
    toml::table parsed;
    try {
        if (override.verbatim_string) {
            parsed.insert_or_assign("value", override.value);
        } else {
            parsed = toml::parse("value = " + override.value);
        }
    } catch (const toml::parse_error&) {
        parsed.insert_or_assign("value", override.value);  // a bare word: take it as a string
    }
    toml::node& value = *parsed.get("value");
    if (value.is_table() || value.is_array()) {
        fail("only scalar values can be set");
    }
    // Values from --set carry no source line, which is how errors know to blame the override.
    value.visit([&](auto& scalar) {
        if constexpr (toml::is_value<std::remove_cvref_t<decltype(scalar)>>) {
            table->insert_or_assign(parts.back(), toml::value{scalar.get()});
        }
    });
}

SingleAuthorRetweets read_single_author_retweets(const TableReader& retweets) {
    SingleAuthorRetweets model;
    model.probability = retweets.number("probability").value_or(0.0);
    if (!(model.probability >= 0 && model.probability <= 1)) {
        retweets.fail("probability", "expected a probability in [0, 1]");
    }
    auto followers = retweets.integer("followers");
    if (!followers || *followers < 0) {
        retweets.fail("followers",
                      "required: how many followers each retweeter has (outside the author's)");
    }
    model.retweeter_followers = *followers;
    model.delay = read_retweet_delay(retweets);
    model.min_delay_seconds = read_duration(retweets, "min_delay", 1.0);
    if (!(model.min_delay_seconds >= 1.0)) {
        retweets.fail("min_delay", "expected at least \"1s\"");
    }
    return model;
}

std::string default_output_path(const std::string& scenario_path) {
    return std::filesystem::path(scenario_path).stem().string() + ".h5";
}

}  // namespace

Override parse_override(std::string_view assignment) {
    const auto equals = assignment.find('=');
    if (equals == std::string_view::npos || equals == 0) {
        throw input_error({"--set", 0}, std::string(assignment),
                          "expected KEY=VALUE, like simulation.duration=30d");
    }
    return {std::string(assignment.substr(0, equals)), std::string(assignment.substr(equals + 1)),
            false};
}

Scenario parse_scenario(const std::string& text, const std::string& path,
                        const std::vector<Override>& overrides) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& error) {
        throw input_error({path, error.source().begin.line}, "",
                          "not valid TOML: " + std::string(error.description()));
    }
    for (const auto& override : overrides) {
        apply_override(root, override);
    }
    const bool is_graph = root.contains("graph");
    const TableReader top(root, "", path, is_graph ? graph_top_keys : top_keys);
    Scenario scenario;
    scenario.path = path;
    scenario.text = text;
    RunSettings& run = scenario.run;
    const Profiles profiles = read_profiles(root, path);

    const TableReader simulation =
        top.child("simulation", is_graph ? graph_simulation_keys : simulation_keys);
    const std::string start = simulation.string("start").value_or(std::string(default_start));
    auto start_unix = parse_utc_instant(start);
    if (!start_unix) {
        simulation.fail("start", "expected an ISO-8601 UTC instant like \"2012-01-02T00:00:00Z\"");
    }
    const double duration =
        read_duration(simulation, "duration",
                      is_graph ? default_graph_duration_seconds : default_duration_seconds);
    if (!(duration > 0)) {
        simulation.fail("duration", "expected a positive duration");
    }
    const std::int64_t seed = simulation.integer("seed").value_or(1);
    if (seed < 0) {
        simulation.fail("seed", "expected a non-negative integer");
    }
    run.seed = static_cast<std::uint64_t>(seed);
    run.replicates = simulation.integer("replicates").value_or(is_graph ? 1 : default_replicates);
    if (run.replicates < 1 || run.replicates > std::numeric_limits<std::uint32_t>::max()) {
        simulation.fail("replicates", "expected an integer of at least 1");
    }

    if (is_graph) {
        GraphModel graph = read_graph_model(top, profiles, path);
        graph.start_unix_seconds = *start_unix;
        graph.duration_seconds = duration;
        graph.follow_up_seconds = read_duration(simulation, "follow_up", default_follow_up_seconds);
        scenario.graph = std::move(graph);
    } else {
        Model& model = scenario.model;
        model.start_unix_seconds = *start_unix;
        model.duration_seconds = duration;
        const TableReader author = top.child("author", author_keys);
        model.author.name = author.string("name").value_or("author");
        model.author.utc_offset_hours = read_utc_offset(author, 0.0);
        model.author.posting = read_posting(author.child("posting", posting_keys), profiles);
        if (!top.has("followers")) {
            top.fail("followers",
                     "required: a [followers] table with at least 'count', or a [graph]");
        }
        model.segments = read_followers(top.child("followers", followers_keys), profiles);
        if (top.has("retweets")) {
            model.retweets =
                read_single_author_retweets(top.child("retweets", single_author_retweets_keys));
        }
    }

    const TableReader output = top.child("output", output_keys);
    run.output_path = output.string("path").value_or(default_output_path(path));
    if (run.output_path.empty()) {
        output.fail("path", "expected a file path");
    }
    return scenario;
}

Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw input_error({path, 0}, "", "cannot open the scenario file");
    }
    std::ostringstream text;
    text << file.rdbuf();
    return parse_scenario(text.str(), path, overrides);
}

namespace {

toml::table feed_depth_table(const FeedDepth& depth) {
    if (depth.kind == FeedDepth::Kind::fixed) {
        return toml::table{{"distribution", "fixed"}, {"items", depth.fixed_items}};
    }
    return toml::table{
        {"distribution", "geometric"}, {"mean", depth.mean_items}, {"max", depth.max_items}};
}

}  // namespace

std::string resolved_scenario_toml(const Model& model, const RunSettings& run) {
    toml::table profiles;
    toml::table posting;
    if (const auto* poisson = std::get_if<PoissonPosting>(&model.author.posting)) {
        posting = rhythm_table(poisson->rhythm, "per_day", poisson->rhythm.events_per_active_day,
                               profiles);
        posting.insert("kind", "poisson");
    } else {
        const auto& schedule = std::get<SchedulePosting>(model.author.posting);
        toml::array times;
        for (double seconds : schedule.local_times_seconds) {
            times.push_back(format_clock_time(seconds));
        }
        posting = toml::table{{"kind", "schedule"},
                              {"times", times},
                              {"days", format_weekdays(schedule.days)},
                              {"jitter", format_duration(schedule.jitter_seconds)}};
    }
    toml::array segments;
    for (const auto& segment : model.segments) {
        segments.push_back(toml::table{
            {"name", segment.name},
            {"count", segment.count},
            {"utc_offset", segment.utc_offset_hours},
            {"sessions", rhythm_table(segment.sessions, "per_day",
                                      segment.sessions.events_per_active_day, profiles)},
            {"feed", rhythm_table(segment.feed, "per_hour", segment.feed_per_hour, profiles)},
            {"feed_depth", feed_depth_table(segment.feed_depth)},
        });
    }
    toml::table root{
        {"simulation", toml::table{{"start", format_utc_instant(model.start_unix_seconds)},
                                   {"duration", format_duration(model.duration_seconds)},
                                   {"seed", static_cast<std::int64_t>(run.seed)},
                                   {"replicates", run.replicates}}},
        {"author", toml::table{{"name", model.author.name},
                               {"utc_offset", model.author.utc_offset_hours},
                               {"posting", posting}}},
        {"followers", toml::table{{"count", model.follower_count()}, {"segment", segments}}},
        {"profiles", profiles},
        {"output", toml::table{{"path", run.output_path}}},
    };
    if (model.retweets) {
        root.insert("retweets",
                    toml::table{{"probability", model.retweets->probability},
                                {"followers", model.retweets->retweeter_followers},
                                {"delay", retweet_delay_table(model.retweets->delay)},
                                {"min_delay", format_duration(model.retweets->min_delay_seconds)}});
    }
    std::ostringstream text;
    text << root << "\n";
    return text.str();
}

std::string resolved_scenario_toml(const GraphModel& model, const RunSettings& run) {
    toml::table profiles;
    toml::table root = graph_model_tables(model, profiles);
    root.insert("simulation", toml::table{{"start", format_utc_instant(model.start_unix_seconds)},
                                          {"duration", format_duration(model.duration_seconds)},
                                          {"follow_up", format_duration(model.follow_up_seconds)},
                                          {"seed", static_cast<std::int64_t>(run.seed)},
                                          {"replicates", run.replicates}});
    root.insert("profiles", profiles);
    root.insert("output", toml::table{{"path", run.output_path}});
    std::ostringstream text;
    text << root << "\n";
    return text.str();
}

std::string resolved_scenario_toml(const Scenario& scenario) {
    return scenario.is_graph() ? resolved_scenario_toml(*scenario.graph, scenario.run)
                               : resolved_scenario_toml(scenario.model, scenario.run);
}

std::vector<std::string> scenario_keys() {
    std::vector<std::string> keys;
    auto add = [&](const std::string& prefix, const KeyList& list) {
        append_keys(keys, prefix, list);
    };
    add("simulation.", simulation_keys);
    add("author.", author_keys);
    add("author.posting.", posting_keys);
    for (const std::string prefix : {"followers.", "followers.segment."}) {
        add(prefix, prefix == "followers." ? followers_keys : segment_keys);
        add(prefix + "sessions.", sessions_keys);
        add(prefix + "feed.", feed_keys);
        add(prefix + "feed_depth.", feed_depth_keys);
    }
    add("output.", output_keys);
    add("retweets.", single_author_retweets_keys);
    add("retweets.delay.", delay_keys);
    for (auto& key : graph_scenario_keys()) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            keys.push_back(std::move(key));
        }
    }
    return keys;
}

}  // namespace reachsim
