// The world a scenario describes, fully validated: where the audience comes from (one author's
// followers, a follower graph from a file, or a generated one), the account segments with their
// posting, looking and retweeting, and what to track. Plain data, no TOML and no HDF5: the engine
// simulates exactly this. Run settings (seed, replicates, output path) live apart, in RunSettings.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/time.hpp"
#include "model/distribution.hpp"

namespace reachsim {

// 24 non-negative weights, one per local hour, normalised to mean 1.
struct DailyProfile {
    std::string name;  // a name from [profiles], "flat", or "inline"
    std::array<double, hours_per_day> weights{};

    bool operator==(const DailyProfile&) const = default;
};

// When in the week something happens, apart from how often: intensity rate / 86400 s *
// weights[local hour] on active local weekdays, 0 on the others, for a rate per active day.
struct Rhythm {
    DailyProfile profile;
    WeekdaySet days{};

    bool operator==(const Rhythm&) const = default;
};

// Posts as a Poisson process: each account's posts per active day drawn from `per_day`.
struct PoissonPosting {
    Distribution per_day;
    Rhythm rhythm;

    bool operator==(const PoissonPosting&) const = default;
};

// Posts at fixed local clock times on active days, each shifted by a uniform draw in
// [-jitter, +jitter].
struct SchedulePosting {
    std::vector<double> local_times_seconds;  // seconds after local midnight, ascending
    WeekdaySet days{};
    double jitter_seconds = 0;

    bool operator==(const SchedulePosting&) const = default;
};

using Posting = std::variant<PoissonPosting, SchedulePosting>;

// Views outside the feed (docs/model.md, "Notifications and profile visits"). Off by default.
struct Notifications {
    // The share of an account's follows whose posts notify it: each (follower, author) pair is
    // notified or not for the whole run.
    double share = 0;
    // Seconds from a post to its view: exponential with a mean of 3 minutes by default (Pielot et
    // al. 2014: notifications "typically viewed within minutes").
    Distribution delay = Distribution::exponential_with_mean(180.0);
    bool operator==(const Notifications&) const = default;
};

struct ProfileVisits {
    // Visits to each followee's profile per active day, following the sessions' rhythm.
    double per_day = 0;
    std::uint32_t depth = 20;  // the author's newest posts a visit shows
    // Retweet runs: the chance of visiting an author's profile on first seeing a retweet of one
    // of their posts (followed or not).
    double after_retweet = 0;
    [[nodiscard]] bool any() const { return per_day > 0 || after_retweet > 0; }
    bool operator==(const ProfileVisits&) const = default;
};

// The cost of posting often (docs/model.md, "Attention"). Off by default.
struct Attention {
    // Within one session, the n-th post of the same author the account comes across is noticed
    // with probability same_author^(n-1); a post not noticed is not a view.
    double same_author = 1;
    // Having seen more than `unfollow_after_posts` of an author's posts within the last
    // `unfollow_window_seconds`, each further post seen makes the account unfollow the author with
    // `unfollow_probability`: the author's posts reach it no more.
    std::uint32_t unfollow_after_posts = 10;
    double unfollow_window_seconds = 7 * 86400.0;
    double unfollow_probability = 0;

    [[nodiscard]] bool any() const { return same_author < 1 || unfollow_probability > 0; }
    bool operator==(const Attention&) const = default;
};

// A group of accounts sharing parameters: how they post, when they look and how far they scroll,
// what else fills their feeds, how readily they retweet.
struct AccountSegment {
    std::string name;
    std::int64_t count = 0;  // accounts; for file graphs 0 until loaded (then `share` applies)
    double share = -1;       // file graphs: the share of accounts (-1: a count was given)
    double utc_offset_hours = 0;
    Posting posting;
    Distribution sessions_per_day;  // viewing sessions per active day
    Rhythm sessions;
    // Seconds a session stays open, showing what arrives (drawn per session; 0: a glance).
    Distribution session_duration = Distribution::fixed_at(0.0);
    // The most items one session shows, on opening and live (0: no budget). With a budget, an
    // arrival is shown live only by the session opened last, while fewer than budget - depth
    // arrivals have come since it opened.
    std::uint64_t session_item_budget = 0;
    Distribution feed_depth;  // items shown per session (per account or per session)
    // Background: items arriving in each feed from followees the run does not simulate.
    double background_per_hour = 0;  // mean per hour of an active day
    Rhythm background;
    Distribution retweet_probability;  // chance of retweeting a post on first seeing it
    Notifications notifications;
    ProfileVisits profile_visits;
    Attention attention;

    bool operator==(const AccountSegment&) const = default;
};

// Audience sources. A star is one author and the accounts of the segments, who all follow the
// author and nobody else in the run (their other followees are the background).
struct StarAudience {
    std::string author_name = "author";
    double author_utc_offset_hours = 0;
    Posting author_posting;

    bool operator==(const StarAudience&) const = default;
};

// Which way a line "A B" of an edge list points.
enum class EdgeDirection {
    follower_followee,  // A follows B
    followee_follower,  // B follows A (posts flow A -> B)
    mutual,             // an undirected friendship: each follows the other
};

struct GraphFile {
    std::string path;  // resolved relative to the scenario file
    EdgeDirection direction = EdgeDirection::follower_followee;
    std::string attributes;  // optional per-account CSV, "" if none

    bool operator==(const GraphFile&) const = default;
};

// Followers per account heavy-tailed (power law with this exponent, mean = mean_following);
// following per account lognormal. Followees are drawn in proportion to follower weights.
struct PowerLawGenerator {
    std::uint64_t accounts = 0;
    double mean_following = 0;
    double following_sigma = 1.0;
    double followers_exponent = 2.2;
    bool operator==(const PowerLawGenerator&) const = default;
};

// Directed preferential attachment (Price): each new account follows `following_per_account`
// earlier ones, chosen in proportion to (followers + attachment_offset).
struct PriceGenerator {
    std::uint64_t accounts = 0;
    std::uint32_t following_per_account = 0;
    double attachment_offset = 1.0;
    bool operator==(const PriceGenerator&) const = default;
};

// Every account follows each other one independently with the same probability.
struct ErdosRenyiGenerator {
    std::uint64_t accounts = 0;
    double mean_following = 0;
    bool operator==(const ErdosRenyiGenerator&) const = default;
};

using AudienceSource =
    std::variant<StarAudience, GraphFile, PowerLawGenerator, PriceGenerator, ErdosRenyiGenerator>;

struct Audience {
    AudienceSource source;
    double reciprocity = 0;           // generators: share of follows returned
    std::optional<double> homophily;  // generators: chance a follow stays in the follower's segment

    [[nodiscard]] bool is_star() const { return std::holds_alternative<StarAudience>(source); }
    [[nodiscard]] bool is_generated() const {
        return !is_star() && !std::holds_alternative<GraphFile>(source);
    }
    bool operator==(const Audience&) const = default;
};

// Retweets: a post seen for the first time is retweeted with the viewer's retweet probability
// times the post's appeal, after a delay of max(min_delay, a draw of `delay`), into the
// retweeter's followers' feeds.
struct RetweetModel {
    Distribution appeal;             // per post
    Distribution delay;              // seconds
    double min_delay_seconds = 1.0;  // also the cascade engine's window
    // Star audiences only: the retweeter's own followers, outside the run, who see the retweet
    // like any feed item (with the retweeter's segment parameters) and do not retweet it further.
    std::int64_t followers_per_retweeter = 0;
    bool operator==(const RetweetModel&) const = default;
};

// Which authors get full per-post records (a star tracks its author).
struct AuthorSelector {
    enum class Kind { account_id, top_followers, random, followers_percentile };
    Kind kind = Kind::account_id;
    std::string account_id;  // as in the edge list, or an index for generated graphs
    double amount = 0;       // N accounts, or the percentile P
    bool operator==(const AuthorSelector&) const = default;
};

struct TrackSpec {
    std::vector<AuthorSelector> authors;
    bool all_accounts = true;  // graphs: a row per account in the output
    bool operator==(const TrackSpec&) const = default;
};

inline constexpr double until_unseeable = std::numeric_limits<double>::infinity();

struct Model {
    std::int64_t start_unix_seconds = 0;  // simulated time 0
    double duration_seconds = 0;          // posts made in [0, duration) are recorded...
    double follow_up_seconds = 0;         // ...and followed this much longer (or until_unseeable)
    Audience audience;
    std::vector<AccountSegment> segments;
    TrackSpec track;
    std::optional<RetweetModel> retweets;

    [[nodiscard]] bool is_star() const { return audience.is_star(); }
    [[nodiscard]] double horizon_seconds() const { return duration_seconds + follow_up_seconds; }
    // Whether any account is notified or visits profiles: views outside the feed.
    [[nodiscard]] bool has_views_outside_feed() const {
        for (const AccountSegment& segment : segments) {
            if (segment.notifications.share > 0 || segment.profile_visits.any()) {
                return true;
            }
        }
        return false;
    }
    // Whether any account's attention fades with repeats or may unfollow.
    [[nodiscard]] bool has_attention() const {
        for (const AccountSegment& segment : segments) {
            if (segment.attention.any()) {
                return true;
            }
        }
        return false;
    }
    bool operator==(const Model&) const = default;
};

struct RunSettings {
    std::uint64_t seed = 1;
    std::int64_t replicates = 20;
    std::string output_path;

    bool operator==(const RunSettings&) const = default;
};

}  // namespace reachsim
