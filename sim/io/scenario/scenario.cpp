#include "scenario/scenario.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/apportion.hpp"
#include "scenario/distribution_reader.hpp"
#include "scenario/schema.hpp"
#include "scenario/table_reader.hpp"
#include "scenario/value_readers.hpp"

namespace reachsim {
namespace {

using namespace detail;

constexpr std::string_view default_start = "2012-01-02T00:00:00Z";  // a Monday
constexpr double share_tolerance = 1e-9;
constexpr std::string_view unlimited = "unlimited";

// Bounds that keep a run finite: far beyond any real account, well inside what a run can do.
constexpr double most_per_day = 1e4;                // posts or sessions: one every 9 s
constexpr double most_background_per_hour = 1e7;    // items a feed receives
constexpr double most_feed_depth = 1e6;             // items a session shows
constexpr double longest_seconds = 3650 * 86400.0;  // durations and delays: ten years
constexpr std::int64_t most_replicates = 1'000'000;
constexpr std::int64_t most_star_followers = 100'000'000;
constexpr std::int64_t most_followers_per_retweeter = 1'000'000;
constexpr double most_appeal = 1e6;
constexpr std::size_t most_scenario_bytes = 16 << 20;
constexpr std::size_t most_nesting = 32;

// What each quantity accepts.
const DistributionRules posts_rules{"posts per active day", 0, most_per_day};
const DistributionRules sessions_rules{"sessions per active day", 0, most_per_day};
const DistributionRules depth_rules{"items", 1, most_feed_depth, false, true, 10};
const DistributionRules probability_rules{"(a probability)", 0, 1};
const DistributionRules appeal_rules{"(a multiplier)", 0, most_appeal};
const DistributionRules delay_rules{"", 0, longest_seconds, true};
const DistributionRules session_duration_rules{"", 0, seconds_per_day, true};
constexpr double most_profile_depth = 1e4;  // posts a profile visit shows

// A duration of at most ten years.
double read_bounded_duration(const TableReader& reader, std::string_view key, double fallback) {
    const double seconds = read_duration(reader, key, fallback);
    if (seconds > longest_seconds) {
        reader.fail(key, "expected at most \"3650d\" (ten years)");
    }
    return seconds;
}

// Built-in defaults, the same for every audience except where a star's followers differ in kind:
// their feeds fill from followees the run does not simulate, and they post nothing of interest.
AccountSegment default_account_parameters(bool star, const Distribution& retweet_probability) {
    AccountSegment segment;
    segment.name = "all";
    segment.posting =
        PoissonPosting{Distribution::fixed_at(star ? 0.0 : 1.0), {flat_profile(), every_day()}};
    segment.sessions_per_day = Distribution::fixed_at(3.0);
    segment.sessions = {flat_profile(), every_day()};
    segment.feed_depth = Distribution::fixed_at(200);
    segment.background_per_hour = star ? 150.0 : 0.0;
    segment.background = {flat_profile(), every_day()};
    segment.retweet_probability = retweet_probability;
    return segment;
}

// The background table's key: "background", or one of its older names.
std::string_view background_key(const TableReader& reader) {
    std::string_view found;
    for (std::string_view key : background_aliases) {
        if (reader.has(key)) {
            if (!found.empty()) {
                reader.fail(key, "'" + std::string(found) + "' and '" + std::string(key) +
                                     "' are the same table: give one");
            }
            found = key;
        }
    }
    return found.empty() ? background_aliases.front() : found;
}

Posting read_posting(const TableReader& posting, const Profiles& profiles,
                     const Posting& fallback) {
    const bool was_schedule = std::holds_alternative<SchedulePosting>(fallback);
    const std::string kind = posting.string("kind").value_or(was_schedule ? "schedule" : "poisson");
    if (kind == "poisson") {
        for (auto key : {"times", "jitter"}) {
            if (posting.has(key)) {
                posting.fail(key, "applies only to kind = \"schedule\"");
            }
        }
        PoissonPosting poisson = was_schedule ? PoissonPosting{Distribution::fixed_at(1.0),
                                                               {flat_profile(), every_day()}}
                                              : std::get<PoissonPosting>(fallback);
        poisson.per_day = read_distribution(posting, "per_day", poisson.per_day, posts_rules);
        poisson.rhythm = read_rhythm(posting, profiles, poisson.rhythm);
        require_active(posting, "per_day", poisson.per_day.expected(), poisson.rhythm);
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
    SchedulePosting schedule =
        was_schedule ? std::get<SchedulePosting>(fallback) : SchedulePosting{{}, every_day(), 0};
    schedule.days = read_days(posting, schedule.days);
    schedule.jitter_seconds = read_bounded_duration(posting, "jitter", schedule.jitter_seconds);
    if (const toml::array* times = posting.array("times")) {
        schedule.local_times_seconds.clear();
        for (const auto& value : *times) {
            auto seconds = value.is_string() ? parse_clock_time_seconds(value.as_string()->get())
                                             : std::nullopt;
            if (!seconds) {
                posting.fail_at(value, "times",
                                "expected local clock times like \"09:30\" or \"14:00:00\"");
            }
            schedule.local_times_seconds.push_back(*seconds);
        }
        std::sort(schedule.local_times_seconds.begin(), schedule.local_times_seconds.end());
    }
    if (schedule.local_times_seconds.empty()) {
        posting.fail("times",
                     "required for a schedule: local clock times like [\"09:30\", \"14:00\"]");
    }
    return schedule;
}

// A probability in [0, 1] (a share in [0, 1) if `below_one`) under `key`, or `fallback`.
double read_probability(const TableReader& reader, std::string_view key, double fallback,
                        bool below_one = false) {
    const double value = reader.number(key).value_or(fallback);
    if (!(value >= 0 && (below_one ? value < 1 : value <= 1))) {
        reader.fail(key,
                    below_one ? "expected a share in [0, 1)" : "expected a probability in [0, 1]");
    }
    return value;
}

// [*.notifications] and [*.profile_visits], on top of the segment's values.
void read_views_outside_feed(const TableReader& reader, AccountSegment& segment) {
    const TableReader notifications = reader.child("notifications", notifications_keys);
    segment.notifications.share =
        read_probability(notifications, "share", segment.notifications.share);
    segment.notifications.delay =
        read_distribution(notifications, "delay", segment.notifications.delay, delay_rules);
    const TableReader visits = reader.child("profile_visits", profile_visits_keys);
    segment.profile_visits.per_day = read_non_negative(
        visits, "per_day", segment.profile_visits.per_day, "visits per followee per active day");
    if (segment.profile_visits.per_day > most_per_day) {
        visits.fail("per_day", "expected at most 1e4 visits per followee per active day");
    }
    const std::int64_t depth = visits.integer("depth").value_or(segment.profile_visits.depth);
    if (depth < 1 || depth > static_cast<std::int64_t>(most_profile_depth)) {
        visits.fail("depth", "expected a whole number of posts from 1 to 10000");
    }
    segment.profile_visits.depth = static_cast<std::uint32_t>(depth);
    segment.profile_visits.after_retweet =
        read_probability(visits, "after_retweet", segment.profile_visits.after_retweet);
}

// [*.attention], on top of the segment's values.
void read_attention(const TableReader& reader, AccountSegment& segment) {
    const TableReader attention = reader.child("attention", attention_keys);
    Attention& settings = segment.attention;
    settings.same_author = read_probability(attention, "same_author", settings.same_author);
    const TableReader unfollow = attention.child("unfollow", unfollow_keys);
    const std::int64_t after_posts =
        unfollow.integer("after_posts").value_or(settings.unfollow_after_posts);
    if (after_posts < 0 || after_posts > 1'000'000) {
        unfollow.fail("after_posts", "expected a whole number of posts from 0 to 1000000");
    }
    settings.unfollow_after_posts = static_cast<std::uint32_t>(after_posts);
    settings.unfollow_window_seconds =
        read_bounded_duration(unfollow, "window", settings.unfollow_window_seconds);
    if (!(settings.unfollow_window_seconds > 0)) {
        unfollow.fail("window", "expected a positive duration, like \"7d\"");
    }
    settings.unfollow_probability =
        read_probability(unfollow, "probability", settings.unfollow_probability);
}

// Account parameters read from `reader` on top of `fallback` (built-in defaults for [followers]
// and [accounts], their values for a segment).
AccountSegment read_account_parameters(const TableReader& reader, const Profiles& profiles,
                                       const AccountSegment& fallback, bool star) {
    AccountSegment segment = fallback;
    segment.utc_offset_hours = read_utc_offset(reader, fallback.utc_offset_hours);
    if (!star) {
        segment.posting =
            read_posting(reader.child("posting", posting_keys), profiles, fallback.posting);
    }
    const TableReader sessions = reader.child("sessions", sessions_keys);
    segment.sessions_per_day =
        read_distribution(sessions, "per_day", fallback.sessions_per_day, sessions_rules);
    segment.sessions = read_rhythm(sessions, profiles, fallback.sessions);
    segment.session_duration =
        read_distribution(sessions, "duration", fallback.session_duration, session_duration_rules);
    require_active(sessions, "per_day", segment.sessions_per_day.expected(), segment.sessions);
    const std::int64_t budget =
        sessions.integer("item_budget")
            .value_or(static_cast<std::int64_t>(fallback.session_item_budget));
    if (budget < 0 || budget > static_cast<std::int64_t>(most_feed_depth)) {
        sessions.fail("item_budget",
                      "expected a whole number of items from 1 to 1000000 (0: no budget)");
    }
    segment.session_item_budget = static_cast<std::uint64_t>(budget);
    segment.feed_depth = read_distribution(reader, "feed_depth", fallback.feed_depth, depth_rules);
    segment.retweet_probability = read_distribution(
        reader, "retweet_probability", fallback.retweet_probability, probability_rules);
    const TableReader background = reader.child(background_key(reader), background_keys);
    segment.background_per_hour =
        read_non_negative(background, "per_hour", fallback.background_per_hour, "items per hour");
    if (segment.background_per_hour > most_background_per_hour) {
        background.fail("per_hour", "expected at most 1e7 items per hour");
    }
    segment.background = read_rhythm(background, profiles, fallback.background);
    require_active(background, "per_hour", segment.background_per_hour, segment.background);
    read_views_outside_feed(reader, segment);
    read_attention(reader, segment);
    return segment;
}

// The segments under `parent` ([followers] or [accounts]): each reads on top of `defaults` and
// gives a count or a share. `total` is the number of accounts when known (a star's
// followers.count, a generator's accounts); file graphs know theirs only once loaded, so their
// segments take shares that add up to 1.
std::vector<AccountSegment> read_segments(const TableReader& parent, const std::string& list_path,
                                          const Profiles& profiles, const AccountSegment& defaults,
                                          bool star, std::optional<std::int64_t> total,
                                          const TableReader& total_reader,
                                          std::string_view total_key) {
    const toml::node* list = parent.node("segment");
    if (!list) {
        AccountSegment all = defaults;
        if (total) {
            all.count = *total;
        } else {
            all.share = 1.0;
        }
        return {all};
    }
    if (!list->is_array_of_tables() || list->as_array()->empty()) {
        parent.fail("segment", "expected [[" + list_path + "]] tables");
    }
    std::vector<AccountSegment> segments;
    std::int64_t counted = 0;
    double share_sum = 0;
    const toml::array& tables = *list->as_array();
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const TableReader reader(*tables.get(i)->as_table(), list_path + "." + std::to_string(i),
                                 parent.file(),
                                 star ? follower_segment_keys : account_segment_keys);
        AccountSegment segment = read_account_parameters(reader, profiles, defaults, star);
        segment.name = read_segment_name(reader, segments);
        segment.count = 0;
        segment.share = -1;
        if (reader.has("count")) {
            if (!total && !star) {
                reader.fail(
                    "count",
                    "a file graph's size is known only once loaded: give a 'share' instead");
            }
            segment.count = *reader.integer("count");
            // A star's followers are bounded by what a run can hold; a graph's accounts by their
            // 32-bit indices (graph.accounts).
            const std::int64_t most =
                star ? most_star_followers
                     : static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max());
            if (segment.count > most) {
                reader.fail("count", "expected at most " + std::to_string(most) + " accounts");
            }
            if (segment.count < 1) {
                reader.fail("count",
                            "expected at least 1 account, got " + std::to_string(segment.count));
            }
            counted += segment.count;
        } else {
            segment.share = *reader.number("share");
            if (!(segment.share > 0 && segment.share <= 1)) {
                reader.fail("share", "expected a share of all accounts in (0, 1]");
            }
            if (star && !total) {
                reader.fail("share", "a share needs 'followers.count', the total it is a share of");
            }
            share_sum += segment.share;
        }
        segments.push_back(std::move(segment));
    }
    if (segments.size() >= std::numeric_limits<std::uint16_t>::max()) {
        parent.fail("segment", "too many segments");
    }
    if (!total) {
        if (star) {
            return segments;  // counts only: they are the total
        }
        if (std::abs(share_sum - 1.0) > share_tolerance) {
            parent.fail("segment",
                        "segment shares add up to " + std::to_string(share_sum) + ", expected 1");
        }
        return segments;
    }
    const double expected_share = 1.0 - static_cast<double>(counted) / static_cast<double>(*total);
    if (star && share_sum == 0 && counted != *total) {
        total_reader.fail(total_key, "segment counts add up to " + std::to_string(counted) +
                                         ", but " + total_reader.full_key(total_key) + " is " +
                                         std::to_string(*total));
    }
    if (std::abs(share_sum - expected_share) > share_tolerance) {
        parent.fail("segment", "segment counts and shares do not add up to " +
                                   total_reader.full_key(total_key) + " = " +
                                   std::to_string(*total) + ": counts " + std::to_string(counted) +
                                   ", shares " + std::to_string(share_sum));
    }
    // Shares become counts by largest remainder, so they add up exactly.
    std::vector<double> shares;
    for (const auto& segment : segments) {
        shares.push_back(std::max(segment.share, 0.0));
    }
    const auto from_shares = largest_remainder(shares, *total - counted);
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (segments[i].share >= 0) {
            segments[i].count = from_shares[i];
            segments[i].share = -1;
        }
    }
    return segments;
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

const std::vector<std::pair<std::string_view, EdgeDirection>> direction_names{
    {"follower_followee", EdgeDirection::follower_followee},
    {"followee_follower", EdgeDirection::followee_follower},
    {"mutual", EdgeDirection::mutual},
};

Audience read_graph(const TableReader& graph, const std::string& scenario_path) {
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
    Audience audience;
    if (source == "file") {
        GraphFile file;
        file.path = resolve_path(graph, "path", scenario_path);
        const std::string direction = graph.string("direction").value_or("");
        const auto found =
            std::find_if(direction_names.begin(), direction_names.end(),
                         [&](const auto& entry) { return entry.first == direction; });
        if (found == direction_names.end()) {
            graph.fail("direction",
                       "required: \"follower_followee\" (A follows B), \"followee_follower\" (B "
                       "follows A) or \"mutual\" (undirected)");
        }
        file.direction = found->second;
        if (graph.has("attributes")) {
            file.attributes = resolve_path(graph, "attributes", scenario_path);
        }
        audience.source = file;
        return audience;
    }
    auto accounts_read = graph.integer("accounts");
    if (!accounts_read || *accounts_read < 2 ||
        *accounts_read > std::numeric_limits<std::uint32_t>::max()) {
        graph.fail("accounts", "required: the number of accounts, from 2 to 4294967295");
    }
    const auto accounts = static_cast<std::uint64_t>(*accounts_read);
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
        audience.source = generator;
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
        audience.source = generator;
    } else {
        audience.source = ErdosRenyiGenerator{accounts, mean_following()};
    }
    if (graph.has("reciprocity")) {
        audience.reciprocity = read_probability(graph, "reciprocity", 0.0, true);
    }
    if (graph.has("homophily")) {
        audience.homophily = read_probability(graph, "homophily", 0.0);
    }
    return audience;
}

AuthorSelector read_selector(const TableReader& track, const toml::node& node) {
    auto fail = [&]() {
        track.fail_at(node, "authors",
                      "expected account ids or \"top_followers:N\", \"random:N\", "
                      "\"followers_percentile:P\"");
    };
    AuthorSelector selector;
    if (node.is_integer()) {
        selector.account_id = std::to_string(node.as_integer()->get());
        return selector;
    }
    if (!node.is_string()) {
        fail();
    }
    const std::string& text = node.as_string()->get();
    const auto colon = text.find(':');
    if (colon == std::string::npos) {
        selector.account_id = text;
        return selector;
    }
    const std::string kind = text.substr(0, colon);
    const std::string number = text.substr(colon + 1);
    std::size_t used = 0;
    double amount = -1;
    try {
        amount = std::stod(number, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != number.size() || !std::isfinite(amount)) {
        track.fail_at(node, "authors", "'" + text + "': expected a number after ':'");
    }
    selector.amount = amount;
    if (kind == "top_followers" || kind == "random") {
        selector.kind =
            kind == "random" ? AuthorSelector::Kind::random : AuthorSelector::Kind::top_followers;
        if (amount != std::floor(amount) || amount < 1 || amount > 4294967295.0) {
            track.fail_at(node, "authors",
                          "'" + text + "': expected a whole number of accounts, at least 1");
        }
    } else if (kind == "followers_percentile") {
        selector.kind = AuthorSelector::Kind::followers_percentile;
        if (!(amount >= 0 && amount <= 100)) {
            track.fail_at(node, "authors", "'" + text + "': expected a percentile from 0 to 100");
        }
    } else {
        fail();
    }
    return selector;
}

TrackSpec read_track(const TableReader& track) {
    TrackSpec spec;
    spec.all_accounts = track.boolean("all_accounts").value_or(true);
    if (const toml::array* authors = track.array("authors")) {
        for (const auto& author : *authors) {
            spec.authors.push_back(read_selector(track, author));
        }
    }
    return spec;
}

RetweetModel read_retweets(const TableReader& retweets, bool star) {
    RetweetModel model;
    model.appeal = read_distribution(retweets, "appeal", Distribution::fixed_at(1.0), appeal_rules);
    Distribution default_delay;
    default_delay.kind = Distribution::Kind::exponential;
    default_delay.mean = 30 * seconds_per_minute;
    model.delay = read_distribution(retweets, "delay", default_delay, delay_rules);
    model.min_delay_seconds = read_bounded_duration(retweets, "min_delay", 1.0);
    if (!(model.min_delay_seconds >= 1.0)) {
        retweets.fail("min_delay",
                      "expected at least \"1s\": the engine advances in windows this wide");
    }
    if (star) {
        auto followers = retweets.integer("followers");
        if (!followers || *followers < 0 || *followers > most_followers_per_retweeter) {
            retweets.fail("followers",
                          "required: how many followers each retweeter has (outside the author's), "
                          "from 0 to 1000000");
        }
        model.followers_per_retweeter = *followers;
    } else if (retweets.has("followers")) {
        retweets.fail("followers",
                      "applies only to [author]/[followers] scenarios: in a graph, retweeters' "
                      "followers are the graph's");
    }
    return model;
}

// Copies without source positions: values from --set carry none, which is how errors know to
// blame the override.
toml::array copy_without_source(const toml::array& array);
toml::table copy_without_source(const toml::table& table);

// Calls `put` with a copy of the scalar `node` (a table or array is handled by the caller).
template <typename Put>
void put_scalar(const toml::node& node, Put put) {
    node.visit([&](const auto& scalar) {
        if constexpr (toml::is_value<std::remove_cvref_t<decltype(scalar)>>) {
            put(toml::value{scalar.get()});
        }
    });
}

toml::array copy_without_source(const toml::array& array) {
    toml::array copy;
    for (const auto& value : array) {
        if (const auto* table = value.as_table()) {
            copy.push_back(copy_without_source(*table));
        } else if (const auto* inner = value.as_array()) {
            copy.push_back(copy_without_source(*inner));
        } else {
            put_scalar(value, [&](auto&& scalar) { copy.push_back(std::move(scalar)); });
        }
    }
    return copy;
}

toml::table copy_without_source(const toml::table& table) {
    toml::table copy;
    for (const auto& [key, value] : table) {
        const std::string name(key.str());  // a structured binding cannot be captured (clang 14)
        if (const auto* inner = value.as_table()) {
            copy.insert_or_assign(name, copy_without_source(*inner));
        } else if (const auto* array = value.as_array()) {
            copy.insert_or_assign(name, copy_without_source(*array));
        } else {
            put_scalar(value,
                       [&](auto&& scalar) { copy.insert_or_assign(name, std::move(scalar)); });
        }
    }
    return copy;
}

void check_nesting(const std::string& text, const std::string& path);

// Applies one --set to the parsed document, creating tables on the way as needed.
void apply_override(toml::table& root, const Override& override) {
    auto fail = [&](const std::string& problem) -> void {
        throw input_error({override.source, 0}, override.key, problem);
    };
    // Dotted parts, a part in double quotes taken whole (sweep."author.posting.per_day").
    std::vector<std::string> parts(1);
    bool quoted = false;
    for (const char c : override.key) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == '.' && !quoted) {
            parts.emplace_back();
        } else {
            parts.back() += c;
        }
    }
    if (quoted || std::any_of(parts.begin(), parts.end(),
                              [](const std::string& part) { return part.empty(); })) {
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
            // At most 9 digits: any index of a real array, and never out of an integer's range.
            const bool is_index =
                part.size() <= 9 &&
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
    if (!override.verbatim_string) {
        check_nesting(override.value, override.source);
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
    // Any value replaces whatever the key held: a scalar, an array or a table.
    const toml::table copy = copy_without_source(parsed);
    table->insert_or_assign(parts.back(), *copy.get("value"));
}

// TOML nests arrays and tables by recursion: bound the depth before parsing, so that a pathological
// file is an error, not a stack overflow. Brackets inside strings and comments are skipped.
void check_nesting(const std::string& text, const std::string& path) {
    std::size_t depth = 0;
    std::size_t line = 1;
    char quote = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
        }
        if (quote != 0) {
            if (c == '\\' && quote == '"') {
                ++i;  // an escaped character
            } else if (c == quote || c == '\n') {
                quote = 0;
            }
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#') {
            while (i + 1 < text.size() && text[i + 1] != '\n') {
                ++i;
            }
        } else if (c == '[' || c == '{') {
            if (++depth > most_nesting) {
                throw input_error({path, line}, "",
                                  "arrays and tables nested more than 32 deep: not a scenario");
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
}

std::string default_output_path(const std::string& scenario_path) {
    return std::filesystem::path(scenario_path).stem().string() + ".h5";
}

// [author] and [followers]: a star audience.
void read_star(const TableReader& top, const Profiles& profiles,
               const Distribution& retweet_probability, bool needs_background, Model& model) {
    StarAudience star;
    const TableReader author = top.child("author", author_keys);
    star.author_name = author.string("name").value_or("author");
    star.author_utc_offset_hours = read_utc_offset(author, 0.0);
    star.author_posting =
        read_posting(author.child("posting", posting_keys), profiles,
                     PoissonPosting{Distribution::fixed_at(1.0), {flat_profile(), every_day()}});
    model.audience.source = star;
    if (!top.has("followers")) {
        top.fail("followers", "required: a [followers] table with at least 'count', or a [graph]");
    }
    const TableReader followers = top.child("followers", followers_keys);
    const AccountSegment defaults = read_account_parameters(
        followers, profiles, default_account_parameters(true, retweet_probability), true);
    auto count = followers.integer("count");
    if (count && (*count < 1 || *count > most_star_followers)) {
        followers.fail("count", "expected from 1 to " + std::to_string(most_star_followers) +
                                    " followers, got " + std::to_string(*count));
    }
    if (!count && !followers.has("segment")) {
        followers.fail("count",
                       "required: the number of followers (or give [[followers.segment]] counts)");
    }
    model.segments = read_segments(followers, "followers.segment", profiles, defaults, true, count,
                                   followers, "count");
    std::int64_t total = 0;
    for (const auto& segment : model.segments) {
        total += segment.count;  // each at most 1e8, so the sum cannot overflow
    }
    if (total > most_star_followers) {
        followers.fail("segment", "the segments hold " + std::to_string(total) +
                                      " followers: expected at most " +
                                      std::to_string(most_star_followers));
    }
    if (needs_background) {
        // Followed until unseeable: only the background ever buries a post.
        for (std::size_t s = 0; s < model.segments.size(); ++s) {
            if (!(model.segments[s].background_per_hour > 0)) {
                const bool in_segment = followers.has("segment");
                const TableReader place =
                    in_segment
                        ? TableReader(*followers.node("segment")->as_array()->get(s)->as_table(),
                                      "followers.segment." + std::to_string(s), followers.file(),
                                      follower_segment_keys)
                        : followers;
                place.fail(background_key(place),
                           "expected a positive background rate (items per hour): with none, a "
                           "post could never sink below the scroll depth, and simulation."
                           "follow_up is \"unlimited\"");
            }
        }
    }
}

// [graph], [accounts] and [track].
void read_graph_audience(const TableReader& top, const Profiles& profiles,
                         const Distribution& retweet_probability, const std::string& path,
                         Model& model) {
    const TableReader graph = top.child("graph", graph_keys);
    model.audience = read_graph(graph, path);
    const TableReader accounts = top.child("accounts", accounts_keys);
    const AccountSegment defaults = read_account_parameters(
        accounts, profiles, default_account_parameters(false, retweet_probability), false);
    std::optional<std::int64_t> total;
    if (model.audience.is_generated()) {
        total = std::visit(
            [](const auto& source) -> std::int64_t {
                if constexpr (requires { source.accounts; }) {
                    return static_cast<std::int64_t>(source.accounts);
                } else {
                    return 0;
                }
            },
            model.audience.source);
    }
    model.segments = read_segments(accounts, "accounts.segment", profiles, defaults, false, total,
                                   graph, "accounts");
    if (model.audience.homophily && model.segments.size() < 2) {
        graph.fail("homophily", "needs at least two [[accounts.segment]]s");
    }
    model.track = read_track(top.child("track", track_keys));
}

// A value of a swept key, as TOML text (and as a number or a string when it is one).
SweepValue sweep_value(const toml::node& node) {
    SweepValue value;
    if (node.is_floating_point()) {
        // The shortest text that reads back as the same double: 0.7, not 0.69999999999999996.
        std::array<char, 32> buffer{};
        const double number = node.as_floating_point()->get();
        const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number).ptr;
        value.toml.assign(buffer.data(), end);
        if (value.toml.find_first_of(".eEn") == std::string::npos) {
            value.toml += ".0";  // still a float in TOML
        }
    } else {
        std::ostringstream text;
        node.visit([&](auto&& held) { text << held; });
        value.toml = text.str();
    }
    if (const auto number = node.value<double>();
        number && (node.is_integer() || node.is_floating_point())) {
        value.number = *number;
    } else if (const auto* string = node.as_string()) {
        value.text = string->get();
    }
    return value;
}

constexpr std::size_t most_sweep_values = 100000;

// The values of one swept key: a list, or a range { from, to, steps, scale }.
std::vector<SweepValue> sweep_values(const toml::node& node, const std::string& key,
                                     const std::string& path) {
    const SourceLocation where{path, node.source().begin.line};
    std::vector<SweepValue> values;
    if (const auto* array = node.as_array()) {
        if (array->empty() || array->size() > most_sweep_values) {
            throw input_error(where, key, "expected from 1 to 100000 values");
        }
        for (const auto& element : *array) {
            values.push_back(sweep_value(element));
        }
        return values;
    }
    const auto* table = node.as_table();
    if (!table) {
        throw input_error(where, key,
                          "expected a list of values like [1, 2, 4], or a range like { from = 0.5, "
                          "to = 12, steps = 8, scale = \"log\" }");
    }
    const TableReader range(*table, key, path, sweep_range_keys);
    const auto from = range.number("from");
    const auto to = range.number("to");
    const auto steps = range.integer("steps");
    const std::string scale = range.string("scale").value_or("linear");
    if (!from || !to || !std::isfinite(*from) || !std::isfinite(*to)) {
        range.fail(from ? "to" : "from", "expected a finite number (a range needs from and to)");
    }
    if (!steps || *steps < 1 || *steps > static_cast<std::int64_t>(most_sweep_values)) {
        range.fail("steps", "expected an integer from 1 to 100000");
    }
    if (scale != "linear" && scale != "log") {
        range.fail("scale", "expected \"linear\" or \"log\"");
    }
    if (scale == "log" && !(*from > 0 && *to > 0)) {
        range.fail("from", "a log range needs from and to above 0");
    }
    for (std::int64_t step = 0; step < *steps; ++step) {
        const double position =
            *steps == 1 ? 0.0 : static_cast<double>(step) / static_cast<double>(*steps - 1);
        const double number = scale == "log"
                                  ? std::exp(std::log(*from) + position * std::log(*to / *from))
                                  : *from + position * (*to - *from);
        values.push_back(sweep_value(toml::value<double>(number)));
    }
    return values;
}

SweepDefinition read_sweep(const toml::table& root, const std::string& path) {
    SweepDefinition sweep;
    const toml::node* node = root.get("sweep");
    if (node == nullptr) {
        return sweep;
    }
    const auto* table = node->as_table();
    if (!table) {
        throw input_error({path, node->source().begin.line}, "sweep",
                          "expected a table of scenario keys and their values");
    }
    std::vector<std::pair<std::size_t, SweepParameter>> parameters;
    for (const auto& [name, value] : *table) {
        const std::string key(name.str());
        if (key == "mode") {
            const auto* mode = value.as_string();
            if (!mode || (mode->get() != "grid" && mode->get() != "zip")) {
                throw input_error({path, value.source().begin.line}, "sweep.mode",
                                  "expected \"grid\" (every combination) or \"zip\" (values "
                                  "paired in order)");
            }
            sweep.zip = mode->get() == "zip";
            continue;
        }
        parameters.emplace_back(value.source().begin.line,
                                SweepParameter{key, sweep_values(value, "sweep." + key, path)});
    }
    // In the order written: the first key varies slowest.
    std::stable_sort(parameters.begin(), parameters.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [line, parameter] : parameters) {
        sweep.parameters.push_back(std::move(parameter));
    }
    return sweep;
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
    check_nesting(text, path);
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
    const bool star = !root.contains("graph");
    const TableReader top(root, "", path, star ? star_top_keys : graph_top_keys);
    Scenario scenario;
    scenario.sweep = read_sweep(root, path);
    scenario.path = path;
    scenario.text = text;
    Model& model = scenario.model;
    RunSettings& run = scenario.run;
    const Profiles profiles = read_profiles(root, path);

    const TableReader simulation = top.child("simulation", simulation_keys);
    const std::string start = simulation.string("start").value_or(std::string(default_start));
    auto start_unix = parse_utc_instant(start);
    if (!start_unix) {
        simulation.fail("start", "expected an ISO-8601 UTC instant like \"2012-01-02T00:00:00Z\"");
    }
    model.start_unix_seconds = *start_unix;
    model.duration_seconds = read_bounded_duration(simulation, "duration",
                                                   star ? 90 * seconds_per_day : seconds_per_day);
    if (!(model.duration_seconds > 0)) {
        simulation.fail("duration", "expected a positive duration");
    }
    const bool follow_up_unlimited = simulation.has("follow_up")
                                         ? simulation.node("follow_up")->is_string() &&
                                               simulation.string("follow_up") == unlimited
                                         : star;
    if (follow_up_unlimited && !star) {
        simulation.fail("follow_up",
                        "\"unlimited\" applies only to [author]/[followers] scenarios: give a "
                        "duration like \"2d\"");
    }
    model.follow_up_seconds =
        follow_up_unlimited ? until_unseeable
                            : read_bounded_duration(simulation, "follow_up", 2 * seconds_per_day);
    const std::int64_t seed = simulation.integer("seed").value_or(1);
    if (seed < 0) {
        simulation.fail("seed", "expected a non-negative integer");
    }
    run.seed = static_cast<std::uint64_t>(seed);
    run.replicates = simulation.integer("replicates").value_or(star ? 20 : 1);
    if (run.replicates < 1 || run.replicates > most_replicates) {
        simulation.fail("replicates", "expected an integer from 1 to 1000000");
    }

    Distribution retweet_probability = Distribution::fixed_at(0.0);
    if (top.has("retweets")) {
        const TableReader retweets = top.child("retweets", retweets_keys);
        model.retweets = read_retweets(retweets, star);
        retweet_probability =
            read_distribution(retweets, "probability", retweet_probability, probability_rules);
    }
    if (star) {
        read_star(top, profiles, retweet_probability, follow_up_unlimited, model);
    } else {
        read_graph_audience(top, profiles, retweet_probability, path, model);
    }
    for (const auto& segment : model.segments) {
        if (segment.retweet_probability.expected() > 0 && !model.retweets) {
            top.fail("retweets",
                     "a retweet_probability needs a [retweets] section (delays, appeal)");
        }
        if (segment.profile_visits.per_day > 0 && !std::isfinite(model.follow_up_seconds)) {
            simulation.fail("follow_up",
                            "profile_visits.per_day (segment '" + segment.name +
                                "') needs a finite follow-up, like \"7d\": a profile shows an "
                                "author's last posts for ever");
        }
        if (segment.profile_visits.after_retweet > 0 && (star || !model.retweets)) {
            top.fail("retweets",
                     "profile_visits.after_retweet (segment '" + segment.name +
                         "') applies to graph scenarios with a [retweets] section: it is the "
                         "chance of visiting an author's profile on seeing a retweet");
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
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        throw input_error({path, 0}, "",
                          std::filesystem::exists(path, error)
                              ? "not a scenario file (a folder or a device?): expected a TOML file"
                              : "cannot open the scenario file: no such file");
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw input_error({path, 0}, "", "cannot open the scenario file");
    }
    // Read at most one byte past the limit, so a file that never ends cannot exhaust memory.
    std::string text(most_scenario_bytes + 1, '\0');
    file.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(file.gcount()));
    if (text.size() > most_scenario_bytes) {
        throw input_error({path, 0}, "", "larger than 16 MiB: not a scenario file");
    }
    return parse_scenario(text, path, overrides);
}

namespace {

toml::table posting_table(const Posting& posting, toml::table& profiles) {
    if (const auto* poisson = std::get_if<PoissonPosting>(&posting)) {
        toml::table table = rhythm_table(poisson->rhythm, profiles);
        table.insert("kind", "poisson");
        table.insert("per_day", distribution_table(poisson->per_day, posts_rules));
        return table;
    }
    const auto& schedule = std::get<SchedulePosting>(posting);
    toml::array times;
    for (double seconds : schedule.local_times_seconds) {
        times.push_back(format_clock_time(seconds));
    }
    return toml::table{{"kind", "schedule"},
                       {"times", times},
                       {"days", format_weekdays(schedule.days)},
                       {"jitter", format_duration(schedule.jitter_seconds)}};
}

toml::table segment_table(const AccountSegment& segment, bool star, toml::table& profiles) {
    toml::table sessions = rhythm_table(segment.sessions, profiles);
    sessions.insert("per_day", distribution_table(segment.sessions_per_day, sessions_rules));
    sessions.insert("duration",
                    distribution_table(segment.session_duration, session_duration_rules));
    sessions.insert("item_budget", static_cast<std::int64_t>(segment.session_item_budget));
    toml::table background = rhythm_table(segment.background, profiles);
    background.insert("per_hour", segment.background_per_hour);
    const toml::table notifications{
        {"share", segment.notifications.share},
        {"delay", distribution_table(segment.notifications.delay, delay_rules)}};
    const toml::table profile_visits{{"per_day", segment.profile_visits.per_day},
                                     {"depth", segment.profile_visits.depth},
                                     {"after_retweet", segment.profile_visits.after_retweet}};
    const Attention& attention = segment.attention;
    const toml::table attention_table{
        {"same_author", attention.same_author},
        {"unfollow", toml::table{{"after_posts", attention.unfollow_after_posts},
                                 {"window", format_duration(attention.unfollow_window_seconds)},
                                 {"probability", attention.unfollow_probability}}}};
    toml::table table{
        {"name", segment.name},
        {"utc_offset", segment.utc_offset_hours},
        {"sessions", sessions},
        {"feed_depth", distribution_table(segment.feed_depth, depth_rules)},
        {"background", background},
        {"retweet_probability", distribution_table(segment.retweet_probability, probability_rules)},
        {"notifications", notifications},
        {"profile_visits", profile_visits},
        {"attention", attention_table},
    };
    if (!star) {
        table.insert("posting", posting_table(segment.posting, profiles));
    }
    if (segment.share >= 0) {
        table.insert("share", segment.share);
    } else {
        table.insert("count", segment.count);
    }
    return table;
}

toml::table graph_table(const Audience& audience) {
    toml::table graph;
    std::visit(
        [&](const auto& source) {
            using T = std::decay_t<decltype(source)>;
            if constexpr (std::is_same_v<T, GraphFile>) {
                graph.insert("source", "file");
                graph.insert("path", source.path);
                for (const auto& [name, direction] : direction_names) {
                    if (direction == source.direction) {
                        graph.insert("direction", name);
                    }
                }
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
            } else if constexpr (std::is_same_v<T, ErdosRenyiGenerator>) {
                graph.insert("source", "erdos_renyi");
                graph.insert("accounts", static_cast<std::int64_t>(source.accounts));
                graph.insert("mean_following", source.mean_following);
            }
        },
        audience.source);
    if (audience.is_generated()) {
        graph.insert("reciprocity", audience.reciprocity);
        if (audience.homophily) {
            graph.insert("homophily", *audience.homophily);
        }
    }
    return graph;
}

toml::array selectors_array(const std::vector<AuthorSelector>& selectors) {
    toml::array authors;
    for (const auto& selector : selectors) {
        char amount[32];
        std::snprintf(amount, sizeof amount, "%.17g", selector.amount);
        switch (selector.kind) {
            case AuthorSelector::Kind::account_id:
                authors.push_back(selector.account_id);
                break;
            case AuthorSelector::Kind::top_followers:
                authors.push_back("top_followers:" + std::string(amount));
                break;
            case AuthorSelector::Kind::random:
                authors.push_back("random:" + std::string(amount));
                break;
            case AuthorSelector::Kind::followers_percentile:
                authors.push_back("followers_percentile:" + std::string(amount));
                break;
        }
    }
    return authors;
}

}  // namespace

std::string resolved_scenario_toml(const Scenario& scenario) {
    const Model& model = scenario.model;
    const bool star = model.is_star();
    toml::table profiles;
    toml::array segments;
    for (const auto& segment : model.segments) {
        segments.push_back(segment_table(segment, star, profiles));
    }
    toml::table simulation{{"start", format_utc_instant(model.start_unix_seconds)},
                           {"duration", format_duration(model.duration_seconds)},
                           {"seed", static_cast<std::int64_t>(scenario.run.seed)},
                           {"replicates", scenario.run.replicates}};
    if (std::isfinite(model.follow_up_seconds)) {
        simulation.insert("follow_up", format_duration(model.follow_up_seconds));
    } else {
        simulation.insert("follow_up", unlimited);
    }
    toml::table root{{"simulation", simulation}};
    if (const auto* audience = std::get_if<StarAudience>(&model.audience.source)) {
        root.insert("author",
                    toml::table{{"name", audience->author_name},
                                {"utc_offset", audience->author_utc_offset_hours},
                                {"posting", posting_table(audience->author_posting, profiles)}});
        std::int64_t count = 0;
        for (const auto& segment : model.segments) {
            count += segment.count;
        }
        root.insert("followers", toml::table{{"count", count}, {"segment", segments}});
    } else {
        root.insert("graph", graph_table(model.audience));
        root.insert("accounts", toml::table{{"segment", segments}});
        root.insert("track", toml::table{{"authors", selectors_array(model.track.authors)},
                                         {"all_accounts", model.track.all_accounts}});
    }
    if (model.retweets) {
        toml::table retweets{{"appeal", distribution_table(model.retweets->appeal, appeal_rules)},
                             {"delay", distribution_table(model.retweets->delay, delay_rules)},
                             {"min_delay", format_duration(model.retweets->min_delay_seconds)}};
        if (star) {
            retweets.insert("followers", model.retweets->followers_per_retweeter);
        }
        root.insert("retweets", retweets);
    }
    root.insert("profiles", profiles);
    root.insert("output", toml::table{{"path", scenario.run.output_path}});
    std::ostringstream text;
    text << root << "\n";
    return text.str();
}

void add_sweep_parameter(SweepDefinition& sweep, const Override& parameter) {
    const std::string key = "--param " + parameter.key;
    check_nesting(parameter.value, key);
    toml::table parsed;
    try {
        parsed = toml::parse("values = " + parameter.value);
    } catch (const toml::parse_error& error) {
        throw input_error({key, 0}, "",
                          "expected a TOML list like [1, 2, 4] or a range like { from = 1, to = "
                          "16, steps = 5, scale = \"log\" }: " +
                              std::string(error.description()));
    }
    SweepParameter swept{parameter.key, sweep_values(*parsed.get("values"), key, "--param")};
    for (auto& existing : sweep.parameters) {
        if (existing.key == parameter.key) {
            existing = std::move(swept);
            return;
        }
    }
    sweep.parameters.push_back(std::move(swept));
}

std::vector<std::string> scenario_keys() {
    std::vector<std::string> keys = schema_keys();
    keys.emplace_back("sweep.mode");
    return keys;
}

std::vector<std::string> distribution_table_keys() {
    return {distribution_keys.begin(), distribution_keys.end()};
}

}  // namespace reachsim
