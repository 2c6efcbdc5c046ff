#include "scenario/graph_scenario.hpp"

#include <cmath>
#include <filesystem>

#include "core/apportion.hpp"
#include "core/errors.hpp"

namespace reachsim::detail {
namespace {

const KeyList graph_keys{"source",
                         "path",
                         "direction",
                         "attributes",
                         "accounts",
                         "mean_following",
                         "following_sigma",
                         "followers_exponent",
                         "following_per_account",
                         "attachment_offset",
                         "reciprocity",
                         "homophily"};
const KeyList accounts_keys{"utc_offset", "posting", "sessions",           "feed_depth",
                            "extra_feed", "segment", "retweet_probability"};
const KeyList account_segment_keys{"name",       "count",      "share",
                                   "utc_offset", "posting",    "sessions",
                                   "feed_depth", "extra_feed", "retweet_probability"};
const KeyList rate_keys{"per_day", "profile", "days"};
const KeyList extra_feed_keys{"per_hour", "profile", "days"};
const KeyList distribution_keys{"distribution", "value", "mean", "sigma", "values"};
const KeyList track_keys{"authors", "all_accounts"};
const KeyList retweets_keys{"probability", "appeal", "delay", "min_delay"};

constexpr double share_tolerance = 1e-9;

// Which generator keys apply to which source.
struct SourceKeys {
    std::string_view source;
    KeyList keys;
};
const std::vector<SourceKeys> source_keys{
    {"file", {"path", "direction", "attributes"}},
    {"power_law",
     {"accounts", "mean_following", "following_sigma", "followers_exponent", "reciprocity",
      "homophily"}},
    {"price", {"accounts", "following_per_account", "attachment_offset", "reciprocity"}},
    {"erdos_renyi", {"accounts", "mean_following", "reciprocity", "homophily"}},
};

Distribution fixed(double value) {
    Distribution distribution;
    distribution.value = value;
    return distribution;
}

// A number (fixed), or {distribution = "fixed" | "lognormal" | "empirical", ...}; every value
// at least `minimum`.
Distribution read_distribution(const TableReader& parent, std::string_view key,
                               const Distribution& fallback, double minimum,
                               std::string_view unit) {
    const toml::node* node = parent.node(key);
    if (!node) {
        return fallback;
    }
    const std::string expectation =
        "at least " + std::to_string(static_cast<long long>(minimum)) + " " + std::string(unit);
    if (node->is_number()) {
        const double value = *node->value<double>();
        if (!(value >= minimum)) {
            parent.fail(key, "expected " + expectation);
        }
        return fixed(value);
    }
    if (!node->is_table()) {
        parent.fail(
            key,
            "expected a number or a table {distribution = \"lognormal\", mean = ..., sigma = ...}");
    }
    const TableReader table = parent.child(key, distribution_keys);
    const std::string kind = table.string("distribution").value_or("fixed");
    auto only = [&](std::initializer_list<std::string_view> allowed) {
        for (auto other : {"value", "mean", "sigma", "values"}) {
            if (table.has(other) &&
                std::find(allowed.begin(), allowed.end(), other) == allowed.end()) {
                table.fail(other, "does not apply to distribution = \"" + kind + "\"");
            }
        }
    };
    Distribution distribution;
    if (kind == "fixed") {
        only({"value"});
        auto value = table.number("value");
        if (!value || *value < minimum) {
            table.fail("value", "required: " + expectation);
        }
        return fixed(*value);
    }
    if (kind == "lognormal") {
        only({"mean", "sigma"});
        distribution.kind = Distribution::Kind::lognormal;
        auto mean = table.number("mean");
        if (!mean || !(*mean > 0) || *mean < minimum) {
            table.fail("mean", "required: a positive mean, " + expectation);
        }
        distribution.mean = *mean;
        distribution.sigma = table.number("sigma").value_or(1.0);
        if (distribution.sigma < 0) {
            table.fail("sigma", "expected a non-negative standard deviation of the logarithm");
        }
        return distribution;
    }
    if (kind == "empirical") {
        only({"values"});
        distribution.kind = Distribution::Kind::empirical;
        const toml::array* values = table.array("values");
        if (!values || values->empty()) {
            table.fail("values", "required: a non-empty list of values to draw from");
        }
        for (const auto& value : *values) {
            auto number = value.value<double>();
            if (!value.is_number() || !number || !(*number >= minimum)) {
                table.fail_at(value, "values", "expected numbers, each " + expectation);
            }
            distribution.values.push_back(*number);
        }
        return distribution;
    }
    table.fail("distribution",
               "expected \"fixed\", \"lognormal\" or \"empirical\", got \"" + kind + "\"");
}

Rhythm read_shape(const TableReader& reader, const Profiles& profiles, const Rhythm& fallback) {
    Rhythm rhythm = fallback;
    rhythm.profile = read_profile(reader, profiles, fallback.profile);
    rhythm.days = read_days(reader, fallback.days);
    return rhythm;
}

AccountSegment read_account_parameters(const TableReader& reader, const Profiles& profiles,
                                       const AccountSegment& fallback) {
    AccountSegment segment = fallback;
    segment.utc_offset_hours = read_utc_offset(reader, fallback.utc_offset_hours);
    const TableReader posting = reader.child("posting", rate_keys);
    segment.posts_per_day =
        read_distribution(posting, "per_day", fallback.posts_per_day, 0, "posts per active day");
    segment.posting = read_shape(posting, profiles, fallback.posting);
    require_active(posting, "per_day",
                   {segment.posts_per_day.expected(), segment.posting.profile, {}});
    const TableReader sessions = reader.child("sessions", rate_keys);
    segment.sessions_per_day = read_distribution(sessions, "per_day", fallback.sessions_per_day, 0,
                                                 "sessions per active day");
    segment.sessions = read_shape(sessions, profiles, fallback.sessions);
    require_active(sessions, "per_day",
                   {segment.sessions_per_day.expected(), segment.sessions.profile, {}});
    segment.feed_depth = read_distribution(reader, "feed_depth", fallback.feed_depth, 1, "items");
    segment.retweet_probability = read_distribution(
        reader, "retweet_probability", fallback.retweet_probability, 0, "(a probability)");
    const TableReader extra = reader.child("extra_feed", extra_feed_keys);
    segment.extra_feed_per_hour =
        read_non_negative(extra, "per_hour", fallback.extra_feed_per_hour, "items per hour");
    segment.extra_feed = read_shape(extra, profiles, fallback.extra_feed);
    require_active(extra, "per_hour",
                   {segment.extra_feed_per_hour, segment.extra_feed.profile, {}});
    return segment;
}

AccountSegment default_account_parameters(const Distribution& retweet_probability) {
    AccountSegment segment;
    segment.retweet_probability = retweet_probability;
    segment.name = "all";
    segment.share = 1.0;
    segment.posts_per_day = fixed(1.0);
    segment.posting = {1.0, flat_profile(), every_day()};
    segment.sessions_per_day = fixed(3.0);
    segment.sessions = {1.0, flat_profile(), every_day()};
    segment.feed_depth = fixed(200);
    segment.extra_feed = {1.0, flat_profile(), every_day()};
    return segment;
}

std::string resolve_path(const TableReader& reader, std::string_view key,
                         const std::string& scenario_path) {
    auto text = reader.string(key);
    if (!text || text->empty()) {
        reader.fail(key,
                    "required: a file path (relative paths are relative to the scenario file)");
    }
    std::filesystem::path file(*text);
    if (file.is_relative()) {
        file = std::filesystem::path(scenario_path).parent_path() / file;
    }
    file = file.lexically_normal();
    if (!std::filesystem::is_regular_file(file)) {
        reader.fail(key, "no such file: " + file.string());
    }
    return file.string();
}

std::uint64_t read_account_count(const TableReader& graph) {
    auto accounts = graph.integer("accounts");
    if (!accounts || *accounts < 2 || *accounts > std::numeric_limits<std::uint32_t>::max()) {
        graph.fail("accounts", "required: the number of accounts, from 2 to 4294967295");
    }
    return static_cast<std::uint64_t>(*accounts);
}

double read_probability(const TableReader& reader, std::string_view key, bool below_one) {
    const double value = *reader.number(key);
    if (!(value >= 0 && (below_one ? value < 1 : value <= 1))) {
        reader.fail(key,
                    below_one ? "expected a share in [0, 1)" : "expected a probability in [0, 1]");
    }
    return value;
}

GraphSpec read_graph_spec(const TableReader& graph, const std::string& scenario_path) {
    const std::string source = graph.string("source").value_or("");
    const auto keys = std::find_if(source_keys.begin(), source_keys.end(),
                                   [&](const SourceKeys& entry) { return entry.source == source; });
    if (keys == source_keys.end()) {
        graph.fail("source", "required: \"file\", \"power_law\", \"price\" or \"erdos_renyi\"");
    }
    for (auto key : graph_keys) {
        if (key != "source" && graph.has(key) &&
            std::find(keys->keys.begin(), keys->keys.end(), key) == keys->keys.end()) {
            graph.fail(key, "does not apply to source = \"" + source + "\"");
        }
    }
    GraphSpec spec;
    if (source == "file") {
        GraphFile file;
        file.path = resolve_path(graph, "path", scenario_path);
        file.direction = graph.string("direction").value_or("");
        if (file.direction != "follower_followee" && file.direction != "followee_follower" &&
            file.direction != "mutual") {
            graph.fail("direction",
                       "required: \"follower_followee\" (A follows B), \"followee_follower\" (B "
                       "follows A) or "
                       "\"mutual\" (undirected)");
        }
        if (graph.has("attributes")) {
            file.attributes = resolve_path(graph, "attributes", scenario_path);
        }
        spec.source = file;
        return spec;
    }
    const std::uint64_t accounts = read_account_count(graph);
    auto mean_following = [&] {
        auto mean = graph.number("mean_following");
        if (!mean || !(*mean > 0) || *mean >= static_cast<double>(accounts - 1)) {
            graph.fail("mean_following",
                       "required: a positive mean number of accounts followed, below accounts - 1");
        }
        return *mean;
    };
    if (source == "power_law") {
        PowerLawGenerator generator{accounts, mean_following(),
                                    graph.number("following_sigma").value_or(1.0),
                                    graph.number("followers_exponent").value_or(2.2)};
        if (generator.following_sigma < 0) {
            graph.fail("following_sigma",
                       "expected a non-negative standard deviation of the logarithm");
        }
        if (!(generator.followers_exponent > 2)) {
            graph.fail("followers_exponent",
                       "expected an exponent above 2 (at or below 2 the mean is infinite)");
        }
        spec.source = generator;
    } else if (source == "price") {
        auto per_account = graph.integer("following_per_account");
        if (!per_account || *per_account < 1 ||
            static_cast<std::uint64_t>(*per_account) >= accounts) {
            graph.fail("following_per_account",
                       "required: how many earlier accounts each new one follows, >= 1");
        }
        PriceGenerator generator{accounts, static_cast<std::uint32_t>(*per_account),
                                 graph.number("attachment_offset").value_or(1.0)};
        if (!(generator.attachment_offset > 0)) {
            graph.fail("attachment_offset", "expected a positive offset");
        }
        spec.source = generator;
    } else {
        spec.source = ErdosRenyiGenerator{accounts, mean_following()};
    }
    if (graph.has("reciprocity")) {
        spec.reciprocity = read_probability(graph, "reciprocity", true);
    }
    if (graph.has("homophily")) {
        spec.homophily = read_probability(graph, "homophily", false);
    }
    return spec;
}

std::vector<AccountSegment> read_account_segments(const TableReader& accounts,
                                                  const Profiles& profiles, const GraphSpec& spec,
                                                  const TableReader& graph,
                                                  const Distribution& retweet_probability) {
    const AccountSegment defaults = read_account_parameters(
        accounts, profiles, default_account_parameters(retweet_probability));
    const toml::node* list = accounts.node("segment");
    const bool from_file = std::holds_alternative<GraphFile>(spec.source);
    if (!list) {
        if (spec.homophily) {
            graph.fail("homophily", "needs at least two [[accounts.segment]]s");
        }
        return {defaults};
    }
    if (!list->is_array_of_tables()) {
        accounts.fail("segment", "expected [[accounts.segment]] tables");
    }
    std::vector<AccountSegment> segments;
    const toml::array& tables = *list->as_array();
    double share_sum = 0;
    std::int64_t counted = 0;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const TableReader reader(*tables.get(i)->as_table(),
                                 "accounts.segment." + std::to_string(i), accounts.file(),
                                 account_segment_keys);
        AccountSegment segment = read_account_parameters(reader, profiles, defaults);
        segment.name = read_segment_name(reader, segments);
        segment.share = -1;
        segment.count = 0;
        if (reader.has("count")) {
            if (from_file) {
                reader.fail(
                    "count",
                    "a file graph's size is known only once loaded: give a 'share' instead");
            }
            segment.count = *reader.integer("count");
            if (segment.count < 1) {
                reader.fail("count", "expected at least 1 account");
            }
            counted += segment.count;
        } else {
            segment.share = *reader.number("share");
            if (!(segment.share > 0 && segment.share <= 1)) {
                reader.fail("share", "expected a share of all accounts in (0, 1]");
            }
            share_sum += segment.share;
        }
        segments.push_back(std::move(segment));
    }
    if (segments.size() > std::numeric_limits<std::uint16_t>::max()) {
        accounts.fail("segment", "too many segments");
    }
    if (spec.homophily && segments.size() < 2) {
        graph.fail("homophily", "needs at least two [[accounts.segment]]s");
    }
    if (from_file) {
        if (std::abs(share_sum - 1.0) > share_tolerance) {
            accounts.fail("segment",
                          "segment shares add up to " + std::to_string(share_sum) + ", expected 1");
        }
        return segments;
    }
    // Generated graphs: counts and shares of the known number of accounts must add up exactly.
    const auto total = static_cast<std::int64_t>(std::visit(
        [](const auto& g) -> std::uint64_t {
            if constexpr (std::is_same_v<std::decay_t<decltype(g)>, GraphFile>) {
                return 0;
            } else {
                return g.accounts;
            }
        },
        spec.source));
    const double expected_share = 1.0 - static_cast<double>(counted) / static_cast<double>(total);
    if (std::abs(share_sum - expected_share) > share_tolerance) {
        accounts.fail("segment", "segment counts and shares do not add up to graph.accounts = " +
                                     std::to_string(total) + ": counts " + std::to_string(counted) +
                                     ", shares " + std::to_string(share_sum));
    }
    std::vector<double> shares;
    for (const auto& segment : segments) {
        shares.push_back(std::max(segment.share, 0.0));
    }
    const auto from_shares = largest_remainder(shares, total - counted);
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (segments[i].share >= 0) {
            segments[i].count = from_shares[i];
            segments[i].share = -1;
        }
    }
    return segments;
}

TrackSpec read_track(const TableReader& track) {
    TrackSpec spec;
    spec.all_accounts = track.boolean("all_accounts").value_or(true);
    if (const toml::array* authors = track.array("authors")) {
        for (const auto& author : *authors) {
            if (author.is_integer()) {
                spec.authors.push_back(std::to_string(author.as_integer()->get()));
            } else if (author.is_string()) {
                spec.authors.push_back(author.as_string()->get());
            } else {
                track.fail_at(author, "authors",
                              "expected account ids or \"top_followers:N\", \"random:N\", "
                              "\"followers_percentile:P\"");
            }
        }
    }
    return spec;
}

toml::table distribution_table(const Distribution& distribution) {
    switch (distribution.kind) {
        case Distribution::Kind::fixed:
            return toml::table{{"distribution", "fixed"}, {"value", distribution.value}};
        case Distribution::Kind::lognormal:
            return toml::table{{"distribution", "lognormal"},
                               {"mean", distribution.mean},
                               {"sigma", distribution.sigma}};
        case Distribution::Kind::empirical: {
            toml::array values;
            for (double value : distribution.values) {
                values.push_back(value);
            }
            return toml::table{{"distribution", "empirical"}, {"values", values}};
        }
    }
    return {};
}

toml::table shape_table(const Rhythm& rhythm, toml::table& profiles) {
    toml::table table = rhythm_table(rhythm, "unused", 0, profiles);
    table.erase("unused");
    return table;
}

RetweetModel read_retweets(const TableReader& retweets) {
    RetweetModel model;
    model.appeal = read_distribution(retweets, "appeal", fixed(1.0), 0, "(a multiplier)");
    model.delay = read_retweet_delay(retweets);
    model.min_delay_seconds = read_duration(retweets, "min_delay", 1.0);
    if (!(model.min_delay_seconds >= 1.0)) {
        retweets.fail("min_delay",
                      "expected at least \"1s\": the engine advances in windows this wide");
    }
    return model;
}

}  // namespace

const KeyList graph_top_keys{"simulation", "graph",    "accounts", "track",
                             "retweets",   "profiles", "output"};
const KeyList graph_simulation_keys{"start", "duration", "follow_up", "seed", "replicates"};

GraphModel read_graph_model(const TableReader& top, const Profiles& profiles,
                            const std::string& path) {
    GraphModel model;
    const TableReader graph = top.child("graph", graph_keys);
    model.graph = read_graph_spec(graph, path);
    Distribution retweet_probability = fixed(0.0);
    if (top.has("retweets")) {
        const TableReader retweets = top.child("retweets", retweets_keys);
        model.retweets = read_retweets(retweets);
        retweet_probability =
            read_distribution(retweets, "probability", fixed(0.0), 0, "(a probability)");
    }
    model.segments = read_account_segments(top.child("accounts", accounts_keys), profiles,
                                           model.graph, graph, retweet_probability);
    for (const auto& segment : model.segments) {
        if (segment.retweet_probability.expected() > 0 && !model.retweets) {
            top.fail("retweets",
                     "an account retweet_probability needs a [retweets] section (delays, appeal)");
        }
    }
    model.track = read_track(top.child("track", track_keys));
    return model;
}

std::vector<std::string> graph_scenario_keys() {
    std::vector<std::string> keys;
    auto add = [&](const std::string& prefix, const KeyList& list) {
        append_keys(keys, prefix, list);
    };
    add("simulation.", graph_simulation_keys);
    add("graph.", graph_keys);
    for (const std::string prefix : {"accounts.", "accounts.segment."}) {
        add(prefix, prefix == "accounts." ? accounts_keys : account_segment_keys);
        add(prefix + "posting.", rate_keys);
        add(prefix + "sessions.", rate_keys);
        add(prefix + "extra_feed.", extra_feed_keys);
        add(prefix + "feed_depth.", distribution_keys);
    }
    add("track.", track_keys);
    add("retweets.", retweets_keys);
    add("retweets.delay.", delay_keys);
    return keys;
}

toml::table graph_model_tables(const GraphModel& model, toml::table& profiles) {
    toml::table graph;
    std::visit(
        [&](const auto& source) {
            using T = std::decay_t<decltype(source)>;
            if constexpr (std::is_same_v<T, GraphFile>) {
                graph.insert("source", "file");
                graph.insert("path", source.path);
                graph.insert("direction", source.direction);
                if (!source.attributes.empty()) {
                    graph.insert("attributes", source.attributes);
                }
            } else if constexpr (std::is_same_v<T, PowerLawGenerator>) {
                graph.insert("source", "power_law");
                graph.insert("accounts", static_cast<std::int64_t>(source.accounts));
                graph.insert("mean_following", source.mean_following);
                graph.insert("following_sigma", source.following_sigma);
                graph.insert("followers_exponent", source.followers_exponent);
            } else if constexpr (std::is_same_v<T, PriceGenerator>) {
                graph.insert("source", "price");
                graph.insert("accounts", static_cast<std::int64_t>(source.accounts));
                graph.insert("following_per_account",
                             static_cast<std::int64_t>(source.following_per_account));
                graph.insert("attachment_offset", source.attachment_offset);
            } else {
                graph.insert("source", "erdos_renyi");
                graph.insert("accounts", static_cast<std::int64_t>(source.accounts));
                graph.insert("mean_following", source.mean_following);
            }
        },
        model.graph.source);
    if (!std::holds_alternative<GraphFile>(model.graph.source)) {
        graph.insert("reciprocity", model.graph.reciprocity);
        if (model.graph.homophily) {
            graph.insert("homophily", *model.graph.homophily);
        }
    }
    toml::array segments;
    for (const auto& segment : model.segments) {
        toml::table posting = shape_table(segment.posting, profiles);
        posting.insert("per_day", distribution_table(segment.posts_per_day));
        toml::table sessions = shape_table(segment.sessions, profiles);
        sessions.insert("per_day", distribution_table(segment.sessions_per_day));
        toml::table extra = shape_table(segment.extra_feed, profiles);
        extra.insert("per_hour", segment.extra_feed_per_hour);
        toml::table table{{"name", segment.name},
                          {"utc_offset", segment.utc_offset_hours},
                          {"posting", posting},
                          {"sessions", sessions},
                          {"feed_depth", distribution_table(segment.feed_depth)},
                          {"retweet_probability", distribution_table(segment.retweet_probability)},
                          {"extra_feed", extra}};
        if (segment.share >= 0) {
            table.insert("share", segment.share);
        } else {
            table.insert("count", segment.count);
        }
        segments.push_back(std::move(table));
    }
    toml::array authors;
    for (const auto& author : model.track.authors) {
        authors.push_back(author);
    }
    toml::table tables{
        {"graph", graph},
        {"accounts", toml::table{{"segment", segments}}},
        {"track", toml::table{{"authors", authors}, {"all_accounts", model.track.all_accounts}}}};
    if (model.retweets) {
        tables.insert(
            "retweets",
            toml::table{{"appeal", distribution_table(model.retweets->appeal)},
                        {"delay", retweet_delay_table(model.retweets->delay)},
                        {"min_delay", format_duration(model.retweets->min_delay_seconds)}});
    }
    return tables;
}

}  // namespace reachsim::detail
